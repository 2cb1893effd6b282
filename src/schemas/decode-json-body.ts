import { PayloadParseError } from "../errors.js";

// One decoder is enough: without `stream` it keeps no state between calls.
const utf8 = new TextDecoder("utf-8", { fatal: true });

function asBytes(input: unknown): Uint8Array | undefined {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // toString tag instead of instanceof: an ArrayBuffer from another realm (worker, vm) counts too.
  if (Object.prototype.toString.call(input) === "[object ArrayBuffer]") return new Uint8Array(input as ArrayBuffer);
  return undefined;
}

function syntaxHint(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/unexpected end/i.test(message)) return "it ends too early";
  // Engines quote a slice of the body after the first comma; keep only the part before it.
  const hint = (message.split(/,\s*(?:\.\.\.)?"/)[0] ?? "")
    .replace(/ in JSON/, "")
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return hint === "" ? "syntax error" : hint.slice(0, 100);
}

// Walks with its own stack: a reviver (or recursion) would overflow on deeply nested bodies.
function dropProtoKeys(root: unknown): unknown {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    if (Object.hasOwn(value, "__proto__")) delete (value as Record<string, unknown>).__proto__;
    for (const child of Object.values(value)) if (typeof child === "object" && child !== null) stack.push(child);
  }
  return root;
}

function parseJsonText(text: string): unknown {
  // A leading byte order mark is legal in a UTF-8 body but not in JSON.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.trim() === "") throw new PayloadParseError("Body is empty; expected a JSON object.");
  try {
    // JSON.parse makes "__proto__" an own key, harmless until a handler spreads or merges the
    // event (`Object.assign(target, event.offers)` sets target's prototype). Drop such keys at
    // every depth, free-form fields included, when the text could spell the key: literally or
    // through a \u escape (the walk costs time, so plain bodies skip it).
    const value: unknown = JSON.parse(json);
    return json.includes("__proto__") || json.includes("\\u") ? dropProtoKeys(value) : value;
  } catch (cause) {
    if (cause instanceof RangeError) throw new PayloadParseError("Body is nested too deeply to parse.", { cause });
    throw new PayloadParseError(`Body is not valid JSON: ${syntaxHint(cause)}.`, { cause });
  }
}

/**
 * Turns a request body into a JSON value: a string or UTF-8 bytes (`Uint8Array`, `Buffer`,
 * `ArrayBuffer`, any `ArrayBufferView`) are decoded and parsed; anything else is returned as is
 * (an already parsed body). Messages never quote the body, at most a position.
 *
 * @throws {PayloadParseError} invalid UTF-8, an empty body, or invalid JSON.
 * @example
 * ```ts
 * decodeJsonBody(new TextEncoder().encode('{"a":1}')) // { a: 1 }
 * decodeJsonBody("{oops")                              // throws PayloadParseError
 * ```
 */
export function decodeJsonBody(input: unknown): unknown {
  if (typeof input === "string") return parseJsonText(input);
  const bytes = asBytes(input);
  if (bytes === undefined) return input;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new PayloadParseError("Body is not valid UTF-8.", { cause });
  }
  return parseJsonText(text);
}
