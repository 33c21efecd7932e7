import { execFile } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServe, type CliProcess } from "../support/processes.js";
import { tempDir } from "../support/temp-dir.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

/** The README's shell blocks that call the API (they set or use $API). */
function readmeApiBlocks(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((block) => block.includes("$API/"));
}

/**
 * `curl` as the README's reader runs it, plus a record of each call: its HTTP status and whether
 * the body says "error". The block itself runs unchanged, but for KEY and API.
 */
const CURL_RECORDER = `
curl() {
  local out code body
  out=$(command curl -sS -w '\\n%{http_code}' "$@") || { echo "UNREACHABLE $*" >> "$CALLS"; return 1; }
  code=\${out##*$'\\n'}; body=\${out%$'\\n'*}
  printf '%s\\n' "$body"
  if [ "$code" -ge 400 ] || printf '%s' "$body" | grep -q '"status":"error"'; then echo "FAILED $code $body" >> "$CALLS"; else echo "OK $code" >> "$CALLS"; fi
}
`;

describe("the README's curl examples, pasted against a fresh npm start", () => {
  const dir = tempDir("xtsbridge-readme-");
  let server: { proc: CliProcess; url: string; apikey: string | null };
  beforeAll(async () => {
    // The default sandbox, as `npm install && npm start` gives it.
    server = await startServe({ DATABASE_URL: `sqlite:${dir.file("x.db")}`, PORT: String(await freePort()), LOG_LEVEL: "warn" }, dir.path);
  }, 120_000);
  afterAll(async () => {
    server?.proc.kill("SIGKILL");
    dir.remove();
  });

  it("every call in every block succeeds", async () => {
    const blocks = readmeApiBlocks();
    expect(blocks.length).toBeGreaterThan(0);
    expect(server.apikey).toMatch(/^[0-9a-f]{64}$/);
    for (const [n, block] of blocks.entries()) {
      const calls = dir.file(`calls-${n}.log`);
      writeFileSync(calls, "");
      const script = `${CURL_RECORDER}\n${block.replace("KEY=<your key>", `KEY=${server.apikey}`).replace("http://127.0.0.1:5000", server.url)}`;
      const { stdout } = await run("bash", ["-c", script], { cwd: dir.path, env: { PATH: process.env["PATH"] ?? "", CALLS: calls }, timeout: 60_000 });
      const log = readFileSync(calls, "utf8").trim().split("\n");
      const expected = (block.match(/\bcurl -s/g) ?? []).length;
      expect(log, log.join("\n")).toHaveLength(expected);
      expect(log.filter((line) => !line.startsWith("OK 200")), stdout).toEqual([]);
      if (block.includes("-o instruments_nfo.csv")) expect(statSync(join(dir.path, "instruments_nfo.csv")).size).toBeGreaterThan(100);
    }
  }, 120_000);
});
