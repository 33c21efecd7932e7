import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./temp-dir.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs vitest with our summary reporter over the given test files; returns the plain closing line. */
function summaryOf(files: Record<string, string>): string {
  const dir = tempDir("xtsbridge-summary-");
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(dir.file(name), text);
    writeFileSync(
      dir.file("vitest.config.mjs"),
      `export default { test: { root: ${JSON.stringify(dir.path)}, include: ["*.test.mjs"], reporters: [${JSON.stringify(join(ROOT, "test/support/summary-reporter.ts"))}] } };`,
    );
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", dir.file("vitest.config.mjs")], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    const line = run.stdout.split("\n").find((l) => /^\d+ passed, \d+ failed/.test(l));
    if (line === undefined) throw new Error(`no summary line in:\n${run.stdout}\n${run.stderr}`);
    return line;
  } finally {
    dir.remove();
  }
}

const PASSING = `import { it, expect } from "vitest"; it("passes", () => expect(1).toBe(1));`;

describe("the plain summary line CI reads", () => {
  it("counts a file that cannot load and a failing beforeAll as failures, not as '0 failed'", () => {
    expect(summaryOf({ "ok.test.mjs": PASSING })).toBe("1 passed, 0 failed");
    expect(summaryOf({ "ok.test.mjs": PASSING, "broken.test.mjs": `import { readFileSync } from "node:fs"; readFileSync("/no/such/file");` })).toBe("1 passed, 1 failed");
    const hook = `import { beforeAll, describe, it } from "vitest"; describe("s", () => { beforeAll(() => { throw new Error("setup failed"); }); it("a", () => {}); });`;
    expect(summaryOf({ "ok.test.mjs": PASSING, "hook.test.mjs": hook })).toMatch(/^1 passed, [1-9]\d* failed/);
  });
});
