import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SNAPSHOT_PART_BYTES } from "../../src/store/snapshot-parts.js";
import type { SymbolStore } from "../../src/store/symbol-store.js";
import type { SymbolRow } from "../../src/store/types.js";
import { BACKENDS } from "../support/backends.js";

function row(overrides: Partial<SymbolRow> & Pick<SymbolRow, "symbol" | "token">): SymbolRow {
  return {
    broker: "jainam_prop",
    brsymbol: `${overrides.symbol}-BR`,
    name: overrides.symbol,
    exchange: "NSE",
    brexchange: "NSECM",
    expiry: "",
    strike: 0,
    lotsize: 1,
    instrumenttype: "EQ",
    tick_size: 0.05,
    freeze_qty: 0,
    lower_circuit: null,
    upper_circuit: null,
    ...overrides,
  };
}

for (const backend of BACKENDS) {
  describe(`symbol store on ${backend.name}`, () => {
    let store: SymbolStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
    });
    afterEach(async () => cleanup());

    it("round-trips every column, token as an integer", async () => {
      const r = row({ symbol: "NIFTY28MAR2420800CE", token: 43567, exchange: "NFO", brexchange: "NSEFO", expiry: "28-MAR-24", strike: 20800, lotsize: 75, instrumenttype: "CE", freeze_qty: 1801, lower_circuit: 0.05, upper_circuit: 1245.35 });
      await store.replaceBroker("jainam_prop", [r]);
      expect(await store.findBySymbol("jainam_prop", "NFO", "NIFTY28MAR2420800CE")).toEqual(r);
      const byToken = await store.findByToken("jainam_prop", "NFO", 43567);
      expect(byToken?.token).toBe(43567);
      expect(typeof byToken?.token).toBe("number");
      expect(await store.findBySymbol("jainam_prop", "NSE", "NIFTY28MAR2420800CE")).toBeUndefined();
    });

    it("replaceBroker swaps the whole set and leaves other brokers' rows untouched", async () => {
      const other = [row({ broker: "other", symbol: "SBIN", token: 3045 }), row({ broker: "other", symbol: "INFY", token: 1594 })];
      await store.replaceBroker("other", other);
      await store.replaceBroker("jainam_prop", [row({ symbol: "SBIN", token: 3045 }), row({ symbol: "OLD", token: 1 })]);
      const result = await store.replaceBroker("jainam_prop", [row({ symbol: "SBIN", token: 3045 }), row({ symbol: "NEW", token: 2 })]);
      expect(result).toMatchObject({ deleted: 2, inserted: 2 });
      expect((await store.loadBroker("jainam_prop")).map((r) => r.symbol).sort()).toEqual(["NEW", "SBIN"]);
      expect(await store.loadBroker("other")).toEqual(other);
    });

    it("a failing replace keeps every previous row (one transaction)", async () => {
      const before = [row({ symbol: "SBIN", token: 3045 }), row({ symbol: "INFY", token: 1594 })];
      await store.replaceBroker("jainam_prop", before);
      const duplicateSymbol = [row({ symbol: "A", token: 1 }), row({ symbol: "B", token: 2 }), row({ symbol: "A", token: 3 })];
      await expect(store.replaceBroker("jainam_prop", duplicateSymbol)).rejects.toMatchObject({ code: "STORE_ERROR" });
      expect(await store.loadBroker("jainam_prop")).toEqual(before);
    });

    it("enforces unique (broker, exchange, symbol) and (broker, brexchange, token) but allows a token in two segments", async () => {
      await expect(
        store.replaceBroker("jainam_prop", [row({ symbol: "A", token: 9 }), row({ symbol: "B", token: 9 })]),
      ).rejects.toMatchObject({ code: "STORE_ERROR" });
      await store.replaceBroker("jainam_prop", [row({ symbol: "A", token: 9 }), row({ symbol: "GOLD25JANFUT", token: 9, exchange: "MCX", brexchange: "MCXFO" })]);
      expect(await store.countByExchange("jainam_prop")).toEqual({ MCX: 1, NSE: 1 });
    });

    it("refuses rows of another broker in replaceBroker", async () => {
      await expect(store.replaceBroker("jainam_prop", [row({ broker: "other", symbol: "A", token: 1 })])).rejects.toMatchObject({ code: "STORE_ERROR" });
    });

    it("status starts pending, and a success written with the rows counts them and bumps the contract version", async () => {
      expect(await store.getStatus("jainam_prop")).toMatchObject({ status: "pending", contractVersion: 0, totalSymbols: 0 });
      const finishedAt = new Date().toISOString();
      const result = await store.replaceBroker(
        "jainam_prop",
        [row({ symbol: "A", token: 1 }), row({ symbol: "B", token: 2, exchange: "BSE", brexchange: "BSECM" })],
        { status: "success", message: "ok", finishedAt, durationMs: 12, report: { segments: [{ segment: "NSECM", rows: 1 }] } },
      );
      expect(result.contractVersion).toBe(1);
      expect(await store.getStatus("jainam_prop")).toMatchObject({
        status: "success",
        message: "ok",
        totalSymbols: 2,
        exchangeCounts: { BSE: 1, NSE: 1 },
        contractVersion: 1,
        lastSuccessAt: finishedAt,
        durationMs: 12,
        report: { segments: [{ segment: "NSECM", rows: 1 }] },
      });
    });

    it("an error status keeps the counts and version of the contract still stored", async () => {
      await store.replaceBroker("jainam_prop", [row({ symbol: "A", token: 1 })], { status: "success", message: "ok" });
      await store.updateStatus("jainam_prop", { status: "error", message: "NSEFO: connection reset" });
      expect(await store.getStatus("jainam_prop")).toMatchObject({ status: "error", message: "NSEFO: connection reset", totalSymbols: 1, contractVersion: 1 });
    });

    it("claimRefresh lets one owner in and refuses a second until the first releases", async () => {
      const at = new Date().toISOString();
      const first = await store.claimRefresh("jainam_prop", "host:1:a", at, () => false);
      expect(first.acquired).toBe(true);
      const second = await store.claimRefresh("jainam_prop", "host:2:b", at, () => false);
      expect(second).toMatchObject({ acquired: false, holder: { owner: "host:1:a", status: "downloading" } });
      await store.updateStatus("jainam_prop", { status: "error", message: "done", owner: null });
      if (first.acquired) await first.release();
      const third = await store.claimRefresh("jainam_prop", "host:3:c", at, () => false);
      expect(third.acquired).toBe(true);
      expect((await store.getStatus("jainam_prop")).owner).toBe("host:3:c");
      if (third.acquired) await third.release();
    });

    it("a claim left by a dead owner can be taken over", async () => {
      const at = new Date().toISOString();
      const first = await store.claimRefresh("jainam_prop", "host:1:a", at, () => false);
      expect(first.acquired).toBe(true);
      // The owner dies: a lock the engine holds for it goes with it; its record stays behind.
      if (first.acquired) await first.release();
      expect((await store.getStatus("jainam_prop")).status).toBe("downloading");
      const takeover = await store.claimRefresh("jainam_prop", "host:2:b", at, (holder) => holder.owner === "host:1:a");
      expect(takeover.acquired).toBe(true);
      expect((await store.getStatus("jainam_prop")).owner).toBe("host:2:b");
      if (takeover.acquired) await takeover.release();
    });

    it("keeps the snapshot written with the rows, tagged with their contract version; a replace without one or a failed one never leaves a snapshot of other rows", async () => {
      // Larger than one part: stored in three, read back as one.
      const blob = Uint8Array.from({ length: Math.round(2.5 * SNAPSHOT_PART_BYTES) }, (_, i) => (i * 31) & 255);
      const { contractVersion } = await store.replaceBroker("jainam_prop", [row({ symbol: "A", token: 1 })], { status: "success", message: "ok" }, blob);
      const stored = await store.loadSnapshot("jainam_prop");
      expect(stored?.contractVersion).toBe(contractVersion);
      expect(Buffer.compare(Buffer.from(stored!.bytes), Buffer.from(blob))).toBe(0);
      expect(await store.loadSnapshot("other")).toBeNull();
      // A failing replace rolls back: the snapshot of the rows still stored stays.
      await expect(store.replaceBroker("jainam_prop", [row({ symbol: "B", token: 2 }), row({ symbol: "B", token: 3 })], { status: "success", message: "x" }, Uint8Array.of(1))).rejects.toMatchObject({ code: "STORE_ERROR" });
      expect((await store.loadSnapshot("jainam_prop"))?.contractVersion).toBe(contractVersion);
      // Rows replaced without a snapshot (an import by an older build, a test): the old snapshot goes with the old rows.
      await store.replaceBroker("jainam_prop", [row({ symbol: "C", token: 4 })], { status: "success", message: "ok" });
      expect(await store.loadSnapshot("jainam_prop")).toBeNull();
    });

    it("stores text with quotes and unicode verbatim (parameterised statements)", async () => {
      const tricky = row({ symbol: "M&M", token: 2031, brsymbol: "x'); DROP TABLE symbol_token; --", name: "Mahindra & Mahindra — ₹" });
      await store.replaceBroker("jainam_prop", [tricky]);
      expect(await store.findBySymbol("jainam_prop", "NSE", "M&M")).toEqual(tricky);
    });
  });
}
