import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffContract, MAX_CHANGED_SHARE, sampledChangeShare, storeContract } from "../../src/mastercontract/store-contract.js";
import { columnsOfRows } from "../../src/resolver/columns-writer.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/resolver/contract-snapshot.js";
import { SymbolIndex } from "../../src/resolver/symbol-index.js";
import type { StatusUpdate } from "../../src/store/status-types.js";
import type { GatewayStore } from "../../src/store/symbol-store.js";
import { UNINDEXED_COLUMNS, type SymbolRow } from "../../src/store/types.js";
import { BACKENDS } from "../support/backends.js";

const BROKER = "jainam_prop";

/** `count` NIFTY options, strikes 50 apart, calls and puts, each with a price band. */
function contract(count: number, band = 1): SymbolRow[] {
  return Array.from({ length: count }, (_, i) => {
    const strike = 20_000 + 50 * Math.floor(i / 2);
    const type = i % 2 === 0 ? "CE" : "PE";
    return {
      broker: BROKER,
      symbol: `NIFTY28MAR24${strike}${type}`,
      brsymbol: `NIFTY 28MAR2024 ${type} ${strike}`,
      name: "NIFTY",
      exchange: "NFO",
      brexchange: "NSEFO",
      token: 40_000 + i,
      expiry: "28-MAR-24",
      strike,
      lotsize: 75,
      instrumenttype: type,
      tick_size: 0.05,
      freeze_qty: 1801,
      lower_circuit: i % 7 === 0 ? null : 0.05 * band,
      upper_circuit: i % 7 === 0 ? null : 1000 + i * band,
    };
  });
}

const status = (message: string): StatusUpdate => ({ status: "success", message, owner: null });

/** The broker's rows as the table holds them, in a stable order. */
async function stored(store: GatewayStore): Promise<SymbolRow[]> {
  return (await store.loadBroker(BROKER)).sort((a, b) => a.symbol.localeCompare(b.symbol));
}

const sorted = (rows: readonly SymbolRow[]): SymbolRow[] => [...rows].sort((a, b) => a.symbol.localeCompare(b.symbol));

