import { createReadStream, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContractBuilder } from "../instruments/contract-builder.js";
import type { SymbolRow } from "../store/types.js";
import { parseMasterStream } from "../xts/master-parser.js";
import { columnsOfRows } from "./contract-columns.js";
import { decodeSnapshot, encodeSnapshot, SnapshotError } from "./contract-snapshot.js";
import { SymbolIndex } from "./symbol-index.js";

const SAMPLES = join(import.meta.dirname, "../../test/fixtures/xts-master-sample");

async function sampleRows(): Promise<SymbolRow[]> {
  const builder = new ContractBuilder("jainam_prop");
  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith(".txt"))) {
    for await (const batch of parseMasterStream(createReadStream(join(SAMPLES, file), { encoding: "utf8" }))) for (const p of batch) builder.addParsed(p);
  }
  return builder.finish().rows;
}

describe("the contract snapshot", () => {
  it("gives back an index that answers exactly as the one it was taken of, for every real sample row", async () => {
    const rows = await sampleRows();
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
    const blob = encodeSnapshot(columnsOfRows("jainam_prop", (await sampleRows()).slice(0, 2000)));
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 100]! ^= 0x01;
    expect(() => decodeSnapshot(flipped)).toThrow(/CRC-32/);
    expect(() => decodeSnapshot(blob.subarray(0, blob.length - 1))).toThrow(SnapshotError);
    expect(() => decodeSnapshot(Buffer.from("SQLite format 3\0"))).toThrow(/bad magic/);
  });
});
