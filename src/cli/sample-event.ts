import { randomInt, randomUUID } from "node:crypto";
import {
  type Channel,
  createFeedbackEvent,
  describeFailure,
  type FeedbackEvent,
  type FeedbackEventInput,
  type FeedbackStatus,
  generateRequestId,
} from "../schemas/index.js";

/** Where sample events say they come from. */
export interface SampleSource {
  orgId: string;
  sandbox: { id: string; name: string };
  /** The campaign of every sample; one per run reads like one campaign sending. */
  campaignId: string;
  campaignVersionId: string;
}

const FIRST = ["john", "maria", "kenji", "amara", "lucas", "sofia", "noah", "leila", "tomas", "ines"];
const LAST = ["doe", "garcia", "tanaka", "okafor", "martin", "rossi", "smith", "haddad", "novak", "silva"];
const EMAIL_FAILURES = ["10", "20", "22", "25", "51"] as const;

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)] as T;

function failure(status: FeedbackStatus) {
  const code = status === "error" ? "25" : pick(EMAIL_FAILURES);
  const known = describeFailure(code);
  // Soft bounces arrive later from the receiving mail server; the rest is refused while sending.
  const category = known?.type === "Soft" ? ("async" as const) : ("sync" as const);
  return { category, type: known?.type ?? "Ignored", code, reason: known?.label ?? "Undetermined" };
}

/**
 * A realistic, valid feedback event built with `createFeedbackEvent`: a plausible recipient for
 * the channel, a failure with a documented code on `bounce`/`error`, an exclusion on `exclude`.
 * Events of one API call share `requestId`.
 *
 * @example
 * ```ts
 * const event = sampleEvent("bounce", "email", source, generateRequestId());
 * ```
 */
export function sampleEvent(
  status: FeedbackStatus,
  channel: Channel,
  source: SampleSource,
  requestId = generateRequestId(),
): FeedbackEvent {
  const name = `${pick(FIRST)}.${pick(LAST)}`;
  const identityMap =
    channel === "email"
      ? { email: [{ id: `${name}${randomInt(100)}@example.com`, primary: true }] }
      : { phone: [{ id: `+1415555${String(randomInt(10_000)).padStart(4, "0")}`, primary: true }] };
  const feedback: Record<string, unknown> = {
    feedbackStatus: { value: status },
    retryCount: status === "delay" ? 1 : 0,
  };
  if (status === "bounce" || status === "error") feedback.messageFailure = failure(status);
  if (status === "delay")
    feedback.messageFailure = { category: "async", type: "Soft", code: "22", reason: "Mailbox Full" };
  if (status === "exclude") feedback.messageExclusion = { code: "quarantine", reason: "Recipient is in quarantine" };
  return createFeedbackEvent({
    requestId,
    imsOrg: source.orgId,
    sandbox: source.sandbox,
    channel,
    messageExecution: {
      messageExecutionID: `HUMA-${randomInt(10_000_000, 99_999_999)}`,
      messageType: "transactional",
      campaignID: source.campaignId,
      campaignVersionID: source.campaignVersionId,
    },
    messageDeliveryFeedback: feedback,
    identityMap,
    // The status is known only at run time, so the input cannot be typed per status;
    // createFeedbackEvent validates it (and refuses what the receiver schema would).
  } as unknown as FeedbackEventInput) as FeedbackEvent;
}

/**
 * A fresh sample source for `orgId` / `sandbox`: one campaign and version per run.
 *
 * @example
 * ```ts
 * const source = sampleSource("myImsOrg", "prod");
 * ```
 */
export function sampleSource(orgId: string, sandboxName: string): SampleSource {
  return {
    orgId,
    sandbox: { id: randomUUID(), name: sandboxName },
    campaignId: randomUUID(),
    campaignVersionId: randomUUID(),
  };
}
