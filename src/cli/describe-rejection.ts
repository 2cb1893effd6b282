import type { Problem } from "../receiver/index.js";
import type { Printer } from "./output.js";

/**
 * One line for a request the receiver refused, from its RFC 9457 answer: the status, why, and
 * for an invalid event every problem (the answer never holds the token or a key).
 *
 * @example
 * ```ts
 * await describeRejection(response.clone(), printer); // "401 rejected: The signature does not verify. (signature)"
 * ```
 */
export async function describeRejection(response: Response, printer: Printer): Promise<string> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await response.json()) as Partial<Problem>;
  } catch {
    // Not a problem document (a 404 from a proxy, …): the status alone says enough.
  }
  const reason = problem.reason ? ` (${problem.reason})` : "";
  const issues = (problem.issues ?? []).map((i) => `\n    ${i.path || "(root)"}: ${i.message}`).join("");
  const detail = problem.detail ?? response.statusText;
  return `${printer.paint(["red", "bold"], `${response.status} rejected`)}: ${detail}${reason}${issues}`;
}
