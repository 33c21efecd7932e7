import { z } from "zod";
import { notServedReason, SUPPORTED_EXCHANGES } from "../instruments/exchanges.js";
import { ACTIONS, PRICE_TYPES, PRODUCTS } from "../orders/openalgo-types.js";
import { OFFSET_HELP, OFFSET_PATTERN } from "../options/ladder.js";
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

/** How an order is priced, with OpenAlgo's defaults: the same on every order-placing body. */
const priceTerms = {
  pricetype: pricetype.default("MARKET"),
  price: nonNegative("price").default(0),
  trigger_price: nonNegative("trigger_price").default(0),
  disclosed_quantity: wholeNumber("disclosed_quantity", 0).default(0),
};

/** One order of a basket: placeorder's fields without the key and strategy. */
const basketItem = z.strictObject({
  exchange,
  symbol,
  action,
  quantity: wholeNumber("quantity", 1),
  product: product.default("MIS"),
  ...priceTerms,
});

const orderFields = {
  apikey,
  strategy,
  ...basketItem.shape,
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

// ---- Options, multi-order, margin, analyzer and calendar (OpenAlgo restx_api/schemas.py, data_schemas.py) ----

const optionType = upperEnum("option_type", ["CE", "PE"]);
const offset = z
  .string({ error: OFFSET_HELP })
  .transform((v) => v.trim().toUpperCase())
  .pipe(z.string().regex(OFFSET_PATTERN, { message: OFFSET_HELP }))
  .meta({ description: "ATM, ITM1…ITM50 or OTM1…OTM50 (any case)" });
const expiryDate = text("expiry_date", 9).meta({ description: "DDMMMYY, e.g. 28OCT25" });
const underlying = text("underlying", 64).meta({ description: "NIFTY, RELIANCE, or a future such as NIFTY28OCT25FUT (which names the expiry)" });
const optionExchange = upperEnum("exchange", ["NSE_INDEX", "NSE", "BSE_INDEX", "BSE", "NFO", "BFO", "MCX", "CDS"]);
const optionProduct = exactEnum("product", ["MIS", "NRML"]);
const strikeInt = wholeNumber("strike_int", 1).nullable().optional().meta({ description: "legacy: a fixed strike interval; omit to use the contract's listed strikes" });
const splitsize = wholeNumber("splitsize", 0).nullable().default(0).transform((v) => v ?? 0);
const interestRate = nonNegative("interest_rate").refine((n) => n <= 100, { message: "interest_rate must be a percentage between 0 and 100" });

const legFields = {
  offset,
  option_type: optionType,
  action,
  quantity: wholeNumber("quantity", 1),
  splitsize,
  product: optionProduct.default("MIS"),
  ...priceTerms,
};

/** What names an underlying and its expiry, on every options body that resolves offsets. */
const optionUnderlying = {
  underlying,
  exchange: optionExchange,
  expiry_date: expiryDate.optional(),
  strike_int: strikeInt,
};

export const optionSymbolSchema = z.strictObject({
  apikey,
  // Deprecated in OpenAlgo and ignored, but its clients still send it.
  strategy: z.string().nullable().optional(),
  ...optionUnderlying,
  offset,
  option_type: optionType,
});

export const optionsOrderSchema = z.strictObject({
  apikey,
  strategy,
  ...optionUnderlying,
  ...legFields,
  underlying_ltp: nonNegative("underlying_ltp").nullable().optional(),
});

export const optionsMultiOrderSchema = z.strictObject({
  apikey,
  strategy,
  ...optionUnderlying,
  legs: z
    .array(z.strictObject({ ...legFields, expiry_date: expiryDate.optional() }), { error: "legs must be a list of legs {offset, option_type, action, quantity, …}" })
    .min(1, { message: "legs must hold 1 to 20 legs" })
    .max(20, { message: "legs must hold 1 to 20 legs" }),
});

export const syntheticFutureSchema = z.strictObject({ apikey, underlying, exchange: optionExchange, expiry_date: expiryDate });

export const optionChainSchema = z.strictObject({
  apikey,
  underlying,
  exchange: optionExchange,
  expiry_date: expiryDate,
  strike_count: wholeNumber("strike_count", 1).refine((n) => n <= 100, { message: "strike_count must be between 1 and 100" }).nullable().optional(),
  with_greeks: z.union([z.boolean(), z.enum(["true", "false"])], { error: "with_greeks must be true or false" }).transform((v) => v === true || v === "true").default(false),
  interest_rate: interestRate.nullable().optional(),
});

const greeksExchange = upperEnum("exchange", ["NFO", "BFO", "CDS", "MCX"]);
const expiryTime = z.string({ error: "expiry_time must be HH:MM" }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "expiry_time must be HH:MM (24-hour, IST), e.g. 15:30" });
const underlyingFields = {
  underlying_symbol: text("underlying_symbol", 64).optional(),
  underlying_exchange: upperEnum("underlying_exchange", SUPPORTED_EXCHANGES).optional(),
};

export const optionGreeksSchema = z.strictObject({
  apikey,
  symbol,
  exchange: greeksExchange,
  interest_rate: interestRate.optional(),
  forward_price: nonNegative("forward_price").refine((n) => n > 0, { message: "forward_price must be > 0" }).optional(),
  ...underlyingFields,
  expiry_time: expiryTime.optional(),
});

export const multiOptionGreeksSchema = z.strictObject({
  apikey,
  symbols: z
    .array(z.strictObject({ symbol, exchange: greeksExchange, ...underlyingFields }), { error: "symbols must be a list of {symbol, exchange}" })
    .min(1, { message: "symbols must hold 1 to 50 entries" })
    .max(50, { message: "symbols must hold 1 to 50 entries" }),
  interest_rate: interestRate.optional(),
  expiry_time: expiryTime.optional(),
});

export const basketOrderSchema = z.strictObject({
  apikey,
  strategy,
  orders: z
    .array(basketItem, { error: "orders must be a list of orders {symbol, exchange, action, quantity, …}" })
    .min(1, { message: "orders must not be empty" })
    .max(100, { message: "orders may hold at most 100 orders" }),
});

export const splitOrderSchema = z.strictObject({
  ...orderFields,
  splitsize: wholeNumber("splitsize", 1),
});

export const marginSchema = z.strictObject({
  apikey,
  positions: z
    .array(
      z.strictObject({
        symbol: text("symbol", 50),
        exchange,
        action,
        quantity: wholeNumber("quantity", 1),
        product,
        pricetype,
        price: nonNegative("price").default(0),
        trigger_price: nonNegative("trigger_price").default(0),
      }),
      { error: "positions must be a list of {symbol, exchange, action, quantity, product, pricetype}" },
    )
    .min(1, { message: "positions must hold 1 to 50 positions" })
    .max(50, { message: "positions must hold 1 to 50 positions" }),
});

export const analyzerToggleSchema = z.strictObject({
  apikey,
  mode: z.union([z.boolean(), z.enum(["true", "false"])], { error: "mode must be true (analyze) or false (live)" }).transform((v) => v === true || v === "true"),
});

export const holidaysSchema = z.strictObject({
  apikey,
  year: wholeNumber("year", 2020).refine((n) => n <= 2050, { message: "year must be between 2020 and 2050" }).optional(),
});

export const timingsSchema = z.strictObject({ apikey, date: isoDate("date") });
