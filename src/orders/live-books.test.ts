import { describe, expect, it } from "vitest";
import type { XtsOrderBookEntry } from "../xts/client/types.js";
import { LiveBooks } from "./live-books.js";

function order(id: number, status: XtsOrderBookEntry["OrderStatus"], filled = 0, price = 100): XtsOrderBookEntry {
  return {
    AppOrderID: id, ClientID: null, ExchangeSegment: "NSECM", ExchangeInstrumentID: 3045, TradingSymbol: null, OrderSide: "BUY", OrderType: "LIMIT", ProductType: "MIS",
    OrderStatus: status, OrderQuantity: 10, OrderPrice: price, OrderStopPrice: 0, OrderAverageTradedPrice: filled > 0 ? price : null, CumulativeQuantity: filled,
    OrderDisclosedQuantity: 0, OrderUniqueIdentifier: `X${id}`, OrderGeneratedDateTime: null, LastUpdateDateTime: `t${filled}${status}${price}`, ExchangeTransactTime: null, CancelRejectReason: "",
  };
}

describe("LiveBooks", () => {
  it("answers nothing until a reconcile has made it whole, and nothing again once the socket drops", () => {
    const books = new LiveBooks();
    books.applyOrder(order(1, "New"));
    expect(books.orders()).toBeNull();
    books.reconcile([order(2, "New")], []);
    expect(books.orders()!.map((o) => o.AppOrderID)).toEqual([1, 2]);
    books.markUnhealthy();
    expect(books.orders()).toBeNull();
    expect(books.order(1)).toBeNull();
  });

  it("drops duplicates and events older than what it holds, announcing each real change once", () => {
    const books = new LiveBooks();
    const seen: string[] = [];
    books.onChange((entry, change) => seen.push(`${entry.AppOrderID}:${entry.OrderStatus}:${change}`));
    expect(books.applyOrder(order(7, "New"))).toBe("new");
    expect(books.applyOrder(order(7, "New"))).toBe("duplicate");
    expect(books.applyOrder(order(7, "PartiallyFilled", 4))).toBe("changed");
    expect(books.applyOrder(order(7, "New", 0))).toBe("stale"); // the filled quantity never shrinks
    expect(books.applyOrder(order(7, "Filled", 10))).toBe("changed");
    expect(books.applyOrder(order(7, "PartiallyFilled", 10))).toBe("stale"); // a final state never reopens
    expect(seen).toEqual(["7:New:new", "7:PartiallyFilled:changed", "7:Filled:changed"]);
  });

  it("merges a REST snapshot under the same rules, so a snapshot older than an event cannot undo it", () => {
    const books = new LiveBooks();
    books.applyOrder(order(3, "Cancelled"));
    const { changed } = books.reconcile([order(3, "New"), order(4, "New")], []);
    expect(changed).toBe(1);
    expect(books.orders()!.map((o) => [o.AppOrderID, o.OrderStatus])).toEqual([[3, "Cancelled"], [4, "New"]]);
  });
});
