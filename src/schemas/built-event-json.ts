// What `createFeedbackEvent` validated, by the event it returned. Weak: forgotten with the event.
const builtJson = new WeakMap<object, string>();

/**
 * Records the JSON text of an event `createFeedbackEvent` just built and validated.
 *
 * @example
 * ```ts
 * rememberBuiltEvent(event, JSON.stringify(event));
 * ```
 */
export function rememberBuiltEvent(event: object, json: string): void {
  builtJson.set(event, json);
}

/**
 * The JSON text of `value` when `createFeedbackEvent` built it and it still serializes to exactly
 * the text that was validated then; otherwise (any other value, or a built event changed since in
 * a way its JSON shows) `undefined`, and the caller must validate `value` itself. Built events
 * stay mutable, so the text is compared, not trusted: what is sent is always validated text.
 *
 * @example
 * ```ts
 * const json = unchangedBuiltJson(input);
 * const event = json === undefined ? createFeedbackEvent(input) : JSON.parse(json);
 * ```
 */
export function unchangedBuiltJson(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const json = builtJson.get(value);
  if (json === undefined) return undefined;
  let now: string;
  try {
    now = JSON.stringify(value);
  } catch {
    // Changed into something JSON cannot hold (a cycle, a BigInt): validation will say what.
    return undefined;
  }
  return now === json ? json : undefined;
}
