import { isPlainObject } from "./validate-jwt-claims.js";

/** A compact JWS split once, with its protected header parsed: what the Node fast path verifies. */
export interface DecodedJwt {
  /** The parsed protected header: a plain JSON object without `crit`. */
  header: Record<string, unknown>;
  /** The signing input, `<header>.<payload>` as sent. */
  signingInput: string;
  /** The base64url payload segment, decoded only after the signature verifies. */
  payload: string;
  /** The base64url signature segment. */
  signature: string;
}

// Only canonical unpadded base64url. On these strings Buffer's decoder and jose's return the same
// bytes; anything else (padding, whitespace, `+`, `/`, non-ASCII, a segment length of 4n+1) is
// left to jose, so the two never disagree on odd encodings.
const CANONICAL_JWT = /^([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)$/;
const canonicalLength = (segment: string) => segment.length % 4 !== 1;

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Splits a compact JWS and parses its protected header in one pass, the way jose's
 * `decodeProtectedHeader` does (strict UTF-8, `JSON.parse`, plain object only) — or returns
 * `undefined` for anything the Node fast path leaves to jose: not exactly three canonical
 * base64url segments, a header that is not a JSON object, or a `crit` header. jose then decodes the
 * token itself and reports the error, so the caller never needs two decoders' error messages to agree.
 * Node only (it decodes with `Buffer`).
 *
 * @example
 * ```ts
 * const decoded = decodeCompactJwt(token);
 * const header = decoded?.header ?? decodeProtectedHeader(token);
 * ```
 */
export function decodeCompactJwt(token: string): DecodedJwt | undefined {
  const match = CANONICAL_JWT.exec(token);
  if (match === null) return undefined;
  const [, h, p, s] = match as unknown as [string, string, string, string];
  if (!canonicalLength(h) || !canonicalLength(p) || !canonicalLength(s)) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(strictDecoder.decode(Buffer.from(h, "base64url")));
  } catch {
    return undefined;
  }
  if (!isPlainObject(header) || Object.hasOwn(header, "crit")) return undefined;
  return { header, signingInput: token.slice(0, h.length + 1 + p.length), payload: p, signature: s };
}
