/**
 * OpenAlgo's smart-order decision table (openalgo-api.md §5, V10): action, quantity,
 * position_size, current position → the order placed ("BUY 200") or "none".
 */
export const SMART_ORDER_TABLE: readonly (readonly ["BUY" | "SELL", number, number, number, string])[] = [
  ["BUY", 100, 0, 0, "BUY 100"],
  ["BUY", 100, 100, -100, "BUY 200"],
  ["BUY", 100, 100, 100, "none"],
  ["BUY", 100, 200, 100, "BUY 100"],
  ["SELL", 100, 0, 0, "SELL 100"],
  ["SELL", 100, -100, 100, "SELL 200"],
  ["SELL", 100, -100, -100, "none"],
  ["SELL", 100, -200, -100, "SELL 100"],
  ["BUY", 5, 0, 5, "SELL 5"],
  ["SELL", 5, 0, -5, "BUY 5"],
  ["BUY", 0, 0, 0, "none"],
  ["SELL", 0, 0, 0, "none"],
];
