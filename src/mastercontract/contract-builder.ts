import { ColumnsWriter } from "../resolver/columns-writer.js";
import type { ColumnRows, ContractColumns } from "../resolver/contract-columns.js";
import { SymbolIndex } from "../resolver/symbol-index.js";
import type { SymbolRow } from "../store/types.js";
import type { MasterLineIssue, XtsIndexEntry, XtsInstrument } from "../xts/master-types.js";
import type { ParsedLine } from "../xts/master-parser.js";
import { detachedText, rowFromIndexEntry, rowFromInstrument, type ExpirySpellings } from "../instruments/symbology.js";

/** Where a row came from, small enough to keep for every row of a 150,000-line contract. */
export interface LineRef {
  readonly segment: string;
  readonly lineNumber: number;
  readonly token: number;
  readonly brsymbol: string;
}

/** Two different instruments that would share a unique key; the first one seen is kept. */
export interface Collision {
  readonly key: "symbol" | "token";
  readonly exchange: string;
  readonly value: string;
  readonly kept: LineRef;
  readonly dropped: LineRef;
}

export interface SegmentReport {
  readonly segment: string;
  /** Non-blank lines (or index entries) read. */
  lines: number;
  /** Rows kept for storage. */
  rows: number;
  /** Lines deliberately not stored, by reason: spread, spot, duplicate, collision, unsupported_segment. */
  readonly skipped: Record<string, number>;
  unparseable: number;
  /** The first few unparseable lines, with line number and reason. */
  readonly issues: MasterLineIssue[];
  /** The first few collisions, with both lines. */
  readonly collisions: Collision[];
}

export interface BuiltContract {
  /** The kept rows as columns, in the order they were kept: what a refresh stores. */
  readonly columns: ContractColumns;
  /** The same rows as objects, made on first use (tests, small imports). */
  readonly rows: SymbolRow[];
  readonly segments: SegmentReport[];
  readonly totals: { lines: number; rows: number; unparseable: number; collisions: number; skipped: number };
}

const MAX_EXAMPLES = 20;

/**
 * Turns parsed master lines and index entries into `symbol_token` rows, enforcing the
 * store's unique keys up front: `(exchange, symbol)` and `(brexchange, token)`. Tokens are
 * compared only within a segment. The same instrument seen twice is a `duplicate`; two
 * different instruments on one key are a reported `collision`, never a silent drop.
 */
export class ContractBuilder {
  // Kept rows go straight into columns: a 150,000-row contract is never held as objects.
  private readonly rows: ColumnsWriter;
  // Where each kept row came from, as parallel arrays: no extra object per row.
  private readonly rowSegments: string[] = [];
  private readonly rowLines: number[] = [];
  private readonly byToken = new Map<string, Map<number, number>>();
  private readonly reports = new Map<string, SegmentReport>();
  private readonly expiries: ExpirySpellings = new Map();

  constructor(private readonly broker: string) {
    this.rows = new ColumnsWriter(broker, 16_384);
  }

  /** Makes room for about `rows` rows up front (growing later costs a copy of every column). */
  reserve(rows: number): void {
    this.rows.reserve(rows);
  }

  /** Rows kept so far. A kept row is final: a later line never replaces it (the first one seen wins). */
  get rowCount(): number {
    return this.rows.rowCount;
  }

  /** Kept rows that `part` can hand out before the last line is read (whole blocks of them). */
  get completedRows(): number {
    return this.rows.completedRows;
  }

  /** Kept rows [from, to) as columns of their own, for a store that writes while the rest is parsed. */
  part(from: number, to: number): ColumnRows {
    return this.rows.part(from, to);
  }

  report(segment: string): SegmentReport {
    let report = this.reports.get(segment);
    if (report === undefined) {
      report = { segment, lines: 0, rows: 0, skipped: {}, unparseable: 0, issues: [], collisions: [] };
      this.reports.set(segment, report);
    }
    return report;
  }

  addParsed(parsed: ParsedLine): void {
    if (parsed.ok) this.addInstrument(parsed.instrument, parsed.lineNumber);
    else this.addIssue(parsed.issue);
  }

