import { ContractNotLoadedError, SymbolNotFoundError, TokenNotFoundError } from "../errors.js";
import { parseExchange, type Exchange } from "../instruments/exchanges.js";
import type { Logger } from "../logger.js";
import type { SymbolStore } from "../store/symbol-store.js";
import type { SymbolRow } from "../store/types.js";
import { loadIndex } from "./load-index.js";
import { SymbolIndex } from "./symbol-index.js";

export interface ResolverStats {
  hits: number;
  misses: number;
  reloads: number;
  rows: number;
  /** Contract version of the loaded index (0 when unknown). */
  version: number;
  loadedAt: string | null;
  lastLoadMs: number | null;
}

/**
 * Resolves OpenAlgo symbols to XTS tokens from an in-memory index of one broker's rows.
 * The index is immutable and replaced whole (`swap`): a lookup reads one reference, so it
 * sees either the old contract or the new one, never a half-built index, and never waits
 * for a refresh.
 */
export class Resolver {
  private index: SymbolIndex = SymbolIndex.build([]);
  private readonly counters: ResolverStats = { hits: 0, misses: 0, reloads: 0, rows: 0, version: 0, loadedAt: null, lastLoadMs: null };

  private readonly debugLookups: boolean;

  constructor(
    private readonly store: SymbolStore,
    readonly broker: string,
    private readonly logger: Logger,
  ) {
    this.debugLookups = logger.isLevelEnabled("debug");
  }

  /** Loads the broker's contract from the store (its snapshot, else its rows: `loadIndex`) and swaps it in. */
  async load(): Promise<SymbolIndex> {
    const started = performance.now();
    const { index, version } = await loadIndex(this.store, this.broker, this.logger);
    this.swap(index, performance.now() - started, version);
    return index;
  }

  /** Replaces the live index with a complete new one (after a refresh has committed). */
  swap(index: SymbolIndex, loadMs: number | null = null, version: number = this.counters.version): void {
    // A reload that began before a newer contract was swapped in must not put the older one back.
    if (version < this.counters.version) return;
    this.index = index;
    this.counters.version = version;
    this.counters.reloads += 1;
    this.counters.rows = index.size;
    this.counters.loadedAt = new Date().toISOString();
    this.counters.lastLoadMs = loadMs;
    this.logger.info({ broker: this.broker, rows: index.size, version, loadMs }, "symbol index loaded");
  }

  get current(): SymbolIndex {
    return this.index;
  }

  get version(): number {
    return this.counters.version;
  }

  get stats(): Readonly<ResolverStats> {
    return { ...this.counters };
  }

  /**
   * The stored row for an OpenAlgo symbol. Surrounding spaces and lower case are forgiven
   * (symbols are upper case); nothing else is guessed: a miss is SYMBOL_NOT_FOUND with suggestions.
   */
  resolve(symbol: string, exchange: string): SymbolRow {
    const index = this.index;
    // Fast path: well-formed input is an exact key; normalising costs more than the lookup itself.
    let row = index.get(symbol, exchange);
    if (row === undefined) {
      const ex = parseExchange(exchange);
      row = index.get(symbol.trim().toUpperCase(), ex);
      if (row === undefined) return this.miss(index, symbol, ex);
    }
    this.counters.hits += 1;
    if (this.debugLookups) this.logger.debug({ symbol: row.symbol, exchange: row.exchange, exchangeInstrumentID: row.token }, "symbol resolved");
    return row;
  }

  private miss(index: SymbolIndex, symbol: string, exchange: Exchange): never {
    this.counters.misses += 1;
    if (index.size === 0) throw new ContractNotLoadedError(this.broker);
    const suggestions = index.suggest(symbol, exchange);
    this.logger.info({ symbol: symbol.slice(0, 64), exchange, suggestions }, "symbol not found");
    throw new SymbolNotFoundError(symbol.trim().slice(0, 64), exchange, suggestions);
  }

  /** AC1: the integer XTS token of an OpenAlgo symbol (no row is made for a well-formed hit). */
  getTokenFromSymbol(symbol: string, exchange: string): number {
    const token = this.debugLookups ? undefined : this.index.tokenOf(symbol, exchange);
    if (token === undefined) return this.resolve(symbol, exchange).token;
    this.counters.hits += 1;
    return token;
  }

  /** Reverse lookup for the books: the row of an XTS token on an OpenAlgo exchange. */
  getSymbolFromToken(token: number, exchange: Exchange | string): SymbolRow {
    const ex = parseExchange(exchange);
    const row = this.index.getByToken(token, ex);
    if (row === undefined) throw new TokenNotFoundError(token, ex);
    return row;
  }

  /** Reverse lookup that returns undefined instead of throwing, for mapping books row by row. */
  findByToken(token: number, exchange: Exchange): SymbolRow | undefined {
    return this.index.getByToken(token, exchange);
  }
}
