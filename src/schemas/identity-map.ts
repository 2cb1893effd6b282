import { z } from "zod";
import type { Channel } from "./channel.js";

/**
 * A list with at least one element.
 *
 * @example
 * ```ts
 * const ids: NonEmptyArray<Identity> = [{ id: "john.doe@luma.com", primary: true }]
 * ids[0].id // no `| undefined`, even with noUncheckedIndexedAccess
 * ```
 */
export type NonEmptyArray<T> = [T, ...T[]];

/**
 * The XDM values of `authenticatedState`: what senders may use (receivers accept any string).
 *
 * @example
 * ```ts
 * AUTHENTICATED_STATES.includes("loggedOut") // true
 * ```
 */
export const AUTHENTICATED_STATES = ["ambiguous", "authenticated", "loggedOut"] as const;

/**
 * How sure the platform is of an identity: one of {@link AUTHENTICATED_STATES}.
 *
 * @example
 * ```ts
 * const state: AuthenticatedState = "authenticated"
 * ```
 */
export type AuthenticatedState = (typeof AUTHENTICATED_STATES)[number];

/**
 * One identity of the recipient in a namespace, e.g. an email address in `email`.
 *
 * @example
 * ```ts
 * const identity: Identity = { id: "+14155550123", primary: true }
 * ```
 */
export interface Identity {
  /** The identity value: an email address, an E.164 phone number, an ECID, … */
  id: string;
  /** Marks the identity the message was sent to. */
  primary?: boolean;
  /** Open: newer platform values must not break receivers. */
  authenticatedState?: AuthenticatedState | (string & {});
}

/**
 * Identities of the recipient by namespace (`email`, `phone`, `ecid`, …); every list is non-empty.
 *
 * @example
 * ```ts
 * const map: IdentityMap = { email: [{ id: "john.doe@luma.com", primary: true }] }
 * const ecid = map.ecid?.[0].id // other namespaces may be absent
 * ```
 */
export type IdentityMap = { [namespace: string]: NonEmptyArray<Identity> };

/**
 * The identity namespace each channel's events always carry: `email` → `email`, `sms` → `phone`.
 *
 * @example
 * ```ts
 * IDENTITY_NAMESPACES.sms // "phone"
 * ```
 */
export const IDENTITY_NAMESPACES = Object.freeze({ email: "email", sms: "phone" } as const);

/**
 * The identity map of an event of channel `C`: the channel's namespace is present
 * (distributed over `C`, so `ChannelIdentityMap<Channel>` is one or the other, not both).
 *
 * @example
 * ```ts
 * declare const map: ChannelIdentityMap<"sms">
 * map.phone[0].id // "+14155550123"
 * ```
 */
export type ChannelIdentityMap<C extends Channel> = C extends Channel
  ? IdentityMap & { [N in (typeof IDENTITY_NAMESPACES)[C]]: NonEmptyArray<Identity> }
  : never;

/**
 * One identity as received: extra fields are kept, the id only needs to be non-empty (senders
 * are the ones held to email / E.164 syntax).
 *
 * @example
 * ```ts
 * identitySchema.parse({ id: "john.doe@luma.com", primary: true })
 * ```
 */
export const identitySchema = z.looseObject({
  id: z.string().min(1, "must not be empty"),
  primary: z.boolean().optional(),
  authenticatedState: z.string().optional(),
});

function identityListSchema(missing = "is required") {
  return (
    z
      .array(identitySchema, { error: (issue) => (issue.input === undefined ? missing : undefined) })
      .min(1, { message: "must list at least one identity", abort: true })
      // zod 4 types `.min(1)` arrays as `T[]`; after it this always holds and only narrows the type.
      .refine((list): list is NonEmptyArray<z.output<typeof identitySchema>> => list.length > 0)
  );
}

/**
 * Any identity map: namespaces to non-empty identity lists (used when the channel is invalid).
 *
 * @example
 * ```ts
 * identityMapSchema.parse({ ecid: [{ id: "27053245837498238442340938572048204924" }] })
 * ```
 */
export const identityMapSchema = z.record(z.string(), identityListSchema());

const REQUIRED_IDENTITY = {
  email: 'is required: email events carry an "email" identity',
  sms: 'is required: sms events carry a "phone" identity',
};

/**
 * The receiving side's identity map of each channel: the channel's namespace is required, every
 * other namespace is checked as an identity list too.
 *
 * @example
 * ```ts
 * channelIdentityMapSchemas.sms.parse({ phone: [{ id: "+14155550123" }] })
 * ```
 */
export const channelIdentityMapSchemas = {
  email: z.object({ email: identityListSchema(REQUIRED_IDENTITY.email) }).catchall(identityListSchema()),
  sms: z.object({ phone: identityListSchema(REQUIRED_IDENTITY.sms) }).catchall(identityListSchema()),
};
