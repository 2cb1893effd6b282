import { z } from "zod";
import { channelSchema } from "../schemas/channel.js";
import { authInputSchema } from "./auth-config-schema.js";

/** The org + sandbox a configuration belongs to. */
export const sandboxSchema = z.strictObject({
  id: z.string().trim().min(1, "sandbox.id is required").max(128),
  name: z.string().trim().min(1, "sandbox.name is required").max(128),
});

// Without defaults, so that a patch leaves absent fields alone.
const changeableFields = {
  /** Display name, 1–128 characters, trimmed. */
  name: z.string().trim().min(1, "name must not be empty").max(128, "name is at most 128 characters"),
  /** Channels this webhook receives feedback for: a non-empty set of `email`, `sms`. */
  channels: z
    .array(channelSchema)
    .min(1, "choose at least one channel: email, sms")
    .refine((c) => new Set(c).size === c.length, "channels must not repeat"),
  /** Absolute `https:` URL the events are POSTed to. */
  url: z.string().trim().min(1, "url is required"),
  /** `{ type: "none" }`, `{ type: "jwt", … }` or `{ type: "standard-webhooks", … }`. */
  auth: authInputSchema,
  /** Custom headers sent on every request. @default {} */
  headers: z.record(z.string(), z.string()),
  /** Switch the webhook off without deleting it. @default true */
  enabled: z.boolean(),
  /** Development opt-in: allow an `http:` URL on a loopback host. @default false */
  allowHttp: z.boolean(),
};

/** What `registry.update()` accepts: any subset of the changeable fields. */
export const webhookConfigPatchSchema = z.strictObject(changeableFields).partial();

/** What `registry.create()` accepts. */
export const webhookConfigSchema = z.strictObject({
  /** Organization id (the platform's IMS org). */
  orgId: z.string().trim().min(1, "orgId is required").max(256),
  sandbox: sandboxSchema,
  ...changeableFields,
  headers: changeableFields.headers.default({}),
  enabled: changeableFields.enabled.default(true),
  allowHttp: changeableFields.allowHttp.default(false),
});

/** Input of `registry.create()`. */
export type WebhookConfigInput = z.input<typeof webhookConfigSchema>;
/** Input of `registry.update()`: any subset of the changeable fields. */
export type WebhookConfigPatch = z.input<typeof webhookConfigPatchSchema>;
