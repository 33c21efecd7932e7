import { describe, expect, it } from "vitest";
import { sampleContractRows } from "../../test/support/samples.js";
import type { SymbolRow } from "../store/types.js";
import { columnsOfRows } from "./columns-writer.js";
import { decodeSnapshot, encodeSnapshot, SnapshotError } from "./contract-snapshot.js";
import { SymbolIndex } from "./symbol-index.js";

describe("the contract snapshot", () => {
  it("gives back an index that answers exactly as the one it was taken of, for every real sample row", async () => {
    const rows = await sampleContractRows();
    const restored = SymbolIndex.fromColumns(decodeSnapshot(encodeSnapshot(columnsOfRows("jainam_prop", rows))));
    expect(restored.allRows()).toEqual(rows);
    for (const row of rows) {
      expect(restored.get(row.symbol, row.exchange)?.token).toBe(row.token);
      expect(restored.getByToken(row.token, row.exchange)?.symbol).toBe(row.symbol);
    }
  });

  it("keeps text outside Latin-1, and an empty contract", () => {
    const row: SymbolRow = { broker: "b", symbol: "NIFTY", brsymbol: "Nifty 50 — ₹", name: "NIFTY", exchange: "NSE_INDEX", brexchange: "NSECM", token: 26000, expiry: "", strike: 0, lotsize: 1, instrumenttype: "INDEX", tick_size: 0.05, freeze_qty: 0, lower_circuit: null, upper_circuit: null };
    expect(SymbolIndex.fromColumns(decodeSnapshot(encodeSnapshot(columnsOfRows("b", [row])))).allRows()).toEqual([row]);
    expect(SymbolIndex.fromColumns(decodeSnapshot(encodeSnapshot(columnsOfRows("b", [])))).size).toBe(0);
  });

  it("refuses a damaged blob: one flipped byte, a cut-short one, something else entirely", async () => {
    const blob = encodeSnapshot(columnsOfRows("jainam_prop", (await sampleContractRows()).slice(0, 2000)));
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 100]! ^= 0x01;
    expect(() => decodeSnapshot(flipped)).toThrow(/CRC-32/);
    expect(() => decodeSnapshot(blob.subarray(0, blob.length - 1))).toThrow(SnapshotError);
    expect(() => decodeSnapshot(Buffer.from("SQLite format 3\0"))).toThrow(/bad magic/);
  });

  it("reads a blob that owns its buffer in place, and copies one that shares a buffer, so moving the columns to another thread takes nothing else", async () => {
    const rows = (await sampleContractRows()).slice(0, 500);
    const encoded = encodeSnapshot(columnsOfRows("jainam_prop", rows));
    const owned = new Uint8Array(new ArrayBuffer(encoded.byteLength));
    owned.set(encoded);
    const inPlace = decodeSnapshot(owned);
    expect(inPlace.records.buffer).toBe(owned.buffer);
    // The same bytes inside a larger buffer (as a pooled Buffer is): a copy of their own.
    const shared = new Uint8Array(encoded.byteLength + 16);
    shared.set(encoded, 8);
    const neighbour = shared.subarray(0, 8).fill(7);
    const copied = decodeSnapshot(shared.subarray(8, 8 + encoded.byteLength));
    expect(copied.records.buffer).not.toBe(shared.buffer);
    structuredClone(copied, { transfer: [copied.records.buffer as ArrayBuffer] });
    expect([...neighbour]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
    expect(SymbolIndex.fromColumns(inPlace).allRows()).toEqual(rows);
  });
});
