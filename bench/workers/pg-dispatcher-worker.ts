/**
 * One dispatcher process of scenario 5: PostgreSQL storage, JWT HS256 (the configuration says
 * so), delivering what the bench published. Reports its delivered count every 20 ms.
 */
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { type BenchDispatcher, benchDispatcher } from "../harness/dispatch.js";
import { handle, onExit, send } from "./ipc.js";

let bench: BenchDispatcher | undefined;
let cpu0 = process.cpuUsage();
let lastAt = 0;
let timer: NodeJS.Timeout | undefined;
const storageRef: { close?: () => Promise<void> } = {};

// Re-initialized every round: a fresh schema, a fresh dispatcher; the process (and its JIT) stays.
handle("init", "ready", async (m) => {
  const storage = postgresStorage({ connectionString: m.url as string, schema: m.schema as string });
  storageRef.close = () => storage.close();
  await storage.getEndpointState("warm-up"); // connects and checks the schema before the clock starts
  bench = benchDispatcher({
    storage,
    concurrency: m.concurrency as number,
    onDelivered: () => {
      lastAt = performance.timeOrigin + performance.now();
    },
  });
});

handle("go", "going", () => {
  cpu0 = process.cpuUsage();
  bench!.dispatcher.start();
  timer = setInterval(() => send({ type: "progress", delivered: bench!.deliveredCount, lastAt }), 20);
});

handle("stop", "stopped", async () => {
  clearInterval(timer);
  const cpu = process.cpuUsage(cpu0);
  const delivered = bench!.deliveredCount;
  const at = lastAt;
  await bench!.close();
  await storageRef.close?.();
  bench = undefined;
  lastAt = 0;
  return { delivered, lastAt: at, cpuMs: (cpu.user + cpu.system) / 1000 };
});
onExit();
