import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CandleKey, StoredCandle } from "../../src/store/candle-store.js";
import type { GatewayStore } from "../../src/store/symbol-store.js";
import { BACKENDS } from "../support/backends.js";

const KEY: CandleKey = { broker: "jainam_prop", exchange: "NSE", token: 2885, interval: "5m" };
const bar = (ts: number, close: number): StoredCandle => ({ ts, open: close - 1, high: close + 1, low: close - 2, close, volume: 1000, oi: 0 });

for (const backend of BACKENDS) {
  describe(`candle store on ${backend.name}`, () => {
    let store: GatewayStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
    });
    afterEach(async () => cleanup());

    it("keeps candles and the days they cover, per instrument and interval, oldest first", async () => {
      // 2026-11-23 09:15 and 09:20 IST; 2026-11-24 09:15 IST.
      const candles = [bar(1795921200, 101.5), bar(1795921500, 102), bar(1796007600, 99.25)];
      await store.saveCandles(KEY, ["2026-11-22", "2026-11-23", "2026-11-24"], [candles[2]!, candles[0]!, candles[1]!]);
      expect(await store.readCandles(KEY, 1795921200, 1796007600)).toEqual(candles);
      expect(await store.readCandles(KEY, 1795921300, 1795921500)).toEqual([candles[1]]);
      expect([...(await store.candleDays(KEY, "2026-11-23", "2026-11-30"))].sort()).toEqual(["2026-11-23", "2026-11-24"]);
      expect(await store.readCandles({ ...KEY, interval: "1m" }, 0, 2e9)).toEqual([]);
      expect(await store.readCandles({ ...KEY, token: 2886 }, 0, 2e9)).toEqual([]);
    });

    it("a candle stored again replaces the old one; a day marked again stays one day", async () => {
      await store.saveCandles(KEY, ["2026-11-23"], [bar(1795921200, 100)]);
      await store.saveCandles(KEY, ["2026-11-23"], [bar(1795921200, 105)]);
      expect(await store.readCandles(KEY, 0, 2e9)).toEqual([bar(1795921200, 105)]);
      expect((await store.candleDays(KEY, "2026-11-01", "2026-11-30")).size).toBe(1);
    });

    it("stores a year of 5-minute bars in one go, and a contract replace leaves them alone", async () => {
      const year = Array.from({ length: 18_750 }, (_, i) => bar(1764560700 + i * 300, 100 + (i % 50)));
      await store.saveCandles(KEY, ["2026-01-01"], year);
      await store.replaceBroker("jainam_prop", [], { status: "success", message: "empty", owner: null });
      expect(await store.readCandles(KEY, 0, 2e9)).toHaveLength(18_750);
    });
  });
}
