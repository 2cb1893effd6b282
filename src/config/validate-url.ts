import type { Issue } from "../errors.js";
import { isLoopbackHost, isPrivateAddress } from "../net/is-private-address.js";

/** Options that relax the URL rules, each an explicit opt-in. */
export interface UrlRules {
  /** Allow `http:` — only for loopback hosts (development). @default false */
  allowHttp?: boolean;
  /** Allow IP-literal hosts in private, loopback or link-local ranges. @default false */
  allowPrivateNetworks?: boolean;
}

/** Checks a webhook URL and returns every problem found. */
export function validateUrl(raw: string, rules: UrlRules, path = "url"): Issue[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [{ path, message: "must be an absolute URL such as https://hooks.example.com/feedback" }];
  }
  const issues: Issue[] = [];
  if (raw.length > 2048) issues.push({ path, message: "must be at most 2048 characters" });
  if (url.username || url.password) {
    issues.push({ path, message: "must not contain credentials (user:pass@); use custom headers or JWT auth" });
  }
  if (url.hash) issues.push({ path, message: "must not contain a #fragment" });
  const host = url.hostname;
  if (url.protocol === "http:") {
    if (!rules.allowHttp) {
      issues.push({ path, message: "must use https:; http: needs allowHttp: true and a loopback host (development only)" });
    } else if (!isLoopbackHost(host)) {
      issues.push({ path, message: "http: is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https:" });
    }
  } else if (url.protocol !== "https:") {
    issues.push({ path, message: `must use https:, not ${url.protocol}` });
  } else if (!rules.allowPrivateNetworks && (isPrivateAddress(host) || isLoopbackHost(host))) {
    issues.push({
      path,
      message: `host ${host} is a private, loopback or link-local address; refused to prevent SSRF (set allowPrivateNetworks to allow it)`,
    });
  }
  return issues;
}
