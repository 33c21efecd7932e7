import type { GeneratedInstrument } from "../master/master-generator.js";
import type { XtsProductType } from "./order-types.js";

/**
 * A deliberately simple RMS: margin is a fixed share of notional value. Enough to make balance
 * move with fills and to reject an order that the account cannot afford; not a SPAN model.
 *   cash CNC 100 %, cash MIS/NRML 20 %, futures 15 %, spreads 5 %, options 100 % of premium.
 */
export function marginFactor(instrument: GeneratedInstrument, productType: XtsProductType): number {
  switch (instrument.kind) {
    case "cash":
      return productType === "CNC" ? 1 : 0.2;
    case "future":
      return 0.15;
    case "spread":
      return 0.05;
    case "option":
      return 1;
    case "index":
    case "spot":
      return 0;
    default: {
      const unknown: never = instrument.kind;
      throw new Error(`unknown instrument kind ${String(unknown)}`);
    }
  }
}

export function marginFor(instrument: GeneratedInstrument, productType: XtsProductType, quantity: number, price: number): number {
  return Math.abs(quantity) * price * marginFactor(instrument, productType);
}

/** Money as XTS prints it in balance and position records: a string with two decimals. */
export function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}