describe("the difference between a stored contract and a new one", () => {
  const previous = SymbolIndex.build(contract(100));

  it("counts every row to write, and gives up (null) as soon as there are more than the limit", () => {
    // 5 withdrawn, 5 listed, 5 bands revised: 15 rows to write.
    const next = [...contract(100).slice(5), ...contract(105).slice(100)].map((r) => (r.token % 10 === 7 && r.token < 40_055 ? { ...r, upper_circuit: 1 } : r));
    const diff = diffContract(previous, SymbolIndex.build(next), 15);
    expect(diff).not.toBeNull();
    expect([diff!.removed.length, diff!.added.length, diff!.updated.length]).toEqual([5, 5, 5]);
    expect(diffContract(previous, SymbolIndex.build(next), 14)).toBeNull();
    // An empty contract removes every row.
    const none = SymbolIndex.build([]);
    expect(diffContract(previous, none, 99)).toBeNull();
    expect(diffContract(previous, none, 100)?.removed).toHaveLength(100);
  });

  it("samples the share of new rows that are missing or changed, to write a new day whole without diffing it", () => {
    expect(sampledChangeShare(previous, SymbolIndex.build(contract(100)))).toBe(0);
    // Every band moves except the rows with none (one in seven).
    expect(sampledChangeShare(previous, SymbolIndex.build(contract(100, 2)))).toBeCloseTo(85 / 100, 5);
    const tenRenamed = contract(100).map((r, i) => (i % 10 === 3 ? { ...r, symbol: `${r.symbol}X` } : r));
    expect(sampledChangeShare(previous, SymbolIndex.build(tenRenamed))).toBeCloseTo(0.1, 5);
    expect(sampledChangeShare(previous, SymbolIndex.build([]))).toBe(0);
    // A large contract is sampled, not walked: 1,024 evenly spaced rows stand for 20,000.
    const big = SymbolIndex.build(contract(20_000));
    const half = contract(20_000).map((r, i) => (i % 2 === 0 ? { ...r, upper_circuit: -1 } : r));
    expect(sampledChangeShare(big, SymbolIndex.build(half))).toBeCloseTo(0.5, 1);
  });

  it("lists the new contract as the table will hold it: staying rows in their stored order, then the new ones", () => {
    const next = [...contract(105).slice(100), ...contract(100).slice(3).reverse()];
    const diff = diffContract(previous, SymbolIndex.build(next))!;
    expect([...diff.order].map((j) => next[j]!.token)).toEqual([...contract(100).slice(3), ...contract(105).slice(100)].map((r) => r.token));
  });

  /** The difference worked out the plain way, one Map lookup a row: what diffContract must equal. */
  function plainDiff(before: readonly SymbolRow[], after: readonly SymbolRow[]) {
    const keyOf = (r: SymbolRow): string => `${r.exchange}|${r.symbol}`;
    const at = new Map(before.map((r, i) => [keyOf(r), i]));
    const unindexed = new Set<string>(UNINDEXED_COLUMNS);
    const staying = new Map<number, number>();
    const addedAt: number[] = [];
    const updated: SymbolRow[] = [];
    after.forEach((r, j) => {
      const i = at.get(keyOf(r));
      const changed = i === undefined ? [] : (Object.keys(r) as (keyof SymbolRow)[]).filter((k) => r[k] !== before[i]![k]);
      if (i === undefined || changed.some((k) => !unindexed.has(k))) addedAt.push(j);
      else {
        staying.set(i, j);
        if (changed.length > 0) updated.push(r);
      }
    });
    const removed = before.flatMap((r, i) => (staying.has(i) ? [] : [{ exchange: r.exchange, symbol: r.symbol }]));
    const order = [...before.keys()].flatMap((i) => (staying.has(i) ? [staying.get(i)!] : [])).concat(addedAt);
    return { removed, added: addedAt.map((j) => after[j]!), updated, order };
  }

  it("finds exactly the rows a plain lookup would, however two refreshes interleave their segments", () => {
    // Three segments of 60 rows each; each contract lists every segment in line order, interleaved at random.
    const segment = (brexchange: string, exchange: string, base: number): SymbolRow[] =>
      contract(60).map((r) => ({ ...r, brexchange, exchange, token: r.token + base, symbol: `${exchange}${r.symbol}` }));
    const segments = [segment("NSEFO", "NFO", 0), segment("BSEFO", "BFO", 1_000), segment("MCXFO", "MCX", 2_000)];
    const interleave = (lists: SymbolRow[][], picks: number[]): SymbolRow[] => {
      const at = lists.map(() => 0);
      const out: SymbolRow[] = [];
      for (let k = 0; out.length < lists.reduce((n, l) => n + l.length, 0); k += 1) {
        const open = lists.map((l, s) => s).filter((s) => at[s]! < lists[s]!.length);
        const s = open[(picks[k % picks.length] ?? 0) % open.length]!;
        out.push(lists[s]![at[s]!++]!);
      }
      return out;
    };
    const edit = fc.record({ drop: fc.boolean(), band: fc.boolean(), token: fc.boolean(), listed: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.nat(5), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(5), { minLength: 1, maxLength: 40 }), fc.array(edit, { minLength: 180, maxLength: 180 }), (first, second, edits) => {
        const before = interleave(segments, first);
        let e = 0;
        const changed = segments.map((rows) =>
          rows.flatMap((r) => {
            const { drop, band, token, listed } = edits[e++]!;
            if (drop) return [];
            const kept = { ...r, ...(band ? { upper_circuit: (r.upper_circuit ?? 0) + 1 } : {}), ...(token ? { token: r.token + 50_000 } : {}) };
            return listed ? [kept, { ...kept, symbol: `${kept.symbol}X`, token: kept.token + 100_000 }] : [kept];
          }),
        );
        const after = interleave(changed, second);
        const diff = diffContract(SymbolIndex.build(before), SymbolIndex.build(after))!;
        const expected = plainDiff(before, after);
        expect(diff.removed).toEqual(expected.removed);
        expect(diff.added).toEqual(expected.added);
        expect(diff.updated).toEqual(expected.updated);
        expect([...diff.order]).toEqual(expected.order);
      }),
      { numRuns: 300 },
    );
  });
});

