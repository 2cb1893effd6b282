/**
 * feedback-webhooks — the root entry: payload schemas and types, the configuration model and
 * registry, errors. It loads no database driver, HTTP client or framework; those live in the
 * subpaths (`/dispatcher`, `/receiver`, `/storage/*`, `/adapters/*`, `/transport`, `/testing`).
 *
 * @example
 * ```ts
 * import { createRegistry, parseFeedbackEvent, hasFeedbackStatus } from "feedback-webhooks";
 * ```
 */
export type { Clock } from "./clock.js";
export { systemClock } from "./clock.js";
export * from "./config/index.js";
export { webhookConfigJsonSchema } from "./config/webhook-config-json-schema.js";
export * from "./errors.js";
export { isLoopbackHost, isPrivateAddress } from "./net/is-private-address.js";
export * from "./schemas/index.js";
export { isSecret, Secret } from "./secret.js";
export { VERSION } from "./version.js";
export type { CampaignKey, ConfigRecord, ConfigStorage, ListConfigsQuery } from "./storage/storage.js";
