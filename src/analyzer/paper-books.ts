import { XtsBridgeError } from "../errors.js";
import { IST_OFFSET_MS, istToday } from "../instruments/ist.js";
import { holdingsStatistics, round2, type HoldingFigures } from "../orders/books.js";
import type {
  HoldingsStatistics,
  OpenAlgoFunds,
  OpenAlgoHoldingRow,
  OpenAlgoOrderRow,
  OpenAlgoOrderStatus,
  OpenAlgoPositionRow,
  OpenAlgoTradeRow,
  OrderRequest,
  Product,
} from "../orders/openalgo-types.js";
import type { SymbolRow } from "../store/types.js";

/**
 * The paper account's books, derived from its stored orders: positions netted from the fills in
 * order, trades, holdings, funds and the margin held. Pure: the engine (paper-engine.ts) changes
 * orders, these functions read them.
 */

/** A paper order as stored: the request, its state, and its one fill (no partial fills). */
export interface PaperOrder extends Omit<OrderRequest, "disclosed_quantity"> {
  readonly orderid: string;
  readonly tag: string;
  readonly status: OpenAlgoOrderStatus;
  readonly average_price: number;
  readonly filled_quantity: number;
  readonly rejection_reason?: string;
  /** Margin held while the order is open (released when it fills, is cancelled or rejected). */
  readonly blocked: number;
  readonly placed_at: number;
  readonly updated_at: number;
  readonly filled_at: number | null;
}

/** Prices of contract rows; a row with no trade yet is absent (its price is unknown, not 0). */
export type PriceMap = ReadonlyMap<SymbolRow, number>;

/** Margin as a share of notional value: OpenAlgo's sandbox model (MIS 5× leverage, NRML and CNC 1×). */
export const MARGIN_FACTOR: Readonly<Record<Product, number>> = { MIS: 0.2, NRML: 1, CNC: 1 };

export interface PositionBook {
  net: number;
  average: number;
  realized: number;
  readonly row: SymbolRow;
  readonly product: Product;
}

export const isOpen = (o: PaperOrder): boolean => o.status === "open" || o.status === "trigger pending";
export const bookKey = (exchange: string, symbol: string, product: Product): string => `${exchange}|${symbol}|${product}`;
export const money = (v: number): string => round2(v).toFixed(2);

/** The IST wall-clock time an order book shows, `DD-MM-YYYY HH:mm:ss` as OpenAlgo's XTS books do. */
function bookTime(ms: number): string {
  const t = new Date(ms + IST_OFFSET_MS).toISOString();
  return `${t.slice(8, 10)}-${t.slice(5, 7)}-${t.slice(0, 4)} ${t.slice(11, 19)}`;
}

function filledInOrder(orders: Iterable<PaperOrder>): PaperOrder[] {
  return [...orders].filter((o) => o.status === "complete").sort((a, b) => a.filled_at! - b.filled_at! || a.orderid.localeCompare(b.orderid));
}

/** Net quantity, average price and realized P&L per (instrument, product); `before` (an IST day) keeps only earlier fills. */
export function positionBooks(orders: Iterable<PaperOrder>, rowOf: (o: PaperOrder) => SymbolRow, before?: string): Map<string, PositionBook> {
  const books = new Map<string, PositionBook>();
  for (const o of filledInOrder(orders)) {
    if (before !== undefined && istToday(o.filled_at!) >= before) continue;
    const key = bookKey(o.exchange, o.symbol, o.product);
    let book = books.get(key);
    if (book === undefined) {
      book = { net: 0, average: 0, realized: 0, row: rowOf(o), product: o.product };
      books.set(key, book);
    }
    const signed = o.action === "BUY" ? o.filled_quantity : -o.filled_quantity;
    if (book.net === 0 || Math.sign(book.net) === Math.sign(signed)) {
      book.average = (book.average * Math.abs(book.net) + o.average_price * Math.abs(signed)) / (Math.abs(book.net) + Math.abs(signed));
      book.net += signed;
    } else {
      const closing = Math.min(Math.abs(book.net), Math.abs(signed));
      book.realized += closing * (o.average_price - book.average) * Math.sign(book.net);
      book.net += signed;
      if (book.net === 0) book.average = 0;
      else if (Math.sign(book.net) === Math.sign(signed)) book.average = o.average_price;
    }
  }
  return books;
}

/** Margin the account holds: its positions' at their average prices, and its open orders' blocked. */
export function marginHeld(books: ReadonlyMap<string, PositionBook>, orders: Iterable<PaperOrder>): number {
  let held = 0;
  for (const b of books.values()) held += Math.abs(b.net) * b.average * MARGIN_FACTOR[b.product];
  for (const o of orders) if (isOpen(o)) held += o.blocked;
  return held;
}