  addIssue(issue: MasterLineIssue): void {
    const report = this.report(issue.segment);
    report.lines += 1;
    report.unparseable += 1;
    if (report.issues.length < MAX_EXAMPLES) report.issues.push(issue);
  }

  addInstrument(instrument: XtsInstrument, lineNumber: number): void {
    const segment = instrument.ExchangeSegment;
    const report = this.report(segment);
    report.lines += 1;
    const result = rowFromInstrument(this.broker, instrument, this.expiries);
    if ("skip" in result) {
      skip(report, result.skip);
      return;
    }
    this.keep(report, result.row, segment, lineNumber);
  }

  addIndexEntry(entry: XtsIndexEntry, position: number): void {
    const report = this.report(`INDEX${entry.segmentCode}`);
    report.lines += 1;
    const row = rowFromIndexEntry(this.broker, entry);
    if (row === undefined) {
      skip(report, "unsupported_segment");
      return;
    }
    this.keep(report, row, report.segment, position);
  }

  private keep(report: SegmentReport, row: SymbolRow, segment: string, lineNumber: number): void {
    // The symbol key is looked up in the columns' own table; tokens are unique per XTS segment
    // (brexchange), which is not the index's token key (the OpenAlgo exchange), so they keep a map.
    const tokens = inner(this.byToken, row.brexchange);
    const symbolAt = this.rows.findSymbol(row.symbol, row.exchange);
    const sameSymbol = symbolAt < 0 ? undefined : symbolAt;
    const sameToken = tokens.get(row.token);
    if (sameSymbol === undefined && sameToken === undefined) {
      const at = this.rows.append(row.symbol, row.brsymbol, row.name, row.exchange, row.brexchange, row.token, row.expiry, row.strike, row.lotsize, row.instrumenttype, row.tick_size, row.freeze_qty, row.lower_circuit, row.upper_circuit);
      this.rowSegments.push(segment);
      this.rowLines.push(lineNumber);
      tokens.set(row.token, at);
      report.rows += 1;
      return;
    }
    if (sameSymbol !== undefined && sameSymbol === sameToken) {
      skip(report, "duplicate");
      return;
    }
    const key = sameSymbol !== undefined ? "symbol" : "token";
    const keptAt = (sameSymbol ?? sameToken)!;
    skip(report, "collision");
    if (report.collisions.length < MAX_EXAMPLES) {
      report.collisions.push({
        key,
        exchange: key === "symbol" ? row.exchange : row.brexchange,
        value: key === "symbol" ? row.symbol : String(row.token),
        kept: { segment: this.rowSegments[keptAt]!, lineNumber: this.rowLines[keptAt]!, token: this.rows.tokenAt(keptAt), brsymbol: this.rows.brsymbolAt(keptAt) },
        // A copy: the row's brsymbol is a view of its master line (and the line of its whole chunk).
        dropped: { segment, lineNumber, token: row.token, brsymbol: detachedText(row.brsymbol) },
      });
    }
  }

  finish(): BuiltContract {
    const segments = [...this.reports.values()].sort((a, b) => a.segment.localeCompare(b.segment));
    const totals = { lines: 0, rows: 0, unparseable: 0, collisions: 0, skipped: 0 };
    for (const s of segments) {
      totals.lines += s.lines;
      totals.rows += s.rows;
      totals.unparseable += s.unparseable;
      totals.collisions += s.skipped["collision"] ?? 0;
      for (const n of Object.values(s.skipped)) totals.skipped += n;
    }
    const columns = this.rows.finish();
    let rows: SymbolRow[] | undefined;
    return {
      columns,
      segments,
      totals,
      get rows(): SymbolRow[] {
        return (rows ??= SymbolIndex.fromColumns(columns).allRows());
      },
    };
  }
}

function inner<K>(outer: Map<string, Map<K, number>>, key: string): Map<K, number> {
  let map = outer.get(key);
  if (map === undefined) {
    map = new Map();
    outer.set(key, map);
  }
  return map;
}

function skip(report: SegmentReport, reason: string): void {
  report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
}
