/**
 * `feedback-webhooks/auth`: sign deliveries (JWT or Standard Webhooks), verify them, generate and
 * publish keys, encrypt key material at rest.
 */
export { createAesGcmSealer } from "./create-aes-gcm-sealer.js";
export {
  type AuthSigner,
  type AuthSignerOptions,
  createAuthSigner,
  type KeyResolver,
  type SignInput,
} from "./create-auth-signer.js";
export type { SecretEncoding } from "./decode-secret.js";
export type { FeedbackTokenClaims } from "./feedback-token-claims.js";
export {
  type GeneratedHmacKey,
  type GeneratedKeyPair,
  type GeneratedStandardWebhooksSecret,
  generateSigningKey,
  jwkThumbprint,
} from "./generate-signing-key.js";
export { jwksHandler } from "./jwks-handler.js";
export { publicJwks } from "./public-jwks.js";
export { selectSigningKey } from "./select-signing-key.js";
export { validateKeyMaterial } from "./validate-key-material.js";
export {
  createTokenVerifier,
  MAX_TOKEN_LENGTH,
  type TokenVerifier,
  verifyFeedbackToken,
} from "./verify-feedback-token.js";
export {
  createStandardWebhookVerifier,
  type StandardWebhookInput,
  type StandardWebhookVerifyOptions,
  type VerifiedStandardWebhook,
  verifyStandardWebhook,
} from "./verify-standard-webhook.js";
export type {
  HmacSecretInput,
  JwksFetchOptions,
  PublicKeyInput,
  PublicKeyMaterial,
  VerifyTokenOptions,
} from "./verify-token-options.js";
