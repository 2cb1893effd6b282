import { z } from "zod";

/** The channels a feedback event can come from. */
export const CHANNELS = ["email", "sms"] as const;

/** `email` or `sms`. */
export const channelSchema = z.enum(CHANNELS);

/** A messaging channel: `email` or `sms`. */
export type Channel = z.infer<typeof channelSchema>;
