import { ValidationError, XtsBridgeError, type ErrorCode } from "../errors.js";
import { IST_OFFSET_MS, istToday } from "../instruments/ist.js";
import { isoOfExpiry } from "../instruments/expiry.js";
import type { OrderRequest } from "../orders/openalgo-types.js";
import { partId, placeParts, splitParts, type ItemResult, type OrderPlacer } from "../orders/multi-orders.js";
import { describeFailure } from "../orders/order-errors.js";
import type { BookQuote, QuoteService } from "../orders/quote-service.js";
import type { Resolver } from "../resolver/resolver.js";
import type { SymbolIndex } from "../resolver/symbol-index.js";
import type { SymbolRow } from "../store/types.js";
import { black76Greeks, impliedVolatility, type Greeks, type OptionKind } from "./black76.js";
import { atmIndex, expiryColumn, nearestIndex, labelOf, nearestFuture, offsetSteps, requireLadder, splitUnderlying, type Ladder } from "./ladder.js";

export type Prices = Pick<QuoteService, "quoteRows">;

/** Which options exchange an underlying's exchange lists its options on. */
const OPTIONS_EXCHANGE: Readonly<Record<string, string>> = { NSE: "NFO", NSE_INDEX: "NFO", NFO: "NFO", BSE: "BFO", BSE_INDEX: "BFO", BFO: "BFO", MCX: "MCX", CDS: "CDS" };
/** Exchanges with no spot price: their options are priced off a future. */
const FUTURES_PRICED = new Set(["MCX", "CDS"]);
/** When an exchange's options stop trading on expiry day, IST (`expiry_time` overrides). */
const EXPIRY_TIME: Readonly<Record<string, string>> = { NFO: "15:30", BFO: "15:30", CDS: "12:30", MCX: "23:30" };
const YEAR_MS = 365 * 86_400_000;

export interface UnderlyingRequest {
  readonly underlying: string;
  readonly exchange: string;
  readonly expiry_date?: string | undefined;
}

export interface ResolvedOption {
  readonly row: SymbolRow;
  readonly underlyingLtp: number;
}

export interface OptionLegInput {
  readonly offset: string;
  readonly option_type: OptionKind;
  readonly action: "BUY" | "SELL";
  readonly quantity: number;
  readonly splitsize: number;
  readonly expiry_date?: string | undefined;
  readonly pricetype: OrderRequest["pricetype"];
  readonly product: OrderRequest["product"];
  readonly price: number;
  readonly trigger_price: number;
  readonly disclosed_quantity: number;
}

export type { OrderPlacer } from "../orders/multi-orders.js";
type LegResult = ItemResult;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function priceOf(quotes: Map<SymbolRow, BookQuote>, row: SymbolRow): number {
  const ltp = quotes.get(row)?.ltp ?? 0;
  if (!(ltp > 0)) throw new XtsBridgeError("PRICE_UNAVAILABLE", `${row.symbol} on ${row.exchange} has no last traded price yet; its price is unknown, not 0`, { retry: "safe" });
  return ltp;
}

/**
 * OpenAlgo's options services over the stored contract: offsets resolved on the real strike
 * grid of the expiry around the underlying's price (index or equity spot, or the nearest future
 * where there is no spot), orders through whichever placer the caller hands in, chains and
 * Greeks from one round of quotes. Every figure comes from XTS; a missing price is an error.
 */
export class OptionsService {
  constructor(
    private readonly resolver: Resolver,
    private readonly prices: Prices,
    private readonly now: () => number = Date.now,
  ) {}

  private get index(): SymbolIndex {
    return this.resolver.current;
  }

  private today(): string {
    return istToday(this.now());
  }

  /** The options exchange, the underlying's base name and expiry, and the row whose price is the underlying's. */
  underlyingOf(req: UnderlyingRequest): { optionsExchange: string; base: string; expiry: string; priceRow: SymbolRow } {
    const exchange = req.exchange.toUpperCase();
    const optionsExchange = OPTIONS_EXCHANGE[exchange];
    if (optionsExchange === undefined) throw new ValidationError("exchange", `exchange ${exchange} lists no options; use one of ${Object.keys(OPTIONS_EXCHANGE).join(", ")}`);
    const parsed = splitUnderlying(req.underlying);
    const compact = req.expiry_date ?? parsed.expiry;
    if (compact === null || compact === undefined || compact === "") {
      throw new ValidationError("expiry_date", "expiry_date is required (DDMMMYY, e.g. 28OCT25) unless the underlying names one (NIFTY28OCT25FUT)");
    }
    const expiry = expiryColumn(compact);
    const base = parsed.base;
    return { optionsExchange, base, expiry, priceRow: this.priceRowOf(exchange, optionsExchange, base, parsed.expiry === null ? null : req.underlying.trim().toUpperCase()) };
  }

