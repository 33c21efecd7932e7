import { Readable } from "node:stream";
import type { SymbolRow } from "../store/types.js";

export type InstrumentsFormat = "json" | "csv";

/** A `symbol_token` row as OpenAlgo's /symbol, /search and /instruments show it. */
export function symbolData(row: SymbolRow): Record<string, unknown> {
  return {
    symbol: row.symbol,
    brsymbol: row.brsymbol,
    name: row.name,
    exchange: row.exchange,
    brexchange: row.brexchange,
    token: row.token,
    expiry: row.expiry,
    strike: row.strike,
    lotsize: row.lotsize,
    instrumenttype: row.instrumenttype,
    tick_size: row.tick_size,
    freeze_qty: row.freeze_qty,
    lower_circuit: row.lower_circuit,
    upper_circuit: row.upper_circuit,
  };
}

const CSV_COLUMNS = ["symbol", "brsymbol", "name", "exchange", "brexchange", "token", "expiry", "strike", "lotsize", "instrumenttype", "tick_size", "freeze_qty", "lower_circuit", "upper_circuit"] as const;

/** A null (no circuit limit in the master) is an empty cell, never the text "null". */
function csvCell(value: unknown): string {
  const text = value === null ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function serialise(rows: readonly SymbolRow[], format: InstrumentsFormat): Buffer {
  if (format === "csv") {
    const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))];
    return Buffer.from(`${lines.join("\n")}\n`);
  }
  return Buffer.from(JSON.stringify({ status: "success", message: `Found ${rows.length} instruments`, data: rows.map(symbolData) }));
}

/** Whole instrument lists are large (34 MB for every exchange as JSON): keep at most this much serialised. */
const CACHE_BYTES = 160 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Each (contract version, exchange, format) serialised once and shared by every download of it:
 * a client that does not read its answer holds a stream over the shared buffer, not a copy of it.
 * A new contract version drops the older entries.
 */
export class InstrumentsCache {
  private version = -1;
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  get(version: number, exchange: string | undefined, format: InstrumentsFormat, rows: () => readonly SymbolRow[]): Buffer {
    if (version !== this.version) {
      this.entries.clear();
      this.bytes = 0;
      this.version = version;
    }
    const key = `${exchange ?? "*"}|${format}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Most recently used last, so eviction takes the oldest.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const body = serialise(rows(), format);
    this.entries.set(key, body);
    this.bytes += body.length;
    for (const [old, buffer] of this.entries) {
      if (this.bytes <= CACHE_BYTES || old === key) break;
      this.entries.delete(old);
      this.bytes -= buffer.length;
    }
    return body;
  }
}

/** A stream over `body` in 64 KiB views (no copies), pushed only as fast as the socket takes them. */
export function streamOf(body: Buffer): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= body.length) {
        this.push(null);
        return;
      }
      const end = Math.min(offset + CHUNK_BYTES, body.length);
      this.push(body.subarray(offset, end));
      offset = end;
    },
  });
}
