import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GatewayStore } from "../../src/store/symbol-store.js";
import { BACKENDS } from "../support/backends.js";

for (const backend of BACKENDS) {
  describe(`analyzer paper books on ${backend.name}`, () => {
    let store: GatewayStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
    });
    afterEach(async () => cleanup());

    it("the mode is null until set, then what was set last, per broker", async () => {
      expect(await store.analyzerMode("jainam_prop")).toBeNull();
      await store.setAnalyzerMode("jainam_prop", true);
      await store.setAnalyzerMode("other", false);
      expect(await store.analyzerMode("jainam_prop")).toBe(true);
      await store.setAnalyzerMode("jainam_prop", false);
      expect(await store.analyzerMode("jainam_prop")).toBe(false);
      expect(await store.analyzerMode("other")).toBe(false);
    });

    it("orders come back whole, oldest first, and a saved order replaces its earlier state", async () => {
      const a = { orderid: "26112500000001", status: "open", price: 101.5, note: "₹ and \"quotes\"" };
      const b = { orderid: "26112500000002", status: "complete", price: 99 };
      await store.savePaperOrder("jainam_prop", b.orderid, 2000, b);
      await store.savePaperOrder("jainam_prop", a.orderid, 1000, a);
      await store.savePaperOrder("other", "x", 500, { orderid: "x" });
      expect(await store.paperOrders("jainam_prop")).toEqual([a, b]);
      await store.savePaperOrder("jainam_prop", a.orderid, 1000, { ...a, status: "cancelled" });
      expect(await store.paperOrders("jainam_prop")).toEqual([{ ...a, status: "cancelled" }, b]);
      expect(await store.paperOrders("nobody")).toEqual([]);
    });
  });
}
