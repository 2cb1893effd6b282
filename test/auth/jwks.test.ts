import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { jwksHandler } from "../../src/auth/jwks-handler.js";
import { publicJwks } from "../../src/auth/public-jwks.js";
import { createTokenVerifier } from "../../src/auth/verify-feedback-token.js";
import type { WebhookConfig } from "../../src/config/webhook-config.js";
import { BODY, config, ISSUER, jwtAuth, nowMs, PAIRS, rejection, signToken } from "./fixtures.js";

const day = 86_400_000;

function rotatingConfig(): WebhookConfig {
  return config({
    type: "jwt",
    algorithm: "ES256",
    issuer: ISSUER,
    keys: [
      {
        kid: "old",
        privateKey: generateSigningKey("ES256").privateKeyPem,
        createdAt: new Date(nowMs() - 9 * day),
        notAfter: new Date(nowMs() - 1),
      },
      { ...PAIRS.ES256.configKey, createdAt: new Date(nowMs() - day) },
      { kid: "by-ref", ref: "env:KEY" },
    ],
  });
}

describe("publicJwks", () => {
  it("lists the public JWK of each unexpired asymmetric key with kid, alg and use — never private members", () => {
    const cfg = config(jwtAuth("ES256"));
    const { keys } = publicJwks(cfg, { now: nowMs });
    expect(keys).toEqual([{ ...PAIRS.ES256.publicJwk }]);
    expect(JSON.stringify(keys)).not.toMatch(/"d"/);
  });

  it("skips keys past notAfter and keys held as ref; publishes nothing for HS secrets", () => {
    expect(publicJwks(rotatingConfig(), { now: nowMs }).keys.map((k) => k.kid)).toEqual([PAIRS.ES256.kid]);
    expect(publicJwks(config(), { now: nowMs })).toEqual({ keys: [] });
  });
});

describe("jwksHandler", () => {
  const handler = jwksHandler(async () => config(jwtAuth("RS256")));

  it("serves the JWKS on GET with the JWK Set media type and a 5-minute public cache", async () => {
    const response = await handler(new Request("https://sender.example.com/.well-known/jwks.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jwk-set+json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await response.json()).toEqual({ keys: [PAIRS.RS256.publicJwk] });
  });

  it("answers HEAD without a body and refuses other methods with 405", async () => {
    const head = await handler(new Request("https://sender.example.com/jwks", { method: "HEAD" }));
    expect([head.status, await head.text()]).toEqual([200, ""]);
    const post = await handler(new Request("https://sender.example.com/jwks", { method: "POST" }));
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });
});

describe("remote JWKS (jwksUrl) against a real HTTP server", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** Serves jwksHandler over node:http on 127.0.0.1; `current` picks the config per request. */
  async function serve(current: () => WebhookConfig) {
    const handler = jwksHandler(current);
    let fetches = 0;
    server = createServer(async (req, res) => {
      fetches++;
      const response = await handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, fetches: () => fetches };
  }

  it("fetches the set once, caches it across requests, and verifies our tokens", async () => {
    const cfg = config(jwtAuth("ES256"));
    const remote = await serve(() => cfg);
    const verify = createTokenVerifier({
      jwksUrl: remote.url,
      issuer: ISSUER,
      now: nowMs,
      jwksFetch: { timeoutDuration: 2000 },
    });
    const token = await signToken({ cfg });
    for (let i = 0; i < 5; i++) await expect(verify(token, BODY)).resolves.toBeDefined();
    expect(remote.fetches()).toBe(1);
  });

  it("picks up a rotated key: an unknown kid refetches once the cooldown has passed", async () => {
    let cfg = config(jwtAuth("RS256"));
    const remote = await serve(() => cfg);
    const options = { jwksUrl: remote.url, now: nowMs, jwksFetch: { timeoutDuration: 2000, cooldownDuration: 0 } };
    const verify = createTokenVerifier(options);
    await expect(verify(await signToken({ cfg }), BODY)).resolves.toBeDefined();
    cfg = config(jwtAuth("RS256", { keys: [PAIRS.PS256.configKey] }));
    await expect(verify(await signToken({ cfg }), BODY)).resolves.toBeDefined();
    expect(remote.fetches()).toBe(2);
  });

  it("refuses a kid the sender does not publish (key_not_found) and reports an unreachable URL the same way", async () => {
    const remote = await serve(() => config(jwtAuth("ES256")));
    const stranger = await signToken({
      cfg: config(jwtAuth("ES256", { keys: [{ kid: "x", privateKey: PAIRS.ES256.privateKeyPem }] })),
    });
    const verify = createTokenVerifier({ jwksUrl: remote.url, now: nowMs, jwksFetch: { timeoutDuration: 2000 } });
    expect((await rejection(verify(stranger, BODY))).reason).toBe("key_not_found");
    const down = createTokenVerifier({
      jwksUrl: "http://127.0.0.1:9/jwks.json",
      now: nowMs,
      jwksFetch: { timeoutDuration: 1000 },
    });
    const error = await rejection(down(await signToken({ cfg: config(jwtAuth("ES256")) }), BODY));
    expect([error.reason, error.message]).toEqual([
      "key_not_found",
      "Could not load the JSON Web Key Set from jwksUrl.",
    ]);
  });

  it("never accepts HS tokens through a JWKS", async () => {
    const remote = await serve(() => config(jwtAuth("ES256")));
    const verify = createTokenVerifier({ jwksUrl: remote.url, now: nowMs });
    expect((await rejection(verify(await signToken(), BODY))).reason).toBe("algorithm");
  });
});
