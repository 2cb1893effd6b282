/**
 * Summarizes V8 `.cpuprofile` files (from `node --cpu-prof` or `npm run bench -- --profile DIR`):
 * the functions with the most self time and the most inclusive time, as % of all samples.
 *
 *   npx tsx bench/tools/profile-summary.ts DIR_OR_FILE… [--top 25] [--filter src/]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

function files(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith(".cpuprofile"))
          .map((f) => join(p, f))
      : [p],
  );
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ""))}:${lineNumber + 1}` : "";
  return `${functionName || "(anonymous)"} ${where}`.trim();
}

function main(): void {
  const args = process.argv.slice(2);
  const top = Number(args[args.indexOf("--top") + 1]) || 25;
  const filterAt = args.indexOf("--filter");
  const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;
  const paths = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--top" && args[i - 1] !== "--filter");
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let samples = 0;
  for (const file of files(paths)) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (const id of profile.samples) {
      const node = byId.get(id)!;
      const name = node.callFrame.functionName;
      if (name === "(idle)" || name === "(program)") continue;
      samples++;
      self.set(label(node), (self.get(label(node)) ?? 0) + 1);
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const l = label(byId.get(cur)!);
        if (seen.has(l)) continue;
        seen.add(l);
        total.set(l, (total.get(l) ?? 0) + 1);
      }
    }
  }
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (% of ${samples} busy samples)`);
    [...map]
      .filter(([l]) => filter === undefined || l.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([l, n]) => {
        console.log(`${((n * 100) / samples).toFixed(1).padStart(6)}%  ${l}`);
      });
  };
  show("self time", self);
  show("inclusive time", total);
}

main();
