import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { TransportError } from "../errors.js";
import { isLoopbackHost, isPrivateAddress } from "../net/is-private-address.js";

const REFUSED = Symbol.for("feedback-webhooks.refused-address");

/** True for a private/loopback/link-local/metadata address or a loopback host name. */
function isForbidden(hostOrIp: string): boolean {
  return isPrivateAddress(hostOrIp) || isLoopbackHost(hostOrIp);
}

function refusal(host: string): TransportError {
  const error = new TransportError(
    "refused_address",
    `Refused to connect to ${host}: it is or resolves to a private, loopback, link-local or metadata address (SSRF guard; set allowPrivateNetworks: true to allow it).`,
  );
  Object.defineProperty(error, REFUSED, { value: true });
  return error;
}

/**
 * Finds the SSRF refusal raised by {@link guardedLookup} inside whatever error the HTTP client
 * wrapped it in.
 *
 * @example
 * ```ts
 * catch (e) { const refused = findRefusal(e); if (refused) throw refused; }
 * ```
 */
export function findRefusal(error: unknown): TransportError | undefined {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    if ((e as { [REFUSED]?: boolean })[REFUSED] === true) return e as TransportError;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Refuses a URL whose host is a forbidden IP literal or loopback name, before any connection.
 * Host names are checked again where they resolve ({@link guardedLookup}, {@link assertResolvesPublic}).
 *
 * @example
 * ```ts
 * assertPublicUrl(new URL("https://169.254.169.254/latest")); // throws TransportError("refused_address")
 * ```
 */
export function assertPublicUrl(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isForbidden(host)) throw refusal(host);
}

/**
 * A `net.connect` lookup hook that drops forbidden addresses from DNS answers, so the socket
 * only ever connects to a public address: DNS rebinding between a check and the connect cannot
 * slip through, because this IS the resolution the socket uses.
 *
 * @example
 * ```ts
 * new Agent({ connect: { lookup: guardedLookup } });
 * ```
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options }, (err, address: string | LookupAddress[], family?: number) => {
    if (err) return callback(err, address, family);
    if (Array.isArray(address)) {
      const allowed = address.filter((a) => !isForbidden(a.address));
      if (allowed.length === 0) return callback(refusal(hostname), []);
      return callback(null, allowed);
    }
    if (isForbidden(address)) return callback(refusal(hostname), "");
    return callback(null, address, family);
  });
};

/** Resolves a host name to its addresses. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/**
 * Resolves with the operating system's resolver (`dns.lookup`, all families).
 *
 * @example
 * ```ts
 * await resolveWithDns("localhost"); // ["127.0.0.1", "::1"]
 * ```
 */
export const resolveWithDns: ResolveHost = async (hostname) => {
  const { lookup } = await import("node:dns/promises");
  return (await lookup(hostname, { all: true })).map((a) => a.address);
};

/**
 * Resolves `url`'s host before a request and refuses it when any address is forbidden. The
 * HTTP client resolves again when it connects, so a DNS server that changes its answer in
 * between (rebinding) is NOT caught here: prefer the undici transport, whose lookup hook closes
 * that gap.
 *
 * @example
 * ```ts
 * await assertResolvesPublic(new URL("https://hooks.example.com"), resolveWithDns);
 * ```
 */
export async function assertResolvesPublic(url: URL, resolve: ResolveHost): Promise<void> {
  assertPublicUrl(url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) return;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (cause) {
    throw new TransportError("network", `Could not resolve ${host}.`, { cause });
  }
  if (addresses.length === 0 || addresses.some(isForbidden)) throw refusal(host);
}
