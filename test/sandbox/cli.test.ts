import { describe, expect, it } from "vitest";
import { runSandbox } from "../../src/cli/sandbox-command.js";
import type { CliIo } from "../../src/cli/io.js";
import { createSandbox } from "../../src/sandbox/create-sandbox.js";
import { generateMaster } from "../../src/sandbox/master/master-generator.js";
import { REFERENCE_DATE } from "./sandbox-client.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../support/temp-dir.js";
import { until } from "../support/poll.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

function captureIo(): CliIo & { output: () => string } {
  const chunks: string[] = [];
  return { out: (text) => chunks.push(text), err: (text) => chunks.push(text), env: {}, isTTY: false, output: () => chunks.join("") };
}

describe("xtsbridge sandbox", () => {
  it("prints its URL, the demo credentials and the env lines, serves until stopped", async () => {
    const io = captureIo();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runSandbox({ port: 0, host: "127.0.0.1", instruments: 3000, seed: 3, referenceDate: REFERENCE_DATE, dealer: true }, io, () => stopped);
    const url = await until("the sandbox's banner", () => /^export JAINAM_SERVER=(\S+)$/m.exec(io.output())?.[1], { context: io.output });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = io.output();
    for (const line of [
      "export JAINAM_INTERACTIVE_API_KEY=sandbox-interactive-key",
      "export JAINAM_INTERACTIVE_API_SECRET=sandbox-interactive-secret",
      "export JAINAM_MARKET_API_KEY=sandbox-market-key",
      "export JAINAM_MARKET_API_SECRET=sandbox-market-secret",
      "export JAINAM_CLIENT_ID=CLIENT1",
    ]) {
      expect(text).toContain(line);
    }
    // Pasted into a shell as printed, the lines reach the next command: it downloads from this sandbox.
    const pasted = text.split("\n").filter((l) => l.startsWith("export JAINAM_")).join("\n");
    const dir = tempDir("xtsbridge-paste-");
    try {
      // Asynchronously: the sandbox answering the download runs in this process.
      const shell = await run("bash", ["--norc", "--noprofile", "-c", `${pasted}\nnode ${JSON.stringify(join(ROOT, "bin/xtsbridge.js"))} master download --db sqlite:${dir.file("p.db")}`], {
        env: { PATH: process.env["PATH"] ?? "" },
        timeout: 60_000,
      });
      expect(shell.stdout + shell.stderr).toMatch(/stored/i);
    } finally {
      dir.remove();
    }
    const lookup = await fetch(`${url}/hostlookup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accesspassword: "2021HostLookUpAccess", version: "interactive_1.0.1" }),
    });
    expect(lookup.status).toBe(200);
    stop();
    await running;
    expect(io.output()).toContain("sandbox stopped");
    await expect(fetch(`${url}/hostlookup`, { method: "POST" })).rejects.toThrow();
  });

  // How long the server takes over a prebuilt master is `npm run bench -- generator`'s to report.
  it("serves a prebuilt 150,000-instrument master as given, line for line", async () => {
    const master = generateMaster({ instruments: 150_000, referenceDate: REFERENCE_DATE });
    const sandbox = await createSandbox({ master });
    try {
      const login = await fetch(`${sandbox.url}/apibinarymarketdata/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appKey: "sandbox-market-key", secretKey: "sandbox-market-secret", source: "WebAPI" }),
      });
      const { result } = (await login.json()) as { result: { token: string } };
      const response = await fetch(`${sandbox.url}/apibinarymarketdata/instruments/master`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: result.token },
        body: JSON.stringify({ exchangeSegmentList: ["NSEFO"] }),
      });
      const body = (await response.json()) as { result: string };
      expect(body.result.split("\n")).toEqual(master.lines.NSEFO);
    } finally {
      await sandbox.close();
    }
  });
});
