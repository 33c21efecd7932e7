import { execFile } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createLogger, turnBatchedStdout } from "../../src/logger.js";
import { tempDir } from "../support/temp-dir.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);
const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

describe("the server's log on stdout", () => {
  it("writes a turn's lines together as soon as the turn ends, in the order logged", async () => {
    const dir = tempDir("xtsbridge-log-");
    const file = join(dir.path, "out.log");
    const fd = openSync(file, "w");
    try {
      const logger = createLogger({ level: "info", destination: turnBatchedStdout(fd) });
      for (let i = 1; i <= 3; i += 1) logger.info({ n: i }, "request");
      expect(readFileSync(file, "utf8")).toBe("");
      await nextTurn();
      expect(readFileSync(file, "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { n: number }).n)).toEqual([1, 2, 3]);
      logger.info({ n: 4, apikey: "k".repeat(64) }, "request");
      await nextTurn();
      const last = JSON.parse(readFileSync(file, "utf8").trim().split("\n")[3]!) as Record<string, unknown>;
      expect(last).toMatchObject({ n: 4, apikey: "[redacted]" });
    } finally {
      closeSync(fd);
      dir.remove();
    }
  });

  it("loses no line logged just before the process exits, by process.exit or an uncaught error", async () => {
    const logger = pathToFileURL(join(ROOT, "dist/logger.js")).href;
    const script = (end: string): string => `import { createLogger } from ${JSON.stringify(logger)}; const log = createLogger({ level: "info" }); log.info("first"); log.error("last words"); ${end}`;
    for (const end of ["process.exit(3);", "throw new Error('boom');"]) {
      const outcome = await run(process.execPath, ["--input-type=module", "-e", script(end)]).then(
        () => ({ code: 0, stdout: "" }),
        (error: { code: number; stdout: string }) => error,
      );
      expect(outcome.code, end).not.toBe(0);
      expect(outcome.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { msg: string }).msg), end).toEqual(["first", "last words"]);
    }
  });
});
