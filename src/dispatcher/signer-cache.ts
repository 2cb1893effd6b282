import { type AuthSigner, createAuthSigner, type KeyResolver } from "../auth/index.js";
import type { Clock } from "../clock.js";
import type { WebhookConfig } from "../config/webhook-config.js";

/** One {@link AuthSigner} per configuration id + version, reused across attempts. */
export interface SignerCache {
  /** The signer of this exact version; builds it on first use and forgets older versions. */
  get(config: WebhookConfig): AuthSigner;
}

/**
 * Caches signers so each key is imported (or resolved through `keyResolver`) once per config
 * version; an edited configuration gets a fresh signer on its next attempt.
 *
 * @example
 * ```ts
 * const signers = createSignerCache({ keyResolver, clock });
 * const headers = await signers.get(config).sign({ body, deliveryId, timestamp, requestId });
 * ```
 */
export function createSignerCache(options: { keyResolver: KeyResolver | undefined; clock: Clock }): SignerCache {
  const byId = new Map<string, { version: number; signer: AuthSigner }>();
  const signerOptions = {
    now: () => options.clock.now(),
    ...(options.keyResolver && { keyResolver: options.keyResolver }),
  };
  return {
    get(config) {
      const cached = byId.get(config.id);
      if (cached?.version === config.version) return cached.signer;
      const signer = createAuthSigner(config, signerOptions);
      byId.set(config.id, { version: config.version, signer });
      return signer;
    },
  };
}
