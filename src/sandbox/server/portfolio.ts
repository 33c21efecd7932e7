import type { GeneratedInstrument } from "../master/master-generator.js";
import { marginFor } from "./margin.js";
import type { MarketPrices } from "./market-prices.js";
import type { SimOrder, SimTrade } from "./order-engine.js";
import type { XtsProductType } from "./order-types.js";

/** A day position: what was bought and sold of one instrument under one product. */
export interface PositionState {
  readonly clientID: string;
  readonly instrument: GeneratedInstrument;
  readonly productType: XtsProductType;
  buyQuantity: number;
  sellQuantity: number;
  buyAmount: number;
  sellAmount: number;
}

export interface PositionFigures {
  readonly net: number;
  readonly buyAverage: number;
  readonly sellAverage: number;
  readonly realized: number;
  readonly unrealized: number;
  readonly mtm: number;
}

/**
 * Day-position arithmetic: MTM = sold − bought + net × LTP; the realized part is the matched
 * quantity times the difference of the averages; the rest is unrealized.
 */
export function positionFigures(position: PositionState, ltp: number): PositionFigures {
  const net = position.buyQuantity - position.sellQuantity;
  const buyAverage = position.buyQuantity === 0 ? 0 : position.buyAmount / position.buyQuantity;
  const sellAverage = position.sellQuantity === 0 ? 0 : position.sellAmount / position.sellQuantity;
  const matched = Math.min(position.buyQuantity, position.sellQuantity);
  const realized = matched * (sellAverage - buyAverage);
  const mtm = position.sellAmount - position.buyAmount + net * ltp;
  return { net, buyAverage, sellAverage, realized, unrealized: mtm - realized, mtm };
}

export interface Holding {
  readonly isin: string;
  readonly instrument: GeneratedInstrument;
  readonly quantity: number;
  readonly buyAveragePrice: number;
}

export interface AccountSummary {
  readonly openingBalance: number;
  readonly realized: number;
  readonly unrealized: number;
  readonly marginUtilized: number;
  readonly netMarginAvailable: number;
}

/** Positions, holdings and funds of every client, following the order engine's fills. */
export class Portfolio {
  private positions = new Map<string, PositionState>();

  constructor(
    private readonly prices: MarketPrices,
    private readonly openingBalance: number,
    private readonly seededHoldings: ReadonlyMap<string, readonly Holding[]>,
  ) {}

  applyFill(trade: SimTrade): void {
    const { order } = trade;
    const key = `${order.clientID}|${order.instrument.segment}|${order.instrument.token}|${order.terms.productType}`;
    let position = this.positions.get(key);
    if (position === undefined) {
      position = {
        clientID: order.clientID,
        instrument: order.instrument,
        productType: order.terms.productType,
        buyQuantity: 0,
        sellQuantity: 0,
        buyAmount: 0,
        sellAmount: 0,
      };
      this.positions.set(key, position);
    }
    if (order.side === "BUY") {
      position.buyQuantity += trade.quantity;
      position.buyAmount += trade.quantity * trade.price;
    } else {
      position.sellQuantity += trade.quantity;
      position.sellAmount += trade.quantity * trade.price;
    }
  }

  /** Closed positions stay in the day's list, as on XTS. */
  netPosition(clientID: string, instrument: GeneratedInstrument, productType: XtsProductType): number {
    for (const p of this.positions.values()) {
      if (p.clientID === clientID && p.instrument === instrument && p.productType === productType) return p.buyQuantity - p.sellQuantity;
    }
    return 0;
  }

  positionsOf(clientIDs: readonly string[]): PositionState[] {
    return [...this.positions.values()].filter((position) => clientIDs.includes(position.clientID));
  }

  holdingsOf(clientID: string): readonly Holding[] {
    return this.seededHoldings.get(clientID) ?? [];
  }

  summary(clientID: string, openOrders: readonly SimOrder[], orderPrice: (order: SimOrder) => number): AccountSummary {
    let realized = 0;
    let unrealized = 0;
    let marginUtilized = 0;
    for (const position of this.positionsOf([clientID])) {
      const ltp = this.prices.ltp(position.instrument);
      const figures = positionFigures(position, ltp);
      realized += figures.realized;
      unrealized += figures.unrealized;
      marginUtilized += marginFor(position.instrument, position.productType, figures.net, ltp);
    }
    for (const order of openOrders) {
      marginUtilized += marginFor(order.instrument, order.terms.productType, order.terms.quantity - order.filledQuantity, orderPrice(order));
    }
    const netMarginAvailable = this.openingBalance + realized + unrealized - marginUtilized;
    return { openingBalance: this.openingBalance, realized, unrealized, marginUtilized, netMarginAvailable };
  }

  reset(): void {
    this.positions = new Map();
  }
}
