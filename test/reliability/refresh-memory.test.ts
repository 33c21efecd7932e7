import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { tempDir } from "../support/temp-dir.js";
import { ensureDist } from "./support/dist.js";

/**
 * Memory across refreshes: a long-running gateway refreshes every day; nothing of an old
 * contract (index, builder, parsed lines, HTTP streams, statements) may stay reachable.
 * The refreshes run in a child process with --expose-gc (vitest's workers have no gc()),
 * against a sandbox in this process, so the child's heap holds only the gateway's share.
 */

const FIXTURE = fileURLToPath(new URL("./fixtures/refresh-memory.mjs", import.meta.url));
// 20,000 keeps 20 refreshes near 20 s on the shared 2-core machine; a leak grows with the contract either way.
const INSTRUMENTS = 20_000;
const REFRESHES = 20;

interface Sample {
  readonly refresh: number;
  readonly rows: number;
  readonly ms: number;
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe("memory across repeated refreshes", () => {
  let sandbox: Sandbox;
  const dir = tempDir("xtsbridge-mem-");

  beforeAll(async () => {
    await ensureDist();
    sandbox = await createSandbox({ instruments: INSTRUMENTS, seed: 5, referenceDate: "2026-11-25" });
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    dir.remove();
  });

  it(`the heap after ${REFRESHES} refreshes of a ${INSTRUMENTS.toLocaleString("en-US")}-instrument contract is where it was after the first few`, async () => {
    const child = spawn(process.execPath, ["--expose-gc", FIXTURE, sandbox.url, dir.file("memory.db"), String(REFRESHES)], {
      env: { PATH: process.env["PATH"] ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, stderr).toBe(0);

    const samples = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Sample);
    expect(samples).toHaveLength(REFRESHES);
    expect(samples.every((s) => s.rows === samples[0]!.rows && s.rows > INSTRUMENTS * 0.9)).toBe(true);

    // Refreshes 1-2 warm up (JIT, statement caches, the first index); 3-7 is the baseline.
    const baseline = mean(samples.slice(2, 7).map((s) => s.heapUsed));
    const last = mean(samples.slice(-5).map((s) => s.heapUsed));
    console.info(
      `heapUsed after gc: refreshes 3-7 ${mb(baseline)}, last 5 ${mb(last)} (${(((last - baseline) / baseline) * 100).toFixed(1)}%); ` +
        `rss ${mb(samples[2]!.rss)} → ${mb(samples.at(-1)!.rss)}; ${samples[0]!.rows} rows, ${Math.round(mean(samples.map((s) => s.ms)))} ms per refresh`,
    );
    // One leaked copy of this contract's rows and index is several MB: 13 of them would be far past this.
    expect(last).toBeLessThanOrEqual(Math.max(baseline * 1.15, baseline + 10 * 1024 * 1024));
    // Memory outside the JS heap (buffers of streamed bodies) must not pile up either.
    const externalBase = mean(samples.slice(2, 7).map((s) => s.external));
    expect(mean(samples.slice(-5).map((s) => s.external))).toBeLessThanOrEqual(externalBase + 10 * 1024 * 1024);
  }, 120_000);
});