  private priceRowOf(exchange: string, optionsExchange: string, base: string, future: string | null): SymbolRow {
    const index = this.index;
    if (FUTURES_PRICED.has(optionsExchange)) {
      const named = future === null ? undefined : index.get(future, optionsExchange);
      const row = named ?? nearestFuture(index, optionsExchange, base, this.today());
      if (row === undefined) throw new XtsBridgeError("SYMBOL_NOT_FOUND", `${base} has no unexpired future on ${optionsExchange} to price its options from`, { details: { field: "underlying" } });
      return row;
    }
    // An index first (NIFTY on NSE_INDEX), else the stock (RELIANCE on NSE), on the underlying's own side.
    const candidates = exchange === "NSE_INDEX" || exchange === "BSE_INDEX" || exchange === "NSE" || exchange === "BSE" ? [exchange] : optionsExchange === "NFO" ? ["NSE_INDEX", "NSE"] : ["BSE_INDEX", "BSE"];
    for (const candidate of candidates) {
      const row = index.get(base, candidate);
      if (row !== undefined) return row;
    }
    throw new XtsBridgeError("SYMBOL_NOT_FOUND", `underlying ${base} is not in the stored contract on ${candidates.join(" or ")}`, { details: { field: "underlying" } });
  }

  private async underlyingQuote(row: SymbolRow): Promise<BookQuote> {
    const quotes = await this.prices.quoteRows([row]);
    priceOf(quotes, row);
    return quotes.get(row)!;
  }

  private ladder(u: { optionsExchange: string; base: string; expiry: string }): Ladder {
    return requireLadder(this.index, u.optionsExchange, u.base, u.expiry, this.today());
  }

  /** The contract `offset` strikes from ATM on the expiry's real grid (or on `strike_int`'s, checked against the contract). */
  pick(ladder: Ladder, ltp: number, offset: string, kind: OptionKind, strikeInt?: number | null): SymbolRow {
    const steps = offsetSteps(offset, kind);
    if (strikeInt !== undefined && strikeInt !== null) {
      const strike = round(Math.round(ltp / strikeInt) * strikeInt + steps * strikeInt, 4);
      const row = ladder.rungs.find((r) => r.strike === strike)?.[kind === "CE" ? "ce" : "pe"];
      if (row === undefined || row === null) {
        throw new XtsBridgeError("SYMBOL_NOT_FOUND", `strike ${strike} (${offset} at a strike_int of ${strikeInt} from ${ltp}) is not listed for ${ladder.base} ${ladder.expiry}; omit strike_int to use the listed strikes`, { details: { field: "strike_int" } });
      }
      return row;
    }
    const listed = kind === "CE" ? ladder.calls : ladder.puts;
    const atm = nearestIndex(listed, ltp);
    const target = listed[atm + steps];
    if (target === undefined) {
      const room = steps < 0 ? atm : listed.length - 1 - atm;
      throw new ValidationError("offset", `${offset} is beyond the listed strikes: ${ladder.base} ${ladder.expiry.replace(/-/g, "")} ${kind} has ${room} strike(s) that way from ATM ${listed[atm]!.strike}`);
    }
    return target;
  }

  async optionSymbol(req: UnderlyingRequest & { offset: string; option_type: OptionKind; strike_int?: number | null | undefined }): Promise<Record<string, unknown>> {
    const u = this.underlyingOf(req);
    const ladder = this.ladder(u);
    const ltp = (await this.underlyingQuote(u.priceRow)).ltp;
    const row = this.pick(ladder, ltp, req.offset, req.option_type, req.strike_int);
    return { symbol: row.symbol, exchange: row.exchange, lotsize: row.lotsize, tick_size: row.tick_size, freeze_qty: row.freeze_qty, underlying_ltp: ltp };
  }

