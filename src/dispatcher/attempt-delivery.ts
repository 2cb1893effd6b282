import type { WebhookConfig } from "../config/webhook-config.js";
import { isWebhookError } from "../errors.js";
import type { AttemptRecord, ClaimedDelivery } from "../storage/storage.js";
import type { TransportResponse } from "../transport/transport.js";
import type { AttemptContext } from "./attempt-context.js";
import { deliveryHeaders } from "./delivery-headers.js";
import { type DeadReason, summarize } from "./hooks.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { redactText } from "./redact.js";
import { nextRetry } from "./retry-policy.js";
import type { SettleFn } from "./settle-batcher.js";

type Sent = { response: TransportResponse } | { error: unknown; aborted: boolean; signing?: boolean };

function channelOf(body: string): string | undefined {
  const channel = (JSON.parse(body) as { channel?: unknown }).channel;
  return typeof channel === "string" ? channel : undefined;
}

/** Why a claimed delivery must not be sent with the configuration as it is now, if anything. */
function refusal(config: WebhookConfig | undefined, body: string): DeadReason | undefined {
  if (config === undefined) return "no_config";
  if (!config.enabled) return "disabled";
  const channel = channelOf(body);
  return config.channels.some((c) => c === channel) ? undefined : "channel_not_subscribed";
}

async function send(
  ctx: AttemptContext,
  config: WebhookConfig,
  d: ClaimedDelivery,
  attempt: number,
  signal: AbortSignal,
): Promise<Sent> {
  const timestamp = Math.floor(ctx.options.clock.now() / 1000);
  let auth: Record<string, string>;
  try {
    auth = await ctx.signers.get(config).sign({ body: d.body, deliveryId: d.id, timestamp, requestId: d.requestId });
  } catch (error) {
    return { error, aborted: false, signing: true };
  }
  const headers = deliveryHeaders({ custom: config.headers, deliveryId: d.id, timestamp, attempt, auth });
  try {
    const response = await ctx.transport.send({
      url: config.url,
      headers,
      body: d.body,
      timeoutMs: ctx.options.timeoutMs,
      signal,
    });
    return { response };
  } catch (error) {
    return { error, aborted: signal.aborted };
  }
}

function describeError(error: unknown): string {
  if (isWebhookError(error)) return redactText(error.message);
  return redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

function toAttempt(ctx: AttemptContext, n: number, startedAt: Date, durationMs: number, sent: Sent): AttemptRecord {
  const record: AttemptRecord = { attempt: n, startedAt, durationMs };
  if ("response" in sent) {
    const { status, body } = sent.response;
    record.statusCode = status;
    if (status < 200 || status >= 300) {
      record.error = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
    }
    if (ctx.options.keepResponseBodies) record.responseBody = body;
  } else {
    record.error = sent.signing ? `signing failed: ${describeError(sent.error)}` : describeError(sent.error);
  }
  return record;
}

/** Settles a delivery as dead without an attempt, and tells the hooks. */
async function die(ctx: AttemptContext, d: ClaimedDelivery, reason: DeadReason, settle: SettleFn): Promise<void> {
  if (await settle(d.id, d.claimToken, { next: { status: "dead", reason } })) {
    ctx.emit("onDead", { delivery: summarize(d), reason });
  }
}

/**
 * Makes one attempt of a claimed delivery with the configuration as its claim found it, or newer
 * (URL, auth, headers, channels, enabled): an edit committed before the claim applies, one
 * committed while the attempt runs applies from the next attempt. Then settles it: delivered,
 * retry (schedule, jitter, `Retry-After`), held (410 Gone, long outage: the webhook is suspended)
 * or dead. Storage
 * failures reject; the worker reports them and the lease expiry retries the delivery. `settle`
 * records the outcome (the worker's group commit); it resolves only once the outcome is committed,
 * so every hook below reports a durable result.
 *
 * @example
 * ```ts
 * await attemptDelivery(ctx, claimed, controller.signal, batcher.settle);
 * ```
 */
export async function attemptDelivery(
  ctx: AttemptContext,
  d: ClaimedDelivery,
  signal: AbortSignal,
  settle: SettleFn,
): Promise<void> {
  const { options: o, log } = ctx;
  const startedMs = o.clock.now();
  const ageMs = startedMs - d.roundStartedAt.getTime();
  if (ageMs >= o.retry.maxAgeMs) return die(ctx, d, "max_age", settle);
  const config = await ctx.configs.get(d.configId, d.configVersion);
  const refused = refusal(config, d.body);
  if (refused !== undefined || config === undefined) return die(ctx, d, refused ?? "no_config", settle);

  const n = d.attempts + 1;
  const started = performance.now();
  const sent = await send(ctx, config, d, n, signal);
  const attempt = toAttempt(ctx, n, new Date(startedMs), Math.round(performance.now() - started), sent);
  const delivery = { ...summarize(d), attempts: n };
  const status = "response" in sent ? sent.response.status : undefined;
  const ok = status !== undefined && status >= 200 && status < 300;
  if (!("aborted" in sent && sent.aborted)) ctx.window.record(d.configId, ok, attempt.durationMs);

  if (ok) {
    const settled = await settle(d.id, d.claimToken, { attempt, next: { status: "delivered" } });
    await ctx.breaker.recordSuccess(d.configId);
    if (!settled) return log.warn({ deliveryId: d.id }, "feedback-webhooks: lease lost before recording a delivery");
    ctx.emit("onAttempt", { delivery, attempt });
    return ctx.emit("onDelivered", { delivery, attempt });
  }
  if (status === 410 || ("aborted" in sent && sent.aborted)) {
    // Gone: the webhook is disabled and the delivery held. Aborted: the worker is stopping.
    if (status === 410) {
      await ctx.breaker.suspend(d.configId, "gone");
      ctx.emit("onWebhookDisabled", { configId: d.configId, reason: "gone" });
    }
    await settle(d.id, d.claimToken, { attempt, next: { status: "pending", retryInMs: 0 } });
    return ctx.emit("onAttempt", { delivery, attempt });
  }

  if ("signing" in sent) {
    ctx.emit("onError", { error: sent.error, operation: "sign", deliveryId: d.id });
  } else {
    const verdict = await ctx.breaker.recordFailure(d.configId);
    if (verdict.pausedUntil) {
      const { pausedUntil, consecutiveFailures } = verdict;
      ctx.emit("onEndpointPaused", { configId: d.configId, pausedUntil, consecutiveFailures });
    }
    if (verdict.outage) {
      await ctx.breaker.suspend(d.configId, "outage");
      ctx.emit("onWebhookDisabled", { configId: d.configId, reason: "outage" });
    }
  }
  const retryAfterMs =
    "response" in sent ? parseRetryAfter(sent.response.headers["retry-after"], o.clock.now()) : undefined;
  const next = nextRetry(o.retry, { failedAttempt: n - d.roundAttemptBase, ageMs, retryAfterMs, random: ctx.random });
  const outcome =
    "giveUp" in next
      ? { status: "dead" as const, reason: next.giveUp }
      : { status: "pending" as const, retryInMs: next.retryInMs };
  if (!(await settle(d.id, d.claimToken, { attempt, next: outcome }))) {
    return log.warn({ deliveryId: d.id }, "feedback-webhooks: lease lost before recording a failed attempt");
  }
  ctx.emit("onAttempt", { delivery, attempt });
  if (outcome.status === "dead") ctx.emit("onDead", { delivery, reason: outcome.reason, attempt });
  else ctx.emit("onRetryScheduled", { delivery, attempt, retryInMs: outcome.retryInMs });
}
