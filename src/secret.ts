const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Wraps a secret (shared secret, private key, encryption key) so that it never leaks
 * through `JSON.stringify`, `util.inspect`, `console.log` or string interpolation.
 * Read it explicitly with {@link Secret.reveal}.
 *
 * @example
 * ```ts
 * const s = new Secret("hunter2-hunter2-hunter2-hunter2-x");
 * JSON.stringify({ s }); // '{"s":"[REDACTED]"}'
 * s.reveal();            // the value
 * ```
 */
export class Secret<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  /** The secret value itself. Call it only where the value is used, never to log it. */
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return "[REDACTED]";
  }
  toString(): string {
    return "[REDACTED]";
  }
  [INSPECT](): string {
    return "Secret([REDACTED])";
  }
}

/** True when `value` is a {@link Secret} (also across duplicated package copies). */
export function isSecret(value: unknown): value is Secret<unknown> {
  return (
    value instanceof Secret ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as { reveal?: unknown }).reveal === "function" &&
      (value as { toJSON?: () => unknown }).toJSON?.() === "[REDACTED]")
  );
}
