import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, SERVING_LINE, startCli, until } from "../support/processes.js";
import { tempDir } from "../support/temp-dir.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

async function refuses(url: string): Promise<true | undefined> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return undefined;
  } catch {
    return true;
  }
}

describe("starting and stopping the server as a newcomer does", () => {
  const dir = tempDir("xtsbridge-start-");
  afterAll(() => dir.remove());

  it("a busy PORT is reported at once, naming the port, with no download and no stack trace; exit 1", async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", r));
    try {
      const started = Date.now();
      const proc = startCli(["serve"], { DATABASE_URL: `sqlite:${dir.file("busy.db")}`, PORT: String(port), LOG_LEVEL: "warn" }, dir.path);
      const { code } = await proc.done;
      expect(code).toBe(1);
      expect(proc.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(proc.output()).not.toMatch(/Downloading the master contract/);
      expect(proc.output()).not.toMatch(/\n\s+at /);
      // The default 150,000-instrument download would take seconds; binding first fails in well under that.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 60_000);

  it("SIGTERM to the `npm start` process stops the server", async () => {
    const port = await freePort();
    const npm = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", DATABASE_URL: `sqlite:${dir.file("npm.db")}`, PORT: String(port), SANDBOX_INSTRUMENTS: "2000", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.on("data", (t: Buffer) => (output += t.toString()));
    npm.stderr.on("data", (t: Buffer) => (output += t.toString()));
    try {
      const url = await until("the serving banner", () => SERVING_LINE.exec(output)?.[1], { context: () => output, timeoutMs: 90_000 });
      expect(await refuses(`${url}/docs`)).toBeUndefined();
      npm.kill("SIGTERM");
      await until("the server to stop listening", () => refuses(`${url}/docs`), { context: () => output, timeoutMs: 15_000 });
      expect(output).toMatch(/SIGTERM: finishing in-flight requests and shutting down/);
    } finally {
      npm.kill("SIGKILL");
    }
  }, 120_000);

  it("reads ./.env at start-up; a variable set in the environment wins over the file", async () => {
    const work = tempDir("xtsbridge-dotenv-");
    try {
      writeFileSync(work.file(".env"), "# settings as OpenAlgo users keep them\nexport DATABASE_URL=sqlite:./from-dotenv.db\nXTSBRIDGE_BROKER=\"dotenv_broker\"\n");
      const fromFile = startCli(["master", "status", "--json"], {}, work.path);
      expect((await fromFile.done).code, fromFile.output()).toBe(0);
      expect(existsSync(work.file("from-dotenv.db"))).toBe(true);
      expect(JSON.parse(fromFile.output())).toMatchObject({ broker: "dotenv_broker" });
      const overridden = startCli(["master", "status", "--json"], { DATABASE_URL: `sqlite:${work.file("from-env.db")}` }, work.path);
      expect((await overridden.done).code, overridden.output()).toBe(0);
      expect(existsSync(work.file("from-env.db"))).toBe(true);
    } finally {
      work.remove();
    }
  }, 60_000);
});
