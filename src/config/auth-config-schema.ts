import { z } from "zod";

/** JWT algorithms a configuration can sign with. `none` is never one of them. */
export const JWT_ALGORITHMS = ["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"] as const;

/** One of {@link JWT_ALGORITHMS}. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** True for the shared-secret (HMAC) algorithms. */
export function isHmacAlgorithm(alg: JwtAlgorithm): alg is "HS256" | "HS384" | "HS512" {
  return alg.startsWith("HS");
}

const kidSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, "kid must be 1–128 characters of A–Z a–z 0–9 . _ : -");

const dateSchema = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));

/** A JSON Web Key, as accepted for private keys (`d` present) or published public keys. */
export const jwkSchema = z.looseObject({ kty: z.string().min(1) });

/**
 * One signing key of a JWT configuration. Give exactly one of `secret` (HS*),
 * `privateKey` (RS/PS/ES/EdDSA: PKCS#8 PEM or private JWK) or `ref` (resolved at signing time by
 * the registry's `keyResolver`, so the key material never enters the storage).
 */
export const signingKeyInputSchema = z
  .strictObject({
    /** Key id, sent in the JWT header so receivers can pick the key. */
    kid: kidSchema,
    /** HS* shared secret: at least 32 bytes after decoding with `secretEncoding`. */
    secret: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
    /** How `secret` (a string) is encoded. @default "utf8" */
    secretEncoding: z.enum(["utf8", "base64", "base64url", "hex"]).optional(),
    /** PKCS#8 PEM string or private JWK. */
    privateKey: z.union([z.string(), jwkSchema]).optional(),
    /** Reference resolved by the registry's `keyResolver` (env var name, KMS key id, …). */
    ref: z.string().min(1).max(512).optional(),
    /** When the key was added; the newest active key signs. @default now */
    createdAt: dateSchema.optional(),
    /** After this instant the key neither signs nor should be accepted by receivers. */
    notAfter: dateSchema.optional(),
  })
  .superRefine((key, ctx) => {
    const given = [key.secret, key.privateKey, key.ref].filter((v) => v !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one of secret (HS*), privateKey (PEM or JWK) or ref (keyResolver)",
      });
    }
  });

/** JWT auth: the sender signs a fresh token per attempt (`Authorization: Bearer …`). */
export const jwtAuthInputSchema = z.strictObject({
  type: z.literal("jwt"),
  algorithm: z.enum(JWT_ALGORITHMS),
  /** Signing keys, for rotation: the newest active key signs, older ones stay valid until `notAfter`. */
  keys: z.array(signingKeyInputSchema).min(1, "at least one signing key is required").max(10),
  /** The `iss` claim. */
  issuer: z.string().min(1).max(512),
  /** The `aud` claim. @default the webhook URL */
  audience: z.string().min(1).max(2048).optional(),
  /** Token lifetime in seconds (`exp - iat`). @default 300 */
  expiresInSeconds: z.number().int().min(1).max(3600, "expiresInSeconds is at most 3600 (1 hour)").optional(),
});

/** A Standard Webhooks secret, `whsec_` + base64 of at least 24 bytes. */
export const standardWebhooksSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=]+$/, "must be a Standard Webhooks secret: whsec_ followed by base64");

/** Standard Webhooks signature mode (`webhook-signature: v1,<base64>`). */
export const standardWebhooksAuthInputSchema = z.strictObject({
  type: z.literal("standard-webhooks"),
  /** The current secret (`whsec_…`); it signs. */
  secret: standardWebhooksSecretSchema,
  /** Older secrets still signing during a rotation, until their `notAfter`. */
  previousSecrets: z
    .array(z.strictObject({ secret: standardWebhooksSecretSchema, notAfter: dateSchema }))
    .max(5)
    .optional(),
});

/** No authentication: must be chosen explicitly. */
export const noAuthInputSchema = z.strictObject({ type: z.literal("none") });

/** The `auth` block of a webhook configuration. */
export const authInputSchema = z.discriminatedUnion("type", [
  noAuthInputSchema,
  jwtAuthInputSchema,
  standardWebhooksAuthInputSchema,
]);

/** The `auth` block as written by users. */
export type AuthInput = z.input<typeof authInputSchema>;
/** The `auth` block after validation (dates parsed). */
export type AuthParsed = z.output<typeof authInputSchema>;
/** A signing key as written by users. */
export type SigningKeyInput = z.input<typeof signingKeyInputSchema>;
