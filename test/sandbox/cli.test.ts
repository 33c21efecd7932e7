import { describe, expect, it } from "vitest";
import { runSandbox } from "../../src/cli/sandbox-command.js";
import type { CliIo } from "../../src/cli/io.js";
import { createSandbox } from "../../src/sandbox/create-sandbox.js";
import { REFERENCE_DATE } from "./sandbox-client.js";

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
    let url: string | undefined;
    const deadline = Date.now() + 10_000;
    while (url === undefined && Date.now() < deadline) {
      url = /^JAINAM_SERVER=(\S+)$/m.exec(io.output())?.[1];
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = io.output();
    for (const line of [
      "JAINAM_INTERACTIVE_API_KEY=sandbox-interactive-key",
      "JAINAM_INTERACTIVE_API_SECRET=sandbox-interactive-secret",
      "JAINAM_MARKET_API_KEY=sandbox-market-key",
      "JAINAM_MARKET_API_SECRET=sandbox-market-secret",
      "JAINAM_CLIENT_ID=CLIENT1",
    ]) {
      expect(text).toContain(line);
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

  it("starts with 150,000 instruments in under 2 s", async () => {
    const started = performance.now();
    const sandbox = await createSandbox({ instruments: 150_000, referenceDate: REFERENCE_DATE });
    const elapsed = performance.now() - started;
    try {
      expect(sandbox.master.instruments.length).toBeGreaterThan(140_000);
      expect(elapsed).toBeLessThan(2000);
    } finally {
      await sandbox.close();
    }
  });
});
