import { createPrivateKey, createPublicKey } from "node:crypto";
import { isHmacAlgorithm } from "../config/auth-config-schema.js";
import type { Jwk, WebhookConfig } from "../config/webhook-config.js";
import type { Secret } from "../secret.js";

// Deriving a public JWK parses the private key; configs are reused between requests, so cache
// per stored key object.
const derived = new WeakMap<Secret<string | Jwk>, Jwk>();

function publicJwkOf(privateKey: Secret<string | Jwk>): Jwk {
  let jwk = derived.get(privateKey);
  if (jwk === undefined) {
    const material = privateKey.reveal();
    const key =
      typeof material === "string"
        ? createPrivateKey({ key: material.trim(), format: "pem" })
        : createPrivateKey({ key: material, format: "jwk" });
    jwk = createPublicKey(key).export({ format: "jwk" }) as Jwk;
    derived.set(privateKey, jwk);
  }
  return jwk;
}

/**
 * The public JSON Web Key Set of a configuration: one public JWK (with `kid`, `alg`,
 * `use: "sig"`) per asymmetric key whose `notAfter` has not passed, so receivers fetch keys
 * instead of copying them and a rotation needs no receiver change. Shared secrets are never
 * published; keys held as `ref` (material outside the config) are not listed.
 *
 * @example
 * ```ts
 * publicJwks(config); // { keys: [{ kty: "EC", crv: "P-256", x, y, kid: "…", alg: "ES256", use: "sig" }] }
 * ```
 */
export function publicJwks(config: Pick<WebhookConfig, "auth">, options: { now?: () => number } = {}): { keys: Jwk[] } {
  const { auth } = config;
  if (auth.type !== "jwt" || isHmacAlgorithm(auth.algorithm)) return { keys: [] };
  const now = (options.now ?? Date.now)();
  const keys = auth.keys
    .filter((k) => k.privateKey !== undefined && (k.notAfter === undefined || k.notAfter.getTime() > now))
    .map((k) => ({
      ...publicJwkOf(k.privateKey as Secret<string | Jwk>),
      kid: k.kid,
      alg: auth.algorithm,
      use: "sig",
    }));
  return { keys };
}
