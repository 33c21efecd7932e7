import { isXtsSegment, MASTER_SEGMENTS, segmentCode, segmentFromCode, type MasterSegment, type XtsSegment } from "../../xts/segments.js";
import { badRequest, success, type Reply } from "./envelope.js";
import { faultStatusReply } from "./error-pages.js";
import { applyMasterFault, writeMaster, type MasterPart } from "./master-body.js";
import { parseXtsTime } from "../../xts/ohlc.js";
import type { GeneratedInstrument } from "../master/master-generator.js";
import { foldBars, minuteBars, optionElasticity, sessionSummary, wallClockSeconds, type PathDriver, type SessionSummary } from "./price-path.js";
import { quotePayload, isQuoteMessageCode, type QuoteMessageCode } from "./quotes.js";
import { session, type Route, type RouteContext } from "./routes.js";
import { asFields } from "./wire-values.js";

const MASTER_ERROR = "e-instrument-0002";
const INDEX_LIST_ERROR = "e-instrument-0003";
const QUOTES_ERROR = "e-instrument-0004";

function isMasterSegment(value: string): value is MasterSegment {
  return (MASTER_SEGMENTS as readonly string[]).includes(value);
}

/** Segment names of a master request, in order, without repeats. */
export function requestedSegments(body: unknown): string[] {
  if (body === null || typeof body !== "object") return [];
  const list = (body as { exchangeSegmentList?: unknown }).exchangeSegmentList;
  if (!Array.isArray(list)) return [];
  return [...new Set(list.filter((item): item is string => typeof item === "string"))];
}

/**
 * `POST /instruments/master` with `{"exchangeSegmentList":["NSEFO", …]}`: one envelope whose
 * `result` is the segments' lines joined by `\n` (xts-protocol.md §2.1). A known XTS segment the
 * sandbox has no master for answers empty, like NSECD on a Prop account ([LIVE]).
 */
function master(context: RouteContext): Reply {
  const fields = asFields(context.body, MASTER_ERROR);
  const list = fields["exchangeSegmentList"];
  if (!Array.isArray(list) || list.length === 0) {
    throw badRequest(MASTER_ERROR, "exchangeSegmentList", `exchangeSegmentList must be a non-empty array of segment names such as ${MASTER_SEGMENTS.join(", ")}`);
  }
  for (const item of list) {
    if (typeof item !== "string" || !isXtsSegment(item)) {
      throw badRequest(MASTER_ERROR, "exchangeSegmentList", `exchangeSegmentList entry ${JSON.stringify(item)} is not a segment name; allowed: ${MASTER_SEGMENTS.join(", ")}`);
    }
  }
  const parts: MasterPart[] = requestedSegments(context.body).map((segment) => ({
    segment,
    // A segment the impersonated broker does not offer answers empty, as NSECD does on a Prop account.
    lines: isMasterSegment(segment) && context.state.options.profile.segments.includes(segment) ? context.state.master.lines[segment] : [],
  }));
  const fault = context.masterFault;
  const faulted = applyMasterFault(parts, fault);
  const fraction = fault?.action.type === "truncate-master" ? (fault.action.fraction ?? 0.5) : undefined;
  return { kind: "stream", status: 200, write: (sink) => writeMaster(sink, faulted, fraction) };
}

/** `GET /instruments/indexlist?exchangeSegment=1|11`: `"NAME_TOKEN"` entries (xts-protocol.md §2.5). */
function indexList(context: RouteContext): Reply {
  const raw = context.query["exchangeSegment"];
  if (raw !== "1" && raw !== "11") {
    throw badRequest(INDEX_LIST_ERROR, "exchangeSegment", `exchangeSegment ${JSON.stringify(raw ?? null)} must be 1 (NSECM) or 11 (BSECM)`);
  }
  const list = context.state.master.indexLists[raw === "1" ? 1 : 11];
  return success("s-instrument-0007", "Index List successfully", { exchangeSegment: raw, indexList: [...list] });
}

/** An option's path follows its underlying's (see price-path.ts); other instruments walk on their own. */
function driverOf(state: RouteContext["state"], instrument: GeneratedInstrument): PathDriver | undefined {
  if (instrument.kind !== "option" || instrument.strike === null || instrument.optionType === null) return undefined;
  const underlying = state.catalog.underlyingOf(instrument);
  if (underlying === undefined) return undefined;
  return { token: underlying.token, elasticity: optionElasticity(state.prices.ltp(underlying), instrument.strike, state.prices.ltp(instrument), instrument.optionType) };
}

/** Quotes name segments by number; a name is accepted too. */
function quoteSegment(value: unknown): XtsSegment | undefined {
  if (typeof value === "string" && isXtsSegment(value)) return value;
  const code = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(code) ? segmentFromCode(code) : undefined;
}

type SummaryCache = Map<GeneratedInstrument, { readonly key: string; readonly summary: SessionSummary }>;
const summaryCaches = new WeakMap<RouteContext["state"], SummaryCache>();

