import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../../scripts/postgres-cluster.sh", import.meta.url));

function run(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", [SCRIPT, ...args], { encoding: "utf8", timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`postgres-cluster.sh ${args[0]} failed: ${stderr}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

/** A PostgreSQL cluster of this test's own, which it restarts at will (asynchronously: the dispatcher keeps running). */
export interface OwnPostgres {
  url: string;
  /** Fast shutdown: every client is disconnected; the data stays. */
  halt(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /** Stops it and deletes its directory. */
  remove(): Promise<void>;
}

/**
 * Starts a throwaway cluster with `scripts/postgres-cluster.sh`, so that taking the database away
 * never disturbs the shared test server.
 *
 * @example
 * ```ts
 * const pg = await startOwnPostgres();
 * await pg.halt(); await pg.resume(); await pg.remove();
 * ```
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const vars = Object.fromEntries(
    (await run("start")).split("\n").flatMap((line) => {
      const m = /^export (\w+)=(.*)$/.exec(line);
      return m ? [[m[1], m[2]]] : [];
    }),
  ) as Record<string, string>;
  const dir = vars.FW_PG_CLUSTER_DIR!;
  return {
    url: vars.FW_TEST_DATABASE_URL!,
    halt: async () => void (await run("halt", dir)),
    resume: async () => void (await run("resume", dir)),
    remove: async () => void (await run("stop", dir)),
  };
}
