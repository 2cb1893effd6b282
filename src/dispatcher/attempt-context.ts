import type { Storage } from "../storage/storage.js";
import type { Transport } from "../transport/transport.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import type { ConfigCache } from "./config-cache.js";
import type { EmitHook } from "./hooks.js";
import type { Logger } from "./logger.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { ResolvedDispatcherOptions } from "./resolve-dispatcher-options.js";
import type { SignerCache } from "./signer-cache.js";
import type { AttemptWindow } from "./stats.js";

/** Everything an attempt needs, built once by `createDispatcher` and shared by the worker. */
export interface AttemptContext {
  storage: Storage;
  /** The configurations attempts are sent with, reused while claims report the same version. */
  configs: ConfigCache;
  transport: Transport;
  signers: SignerCache;
  breaker: CircuitBreaker;
  limiter: RateLimiter;
  window: AttemptWindow;
  options: Readonly<ResolvedDispatcherOptions>;
  emit: EmitHook;
  log: Required<Logger>;
  /** Source of jitter; injectable for deterministic tests. */
  random: () => number;
}
