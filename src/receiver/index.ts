export { createReceiver } from "./create-receiver.js";
export { createMemoryDedupeStore, type DedupeStore, type MemoryDedupeStoreOptions } from "./dedupe-store.js";
export {
  type AuthScheme,
  errorToResponse,
  methodNotAllowedResponse,
  type Problem,
  problemResponse,
  statusForError,
} from "./error-to-response.js";
export { readBody } from "./read-body.js";
export type { FeedbackHandler, HandlerContext, Receiver, VerifyInput } from "./receiver.js";
export {
  DEFAULT_DELIVERY_TTL_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  type ReceiverAuth,
  type ReceiverDedupeOptions,
  type ReceiverErrorContext,
  type ReceiverOptions,
} from "./receiver-options.js";
export { assertJsonContentType, type HeadersInput, toHeaders } from "./to-headers.js";