  /** One option order, split into `splitsize` parts when asked. */
  async optionsOrder(
    req: UnderlyingRequest & OptionLegInput & { strike_int?: number | null | undefined; underlying_ltp?: number | null | undefined },
    placer: OrderPlacer,
    requestId: string,
  ): Promise<Record<string, unknown>> {
    const u = this.underlyingOf(req);
    const ladder = this.ladder(u);
    // A caller that already holds the underlying's price (OpenAlgo's strategies pass it on) picks the strike from it.
    const given = req.underlying_ltp ?? 0;
    const ltp = given > 0 ? given : (await this.underlyingQuote(u.priceRow)).ltp;
    const row = this.pick(ladder, ltp, req.offset, req.option_type, req.strike_int);
    const head = { symbol: row.symbol, exchange: row.exchange, underlying: req.underlying.trim().toUpperCase(), underlying_ltp: ltp, offset: req.offset, option_type: req.option_type };
    if (req.splitsize > 0) {
      const results = await this.placeSplit(row, req, placer, requestId);
      if (results.every((r) => r.status === "error")) throw new XtsBridgeError(results[0]!.code as ErrorCode, `every part failed: ${results[0]!.message}`, { details: { results } });
      return { ...head, total_quantity: req.quantity, split_size: req.splitsize, results };
    }
    const placed = await placer.placeOrder(orderOf(row, req), requestId);
    return { ...head, orderid: placed.orderid };
  }

  /**
   * Legs of one underlying, BUY legs first (a hedge before the short it margins), each leg's
   * result in place; a leg that fails does not stop the rest.
   */
  async optionsMultiOrder(
    req: UnderlyingRequest & { strike_int?: number | null | undefined; legs: readonly OptionLegInput[] },
    placer: OrderPlacer,
    requestId: string,
  ): Promise<Record<string, unknown>> {
    const u = this.underlyingOf({ ...req, expiry_date: req.expiry_date ?? req.legs.find((l) => l.expiry_date !== undefined)?.expiry_date });
    const ltp = (await this.underlyingQuote(u.priceRow)).ltp;
    const order = [...req.legs.keys()].sort((a, b) => Number(req.legs[a]!.action === "SELL") - Number(req.legs[b]!.action === "SELL") || a - b);
    const results: LegResult[] = new Array(req.legs.length);
    for (const [n, i] of order.entries()) {
      const leg = req.legs[i]!;
      const about = { leg: i + 1, offset: leg.offset, option_type: leg.option_type, action: leg.action };
      const legId = partId(requestId, n);
      try {
        const ladder = this.ladder({ ...u, expiry: leg.expiry_date === undefined ? u.expiry : expiryColumn(leg.expiry_date, `legs[${i}].expiry_date`) });
        const row = this.pick(ladder, ltp, leg.offset, leg.option_type, req.strike_int);
        if (leg.splitsize > 0) {
          const parts = await this.placeSplit(row, leg, placer, legId);
          results[i] = { ...about, symbol: row.symbol, exchange: row.exchange, status: parts.some((p) => p.status === "success") ? "success" : "error", total_quantity: leg.quantity, split_size: leg.splitsize, split_results: parts };
        } else {
          const placed = await placer.placeOrder(orderOf(row, leg), legId);
          results[i] = { ...about, symbol: row.symbol, exchange: row.exchange, status: "success", orderid: placed.orderid };
        }
      } catch (error) {
        results[i] = { ...about, status: "error", ...describeFailure(error) };
      }
    }
    return { underlying: req.underlying.trim().toUpperCase(), underlying_ltp: ltp, results };
  }

  /** Parts of `splitsize` (the last one smaller), each placed in turn and reported in its place. */
  placeSplit(row: SymbolRow, req: Omit<OptionLegInput, "offset" | "option_type">, placer: OrderPlacer, requestId: string): Promise<LegResult[]> {
    return placeParts(orderOf(row, req), splitParts(row, req.quantity, req.splitsize), placer, requestId);
  }

  async syntheticFuture(req: UnderlyingRequest): Promise<Record<string, unknown>> {
    const u = this.underlyingOf(req);
    const ladder = this.ladder(u);
    const spot = (await this.underlyingQuote(u.priceRow)).ltp;
    const paired = ladder.rungs.filter((r) => r.ce !== null && r.pe !== null);
    const atm = paired[nearestIndex(paired, spot)];
    if (atm === undefined) throw new XtsBridgeError("SYMBOL_NOT_FOUND", `${u.base} ${u.expiry} lists no strike with both a call and a put`, { details: { field: "expiry_date" } });
    const quotes = await this.prices.quoteRows([atm.ce!, atm.pe!]);
    const synthetic = atm.strike + priceOf(quotes, atm.ce!) - priceOf(quotes, atm.pe!);
    return { underlying: u.base, underlying_ltp: spot, expiry: u.expiry.replace(/-/g, ""), atm_strike: atm.strike, synthetic_future_price: round(synthetic, 2) };
  }