/**
 * The session figures change only with the minute, the price or the underlying's pull: computing
 * them walks a day or more of minute bars, too slow to repeat for every streamed quote.
 */
function summaryOf(state: RouteContext["state"], instrument: GeneratedInstrument, ltp: number, nowWall: number): SessionSummary {
  let cache = summaryCaches.get(state);
  if (cache === undefined) {
    cache = new Map();
    summaryCaches.set(state, cache);
  }
  const driver = driverOf(state, instrument);
  const key = `${Math.floor(nowWall / 60)}|${ltp}|${driver === undefined ? "" : `${driver.token}:${driver.elasticity}`}`;
  const hit = cache.get(instrument);
  if (hit !== undefined && hit.key === key) return hit.summary;
  const summary = sessionSummary(instrument, ltp, nowWall, driver);
  cache.set(instrument, { key, summary });
  return summary;
}

/** The quote of one instrument now, as quotes, subscriptions and the market-data socket send it. */
export function livePayload(state: RouteContext["state"], instrument: GeneratedInstrument, segmentCodeValue: number, code: QuoteMessageCode): Record<string, unknown> {
  const nowMs = state.now();
  const ltp = state.prices.ltp(instrument);
  return quotePayload(code, { instrument, segmentCode: segmentCodeValue, ltp, session: summaryOf(state, instrument, ltp, wallClockSeconds(nowMs)), nowMs });
}

function quotedInstrument(state: RouteContext["state"], item: unknown, errorCode: string): { instrument: GeneratedInstrument; segment: XtsSegment } {
  const entry = (item ?? {}) as { exchangeSegment?: unknown; exchangeInstrumentID?: unknown };
  const segment = quoteSegment(entry.exchangeSegment);
  const token = Number(entry.exchangeInstrumentID);
  const instrument = segment === undefined || !Number.isSafeInteger(token) ? undefined : state.catalog.get(segment, token);
  if (instrument === undefined || segment === undefined) {
    throw badRequest(errorCode, "instruments", `instrument ${JSON.stringify(entry)} is not in the master`);
  }
  return { instrument, segment };
}

function messageCodeOf(fields: Record<string, unknown>, errorCode: string): QuoteMessageCode {
  const code = typeof fields["xtsMessageCode"] === "string" ? Number(fields["xtsMessageCode"]) : fields["xtsMessageCode"];
  if (typeof code !== "number" || !isQuoteMessageCode(code)) {
    throw badRequest(errorCode, "xtsMessageCode", `xtsMessageCode ${JSON.stringify(fields["xtsMessageCode"] ?? null)} is not supported; allowed: 1501, 1502, 1510, 1512`);
  }
  return code;
}

function instrumentList(fields: Record<string, unknown>, errorCode: string): unknown[] {
  const instruments = fields["instruments"];
  if (!Array.isArray(instruments) || instruments.length === 0) {
    throw badRequest(errorCode, "instruments", "instruments must be a non-empty array of {exchangeSegment, exchangeInstrumentID}");
  }
  return instruments;
}

const SUBSCRIPTION_ERROR = "e-session-0002";

/**
 * `POST /instruments/subscription`: the session's socket gets `{code}-json-full` events (or binary
 * packets) for these instruments from now on; the reply carries a first snapshot in `listQuotes`
 * (§1). When every instrument was already subscribed XTS answers "Instrument Already Subscribed".
 */
function subscribe(context: RouteContext): Reply {
  const { state } = context;
  const token = session(context).token;
  const fields = asFields(context.body, SUBSCRIPTION_ERROR);
  const code = messageCodeOf(fields, "e-instrument-0004");
  const instruments = instrumentList(fields, "e-instrument-0004");
  const resolved = instruments.map((item) => quotedInstrument(state, item, "e-instrument-0004"));
  let fresh = 0;
  for (const { instrument, segment } of resolved) if (!state.subscriptions.add(token, instrument, segmentCode(segment), code)) fresh += 1;
  if (fresh === 0) throw badRequest(SUBSCRIPTION_ERROR, "instruments", "Instrument Already Subscribed !");
  const listQuotes = resolved.map(({ instrument, segment }) => JSON.stringify(livePayload(state, instrument, segmentCode(segment), code)));
  return success("s-subscription-0001", "Instrument subscribed successfully!", { mdp: code, quotesList: instruments, listQuotes, Remaining_Subscription_Count: 2000 - state.subscriptions.count(token) });
}

/** `PUT /instruments/subscription`: stops the events; an instrument that was not subscribed is simply not there. */
function unsubscribe(context: RouteContext): Reply {
  const { state } = context;
  const token = session(context).token;
  const fields = asFields(context.body, SUBSCRIPTION_ERROR);
  const code = messageCodeOf(fields, "e-instrument-0004");
  const instruments = instrumentList(fields, "e-instrument-0004");
  for (const item of instruments) {
    const { instrument, segment } = quotedInstrument(state, item, "e-instrument-0004");
    state.subscriptions.remove(token, segmentCode(segment), instrument.token, code);
  }
  return success("s-unsubscription-0001", "Instrument unsubscribed successfully!", { mdp: code, quotesList: instruments });
}

