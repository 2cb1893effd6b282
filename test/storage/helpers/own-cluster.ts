import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../../scripts/postgres-cluster.sh", import.meta.url));

function run(...args: string[]): string {
  return execFileSync("bash", [SCRIPT, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A throwaway PostgreSQL cluster of a test's own, which it may stop and start at will. */
export interface OwnCluster {
  url: string;
  /** Stops the server (fast shutdown: clients are disconnected), keeping the data. */
  halt(): void;
  /** Starts it again on the same port. */
  resume(): void;
  /** Stops it and deletes its directory. */
  remove(): void;
}

/**
 * Starts a cluster with `scripts/postgres-cluster.sh` for tests that take the database away,
 * so that the shared test server stays up for every other file.
 *
 * @example
 * ```ts
 * const cluster = startOwnCluster();
 * afterAll(() => cluster.remove());
 * ```
 */
export function startOwnCluster(): OwnCluster {
  const vars = Object.fromEntries(
    run("start")
      .split("\n")
      .flatMap((line) => {
        const m = /^export (\w+)=(.*)$/.exec(line);
        return m ? [[m[1], m[2]]] : [];
      }),
  ) as Record<string, string>;
  const dir = vars.FW_PG_CLUSTER_DIR!;
  return {
    url: vars.FW_TEST_DATABASE_URL!,
    halt: () => void run("halt", dir),
    resume: () => void run("resume", dir),
    remove: () => void run("stop", dir),
  };
}