for (const backend of BACKENDS) {
  describe(`storing a contract on ${backend.name}: only the changes when few rows differ`, () => {
    let store: GatewayStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
    });
    afterEach(async () => cleanup());

    it.each([
      ["400 rows, a one-part snapshot", 400],
      ["20,000 rows, a snapshot of several parts", 20_000],
    ])("the first contract is written whole; the same contract again writes nothing but a new status and snapshot (%s)", async (_, count) => {
      const rows = contract(count);
      const first = await storeContract(store, BROKER, rows, status("first"));
      expect(first).toMatchObject({ written: "whole", deleted: 0, inserted: count, updated: 0 });
      const again = await storeContract(store, BROKER, rows, status("again"));
      expect(again).toMatchObject({ written: "changes", deleted: 0, inserted: 0, updated: 0 });
      expect(again.contractVersion).toBe(first.contractVersion + 1);
      expect(await stored(store)).toEqual(sorted(rows));
      expect((await store.getStatus(BROKER)).message).toBe("again");
      const snapshot = await store.loadSnapshot(BROKER);
      expect(snapshot?.contractVersion).toBe(again.contractVersion);
      expect(SymbolIndex.fromColumns(decodeSnapshot(snapshot!.bytes)).get("NIFTY28MAR2420000CE", "NFO")).toEqual(rows[0]);
      // The stored index is handed back as the new one: it is the table's rows in the table's order.
      expect(SymbolIndex.fromColumns(again.columns).allRows()).toEqual(await store.loadBroker(BROKER));
      expect(Buffer.compare(encodeSnapshot(again.columns), snapshot!.bytes)).toBe(0);
    });

    it("the same contract listed in another order writes nothing either: it is compared row by row", async () => {
      const rows = contract(400);
      await storeContract(store, BROKER, rows, status("first"));
      const again = await storeContract(store, BROKER, [...rows].reverse(), status("reversed"));
      expect(again).toMatchObject({ written: "changes", deleted: 0, inserted: 0, updated: 0 });
      // Still the table's order, not the new listing's.
      expect(SymbolIndex.fromColumns(again.columns).allRows()).toEqual(await store.loadBroker(BROKER));
      expect(SymbolIndex.fromColumns(again.columns).allRows()).toEqual(rows);
    });

    it("later the same day: revised price bands are updated in place, withdrawn contracts deleted and new ones inserted; the table ends exactly as the new contract", async () => {
      const today = contract(400);
      await storeContract(store, BROKER, today, status("morning"));
      // The first 10 contracts withdrawn, 10 new strikes listed, one token changed, one band in ten revised.
      const later = [...today.slice(10), ...contract(410).slice(400)].map((r) => {
        const i = r.token - 40_000;
        if (i === 25) return { ...r, token: 99_999 };
        return i % 10 === 3 ? { ...r, upper_circuit: (r.upper_circuit ?? 0) + 1 } : r;
      });
      const result = await storeContract(store, BROKER, later, status("afternoon"));
      expect(result.written).toBe("changes");
      expect(result.deleted).toBe(11); // 10 withdrawn + the row whose token changed
      expect(result.inserted).toBe(11); // 10 listed + that row's new values
      expect(result.updated).toBe(Array.from({ length: 390 }, (_, k) => k + 10).filter((i) => i % 10 === 3).length);
      expect(await stored(store)).toEqual(sorted(later));
      // The new index lists the rows in the order the table holds them (the staying rows, then the new ones).
      expect(SymbolIndex.fromColumns(result.columns).allRows()).toEqual(await store.loadBroker(BROKER));
      expect(await store.findByToken(BROKER, "NFO", 99_999)).toEqual(later[15]);
      expect(await store.findByToken(BROKER, "NFO", 40_000)).toBeUndefined();
    });

    it("a new day, when every price band moves, is written whole: updating nearly every row costs more than the rebuild", async () => {
      await storeContract(store, BROKER, contract(400), status("today"));
      const result = await storeContract(store, BROKER, contract(400, 2), status("tomorrow"));
      expect(result).toMatchObject({ written: "whole", deleted: 400, inserted: 400, updated: 0 });
      expect(await stored(store)).toEqual(sorted(contract(400, 2)));
    });

    it(`more than ${MAX_CHANGED_SHARE * 100} % of rows deleted or inserted: the whole contract is written`, async () => {
      await storeContract(store, BROKER, contract(400), status("today"));
      const renamed = contract(400).map((r, i) => (i < 150 ? { ...r, symbol: `${r.symbol}X`, token: r.token + 1_000 } : r));
      const result = await storeContract(store, BROKER, renamed, status("renamed"));
      expect(result).toMatchObject({ written: "whole", deleted: 400, inserted: 400 });
      expect(await stored(store)).toEqual(sorted(renamed));
    });

    it("leaves another broker's rows alone", async () => {
      const other = contract(50).map((r) => ({ ...r, broker: "other" }));
      await store.replaceBroker("other", other);
      await storeContract(store, BROKER, contract(400), status("today"));
      expect((await storeContract(store, BROKER, contract(380), status("later"))).written).toBe("changes");
      expect((await store.loadBroker("other")).sort((a, b) => a.symbol.localeCompare(b.symbol))).toEqual(sorted(other));
    });

    it("a snapshot that is not of the stored rows writes nothing: the contract is then written whole", async () => {
      const rows = contract(400);
      await storeContract(store, BROKER, rows, status("today"));
      const base = (await store.loadSnapshot(BROKER))!;
      // Another process replaces the contract between the read and the write.
      await storeContract(store, BROKER, contract(300), status("someone else"));
      const stale = await store.updateBroker(BROKER, { base: base.bytes, removed: [], added: [], updated: [] }, status("stale"), base.bytes);
      expect(stale).toBeNull();
      expect((await store.getStatus(BROKER)).message).toBe("someone else");
      expect(await stored(store)).toEqual(sorted(contract(300)));
    });

    it("the base must be the stored snapshot byte for byte, in every part: one byte off in the last, or a base cut short or run long, writes nothing", async () => {
      // ~2.6 MB of snapshot: three parts of SNAPSHOT_PART_BYTES.
      const rows = contract(20_000);
      await storeContract(store, BROKER, rows, status("today"));
      const base = (await store.loadSnapshot(BROKER))!.bytes;
      expect(base.byteLength).toBeGreaterThan(2 * 1024 * 1024);
      const revised = rows.map((r, i) => (i === 19_999 ? { ...r, upper_circuit: 7 } : r));
      const change = (b: Uint8Array) => store.updateBroker(BROKER, { base: b, removed: [], added: [], updated: [revised[19_999]!] }, status("revised"), encodeSnapshot(columnsOfRows(BROKER, revised)));
      const flipped = Uint8Array.from(base);
      flipped[flipped.length - 3]! ^= 1;
      expect(await change(flipped)).toBeNull();
      expect(await change(base.subarray(0, base.byteLength - 1))).toBeNull();
      const longer = new Uint8Array(base.byteLength + 1);
      longer.set(base);
      expect(await change(longer)).toBeNull();
      expect((await store.getStatus(BROKER)).message).toBe("today");
      // A copy of the same bytes is the same base.
      expect(await change(Uint8Array.from(base))).not.toBeNull();
      expect((await store.getStatus(BROKER)).message).toBe("revised");
      expect(await store.findBySymbol(BROKER, "NFO", revised[19_999]!.symbol)).toMatchObject({ upper_circuit: 7 });
    });

    it("a change naming a row the table lacks is undone whole (nothing deleted, nothing updated)", async () => {
      const rows = contract(400);
      await storeContract(store, BROKER, rows, status("today"));
      const base = (await store.loadSnapshot(BROKER))!;
      const next = contract(400, 5);
      const result = await store.updateBroker(
        BROKER,
        { base: base.bytes, removed: [{ exchange: "NFO", symbol: rows[0]!.symbol }, { exchange: "NFO", symbol: "NOSUCHROW" }], added: [], updated: next.slice(1) },
        status("bad"),
        encodeSnapshot(columnsOfRows(BROKER, next.slice(1))),
      );
      expect(result).toBeNull();
      expect(await stored(store)).toEqual(sorted(rows));
      expect((await store.getStatus(BROKER)).message).toBe("today");
    });

    it("a damaged stored snapshot is not used to compare: the contract is written whole and a good snapshot replaces it", async () => {
      await storeContract(store, BROKER, contract(400), status("today"));
      await store.replaceBroker(BROKER, contract(400), status("no snapshot"), Buffer.from("not a snapshot"));
      const result = await storeContract(store, BROKER, contract(400), status("again"));
      expect(result.written).toBe("whole");
      expect(decodeSnapshot((await store.loadSnapshot(BROKER))!.bytes).count).toBe(400);
    });
  });
}