export function realizedOf(books: ReadonlyMap<string, PositionBook>): number {
  let realized = 0;
  for (const b of books.values()) realized += b.realized;
  return realized;
}

/** Cash the account can still put to use. */
export function availableCash(capital: number, books: ReadonlyMap<string, PositionBook>, orders: Iterable<PaperOrder>): number {
  return capital + realizedOf(books) - marginHeld(books, orders);
}

export function orderRow(o: PaperOrder): OpenAlgoOrderRow {
  return {
    action: o.action,
    symbol: o.symbol,
    exchange: o.exchange,
    orderid: o.orderid,
    product: o.product,
    quantity: o.quantity,
    price: o.price,
    pricetype: o.pricetype,
    order_status: o.status,
    trigger_price: o.trigger_price,
    timestamp: bookTime(o.updated_at),
    order_unique_identifier: o.tag,
    average_price: o.average_price,
    filled_quantity: o.filled_quantity,
    ...(o.rejection_reason === undefined ? {} : { rejection_reason: o.rejection_reason }),
  };
}

export function tradeRows(orders: Iterable<PaperOrder>): OpenAlgoTradeRow[] {
  return filledInOrder(orders).map((o) => ({
    action: o.action,
    symbol: o.symbol,
    exchange: o.exchange,
    orderid: o.orderid,
    product: o.product,
    quantity: o.filled_quantity,
    average_price: o.average_price,
    trade_value: round2(o.filled_quantity * o.average_price),
    timestamp: bookTime(o.filled_at!),
  }));
}

/** Positions: every product's, except CNC bought before today (`earlier`: those are holdings). */
export function positionRows(books: ReadonlyMap<string, PositionBook>, earlier: ReadonlyMap<string, PositionBook>, prices: PriceMap): OpenAlgoPositionRow[] {
  return [...books.entries()].flatMap(([key, b]) => {
    const held = b.product === "CNC" ? Math.max(0, earlier.get(key)?.net ?? 0) : 0;
    const net = b.net - Math.min(held, Math.max(0, b.net));
    if (net === 0 && b.realized === 0) return [];
    const ltp = prices.get(b.row) ?? null;
    const unrealized = ltp === null ? 0 : (ltp - b.average) * net;
    return [{ symbol: b.row.symbol, exchange: b.row.exchange, product: b.product, quantity: net, average_price: money(net === 0 ? 0 : b.average), ltp, pnl: round2(b.realized + unrealized) }];
  });
}

/** The CNC positions bought before today (`earlier`) and still held. */
export function heldBefore(books: ReadonlyMap<string, PositionBook>, earlier: ReadonlyMap<string, PositionBook>): [string, PositionBook][] {
  return [...earlier.entries()].filter(([key, b]) => b.product === "CNC" && b.net > 0 && (books.get(key)?.net ?? 0) > 0);
}

export function holdingsOf(books: ReadonlyMap<string, PositionBook>, held: readonly [string, PositionBook][], prices: PriceMap): { holdings: OpenAlgoHoldingRow[]; statistics: HoldingsStatistics } {
  const items = held.map(([key, b]): HoldingFigures => {
    const quantity = Math.min(b.net, books.get(key)!.net);
    const ltp = prices.get(b.row) ?? null;
    const invested = quantity * b.average;
    const value = ltp === null ? null : quantity * ltp;
    const pnl = value === null ? null : round2(value - invested);
    return { row: { symbol: b.row.symbol, exchange: b.row.exchange, product: "CNC", quantity, pnl, pnlpercent: pnl === null || invested === 0 ? null : round2((pnl / invested) * 100) }, invested, value };
  });
  return { holdings: items.map((i) => i.row), statistics: holdingsStatistics(items) };
}

/** Funds of the paper account; unrealized M2M needs every open position's price, or the answer says which one is missing. */
export function paperFunds(capital: number, books: ReadonlyMap<string, PositionBook>, orders: Iterable<PaperOrder>, prices: PriceMap): OpenAlgoFunds {
  let unrealized = 0;
  for (const b of books.values()) {
    if (b.net === 0) continue;
    const ltp = prices.get(b.row);
    if (ltp === undefined) throw new XtsBridgeError("PRICE_UNAVAILABLE", `${b.row.symbol} on ${b.row.exchange} has no last traded price, so the paper account's M2M is unknown`, { retry: "safe" });
    unrealized += (ltp - b.average) * b.net;
  }
  const list = [...orders];
  return {
    availablecash: money(availableCash(capital, books, list)),
    collateral: money(0),
    m2mrealized: money(realizedOf(books)),
    m2munrealized: money(unrealized),
    utiliseddebits: money(marginHeld(books, list)),
  };
}

