import { EventEmitter } from "node:events";
import type { GeneratedInstrument, GeneratedMaster } from "../master/master-generator.js";
import type { ResolvedSandboxOptions } from "../sandbox-options.js";
import { buildAccount, type Account } from "./accounts.js";
import { FaultQueue } from "./faults.js";
import { InstrumentCatalog } from "./instrument-catalog.js";
import { MarketPrices } from "./market-prices.js";
import { OrderEngine, type SimOrder, type SimTrade } from "./order-engine.js";
import type { XtsOrderRecord } from "./order-records.js";
import { Portfolio, type Holding } from "./portfolio.js";
import { RequestLog } from "./request-log.js";
import { SessionStore } from "./sessions.js";
import { Subscriptions } from "./subscriptions.js";
import { roundToTick } from "./wire-values.js";

/** Timers the sandbox owns (fault delays), so close() can cancel them and never hang a test run. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.add(timer);
    });
  }

  /** Pending sleeps never resolve: their requests were going to a closed server anyway. */
  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

/** What the socket servers push: order states, fills and price moves, as they happen. */
export interface SandboxEvents {
  order: [order: SimOrder, record: XtsOrderRecord];
  trade: [trade: SimTrade];
  price: [instrument: GeneratedInstrument];
}

/** Everything one sandbox instance knows; nothing lives at module level. */
export interface SandboxState {
  readonly options: ResolvedSandboxOptions;
  readonly master: GeneratedMaster;
  readonly catalog: InstrumentCatalog;
  readonly prices: MarketPrices;
  readonly sessions: SessionStore;
  readonly account: Account;
  readonly engine: OrderEngine;
  readonly portfolio: Portfolio;
  readonly faults: FaultQueue;
  readonly requests: RequestLog;
  readonly timers: Timers;
  readonly events: EventEmitter<SandboxEvents>;
  /** Market-data subscriptions per session token (`POST /instruments/subscription`). */
  readonly subscriptions: Subscriptions;
  /** When recent OHLC requests came, for the XTS-like limit (`ohlcPerSecond`). */
  readonly ohlcRequests: number[];
  readonly now: () => number;
  /** `http://host:port`, known once the server listens; hostlookup builds the connection string from it. */
  origin: string;
}

function seedHoldings(catalog: InstrumentCatalog, account: Account, enabled: boolean): Map<string, readonly Holding[]> {
  const seeded = new Map<string, readonly Holding[]>();
  if (!enabled) return seeded;
  const holdings = catalog.equitiesWithIsin(2).map(({ instrument, isin }, i) => ({
    isin,
    instrument,
    quantity: (i + 1) * 10 * instrument.lotSize,
    buyAveragePrice: roundToTick(instrument.referencePrice * 0.9, instrument.tickSize),
  }));
  // Only the first client holds anything, so a dealer's second client shows Jainam's empty-holdings answer.
  seeded.set(account.clientCodes[0]!, holdings);
  return seeded;
}

export function createSandboxState(options: ResolvedSandboxOptions, master: GeneratedMaster, now: () => number = Date.now): SandboxState {
  const catalog = new InstrumentCatalog(master);
  const prices = new MarketPrices();
  const events = new EventEmitter<SandboxEvents>();
  const account = buildAccount(options.dealer);
  const portfolio = new Portfolio(prices, options.openingBalance, seedHoldings(catalog, account, options.seedHoldings));
  const engine: OrderEngine = new OrderEngine({
    loginID: account.userID,
    prices,
    now,
    availableMargin: (clientID) => portfolio.summary(clientID, engine.openOrdersOf(clientID), (order) => engine.referencePrice(order)).netMarginAvailable,
    netPosition: (clientID, instrument, productType) => portfolio.netPosition(clientID, instrument, productType),
    onFill: (trade) => {
      portfolio.applyFill(trade);
      events.emit("trade", trade);
    },
    onOrderEvent: (order, record) => events.emit("order", order, record),
  });
  return {
    options,
    master,
    catalog,
    prices,
    sessions: new SessionStore(options.sessionTtlMs, now),
    account,
    engine,
    portfolio,
    faults: new FaultQueue(),
    requests: new RequestLog(options.requestLogCapacity),
    timers: new Timers(),
    events,
    subscriptions: new Subscriptions(),
    ohlcRequests: [],
    now,
    origin: "",
  };
}
