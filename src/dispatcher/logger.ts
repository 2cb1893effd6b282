import { redactFields } from "./redact.js";

/** One log method: structured fields first, then a message (pino's order; console accepts it too). */
export type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/**
 * What the dispatcher logs through. pino's logger and `console` both satisfy it. Every call's
 * fields are redacted first (no secrets, tokens or recipients' addresses).
 *
 * @example
 * ```ts
 * createDispatcher({ storage, logger: pino() });
 * createDispatcher({ storage, logger: console });
 * ```
 */
export interface Logger {
  debug?: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/**
 * The default logger: warnings and errors to `console`, nothing else.
 *
 * @example
 * ```ts
 * createDispatcher({ storage, logger: defaultLogger }); // the same as leaving logger out
 * ```
 */
export const defaultLogger: Logger = {
  info: () => undefined,
  warn: (fields, message) => console.warn(message, fields),
  error: (fields, message) => console.error(message, fields),
};

/**
 * Wraps a logger so that every call is redacted and a throwing logger cannot break the worker.
 *
 * @example
 * ```ts
 * const log = safeLogger(console);
 * log.warn({ deliveryId }, "lease lost");
 * ```
 */
export function safeLogger(logger: Logger): Required<Logger> {
  const wrap =
    (method: LogMethod | undefined): LogMethod =>
    (fields, message) => {
      if (method === undefined) return;
      try {
        method.call(logger, redactFields(fields), message);
      } catch {
        // A broken logger must not take deliveries down with it.
      }
    };
  return { debug: wrap(logger.debug), info: wrap(logger.info), warn: wrap(logger.warn), error: wrap(logger.error) };
}
