import type { GeneratedInstrument } from "../master/master-generator.js";
import { roundToTick } from "./wire-values.js";

function key(instrument: GeneratedInstrument): string {
  return `${instrument.segment}:${instrument.token}`;
}

/**
 * The simulated last traded price of each instrument. Until a test moves it, the price is the
 * instrument's reference price nudged by a few ticks that depend only on the token, so every run
 * with the same seed quotes and fills at the same prices.
 */
export class MarketPrices {
  private readonly moved = new Map<string, number>();

  ltp(instrument: GeneratedInstrument): number {
    return this.moved.get(key(instrument)) ?? this.initial(instrument);
  }

  /** Previous close: the reference price on the tick. */
  close(instrument: GeneratedInstrument): number {
    return roundToTick(instrument.referencePrice, instrument.tickSize);
  }

  set(instrument: GeneratedInstrument, price: number): number {
    const onTick = roundToTick(price, instrument.tickSize);
    this.moved.set(key(instrument), onTick);
    return onTick;
  }

  reset(): void {
    this.moved.clear();
  }

  private initial(instrument: GeneratedInstrument): number {
    const tick = instrument.tickSize;
    const nudged = roundToTick(instrument.referencePrice + ((instrument.token % 7) - 3) * tick, tick);
    const low = instrument.priceBandLow ?? Number.NEGATIVE_INFINITY;
    const high = instrument.priceBandHigh ?? Number.POSITIVE_INFINITY;
    if (nudged < low || nudged > high) return roundToTick(instrument.referencePrice, tick);
    return nudged;
  }
}
