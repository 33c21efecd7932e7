import type { Fault, PendingFault } from "./server/faults.js";
import type { XtsOrderRecord } from "./server/order-records.js";
import type { RecordedRequest } from "./server/request-log.js";
import type { SandboxState } from "./server/sandbox-state.js";
import type { StreamControl } from "./server/streams.js";

export interface SetPriceResult {
  /** The price now quoted: the requested one rounded to the tick. */
  readonly price: number;
  /** AppOrderIDs of resting orders that filled because of the move. */
  readonly filled: readonly number[];
}

/** The test's handle on a running sandbox: fault injection, inspection and market moves. */
export interface SandboxControl {
  /** Queue a fault for the next matching request(s). */
  inject(fault: Fault): void;
  pendingFaults(): readonly PendingFault[];
  clearFaults(): void;
  /** Every request received, oldest first (bounded by requestLogCapacity). */
  requests(): readonly RecordedRequest[];
  clearRequests(): void;
  /** Kills every session: the next call with an old token gets "Invalid Token". */
  expireSessions(): void;
  /** Moves an instrument's simulated price and fills resting orders it crosses. */
  setPrice(segment: string, token: number, price: number): SetPriceResult;
  price(segment: string, token: number): number;
  /** Every order of every client, latest state, in AppOrderID order: count these to find duplicates. */
  orders(): readonly XtsOrderRecord[];
  /** Faults on the market-data and interactive sockets: drop, stall, logout, duplicate or reorder events. */
  readonly streams: StreamControl;
  /** Clears orders, trades, positions and moved prices. Sessions, faults and the request log stay. */
  reset(): void;
}

export class UnknownInstrumentError extends RangeError {}

export function createControl(state: SandboxState, streams: StreamControl): SandboxControl {
  const instrument = (segment: string, token: number) => {
    const found = state.catalog.get(segment, token);
    if (found === undefined) throw new UnknownInstrumentError(`instrument ${segment}:${token} is not in the sandbox master`);
    return found;
  };
  return {
    inject: (fault) => state.faults.inject(fault),
    pendingFaults: () => state.faults.pending(),
    clearFaults: () => state.faults.clear(),
    requests: () => state.requests.list(),
    clearRequests: () => state.requests.clear(),
    expireSessions: () => state.sessions.expireAll(),
    setPrice: (segment, token, price) => {
      if (!(Number.isFinite(price) && price > 0)) throw new RangeError(`price ${price} must be a positive number`);
      const target = instrument(segment, token);
      const quoted = state.prices.set(target, price);
      const filled = state.engine.priceMoved(target).map((order) => order.appOrderID);
      state.events.emit("price", target);
      return { price: quoted, filled };
    },
    price: (segment, token) => state.prices.ltp(instrument(segment, token)),
    streams,
    orders: () => state.engine.all().map((order) => order.history[order.history.length - 1]!),
    reset: () => {
      state.engine.reset();
      state.portfolio.reset();
      state.prices.reset();
    },
  };
}
