import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedInstrument } from "../../src/sandbox/master/master-generator.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

/** Every stored instrument the generator made, as [exchange, symbol, token]. */
function expected(instruments: readonly GeneratedInstrument[]): [string, string, number][] {
  return instruments.filter((i) => i.exchange !== null && i.symbol !== null).map((i) => [i.exchange!, i.symbol!, i.token]);
}

describe("master refresh from the sandbox (default 150,000-instrument generator)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { instruments: 150_000 } });
  }, 120_000);
  afterAll(async () => gw.close());

  it("AC5: downloads every segment and both index lists into 100,000+ rows, then resolves 1,000 random symbols of every kind to the sandbox's tokens", async () => {
    const progress: string[] = [];
    const report = await gw.master.refresh({ onProgress: (segments) => progress.push(segments.map((s) => s.phase).join(",")) });
    expect(report.status, report.message).toBe("success");
    expect(report.total).toBeGreaterThan(100_000);
    expect(Object.keys(report.exchangeCounts).sort()).toEqual(["BFO", "BSE", "BSE_INDEX", "CDS", "MCX", "NFO", "NSE", "NSE_INDEX"]);
    expect(report.segments.map((s) => s.segment)).toEqual(["INDEX1", "INDEX11", "NSECM", "NSEFO", "NSECD", "BSECM", "BSEFO", "MCXFO"]);
    for (const s of report.segments) {
      expect(s.phase, s.segment).toBe("done");
      expect(s.unparseable, s.segment).toBe(0);
    }
    expect(report.segments.find((s) => s.segment === "NSEFO")!.skipped["spread"]).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(8);

    const stored = gw.sandbox.master.instruments.filter((x) => x.exchange !== null && x.symbol !== null);
    expect(report.total).toBe(expected(stored).length);
    const kinds = new Map<string, [string, string, number][]>();
    for (const x of stored) {
      const key = `${x.exchange}:${x.kind}`;
      if (!kinds.has(key)) kinds.set(key, []);
      kinds.get(key)!.push([x.exchange!, x.symbol!, x.token]);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(10);
    // 1,000 symbols drawn across every (exchange, kind) so rare kinds are covered too.
    const sample: [string, string, number][] = [];
    let i = 0;
    while (sample.length < 1000) {
      for (const list of kinds.values()) if (sample.length < 1000) sample.push(list[(i * 7919) % list.length]!);
      i += 1;
    }
    for (const [exchange, symbol, token] of sample) expect(gw.resolver.getTokenFromSymbol(symbol, exchange), `${exchange} ${symbol}`).toBe(token);
  }, 120_000);

  it("records the success with per-exchange counts and the report", async () => {
    const status = await gw.master.status();
    expect(status).toMatchObject({ status: "success", totalSymbols: gw.resolver.current.size });
    expect(status.exchangeCounts).toEqual(gw.resolver.current.countByExchange());
    expect((status.report as { segments: unknown[] }).segments).toHaveLength(8);
  });
});
