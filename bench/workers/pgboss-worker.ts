/**
 * The baseline of scenario 5: what a user would build on pg-boss — a worker that fetches jobs,
 * signs each with jose (HS256 JWT with the same claims, `body_sha256` included), POSTs it with the
 * same undici client as the SDK's transport, and completes the jobs.
 * - `fetch` style: `loops` loops of fetch(batchSize) → deliver all → complete(ids), no polling
 *   pause while there is work (pg-boss's best case for short jobs).
 * - `work` style: pg-boss's own `work()` with `batchSize`, at its minimum polling interval.
 */
import { createHash, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import PgBoss from "pg-boss";
import { Agent, request } from "undici";
import { AUDIENCE, ISSUER } from "../harness/fixtures.js";
import { handle, onExit, send } from "./ipc.js";

interface JobData {
  body: string;
  requestId: string;
  sub: string;
}

let boss: PgBoss | undefined;
let agent: Agent;
let key: CryptoKey;
let options: { queue: string; url: string; kid: string; style: "fetch" | "work"; loops: number; batchSize: number };
let delivered = 0;
let lastAt = 0;
let stopping = false;
let loops: Promise<void>[] = [];
let cpu0 = process.cpuUsage();
let timer: NodeJS.Timeout | undefined;

async function deliver(id: string, data: JobData): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    requestId: data.requestId,
    body_sha256: createHash("sha256").update(data.body).digest("base64url"),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: options.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(data.sub)
    .setIssuedAt(timestamp)
    .setExpirationTime(timestamp + 300)
    .setJti(randomUUID())
    .sign(key);
  const res = await request(options.url, {
    method: "POST",
    dispatcher: agent,
    body: data.body,
    headers: {
      "content-type": "application/json",
      "user-agent": "pg-boss-baseline",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-attempt": "1",
      authorization: `Bearer ${token}`,
    },
  });
  await res.body.dump();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
}

async function fetchLoop(): Promise<void> {
  while (!stopping) {
    const jobs = await boss!.fetch<JobData>(options.queue, { batchSize: options.batchSize });
    if (!jobs || jobs.length === 0) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    await Promise.all(jobs.map((job) => deliver(job.id, job.data)));
    await boss!.complete(
      options.queue,
      jobs.map((job) => job.id),
    );
    delivered += jobs.length;
    lastAt = performance.timeOrigin + performance.now();
  }
}

// Called every round with that round's queue; the process, its pg-boss and its connections stay.
handle("init", "ready", async (m) => {
  options = m.options as typeof options;
  delivered = 0;
  lastAt = 0;
  stopping = false;
  loops = [];
  const secret = Buffer.from(m.secret as string, "base64url");
  key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  agent = new Agent({ connections: options.loops * options.batchSize });
  if (boss === undefined) {
    boss = new PgBoss({
      connectionString: m.url as string,
      schema: m.schema as string,
      supervise: false,
      schedule: false,
      migrate: false,
    });
    boss.on("error", (error) => send({ type: "boss-error", message: String(error) }));
    await boss.start();
  }
});

handle("go", "going", async () => {
  cpu0 = process.cpuUsage();
  timer = setInterval(() => send({ type: "progress", delivered, lastAt }), 20);
  if (options.style === "fetch") {
    loops = Array.from({ length: options.loops }, () => fetchLoop());
  } else {
    await boss!.work<JobData>(
      options.queue,
      { batchSize: options.batchSize, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        await Promise.all(jobs.map((job) => deliver(job.id, job.data)));
        delivered += jobs.length;
        lastAt = performance.timeOrigin + performance.now();
      },
    );
  }
});

handle("stop", "stopped", async () => {
  stopping = true;
  clearInterval(timer);
  const cpu = process.cpuUsage(cpu0);
  const count = delivered;
  const at = lastAt;
  await Promise.all(loops);
  if (options.style === "work") await boss!.offWork(options.queue);
  await agent.close();
  return { delivered: count, lastAt: at, cpuMs: (cpu.user + cpu.system) / 1000 };
});
onExit(() => boss?.stop({ graceful: false, wait: true, timeout: 5_000 }));
