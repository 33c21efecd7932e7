import { XtsBridgeError } from "../errors.js";
import { exchangeOf, isCancellable, toPositionRow, type TokenLookup } from "./books.js";
import type { OrderClient, OrderCommands } from "./order-commands.js";
import { describeFailure } from "./order-errors.js";
import { orderTagFor } from "./order-tag.js";
import { largestSlice, slices, toXtsClosingOrder } from "./translate.js";
import type { XtsOrderBookEntry } from "../xts/client/types.js";

export interface BatchItem {
  readonly orderid?: string;
  /** Every order placed for this item, when it had to be sliced under the freeze quantity. */
  readonly orderids?: readonly string[];
  readonly symbol?: string;
  readonly exchange?: string;
  readonly product?: string;
  readonly quantity?: number;
  readonly status: "success" | "error";
  readonly code?: string;
  readonly message?: string;
}

/**
 * Cancel-all and close-all: one order at a time, each item reported, a failure never stopping
 * the rest nor hidden behind a success (STYLE principle 7).
 */
export class BatchOrders {
  constructor(
    private readonly client: OrderClient,
    private readonly commands: OrderCommands,
    private readonly lookup: TokenLookup,
  ) {}

  /** Cancels every open order one by one; a failure is reported and the rest still go. */
  async cancelAllOrders(requestId: string): Promise<{ canceled: string[]; failed: BatchItem[] }> {
    const canceled: string[] = [];
    const failed: BatchItem[] = [];
    const open: XtsOrderBookEntry[] = [];
    for (const row of await this.client.orderBookRows()) {
      // One order XTS describes in a way we cannot read must not stop the others from being cancelled.
      if (!row.ok) failed.push({ ...(row.AppOrderID === null ? {} : { orderid: String(row.AppOrderID) }), status: "error", code: "XTS_BAD_RESPONSE", message: row.problem });
      else if (isCancellable(row.entry.OrderStatus)) open.push(row.entry);
    }
    for (const [i, order] of open.entries()) {
      const orderid = String(order.AppOrderID);
      try {
        await this.client.cancelOrder(order.AppOrderID, orderTagFor(`${requestId}${i.toString(36)}`));
        canceled.push(orderid);
      } catch (error) {
        failed.push({ orderid, status: "error", ...describeFailure(error) });
      }
    }
    return { canceled, failed };
  }

  /** Squares off every open NetWise position at market; continues past failures, reporting each. */
  async closeAllPositions(requestId: string): Promise<BatchItem[]> {
    const report: BatchItem[] = [];
    for (const [i, position] of (await this.client.positions("NetWise")).entries()) {
      if (position.Quantity === 0) continue;
      let item: BatchItem = { exchange: position.ExchangeSegment, product: position.ProductType, quantity: Math.abs(position.Quantity), status: "error" };
      try {
        const row = toPositionRow(position, this.lookup);
        item = { ...item, symbol: row.symbol, exchange: row.exchange };
        // Above the exchange freeze quantity one order would be refused: close in slices. An
        // instrument missing from the contract has no known freeze limit, so it is reported, not guessed.
        const found = this.lookup(position.ExchangeInstrumentID, exchangeOf(position.ExchangeSegment));
        if (found === undefined) {
          throw new XtsBridgeError("SYMBOL_NOT_FOUND", `position in ${position.ExchangeSegment} token ${position.ExchangeInstrumentID} is not in the stored contract, so its freeze quantity is unknown: close it by hand or refresh the master contract`);
        }
        const orderids: string[] = [];
        for (const [n, slice] of slices(Math.abs(position.Quantity), largestSlice(found)).entries()) {
          const payload = toXtsClosingOrder(position, Math.sign(position.Quantity) * slice, orderTagFor(`${requestId}${i.toString(36)}${n.toString(36)}`));
          orderids.push((await this.commands.send(payload)).orderid);
        }
        report.push({ ...item, orderid: orderids[0]!, ...(orderids.length > 1 ? { orderids } : {}), status: "success" });
      } catch (error) {
        report.push({ ...item, status: "error", ...describeFailure(error) });
      }
    }
    return report;
  }
}
