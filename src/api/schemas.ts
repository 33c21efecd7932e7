import { z } from "zod";
import { notServedReason, SUPPORTED_EXCHANGES } from "../instruments/exchanges.js";
import { ACTIONS, PRICE_TYPES, PRODUCTS } from "../orders/openalgo-types.js";
import { apiKeyField, exactEnum, nonNegative, orderId, signedWholeNumber, text, upperEnum, wholeNumber } from "./schema-helpers.js";

/**
 * Request schemas of /api/v1, following OpenAlgo's code (restx_api/schemas.py), not its docs:
 * `strategy` is required on order endpoints, unknown fields are rejected, numbers may be strings.
 * The same schemas validate requests and generate /api/v1/openapi.json.
 */
const apikey = apiKeyField();
const strategy = text("strategy", 100);
const symbol = text("symbol", 64);
const exchange = upperEnum("exchange", SUPPORTED_EXCHANGES, notServedReason);
const action = upperEnum("action", ACTIONS);
const pricetype = exactEnum("pricetype", PRICE_TYPES);
const product = exactEnum("product", PRODUCTS);

const orderFields = {
  apikey,
  strategy,
  exchange,
  symbol,
  action,
  quantity: wholeNumber("quantity", 1),
  pricetype: pricetype.default("MARKET"),
  product: product.default("MIS"),
  price: nonNegative("price").default(0),
  trigger_price: nonNegative("trigger_price").default(0),
  disclosed_quantity: wholeNumber("disclosed_quantity", 0).default(0),
  underlying_ltp: nonNegative("underlying_ltp").nullable().optional(),
};

export const placeOrderSchema = z.strictObject(orderFields);

export const placeSmartOrderSchema = z.strictObject({
  ...orderFields,
  quantity: wholeNumber("quantity", 0),
  position_size: signedWholeNumber("position_size"),
});

export const modifyOrderSchema = z.strictObject({
  apikey,
  strategy,
  orderid: orderId(),
  exchange,
  symbol,
  action,
  product,
  pricetype,
  price: nonNegative("price"),
  quantity: wholeNumber("quantity", 1),
  disclosed_quantity: wholeNumber("disclosed_quantity", 0),
  trigger_price: nonNegative("trigger_price"),
});

export const cancelOrderSchema = z.strictObject({ apikey, strategy, orderid: orderId() });
export const strategyOnlySchema = z.strictObject({ apikey, strategy });
export const orderStatusSchema = z.strictObject({ apikey, strategy, orderid: orderId() });
export const openPositionSchema = z.strictObject({ apikey, strategy, symbol, exchange, product });
export const apikeyOnlySchema = z.strictObject({ apikey });
export const symbolSchema = z.strictObject({ apikey, symbol, exchange });
export const quotesSchema = z.strictObject({ apikey, symbol, exchange });
export const searchSchema = z.strictObject({ apikey, query: text("query", 200), exchange: exchange.optional() });

export const FNO_EXCHANGES = ["NFO", "BFO", "CDS", "MCX"] as const;
export const expirySchema = z.strictObject({
  apikey,
  symbol,
  exchange: upperEnum("exchange", FNO_EXCHANGES),
  instrumenttype: z
    .string({ error: "instrumenttype must be futures or options" })
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(["futures", "options"], { error: "instrumenttype must be futures or options" })),
});

export const instrumentsQuerySchema = z.strictObject({
  apikey,
  exchange: exchange.optional(),
  format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json"),
});

export const refreshSchema = z.strictObject({
  apikey,
  force: z.union([z.boolean(), z.enum(["true", "false"])], { error: "force must be true or false" }).transform((v) => v === true || v === "true").default(false),
});

/** A calendar date `YYYY-MM-DD` that exists (2025-02-30 does not). */
const isoDate = (field: string) =>
  z
    .string({ error: `${field} must be a date YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} must be a date YYYY-MM-DD` })
    .refine(
      (v) => {
        const d = new Date(`${v}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
      },
      { message: `${field} is not a calendar date` },
    );

export const historySchema = z.strictObject({
  apikey,
  symbol,
  exchange,
  // Checked against what XTS serves by the service, so the error lists the allowed intervals.
  interval: text("interval", 8),
  start_date: isoDate("start_date"),
  end_date: isoDate("end_date"),
  source: z.enum(["api"], { error: "source must be api (xtsbridge has no local Historify database)" }).default("api"),
});

export const depthSchema = z.strictObject({ apikey, symbol, exchange });

export const multiquotesSchema = z.strictObject({
  apikey,
  symbols: z
    .array(z.strictObject({ symbol, exchange }), { error: "symbols must be a list of {symbol, exchange}" })
    .min(1, { message: "symbols must not be empty" })
    .max(500, { message: "symbols may hold at most 500 entries" }),
});

export const tickerQuerySchema = z.strictObject({
  apikey,
  symbol: text("symbol", 80).regex(/^[A-Za-z_]+:.+$/, { message: "symbol must be EXCHANGE:SYMBOL, e.g. NSE:SBIN" }),
  interval: text("interval", 8).default("D"),
  from: isoDate("from"),
  to: isoDate("to"),
  format: z.enum(["json", "txt"], { error: "format must be json or txt" }).default("json"),
});