  async optionChain(req: UnderlyingRequest & { strike_count?: number | null | undefined; with_greeks: boolean; interest_rate?: number | null | undefined }): Promise<Record<string, unknown>> {
    const u = this.underlyingOf(req);
    const ladder = this.ladder(u);
    const under = await this.underlyingQuote(u.priceRow);
    const atm = atmIndex(ladder, under.ltp);
    const count = req.strike_count ?? ladder.rungs.length;
    const rungs = ladder.rungs.slice(Math.max(0, atm - count), atm + count + 1);
    const quotes = await this.prices.quoteRows(rungs.flatMap((r) => [r.ce, r.pe].filter((x): x is SymbolRow => x !== null)));
    const expiresAt = this.expiryInstant(ladder.exchange, ladder.expiry);
    const years = (expiresAt - this.now()) / YEAR_MS;
    const rate = (req.interest_rate ?? 0) / 100;
    const atmStrike = ladder.rungs[atm]!.strike;
    const forward = req.with_greeks ? forwardFrom(rungs.find((r) => r.strike === atmStrike), quotes, rate, years) ?? under.ltp : null;
    const side = (row: SymbolRow | null, kind: OptionKind, steps: number): Record<string, unknown> | null => {
      if (row === null) return null;
      const q = quotes.get(row)!;
      const leg: Record<string, unknown> = {
        symbol: row.symbol, label: labelOf(steps, kind), ltp: q.ltp, bid: q.bid, ask: q.ask, bid_qty: q.bid_qty, ask_qty: q.ask_qty,
        open: q.open, high: q.high, low: q.low, prev_close: q.prev_close, volume: q.volume, oi: q.oi, lotsize: row.lotsize, tick_size: row.tick_size,
      };
      if (forward !== null && years > 0 && q.ltp > 0) {
        const inputs = { forward, strike: row.strike, years, rate, kind };
        const iv = impliedVolatility(inputs, q.ltp);
        if (iv.ok) Object.assign(leg, { implied_volatility: round(iv.sigma * 100, 2), ...roundGreeks(black76Greeks(inputs, iv.sigma), false) });
      }
      return leg;
    };
    return {
      underlying: u.base,
      underlying_ltp: under.ltp,
      underlying_prev_close: under.prev_close,
      expiry_date: u.expiry.replace(/-/g, ""),
      expiry_ts: Math.floor(expiresAt / 1000),
      server_ts: Math.floor(this.now() / 1000),
      atm_strike: atmStrike,
      quotes_included: true,
      greeks_included: forward !== null,
      forward_price: forward === null ? null : round(forward, 2),
      chain: rungs.map((r) => {
        const steps = ladder.rungs.indexOf(r) - atm;
        return { strike: r.strike, ce: side(r.ce, "CE", steps), pe: side(r.pe, "PE", steps) };
      }),
    };
  }

  /** The instant an option stops trading: its expiry date at the exchange's cut-off (or `expiryTime`, HH:MM IST). */
  expiryInstant(exchange: string, expiry: string, expiryTime?: string): number {
    const cutoff = EXPIRY_TIME[exchange];
    // Options list only on these four; another exchange here is a bug, not a reason to guess 15:30.
    if (cutoff === undefined) throw new XtsBridgeError("INTERNAL_ERROR", `no expiry cut-off is known for options on ${exchange}`);
    const time = expiryTime ?? cutoff;
    const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
    if (m === null) throw new ValidationError("expiry_time", `expiry_time must be HH:MM (24-hour, IST), e.g. 15:30; got '${time}'`);
    return Date.parse(`${isoOfExpiry(expiry)}T${time}:00Z`) - IST_OFFSET_MS;
  }

