import { execFile } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/temp-dir.js";

/**
 * `npm start` runs bin/serve.sh. What it hands node is checked with a stand-in `node` first on the
 * PATH that prints its arguments and environment instead of starting anything.
 */
const SCRIPT = fileURLToPath(new URL("../../bin/serve.sh", import.meta.url));
const run = promisify(execFile);

describe("bin/serve.sh (npm start)", () => {
  const dir = tempDir("xtsbridge-serve-sh-");
  writeFileSync(dir.file("node"), '#!/bin/sh\necho "args: $*"\necho "mmap: $MALLOC_MMAP_THRESHOLD_"\n');
  chmodSync(dir.file("node"), 0o755);
  afterAll(() => dir.remove());

  const start = async (cpus: string, env: Record<string, string> = {}): Promise<string> =>
    (await run("taskset", ["-c", cpus, "sh", SCRIPT, "--port", "9"], { env: { PATH: `${dir.path}:${process.env["PATH"] ?? ""}`, ...env } })).stdout;

  it("on one CPU starts the server with V8's collector on the request thread alone", async () => {
    const out = await start("0");
    expect(out).toMatch(/^args: --single-threaded-gc \S*bin\/xtsbridge\.js serve --port 9$/m);
    expect(out).toContain("mmap: 131072");
  });

  it("on two CPUs leaves the collector's helper threads on", async () => {
    const out = await start("0,1");
    expect(out).toMatch(/^args: \S*bin\/xtsbridge\.js serve --port 9$/m);
  });

  it("keeps a malloc threshold the operator set", async () => {
    expect(await start("0", { MALLOC_MMAP_THRESHOLD_: "65536" })).toContain("mmap: 65536");
  });
});