/** `POST /instruments/quotes`: `listQuotes` holds one JSON string per instrument (xts-protocol.md §6.1). */
function quotes(context: RouteContext): Reply {
  const { state } = context;
  const fields = asFields(context.body, QUOTES_ERROR);
  const code = messageCodeOf(fields, QUOTES_ERROR);
  const format = fields["publishFormat"] ?? "JSON";
  if (format !== "JSON") throw badRequest(QUOTES_ERROR, "publishFormat", `publishFormat ${JSON.stringify(format)} is not supported; the sandbox publishes JSON`);
  const instruments = instrumentList(fields, QUOTES_ERROR);
  const listQuotes = instruments.map((item: unknown) => {
    const { instrument, segment } = quotedInstrument(state, item, QUOTES_ERROR);
    return JSON.stringify(livePayload(state, instrument, segmentCode(segment), code));
  });
  return success("s-quotes-0001", "Get quotes successfully!", { mdp: code, quotesList: instruments, listQuotes });
}

const OHLC_ERROR = "e-instrument-0005";
const COMPRESSIONS: ReadonlySet<string> = new Set(["60", "120", "180", "300", "900", "1800", "3600", "D"]);

/**
 * `GET /instruments/ohlc?exchangeSegment=NSECM&exchangeInstrumentID=22&startTime=Dec 02 2024 091500&endTime=…&compressionValue=60`
 * (xts-protocol.md §6.2): bars of the instrument's price path as `ts|o|h|l|c|v|oi`, comma separated, in
 * `dataReponse` (sic), `ts` the IST wall clock read as UTC. No bar after now, none outside sessions.
 */
function ohlc(context: RouteContext): Reply {
  const { state, query } = context;
  const limit = state.options.ohlcPerSecond;
  if (limit !== null) {
    // The wall clock, not the sandbox's (which a test may hold still): a limit is about real time.
    const now = Date.now();
    const recent = state.ohlcRequests.filter((t) => now - t < 1000);
    state.ohlcRequests.splice(0, state.ohlcRequests.length, ...recent);
    if (recent.length >= limit) return faultStatusReply(429, 1, "json");
    state.ohlcRequests.push(now);
  }
  const segment = query["exchangeSegment"];
  if (segment === undefined || !isXtsSegment(segment)) throw badRequest(OHLC_ERROR, "exchangeSegment", `exchangeSegment ${JSON.stringify(segment ?? null)} must be a segment name such as NSECM`);
  const token = Number(query["exchangeInstrumentID"]);
  const instrument = Number.isSafeInteger(token) ? state.catalog.get(segment, token) : undefined;
  if (instrument === undefined) throw badRequest(OHLC_ERROR, "exchangeInstrumentID", `instrument ${segment} ${String(query["exchangeInstrumentID"])} is not in the master`);
  const from = parseXtsTime(query["startTime"] ?? "");
  const to = parseXtsTime(query["endTime"] ?? "");
  if (from === undefined || to === undefined || from > to) {
    throw badRequest(OHLC_ERROR, "startTime", "startTime and endTime must be 'MMM DD YYYY HHMMSS' (IST), startTime not after endTime");
  }
  const compression = query["compressionValue"] ?? "";
  if (!COMPRESSIONS.has(compression)) throw badRequest(OHLC_ERROR, "compressionValue", `compressionValue ${JSON.stringify(compression)} is not one of ${[...COMPRESSIONS].join(", ")}`);
  const minutes = minuteBars(instrument, state.prices.ltp(instrument), from, to, wallClockSeconds(state.now()), driverOf(state, instrument));
  const bars = foldBars(minutes, compression === "D" ? "D" : Number(compression));
  const dataReponse = bars.map((b) => `${b.ts}|${b.open}|${b.high}|${b.low}|${b.close}|${b.volume}|${b.oi}`).join(",");
  return success("s-instrument-0002", "Data found", { exchangeSegment: segment, exchangeInstrumentID: token, dataReponse });
}

export const MARKET_DATA_ROUTES: readonly Route[] = [
  { method: "GET", path: "/instruments/ohlc", auth: "market", handler: ohlc },
  { method: "POST", path: "/instruments/master", auth: "market", handler: master },
  { method: "GET", path: "/instruments/indexlist", auth: "market", handler: indexList },
  { method: "POST", path: "/instruments/quotes", auth: "market", handler: quotes },
  { method: "POST", path: "/instruments/subscription", auth: "market", handler: subscribe },
  { method: "PUT", path: "/instruments/subscription", auth: "market", handler: unsubscribe },
];
