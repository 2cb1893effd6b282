export * from "./auth-config-schema.js";
export { type ConfigDocument, decodeConfig, encodeConfig, type SecretSealer } from "./config-codec.js";
export { type ConfigPage, createRegistry, type RegistryOptions, type WebhookRegistry } from "./create-registry.js";
export { MIN_HMAC_SECRET_BYTES } from "./normalize-auth.js";
export { type ConfigFields, type ConfigRules, validateConfigInput, validateConfigPatch } from "./validate-config-input.js";
export { MAX_CUSTOM_HEADERS } from "./validate-headers.js";
export type * from "./webhook-config.js";
export * from "./webhook-config-schema.js";
