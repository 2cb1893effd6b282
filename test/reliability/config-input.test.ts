import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../src/auth/index.js";
import { createRegistry, type WebhookRegistry } from "../../src/config/create-registry.js";
import type { WebhookConfigInput } from "../../src/config/webhook-config-schema.js";
import { isWebhookError } from "../../src/errors.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { recordFigures } from "./helpers/figures.js";
import { RUNS, TIMEOUT } from "./helpers/hostile.js";

const VALID: WebhookConfigInput = {
  orgId: "hostileOrg",
  sandbox: { id: "1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", name: "prod" },
  name: "Feedback",
  channels: ["email"],
  url: "https://hooks.example.com/feedback",
  auth: { type: "none" },
  headers: {},
};

let storage: Storage;
let registry: WebhookRegistry;
let existing: { id: string; version: number };
let refusals = 0;

beforeAll(async () => {
  storage = memoryStorage();
  registry = createRegistry({ storage });
  existing = await registry.create({ ...VALID, orgId: "existingOrg" });
});

afterAll(() => {
  recordFigures({
    scenario: "hostile configuration input",
    sent: refusals,
    delivered: 0,
    dead: 0,
    duplicated: 0,
    lost: 0,
    notes: "every input refused by create and update with ConfigValidationError; nothing stored or changed",
  });
});

/**
 * `input` is refused by `create` (and, as a patch, by `update` of an existing configuration) with
 * one `ConfigValidationError` whose issues name `path`, whose messages never repeat `secret`, and
 * nothing is stored or changed.
 */
async function expectRefused(
  input: WebhookConfigInput,
  path: string | RegExp,
  secret?: string,
  options: { patchable?: boolean } = {},
): Promise<void> {
  refusals += 1;
  const before = JSON.stringify(await storage.listConfigs({ limit: 100 }));
  const created = await registry.create(input).catch((e: unknown) => e);
  expect(isWebhookError(created, "ERR_CONFIG_INVALID"), `create accepted ${JSON.stringify(input).slice(0, 300)}`).toBe(
    true,
  );
  const issues = (created as { issues: Array<{ path: string; message: string }> }).issues;
  expect(
    issues.some((i) => (typeof path === "string" ? i.path.startsWith(path) : path.test(i.path))),
    JSON.stringify(issues),
  ).toBe(true);
  for (const issue of issues) expect(issue.message.length).toBeGreaterThan(10);
  if (secret !== undefined && secret.length >= 6) {
    expect((created as Error).message).not.toContain(secret);
    expect(JSON.stringify(issues)).not.toContain(secret);
  }
  if (options.patchable !== false) {
    const { orgId: _o, sandbox: _s, ...patch } = input;
    const updated = await registry
      .update(existing.id, patch, { expectedVersion: existing.version })
      .catch((e: unknown) => e);
    expect(isWebhookError(updated, "ERR_CONFIG_INVALID"), "update accepted it").toBe(true);
  }
  expect(JSON.stringify(await storage.listConfigs({ limit: 100 })), "something was written").toBe(before);
}

const withHeaders = (headers: Record<string, string>, auth: WebhookConfigInput["auth"] = { type: "none" }) => ({
  ...VALID,
  headers,
  auth,
});
const hmacAuth = (secret: string, secretEncoding?: "utf8" | "base64" | "hex"): WebhookConfigInput["auth"] =>
  ({
    type: "jwt",
    algorithm: "HS256",
    issuer: "https://platform.example.com",
    keys: [{ kid: "k1", secret, ...(secretEncoding && { secretEncoding }) }],
  }) as const;
const keyAuth = (algorithm: "RS256" | "ES256" | "EdDSA", privateKey: unknown) =>
  ({
    type: "jwt",
    algorithm,
    issuer: "https://platform.example.com",
    keys: [{ kid: "k1", privateKey }],
  }) as unknown as WebhookConfigInput["auth"];

