import type { FailureType } from "./message-failure.js";

const entry = (label: string, type: FailureType) => Object.freeze({ label, type });

/**
 * The known email failure codes (`messageFailure.code`) with their label and type, as documented.
 * Frozen. A received event may carry another code or type: both fields are open strings.
 *
 * @example
 * ```ts
 * EMAIL_FAILURE_CODES["22"] // { label: "Mailbox Full", type: "Soft" }
 * ```
 */
export const EMAIL_FAILURE_CODES = Object.freeze({
  "1": entry("Undetermined", "Ignored"),
  "10": entry("Invalid Recipient", "Hard"),
  "15": entry("Recipient Refused", "Hard"),
  "20": entry("Soft Bounce", "Soft"),
  "21": entry("DNS Failure", "Soft"),
  "22": entry("Mailbox Full", "Soft"),
  "23": entry("Too Large", "Ignored"),
  "24": entry("Timeout", "Ignored"),
  "25": entry("Admin Failure", "Admin"),
  "30": entry("Generic Bounce: NO RCPT", "Ignored"),
  "40": entry("Generic Bounce", "Ignored"),
  "50": entry("Mail Block", "Ignored"),
  "51": entry("Spam Block", "Ignored"),
  "52": entry("Spam Content", "Ignored"),
  "54": entry("Relaying Denied", "Soft"),
  "60": entry("Auto-Reply", "Ignored"),
  "70": entry("Transient Failure", "Ignored"),
  "100": entry("Challenge-Response", "Soft"),
});

/**
 * A documented email failure code: `"1"`, `"10"`, … `"100"`.
 *
 * @example
 * ```ts
 * const code: EmailFailureCode = "25"
 * ```
 */
export type EmailFailureCode = keyof typeof EMAIL_FAILURE_CODES;

/**
 * What a documented email failure code means.
 *
 * @example
 * ```ts
 * const info: FailureDescription = { code: "25", label: "Admin Failure", type: "Admin" }
 * ```
 */
export interface FailureDescription {
  code: EmailFailureCode;
  label: string;
  type: FailureType;
}

/**
 * Looks up a `messageFailure.code` in {@link EMAIL_FAILURE_CODES}; `undefined` for an unknown code.
 * Only own entries count, so `"constructor"` or `"__proto__"` are unknown codes, not crashes.
 *
 * @example
 * ```ts
 * describeFailure("25") // { code: "25", label: "Admin Failure", type: "Admin" }
 * describeFailure("99") // undefined
 * ```
 */
export function describeFailure(code: string): FailureDescription | undefined {
  if (!Object.hasOwn(EMAIL_FAILURE_CODES, code)) return undefined;
  const known = code as EmailFailureCode;
  return { code: known, ...EMAIL_FAILURE_CODES[known] };
}
