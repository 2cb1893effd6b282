export { type KyTransportOptions, kyTransport } from "./ky-transport.js";
export { readLimitedBody } from "./read-limited-body.js";
export {
  assertPublicUrl,
  assertResolvesPublic,
  guardedLookup,
  type ResolveHost,
  resolveWithDns,
} from "./ssrf-guard.js";
export { RESPONSE_BODY_LIMIT, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
export { type UndiciTransportOptions, undiciTransport } from "./undici-transport.js";