describe("hostile configuration input: each refused with a clear error, nothing stored", {
  timeout: TIMEOUT(60_000),
}, () => {
  it("header injection: CR, LF or NUL anywhere in a custom header's name or value (property-based)", async () => {
    const evil = fc.constantFrom("\r", "\n", "\0", "\r\n", "\r\nX-Injected: 1");
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        evil,
        fc.boolean(),
        async (a, b, bad, inName) => {
          const name = inName ? `X-${a}${bad}${b}` : `X-Custom`;
          const value = inName ? "v" : `${a}${bad}${b}`;
          await expectRefused(withHeaders({ [name]: value }), "headers");
        },
      ),
      { numRuns: RUNS(300) },
    );
  });

  it("reserved headers in any letter case: framing, host, the SDK's webhook-* and user-agent, authorization under JWT", async () => {
    const reserved = [
      "content-type",
      "content-length",
      "host",
      "transfer-encoding",
      "connection",
      "keep-alive",
      "upgrade",
      "te",
      "trailer",
      "expect",
      "proxy-authorization",
      "user-agent",
      "webhook-id",
      "webhook-timestamp",
      "webhook-attempt",
      "webhook-signature",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reserved).chain((n) => fc.mixedCase(fc.constant(n))),
        async (name) => {
          await expectRefused(withHeaders({ [name]: "x" }), `headers.${name}`);
        },
      ),
      { numRuns: RUNS(200) },
    );
    const jwt = {
      type: "jwt",
      algorithm: "HS256",
      issuer: "https://platform.example.com",
      keys: [generateSigningKey("HS256").configKey],
    } as const;
    await expectRefused(
      withHeaders({ Authorization: "Bearer x" }, { ...jwt, keys: [...jwt.keys] }),
      "headers.Authorization",
    );
    await expectRefused(withHeaders({ "X-A": "1", "x-a": "2" }), "headers");
  });

  it("URLs that are not HTTPS, or carry credentials (never echoed back)", async () => {
    for (const url of [
      "http://hooks.example.com/feedback",
      "ftp://hooks.example.com/feedback",
      "file:///etc/passwd",
      "ws://hooks.example.com/feedback",
      "wss://hooks.example.com/feedback",
      "javascript:alert(1)",
      "data:text/plain,hi",
      "gopher://hooks.example.com:70/_x",
      "//hooks.example.com/feedback",
      "hooks.example.com/feedback",
      "https://hooks.example.com/feedback#frag",
      `https://hooks.example.com/${"a".repeat(2100)}`,
    ]) {
      await expectRefused({ ...VALID, url }, "url");
    }
    // http: is a development opt-in for loopback hosts only.
    await expectRefused({ ...VALID, url: "http://hooks.example.com/feedback", allowHttp: true }, "url");
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z0-9]{1,12}$/),
        fc.stringMatching(/^[A-Za-z0-9!$&'()*+,;=%-]{6,20}$/),
        fc.constantFrom("user:PASS", ":PASS", "user:PASS@x", "user"),
        async (user, password, shape) => {
          const userinfo = shape.replace("user", user).replace("PASS", password);
          fc.pre(URL.canParse(`https://${userinfo}@hooks.example.com/feedback`));
          await expectRefused(
            { ...VALID, url: `https://${userinfo}@hooks.example.com/feedback` },
            "url",
            shape.includes("PASS") ? password : undefined,
          );
        },
      ),
      { numRuns: RUNS(200) },
    );
  });

  it("private-network targets in every spelling: RFC 1918, loopback, link-local/metadata, CGNAT, IPv6 and IPv4-mapped (property-based)", async () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const v4 = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => `172.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `127.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => `100.${b}.${c}.${d}`),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `0.${b}.${c}.${d}`),
    );
    const host = fc.oneof(
      v4,
      v4.map((ip) => `[::ffff:${ip}]`),
      // The same address as one decimal or hex number: the URL parser normalizes it.
      v4.map((ip) => String(ip.split(".").reduce((n, o) => n * 256 + Number(o), 0))),
      v4.map(
        (ip) =>
          `0x${ip
            .split(".")
            .reduce((n, o) => n * 256 + Number(o), 0)
            .toString(16)}`,
      ),
      fc.constantFrom(
        "[::1]",
        "[0:0:0:0:0:0:0:1]",
        "[fd00:ec2::254]",
        "[fe80::1]",
        "[fc00::1]",
        "0177.0.0.1",
        "127.1",
        "localhost",
        "LOCALHOST",
        "api.localhost",
        "169.254.169.254",
      ),
    );
    await fc.assert(
      fc.asyncProperty(host, fc.constantFrom("", ":8443"), async (h, port) => {
        await expectRefused({ ...VALID, url: `https://${h}${port}/feedback` }, "url");
      }),
      { numRuns: RUNS(500) },
    );
  });

  it("loopback names with a trailing dot (localhost., api.localhost.) are refused like localhost", async () => {
    for (const host of ["localhost.", "api.localhost.", "LOCALHOST."]) {
      await expectRefused({ ...VALID, url: `https://${host}/feedback` }, "url");
    }
  });

  it("oversized names: a configuration name over 128 characters, or a blank one", async () => {
    for (const name of ["x".repeat(129), "  ", "", `${"é".repeat(129)}`])
      await expectRefused({ ...VALID, name }, "name");
    // The key fields are not patchable: create only.
    await expectRefused({ ...VALID, orgId: "o".repeat(257) }, "orgId", undefined, { patchable: false });
    await expectRefused({ ...VALID, sandbox: { id: "x", name: "s".repeat(129) } }, "sandbox.name", undefined, {
      patchable: false,
    });
  });

  it("custom headers that no Node receiver would accept (431 above 16 KiB) are refused: a 20,000-character name, or 32 values of 8 KiB", async () => {
    await expectRefused(withHeaders({ [`X-${"a".repeat(20_000)}`]: "1" }), "headers");
    const wide = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`X-H${i}`, "v".repeat(8192)]));
    await expectRefused(withHeaders(wide), "headers");
  });

  it("too many headers: 33 refused, with the count", async () => {
    const headers = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`X-H${i}`, "1"]));
    await expectRefused(withHeaders(headers), "headers");
    const ok = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`X-H${i}`, "1"]));
    const created = await registry.create({ ...withHeaders(ok), orgId: "thirtyTwo" });
    expect(Object.keys(created.headers)).toHaveLength(32);
    await registry.delete(created.id);
  });

  it("invalid channels", async () => {
    for (const channels of [[], ["fax"], ["email", "email"], ["EMAIL"], "email", [null], ["sms", "push"]]) {
      await expectRefused({ ...VALID, channels } as unknown as WebhookConfigInput, "channels");
    }
  });

  it("weak secrets: HMAC keys under 32 bytes in any encoding, short whsec_ secrets (never echoed)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 31 }),
        fc.constantFrom("utf8" as const, "base64" as const, "hex" as const),
        async (bytes, encoding) => {
          const secret =
            encoding === "utf8"
              ? Buffer.from(bytes)
                  .toString("latin1")
                  .replace(/[^\x20-\x7e]/g, "a")
              : Buffer.from(bytes).toString(encoding);
          await expectRefused({ ...VALID, auth: hmacAuth(secret, encoding) }, "auth", secret);
        },
      ),
      { numRuns: RUNS(200) },
    );
    for (const bytes of [0, 1, 16, 23]) {
      const secret = `whsec_${Buffer.alloc(bytes, 7).toString("base64")}`;
      await expectRefused(
        { ...VALID, auth: { type: "standard-webhooks", secret } },
        "auth",
        secret.length > 10 ? secret : undefined,
      );
    }
  });

  it("malformed PEM and JWK private keys: mutated, truncated, public, PKCS#1, encrypted, wrong curve or type, too short (never echoed)", async () => {
    const es = generateSigningKey("ES256");
    const pem = es.privateKeyPem;
    const body = pem.split("\n").slice(1, -2).join("\n");
    const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    const sec1 = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ format: "pem", type: "sec1" })
      .toString();
    const encrypted = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" })
      .toString();
    const bad: Array<[string, unknown, "ES256" | "RS256" | "EdDSA"]> = [
      ["public PEM", es.publicKeyPem, "ES256"],
      ["SEC1 PEM", sec1, "ES256"],
      ["encrypted PEM", encrypted, "ES256"],
      ["P-384 for ES256", p384, "ES256"],
      ["RSA 1024", rsa1024, "RS256"],
      ["EC key for EdDSA", pem, "EdDSA"],
      ["no armour", body, "ES256"],
      ["empty", "", "ES256"],
      ["public JWK", es.publicJwk, "ES256"],
      ["oct JWK", { kty: "oct", k: "AAAA" }, "ES256"],
      ["JWK without kty", { d: "AAAA" }, "ES256"],
      ["JWK for another alg", { ...es.privateJwk, alg: "ES384" }, "ES256"],
    ];
    for (const [label, key, algorithm] of bad) {
      await expectRefused(
        { ...VALID, auth: keyAuth(algorithm, key) },
        "auth",
        typeof key === "string" && key.length > 40 ? key.slice(40, 80) : undefined,
      ).catch((e: unknown) => {
        throw new Error(`${label}: ${String(e)}`);
      });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: body.length - 1 }),
        fc.constantFrom(..."ABCxyz019+/=-\n "),
        fc.boolean(),
        async (at, char, truncate) => {
          const mutated = truncate
            ? `${pem.split("\n")[0]}\n${body.slice(0, at)}\n-----END PRIVATE KEY-----\n`
            : `${pem.split("\n")[0]}\n${body.slice(0, at)}${char}${body.slice(at + 1)}\n-----END PRIVATE KEY-----\n`;
          fc.pre(mutated !== pem);
          let parses = true;
          try {
            (await import("node:crypto")).createPrivateKey(mutated);
          } catch {
            parses = false;
          }
          // A change inside the base64 that still decodes to a valid P-256 key is a valid key; everything else is refused.
          fc.pre(!parses);
          await expectRefused({ ...VALID, auth: keyAuth("ES256", mutated) }, "auth", body.slice(20, 60));
        },
      ),
      { numRuns: RUNS(200) },
    );
  });

  it("a private JWK whose private part does not belong to its public part (d garbage, zero or from another key) is refused (property-based)", async () => {
    const pairs = {
      ES256: generateSigningKey("ES256"),
      RS256: generateSigningKey("RS256"),
      EdDSA: generateSigningKey("EdDSA"),
    };
    const other = {
      ES256: generateSigningKey("ES256"),
      RS256: generateSigningKey("RS256"),
      EdDSA: generateSigningKey("EdDSA"),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("ES256" as const, "RS256" as const, "EdDSA" as const),
        fc.oneof(fc.constantFrom("!!!", "", "AA", "other-key"), fc.nat()),
        async (algorithm, change) => {
          const jwk = pairs[algorithm].privateJwk as Record<string, string>;
          const d =
            change === "other-key"
              ? (other[algorithm].privateJwk as Record<string, string>).d!
              : typeof change === "string"
                ? change
                : flipChar(jwk.d!, change);
          // A change in the unused low bits of the last character decodes to the same key.
          fc.pre(!Buffer.from(d, "base64url").equals(Buffer.from(jwk.d!, "base64url")));
          await expectRefused({ ...VALID, auth: keyAuth(algorithm, { ...jwk, d }) }, "auth", jwk.d!.slice(0, 20));
        },
      ),
      { numRuns: RUNS(60, 600) },
    );
  });
});

/** `text` with the character at `at` replaced by another base64url character. */
function flipChar(text: string, at: number): string {
  const i = at % text.length;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const next = alphabet[(alphabet.indexOf(text[i]!) + 1) % alphabet.length]!;
  return text.slice(0, i) + next + text.slice(i + 1);
}
