import { isIP } from "node:net";

// Ranges a webhook must not reach without an explicit opt-in: loopback, private (RFC 1918,
// RFC 4193), link-local (incl. cloud metadata 169.254.169.254), CGNAT, "this network",
// multicast, reserved and the IPv4-mapped forms of all of them.
const V4_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 CGNAT
  [0x7f000000, 8], // 127/8
  [0xa9fe0000, 16], // 169.254/16 link-local, metadata
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved + broadcast
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function isPrivateV4(ip: string): boolean {
  const n = v4ToInt(ip);
  return V4_BLOCKS.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return ((n & mask) >>> 0) === base;
  });
}

function expandV6(ip: string): number[] | undefined {
  let s = ip.toLowerCase();
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  const last = s.slice(lastColon + 1);
  if (last.includes(".")) {
    const n = v4ToInt(last);
    tail = [n >>> 16, n & 0xffff];
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = s.split("::") as [string, string | undefined];
  const h = head === "" ? [] : head.split(":").map((x) => Number.parseInt(x, 16));
  const r = rest === undefined || rest === "" ? [] : rest.split(":").map((x) => Number.parseInt(x, 16));
  const fill = rest === undefined ? [] : new Array(8 - h.length - r.length).fill(0);
  const groups = [...h, ...fill, ...r];
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups.length === 8 ? groups : undefined;
}

function isPrivateV6(ip: string): boolean {
  const g = expandV6(ip);
  if (!g) return true; // unparseable: refuse rather than guess
  const [a = 0] = g;
  if (g.every((x) => x === 0)) return true; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    const v4 = `${g[6]! >>> 8}.${g[6]! & 0xff}.${g[7]! >>> 8}.${g[7]! & 0xff}`;
    return isPrivateV4(v4);
  }
  if ((a & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((a & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((a & 0xff00) === 0xff00) return true; // multicast
  if (a === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (a === 0x0064 && g[1] === 0xff9b) return true; // NAT64 can reach private v4
  return false;
}

/**
 * True when `ip` (an IPv4 or IPv6 literal) is loopback, private, link-local, a cloud metadata
 * address or otherwise not a public unicast address. Non-IP input returns `false`.
 *
 * @example
 * ```ts
 * isPrivateAddress("169.254.169.254"); // true
 * isPrivateAddress("93.184.216.34");   // false
 * ```
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = isIP(bare.split("%")[0] ?? "");
  if (family === 4) return isPrivateV4(bare);
  if (family === 6) return isPrivateV6(bare);
  return false;
}

/** True when `host` names the local machine: `localhost`, `*.localhost`, 127/8 or `::1`. */
export function isLoopbackHost(host: string): boolean {
  // A trailing dot ("localhost.") is the same name, fully qualified.
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) {
    const g = expandV6(h);
    return !!g && g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
  }
  return false;
}
