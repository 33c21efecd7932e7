import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateMaster, masterText } from "../src/sandbox/master/master-generator.js";
import { MASTER_SEGMENTS } from "../src/xts/segments.js";
import { fmt, report, type BenchResult } from "./stats.js";

const BIN = fileURLToPath(new URL("../../bin/xtsbridge.js", import.meta.url));
const TIME = "/usr/bin/time";
const ROUNDS = 5;

interface Run {
  readonly ms: number;
  /** Peak RSS in MB, when /usr/bin/time is there to tell. */
  readonly rssMb: number | null;
}

/** Spawn to exit of `node args…`, with its peak RSS when /usr/bin/time can measure it. */
async function timed(args: readonly string[]): Promise<Run> {
  const measured = existsSync(TIME);
  const started = performance.now();
  const child = measured ? spawn(TIME, ["-f", "maxrss=%M", process.execPath, ...args], { stdio: ["ignore", "ignore", "pipe"] }) : spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(" ")} exited ${code}:\n${err.slice(-2000)}`);
  const rss = /maxrss=(\d+)/.exec(err)?.[1];
  return { ms, rssMb: rss === undefined ? null : Number(rss) / 1024 };
}

const line = (name: string, runs: readonly Run[]): string => {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const rss = runs.map((r) => r.rssMb).filter((r): r is number => r !== null);
  const peak = rss.length === 0 ? "" : `, peak RSS ${fmt(Math.min(...rss), 0)}–${fmt(Math.max(...rss), 0)} MB`;
  return `${name}: median ${fmt(ms[Math.floor(ms.length / 2)]!, 0)} ms (${ms.map((m) => fmt(m, 0)).join(", ")})${peak}`;
};

/**
 * Issue 17: `xtsbridge master import` of a 120,000-line master, whole process (spawn to exit),
 * into a fresh SQLite database and again into the same one (nothing changed), next to the floor
 * measured in the same rounds: Node doing nothing, and an import of one line (Node, the CLI's
 * modules, creating and migrating the database). Rounds alternate between the four.
 */
export async function importBench(dir: string): Promise<BenchResult> {
  const master = generateMaster({ seed: 1, instruments: 120_000, referenceDate: "2026-11-25" });
  const text = MASTER_SEGMENTS.map((s) => masterText(master, s)).filter((t) => t.length > 0);
  const lines = text.reduce((n, t) => n + t.split("\n").length, 0);
  const big = join(dir, "import-120k.txt");
  const one = join(dir, "import-1.txt");
  writeFileSync(big, `${text.join("\n")}\n`);
  writeFileSync(one, `${text[0]!.split("\n")[0]!}\n`);
  const fresh = (name: string): string => {
    const at = join(dir, `import-${name}`);
    rmSync(at, { recursive: true, force: true });
    mkdirSync(at);
    return `sqlite:${join(at, "x.db")}`;
  };
  const runs = { node: [] as Run[], one: [] as Run[], first: [] as Run[], again: [] as Run[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    runs.node.push(await timed(["-e", "0"]));
    runs.one.push(await timed([BIN, "master", "import", "--db", fresh(`one-${round}`), one]));
    const db = fresh(`big-${round}`);
    runs.first.push(await timed([BIN, "master", "import", "--db", db, big]));
    runs.again.push(await timed([BIN, "master", "import", "--db", db, big]));
  }
  const median = (r: readonly Run[]): number => [...r].map((x) => x.ms).sort((a, b) => a - b)[Math.floor(r.length / 2)]!;
  const firstMs = median(runs.first);
  return report(`master import of a ${lines.toLocaleString("en-US")}-line master, whole process (spawn to exit), ${ROUNDS} alternating rounds`, [
    `${line("into a fresh database", runs.first)} — target ≤ 1,000 ms ${firstMs <= 1000 ? "met" : "NOT met"}`,
    line("the same file again (nothing changed, nothing written)", runs.again),
    `baselines: ${line("an import of one line (Node, the CLI, creating the database)", runs.one)}; ${line("node -e 0", runs.node)}`,
  ]);
}
