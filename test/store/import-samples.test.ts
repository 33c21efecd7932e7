import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importMasterFiles, type ImportReport } from "../../src/mastercontract/import-files.js";
import type { SymbolStore } from "../../src/store/symbol-store.js";
import { BACKENDS } from "../support/backends.js";
import { sampleFiles } from "../support/samples.js";

/** Hand-verified against the sample lines: [exchange, symbol, token, expiry, strike, lotsize, instrumenttype]. */
const EXPECTED: Record<string, [string, string, number, string, number, number, string][]> = {
  "NSECM.txt": [
    ["NSE", "SUZLON", 12018, "", 0, 1, "EQ"],
    ["NSE", "RELIANCE", 2885, "", 0, 1, "EQ"],
    ["NSE", "BRITANNIA", 547, "", 0, 1, "EQ"],
    ["NSE", "5PAISA", 445, "", 0, 1, "EQ"],
    ["NSE", "SEJALLTD", 7094, "", 0, 1, "EQ"],
    ["NSE", "SAIFL", 21096, "", 0, 800, "EQ"],
    ["NSE", "AARTISURF", 19233, "", 0, 1, "EQ"],
    ["NSE", "AARTISURF-P1", 12121, "", 0, 1, "EQ"],
    ["NSE", "738CG34-SG", 23080, "", 0, 100, "EQ"],
    ["NSE", "763KL32-SG", 13375, "", 0, 100, "EQ"],
    ["NSE", "931SFL26-Z5", 12919, "", 0, 1, "EQ"],
    ["NSE", "84CIFCL28-NA", 17958, "", 0, 1, "EQ"],
  ],
  "BSECM.txt": [
    ["BSE", "CLEDUCATE", 540403, "", 0, 1, "EQ"],
    ["BSE", "3PLAND", 516092, "", 0, 1, "EQ"],
    ["BSE", "ISFL", 526859, "", 0, 1, "EQ"],
    ["BSE", "GS06NOV46", 800726, "", 0, 1, "EQ"],
    ["BSE", "1063IOT28D", 950205, "", 0, 10, "EQ"],
    ["BSE", "ALTIUSINVIT", 543225, "", 0, 25000, "EQ"],
    ["BSE", "ROLTA", 500366, "", 0, 1, "EQ"],
    ["BSE_INDEX", "SENSEX", 26065, "", 0, 1, "INDEX"],
    ["BSE_INDEX", "SENSEX50", 26067, "", 0, 1, "INDEX"],
    ["BSE_INDEX", "BSECAPITALGOODS", 26097, "", 0, 1, "INDEX"],
    ["BSE_INDEX", "BSEOIL&GAS", 26107, "", 0, 1, "INDEX"],
    ["BSE_INDEX", "BANKEX", 26118, "", 0, 1, "INDEX"],
  ],
  "NSEFO.txt": [
    ["NFO", "CDSL27FEB25FUT", 35839, "27-FEB-25", 0, 350, "FUT"],
    ["NFO", "CDSL27MAR25FUT", 35410, "27-MAR-25", 0, 350, "FUT"],
    ["NFO", "CDSL30JAN25FUT", 35838, "30-JAN-25", 0, 350, "FUT"],
    ["NFO", "BERGEPAINT30JAN25FUT", 37262, "30-JAN-25", 0, 1320, "FUT"],
    ["NFO", "BERGEPAINT27FEB25FUT", 35434, "27-FEB-25", 0, 1320, "FUT"],
    ["NFO", "BERGEPAINT27MAR25FUT", 35356, "27-MAR-25", 0, 1320, "FUT"],
    ["NFO", "NIFTY27MAR25FUT", 35001, "27-MAR-25", 0, 75, "FUT"],
    ["NFO", "NIFTY27FEB25FUT", 35013, "27-FEB-25", 0, 75, "FUT"],
    ["NFO", "BANKNIFTY26FEB25FUT", 35117, "26-FEB-25", 0, 30, "FUT"],
    ["NFO", "IDEA30JAN25FUT", 41027, "30-JAN-25", 0, 40000, "FUT"],
    ["NFO", "061NSETEST27NOV36FUT", 36700, "27-NOV-36", 0, 50, "FUT"],
  ],
  "BSEFO.txt": [
    ["BFO", "SENSEX03JAN2584700CE", 824627, "03-JAN-25", 84700, 10, "CE"],
    ["BFO", "SENSEX25FEB25FUT", 821310, "25-FEB-25", 0, 20, "FUT"],
    ["BFO", "SENSEX28JAN2583100CE", 1164374, "28-JAN-25", 83100, 10, "CE"],
    ["BFO", "SENSEX30DEC2573000CE", 842610, "30-DEC-25", 73000, 20, "CE"],
    ["BFO", "SENSEX11FEB2581400PE", 841999, "11-FEB-25", 81400, 20, "PE"],
    ["BFO", "SENSEX25FEB2574200CE", 839803, "25-FEB-25", 74200, 20, "CE"],
    ["BFO", "SENSEX07JAN2582100PE", 822336, "07-JAN-25", 82100, 20, "PE"],
    ["BFO", "SENSEX30JUN2682000PE", 842860, "30-JUN-26", 82000, 20, "PE"],
    ["BFO", "BANKEX25MAR25FUT", 842502, "25-MAR-25", 0, 30, "FUT"],
    ["BFO", "BANKEX25FEB25FUT", 822941, "25-FEB-25", 0, 30, "FUT"],
    ["BFO", "BANKEX28JAN25FUT", 1165051, "28-JAN-25", 0, 15, "FUT"],
  ],
  "EXTRA.txt": [
    ["NFO", "NIFTY30JUN26FUT", 62329, "30-JUN-26", 0, 65, "FUT"],
    ["NFO", "NATIONALUM27JAN26335PE", 119476, "27-JAN-26", 335, 3750, "PE"],
    ["BFO", "BANKEX26FEB26FUT", 1166387, "26-FEB-26", 0, 30, "FUT"],
    ["BFO", "BANKEX24DEC2572000CE", 1132771, "24-DEC-25", 72000, 30, "CE"],
    ["BFO", "SENSEX03SEP2678000CE", 859111, "03-SEP-26", 78000, 20, "CE"],
    ["CDS", "EURUSD26SEP191.085CE", 1553, "26-SEP-19", 1.085, 1, "CE"],
    ["CDS", "USDJPY27JAN23146PE", 11666, "27-JAN-23", 146, 1, "PE"],
    ["MCX", "GOLDPETAL30JUN26FUT", 2001, "30-JUN-26", 0, 1, "FUT"],
  ],
};

