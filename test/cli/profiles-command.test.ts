import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROFILES } from "../../src/xts/profiles.js";
import { runCli } from "../support/cli.js";

describe("xtsbridge profiles", () => {
  it("lists every profile with its server, roots, login, segments and margin, marks the one XTSBRIDGE_PROFILE picks, and stars what is unverified", async () => {
    const run = await runCli(["profiles"], { XTSBRIDGE_PROFILE: "ibulls" });
    expect(run.code, run.err).toBe(0);
    const lines = run.out.split("\n");
    for (const p of PROFILES) expect(lines.some((l) => l.includes(` ${p.name} `)), p.name).toBe(true);
    expect(lines.find((l) => l.includes("ibulls"))).toMatch(/^▸ ibulls .*https:\/\/xts\.ibullssecurities\.com .*\/apibinarymarketdata, socket \/apimarketdata\* .*NSECM NSEFO BSECM BSEFO MCXFO /);
    expect(lines.find((l) => l.includes(" compositedge "))).toMatch(/key\+secret\+access token\*/);
    expect(lines.find((l) => l.includes(" jainam_prop "))).toMatch(/A=https:\/\/smpa\.jainam\.in:6543 .*key\+secret, hostlookup auto/);
    expect(run.out).toMatch(/▸ = XTSBRIDGE_PROFILE \(ibulls\)/);
  });

  it("--json gives every field of every profile, sources included", async () => {
    const run = await runCli(["profiles", "--json"]);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.out) as { name: string; sources: string[]; segments: string[] }[];
    expect(parsed.map((p) => p.name)).toEqual(PROFILES.map((p) => p.name));
    for (const p of parsed) expect(p.sources.length).toBeGreaterThan(0);
  });

  it("an unknown XTSBRIDGE_PROFILE is a configuration error naming the ones there are", async () => {
    const run = await runCli(["profiles"], { XTSBRIDGE_PROFILE: "zerodha" });
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/XTSBRIDGE_PROFILE: 'zerodha' is not one of jainam_prop, .*rmoney/);
  });

  it("a reader that stops early (`| head`) ends the command quietly, not with an EPIPE stack trace", async () => {
    const bin = fileURLToPath(new URL("../../bin/xtsbridge.js", import.meta.url));
    const child = spawn(process.execPath, [bin, "profiles", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    // Gone before the command writes a byte, as `head -0` would be.
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(err).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
