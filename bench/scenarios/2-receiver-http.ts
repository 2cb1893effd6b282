import { createHmac } from "node:crypto";
import autocannon from "autocannon";
import { signTestPayload } from "../../src/testing/index.js";
import { AUDIENCE, hs256Credential, sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import type { ScenarioOutput } from "../harness/results.js";
import { type Contender, interleave } from "../harness/rounds.js";
import { type BenchServer, startServer } from "../harness/server.js";
import { ratioOf, summarize } from "../harness/stats.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";

const CONNECTIONS = 64;

interface Load {
  rate: number;
  p50: number;
  p99: number;
}

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const seconds = ctx.size(3, 1);
  const hs = hs256Credential();
  const none = { type: "none" as const };
  const servers: Array<[string, BenchServer]> = [];
  try {
    servers.push(["bare node:http (read body, 200)", await startServer("bare", { profileDir: ctx.profileDir })]);
    servers.push([
      "floor: node:http + HMAC over the body + parseFeedbackEvent",
      await startServer("floor", { secret: hs.secret, profileDir: ctx.profileDir }),
    ]);
    servers.push([
      "toNodeHandler(receiver), JWT HS256",
      await startServer("receiver", { auth: hs.receiverAuth, profileDir: ctx.profileDir }),
    ]);
    servers.push([
      "toNodeHandler(receiver), auth none",
      await startServer("receiver", { auth: none, profileDir: ctx.profileDir }),
    ]);
    servers.push([
      "node:http + receiver.verify on the read body (no Web Request), JWT HS256",
      await startServer("verify", { auth: hs.receiverAuth, profileDir: ctx.profileDir }),
    ]);
    // The same signed requests for every server (the bare one ignores the token).
    const key = { senderAuth: hs.senderAuth, receiverAuth: hs.receiverAuth };
    const requests = await Promise.all(
      sampleEvents(16).map(async (event) => {
        const { headers, body } = await signTestPayload(event, { key, url: AUDIENCE });
        const floorSignature = createHmac("sha256", Buffer.from(hs.secret, "base64url")).update(body).digest("base64");
        return {
          method: "POST",
          path: "/webhooks/feedback",
          headers: { ...headers, "x-floor-signature": floorSignature },
          body,
        };
      }),
    );
    const contenders: Contender<Load>[] = servers.map(([name, server]) => ({
      name,
      async run() {
        await server.reset();
        const result = await autocannon({ url: server.origin, connections: CONNECTIONS, duration: seconds, requests });
        const { statuses } = await server.counts();
        if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
          throw new Error(
            `${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (${JSON.stringify(statuses)})`,
          );
        }
        return { rate: result["2xx"] / result.duration, p50: result.latency.p50, p99: result.latency.p99 };
      },
    }));
    const results = await interleave(contenders, {
      rounds: ctx.rounds,
      describe: (v) => `${fmt(v.rate)} req/s`,
      label: "http",
    });
    const rates = (name: string) => results.get(name)!.map((v) => v.rate);
    const bare = rates(servers[0]![0]);
    const floorRatio = ratioOf(rates(servers[1]![0]), bare);
    const ratio = ratioOf(rates(servers[2]![0]), bare);
    return {
      tables: [
        {
          title: `Requests per second under autocannon (${CONNECTIONS} connections, ${seconds} s per round, keep-alive)`,
          headers: ["server", "req/s", "latency p50 ms", "latency p99 ms", "vs bare"],
          rows: [...results].map(([name, loads]) => [
            name,
            fmtSummary(summarize(loads.map((l) => l.rate))),
            fmt(summarize(loads.map((l) => l.p50)).median, 1),
            fmt(summarize(loads.map((l) => l.p99)).median, 1),
            fmtRatio(ratioOf(rates(name), bare)),
          ]),
        },
      ],
      targets: [
        {
          id: "2",
          what: "Node adapter (JWT HS256) vs bare node:http",
          target: "≥ 0.7×",
          measured: `${fmtRatio(ratio)}; the floor over HTTP reaches ${fmtRatio(floorRatio)}`,
          met: ratio.median >= 0.7,
        },
      ],
      notes: [
        "Each server runs alone in its own process; autocannon runs in the bench process (on 2 cores: one core each). " +
          "All servers get the same 16 signed deliveries in turn; every answer was checked to be 2xx. The receiver has no " +
          "handler registered and no dedupe store, so this is the adapter + verification + parsing cost per request. " +
          "The floor line does the least any verifying receiver does (an HMAC over the body, then the same " +
          "`parseFeedbackEvent`), so its ratio to the bare server is the best a receiver can reach on this machine. " +
          "The last line is a hand-written node:http handler that reads the body into a Buffer and calls " +
          "`receiver.verify`: the same verification and parsing without the Node → Web `Request`/`Response` bridge.",
      ],
      raw: Object.fromEntries(results),
    };
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}

export const receiverHttp: Scenario = { id: 2, title: "Receiver over HTTP", run };