  /** Greeks of many options from one round of quotes; each item succeeds or fails on its own. */
  async optionGreeks(
    items: readonly { symbol: string; exchange: string; underlying_symbol?: string | undefined; underlying_exchange?: string | undefined; forward_price?: number | undefined }[],
    common: { interest_rate?: number | undefined; expiry_time?: string | undefined },
  ): Promise<(Record<string, unknown> & { status: "success" | "error" })[]> {
    const rate = (common.interest_rate ?? 0) / 100;
    const plans = items.map((item) => {
      try {
        return { item, ...this.greeksPlan(item) };
      } catch (error) {
        return { item, error };
      }
    });
    const rows = plans.flatMap((p) => ("error" in p ? [] : [p.row, ...(p.underlying === null ? [] : [p.underlying])]));
    const quotes = rows.length === 0 ? new Map<SymbolRow, BookQuote>() : await this.prices.quoteRows(rows);
    return plans.map((p) => {
      const head = { symbol: p.item.symbol.toUpperCase(), exchange: p.item.exchange.toUpperCase() };
      try {
        if ("error" in p) throw p.error;
        const { row, underlying } = p;
        const kind = row.instrumenttype as OptionKind;
        const expiresAt = this.expiryInstant(row.exchange, row.expiry, common.expiry_time);
        const years = (expiresAt - this.now()) / YEAR_MS;
        if (years <= 0) throw new ValidationError("symbol", `${row.symbol} expired at ${new Date(expiresAt + IST_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ")} IST`);
        const optionPrice = priceOf(quotes, row);
        const forward = p.item.forward_price ?? priceOf(quotes, underlying!);
        const inputs = { forward, strike: row.strike, years, rate, kind };
        const iv = impliedVolatility(inputs, optionPrice);
        if (!iv.ok) {
          const why = iv.reason === "below_intrinsic" ? `is at or below its intrinsic value at ${forward}` : iv.reason === "above_maximum" ? `is above what any volatility gives at ${forward}` : "gave no converging volatility";
          throw new XtsBridgeError("NO_IMPLIED_VOLATILITY", `${row.symbol}'s price ${optionPrice} ${why}`);
        }
        return {
          status: "success" as const,
          symbol: row.symbol,
          exchange: row.exchange,
          underlying: row.name,
          strike: row.strike,
          option_type: kind,
          expiry_date: row.expiry,
          days_to_expiry: round((expiresAt - this.now()) / 86_400_000, 4),
          spot_price: forward,
          price_source: p.item.forward_price !== undefined ? "forward_price" : `${underlying!.exchange}:${underlying!.symbol}`,
          option_price: optionPrice,
          interest_rate: common.interest_rate ?? 0,
          implied_volatility: round(iv.sigma * 100, 2),
          greeks: roundGreeks(black76Greeks(inputs, iv.sigma), true),
        };
      } catch (error) {
        return { status: "error" as const, ...head, ...describeFailure(error) };
      }
    });
  }

  /** The option's row and what prices its underlying: as asked, else the same expiry's future, else the spot. */
  private greeksPlan(item: { symbol: string; exchange: string; underlying_symbol?: string | undefined; underlying_exchange?: string | undefined; forward_price?: number | undefined }): { row: SymbolRow; underlying: SymbolRow | null } {
    const row = this.resolver.resolve(item.symbol, item.exchange);
    if (row.instrumenttype !== "CE" && row.instrumenttype !== "PE") throw new ValidationError("symbol", `${row.symbol} is a ${row.instrumenttype}, not an option (CE or PE)`);
    if (item.forward_price !== undefined) return { row, underlying: null };
    if (item.underlying_symbol !== undefined) return { row, underlying: this.resolver.resolve(item.underlying_symbol, item.underlying_exchange ?? (FUTURES_PRICED.has(row.exchange) ? row.exchange : row.exchange === "BFO" ? "BSE_INDEX" : "NSE_INDEX")) };
    const sameExpiry = this.index.rowsNamed(row.exchange, row.name).find((r) => r.instrumenttype === "FUT" && r.expiry === row.expiry);
    return { row, underlying: sameExpiry ?? this.priceRowOf(row.exchange, row.exchange, row.name, null) };
  }
}

/** The order of one option contract. */
function orderOf(row: SymbolRow, leg: Omit<OptionLegInput, "offset" | "option_type">): OrderRequest {
  return {
    symbol: row.symbol, exchange: row.exchange, action: leg.action, quantity: leg.quantity, pricetype: leg.pricetype, product: leg.product,
    price: leg.price, trigger_price: leg.trigger_price, disclosed_quantity: leg.disclosed_quantity,
  };
}

/** The forward implied by an ATM call and put (put-call parity), when both have traded. */
function forwardFrom(rung: { strike: number; ce: SymbolRow | null; pe: SymbolRow | null } | undefined, quotes: Map<SymbolRow, BookQuote>, rate: number, years: number): number | null {
  if (rung?.ce == null || rung.pe == null || years <= 0) return null;
  const c = quotes.get(rung.ce)?.ltp ?? 0;
  const p = quotes.get(rung.pe)?.ltp ?? 0;
  if (!(c > 0 && p > 0)) return null;
  return rung.strike + (c - p) * Math.exp(rate * years);
}

function roundGreeks(g: Greeks, withRho: boolean): Record<string, number> {
  const out: Record<string, number> = { delta: round(g.delta, 4), gamma: round(g.gamma, 6), theta: round(g.theta, 4), vega: round(g.vega, 4) };
  if (withRho) out["rho"] = round(g.rho, 6);
  return out;
}
