import { ContractNotLoadedError, SymbolNotFoundError, TokenNotFoundError, ValidationError } from "../errors.js";
import { parseExchange } from "../instruments/exchanges.js";
import type { SymbolStore } from "../store/symbol-store.js";
import type { SymbolRow } from "../store/types.js";
import type { SymbolIndex } from "../resolver/symbol-index.js";
import { json, table } from "./format.js";

function formatRow(row: SymbolRow): string {
  return table(
    ["field", "value"],
    Object.entries(row).map(([k, v]) => [k, String(v)]),
  );
}

/** `xtsbridge symbol`: the stored row, or SYMBOL_NOT_FOUND with close matches. */
export async function lookupSymbol(store: SymbolStore, broker: string, symbol: string, exchangeText: string, asJson: boolean): Promise<string> {
  const exchange = parseExchange(exchangeText);
  const wanted = symbol.trim().toUpperCase();
  const row = await store.findBySymbol(broker, exchange, wanted);
  if (row === undefined) {
    const { index } = await contractIndex(store, broker);
    if (index.size === 0) throw new ContractNotLoadedError(broker);
    throw new SymbolNotFoundError(symbol.trim(), exchange, index.suggest(symbol, exchange));
  }
  return asJson ? json(row) : formatRow(row);
}

export async function lookupToken(store: SymbolStore, broker: string, tokenText: string, exchangeText: string, asJson: boolean): Promise<string> {
  const exchange = parseExchange(exchangeText);
  const token = Number(tokenText.trim());
  if (!/^\d+$/.test(tokenText.trim()) || !Number.isSafeInteger(token) || token <= 0) {
    throw new ValidationError("token", `token must be a positive integer, got '${tokenText}'`);
  }
  const row = await store.findByToken(broker, exchange, token);
  if (row === undefined) {
    if (Object.values(await store.countByExchange(broker)).every((n) => n === 0)) throw new ContractNotLoadedError(broker);
    throw new TokenNotFoundError(token, exchange);
  }
  return asJson ? json(row) : formatRow(row);
}

export async function searchSymbols(
  store: SymbolStore,
  broker: string,
  terms: readonly string[],
  options: { exchange?: string; limit: number; json: boolean },
): Promise<string> {
  const exchange = options.exchange === undefined ? undefined : parseExchange(options.exchange);
  const query = terms.join(" ").trim();
  if (query === "") throw new ValidationError("query", "search needs at least one non-blank term");
  const { index } = await contractIndex(store, broker);
  const hits = index.search(query, { exchange, limit: options.limit });
  if (options.json) return json(hits);
  if (hits.length === 0) return `no symbols match '${query}'${exchange ? ` on ${exchange}` : ""}\n`;
  return table(
    ["symbol", "exchange", "token", "brsymbol", "expiry", "strike", "lot", "type"],
    hits.map((r) => [r.symbol, r.exchange, r.token, r.brsymbol, r.expiry, r.strike, r.lotsize, r.instrumenttype]),
  );
}

/** The contract's index, for suggestions; its modules (and the logger's) load only when a lookup misses. */
async function contractIndex(store: SymbolStore, broker: string): Promise<{ index: SymbolIndex }> {
  const [{ loadIndex }, { silentLogger }] = await Promise.all([import("../resolver/load-index.js"), import("../logger.js")]);
  return loadIndex(store, broker, silentLogger());
}