for (const backend of BACKENDS) {
  describe(`importing every real sample file on ${backend.name}`, () => {
    let store: SymbolStore;
    let cleanup: () => Promise<void>;
    let report: ImportReport;

    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      report = await importMasterFiles(store, "jainam_prop", sampleFiles());
    });
    afterAll(async () => cleanup());

    it("stores every parseable instrument: 0 unparseable lines, 0 collisions", () => {
      expect(report.totals.unparseable).toBe(0);
      expect(report.totals.collisions).toBe(0);
      expect(report.stored).toBe(true);
      // 23,998 lines minus 478 spreads and 1 MCX spot.
      expect(report.totals.lines).toBe(23_969);
      expect(report.totals.rows).toBe(23_490);
    });

    it("skips exactly the spreads and the MCX spot row", () => {
      const skipped = Object.fromEntries(report.segments.map((s) => [s.segment, s.skipped]));
      expect(skipped).toMatchObject({ NSEFO: { spread: 436 }, BSEFO: { spread: 42 }, MCXFO: { spot: 1 } });
    });

    for (const [file, rows] of Object.entries(EXPECTED)) {
      it(`${file}: hand-verified rows`, async () => {
        for (const [exchange, symbol, token, expiry, strike, lotsize, instrumenttype] of rows) {
          const stored = await store.findBySymbol("jainam_prop", exchange, symbol);
          expect(stored, `${exchange} ${symbol}`).toMatchObject({ token, expiry, strike, lotsize, instrumenttype, exchange });
          expect((await store.findByToken("jainam_prop", exchange, token))?.symbol).toBe(symbol);
        }
      });
    }

    it("never gives a spread's token a future's symbol (BERGEPAINT spread 9574506)", async () => {
      expect(await store.findByToken("jainam_prop", "NFO", 9574506)).toBeUndefined();
    });

    it("re-importing one broker leaves another broker's rows byte-for-byte unchanged", async () => {
      await importMasterFiles(store, "other_broker", sampleFiles().filter((f) => f.endsWith("NSEFO.txt")));
      const before = JSON.stringify(await store.loadBroker("other_broker"));
      const again = await importMasterFiles(store, "jainam_prop", sampleFiles().filter((f) => f.endsWith("BSEFO.txt")));
      expect(again.deleted).toBe(23_490);
      expect(JSON.stringify(await store.loadBroker("other_broker"))).toBe(before);
      expect(await store.countByExchange("jainam_prop")).toEqual({ BFO: 3341 });
    });
  });
}
