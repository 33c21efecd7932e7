import type { Action } from "./openalgo-types.js";

export type SmartDecision =
  | { readonly kind: "order"; readonly action: Action; readonly quantity: number }
  | { readonly kind: "none"; readonly message: string };

/**
 * OpenAlgo's smart order (openalgo-api.md §5, V10): bring the position to `positionSize`.
 * With no target and no position, a non-zero quantity is a plain order in `action`'s direction.
 */
export function decideSmartOrder(action: Action, quantity: number, positionSize: number, current: number): SmartDecision {
  if (positionSize === 0 && current === 0) {
    if (quantity === 0) return { kind: "none", message: "No OpenPosition Found. Not placing Exit order." };
    return { kind: "order", action, quantity };
  }
  if (positionSize === current) return { kind: "none", message: "Positions Already Matched. No Action needed." };
  const delta = positionSize - current;
  return { kind: "order", action: delta > 0 ? "BUY" : "SELL", quantity: Math.abs(delta) };
}
