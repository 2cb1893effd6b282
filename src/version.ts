/**
 * The package version, sent in `user-agent: feedback-webhooks/<version>`. A test keeps it equal
 * to `package.json`'s version.
 *
 * @example
 * ```ts
 * import { VERSION } from "feedback-webhooks";
 * console.log(`feedback-webhooks ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
