import type { SymbolRow } from "../store/types.js";
import { isoOfExpiry } from "../instruments/expiry.js";
import { suggestSymbols } from "./suggestions.js";

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SearchOptions {
  readonly exchange?: string;
  readonly limit?: number;
}

/**
 * An immutable in-memory index of one broker's rows. Built whole, then swapped in by the
 * resolver: a reader holding an index keeps a complete, consistent view for as long as it
 * holds it. Lookups are two Map gets.
 */
export class SymbolIndex {
  private readonly bySymbol = new Map<string, Map<string, SymbolRow>>();
  private readonly byToken = new Map<string, Map<number, SymbolRow>>();
  private readonly byExchange = new Map<string, SymbolRow[]>();
  private haystacks: string[] | undefined;

  private constructor(readonly rows: readonly SymbolRow[]) {
    for (const row of rows) {
      let symbols = this.bySymbol.get(row.exchange);
      if (symbols === undefined) {
        symbols = new Map();
        this.bySymbol.set(row.exchange, symbols);
        this.byToken.set(row.exchange, new Map());
        this.byExchange.set(row.exchange, []);
      }
      symbols.set(row.symbol, row);
      this.byToken.get(row.exchange)!.set(row.token, row);
      this.byExchange.get(row.exchange)!.push(row);
    }
  }

  static build(rows: readonly SymbolRow[]): SymbolIndex {
    return new SymbolIndex(rows);
  }

  get size(): number {
    return this.rows.length;
  }

  get(symbol: string, exchange: string): SymbolRow | undefined {
    return this.bySymbol.get(exchange)?.get(symbol);
  }

  getByToken(token: number, exchange: string): SymbolRow | undefined {
    return this.byToken.get(exchange)?.get(token);
  }

  rowsOf(exchange: string): readonly SymbolRow[] {
    return this.byExchange.get(exchange) ?? [];
  }

  countByExchange(): Record<string, number> {
    return Object.fromEntries([...this.byExchange].map(([exchange, rows]) => [exchange, rows.length]));
  }

  /**
   * Expiry dates (`DD-MMM-YY`) of an underlying's futures or options on an exchange, ascending,
   * from `today` (an ISO date, IST) on; past expiries are dropped as OpenAlgo does.
   */
  expiries(exchange: string, underlying: string, kind: "futures" | "options", today: string): string[] {
    const name = underlying.trim().toUpperCase();
    const types = kind === "futures" ? ["FUT"] : ["CE", "PE"];
    const dates = new Map<string, string>();
    for (const row of this.rowsOf(exchange)) {
      if (row.name !== name || !types.includes(row.instrumenttype) || row.expiry === "") continue;
      const iso = isoOfExpiry(row.expiry);
      if (iso >= today) dates.set(iso, row.expiry);
    }
    return [...dates.keys()].sort().map((iso) => dates.get(iso)!);
  }

  /** Up to `max` close matches for a symbol that is not on `exchange`. */
  suggest(symbol: string, exchange: string, max = 5): string[] {
    return suggestSymbols(symbol, this.rowsOf(exchange), (s) => this.get(s, exchange) !== undefined, max);
  }

  /**
   * Every whitespace-separated term must occur (case-insensitively) in the symbol, brsymbol,
   * name or token. Ranked: exact symbol, symbol prefix, all terms in the symbol, other; then
   * shorter symbols, then alphabetical.
   */
  search(query: string, options: SearchOptions = {}): SymbolRow[] {
    const terms = query.toUpperCase().split(/\s+/).filter((t) => t !== "");
    if (terms.length === 0) return [];
    const limit = options.limit ?? 50;
    const haystacks = this.searchText();
    const whole = terms.join(" ");
    const hits: { row: SymbolRow; rank: number; expiry: string }[] = [];
    for (let i = 0; i < this.rows.length; i += 1) {
      const row = this.rows[i]!;
      if (options.exchange !== undefined && row.exchange !== options.exchange) continue;
      const text = haystacks[i]!;
      if (!terms.every((t) => text.includes(t))) continue;
      // The underlying's own contracts ("NIFTY FUT" → NIFTY's futures) before other underlyings
      // that merely contain the word (FINNIFTY, NIFTYNXT50).
      const rank =
        row.symbol === whole ? 0 : row.name.toUpperCase() === terms[0] ? 1 : row.symbol.startsWith(terms[0]!) ? 2 : terms.every((t) => row.symbol.includes(t)) ? 3 : 4;
      hits.push({ row, rank, expiry: row.expiry === "" ? "" : isoOfExpiry(row.expiry) });
    }
    // Within a rank: by underlying, nearest expiry first, then strike, then the symbol itself.
    hits.sort(
      (a, b) =>
        a.rank - b.rank ||
        compare(a.row.name, b.row.name) ||
        compare(a.expiry, b.expiry) ||
        a.row.strike - b.row.strike ||
        a.row.symbol.length - b.row.symbol.length ||
        compare(a.row.symbol, b.row.symbol) ||
        compare(a.row.exchange, b.row.exchange),
    );
    return hits.slice(0, limit).map((h) => h.row);
  }

  /** Built on the first search only, so an index used just for lookups stays small. */
  private searchText(): string[] {
    this.haystacks ??= this.rows.map((r) => `${r.symbol}\u0001${r.brsymbol.toUpperCase()}\u0001${r.name.toUpperCase()}\u0001${r.token}`);
    return this.haystacks;
  }
}
