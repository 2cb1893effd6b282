import type { z } from "zod";
import type { Issue } from "../errors.js";

/** Formats a path such as `["identityMap", "email", 0, "id"]` as `identityMap.email[0].id`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Turns zod issues into our {@link Issue} list, one entry per problem, with a JSON path. */
export function toIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): Issue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}
