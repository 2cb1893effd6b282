/**
 * The claims of a verified feedback token. Our senders set every field; `iat` and `exp` are
 * required of every token, `body_sha256` unless `requireBodyHash: false`. The others are
 * optional in the type because tokens from other senders may omit them.
 *
 * @example
 * ```ts
 * const claims: FeedbackTokenClaims = await verify(token, rawBody);
 * console.log(claims.requestId, claims.jti);
 * ```
 */
export interface FeedbackTokenClaims {
  /** Issuer: the platform that sent the webhook. */
  iss?: string;
  /** Audience: by default the webhook URL. */
  aud?: string | string[];
  /** `<orgId>/<sandbox name>`. */
  sub?: string;
  /** Issued at, Unix seconds. */
  iat: number;
  /** Expiry, Unix seconds. */
  exp: number;
  /** Unique per delivery attempt: use it to refuse a replayed token. */
  jti?: string;
  /** The id of the API call that triggered the message. */
  requestId?: string;
  /** base64url(SHA-256 of the exact body bytes). */
  body_sha256?: string;
  /** Any other claim the sender added. */
  [claim: string]: unknown;
}
