import { describe, expect, it } from "vitest";
import { MASTER_SEGMENTS } from "../../src/xts/segments.js";
import { parseMasterStream } from "../../src/xts/master-parser.js";
import type { FetchFunction } from "../../src/xts/client/index.js";
import { caught, cashStock, collect, harness, master, requestsTo, xtsFixture } from "./xts-harness.js";


const { sandbox, h } = xtsFixture({ harness: { timeouts: { masterMs: 2_000, readMs: 500 } } });

const expected = (segment: (typeof MASTER_SEGMENTS)[number]) => master().lines[segment].join("\n");
const masterPosts = () => requestsTo(sandbox, "POST", "/instruments/master");
const marketLogins = () => requestsTo(sandbox, "POST", "/auth/login").length;

describe("market-data session", () => {
  it("logs in on the market-data root with source WebAPI and reports the session without its token", async () => {
    const session = await h.client.market.login();
    expect(session).toMatchObject({ userID: "SANDBOX01" });
    expect(session).not.toHaveProperty("token");
    expect(requestsTo(sandbox, "POST", "/auth/login")[0]).toMatchObject({ base: "market", body: { source: "WebAPI" } });
  });
});

describe("downloadMaster", () => {
  it.each(MASTER_SEGMENTS)("streams %s exactly, with the market token and one segment per request", async (segment) => {
    const progress: number[] = [];
    const result = await collect(h.client.market.downloadMaster(segment, { onProgress: ({ bytes }) => progress.push(bytes) }));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(expected(segment));
    const [request] = masterPosts();
    expect(request).toMatchObject({ base: "market", body: { exchangeSegmentList: [segment] }, hasAuthorization: true });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("yields the big segment in several chunks, and feeds parseMasterStream", async () => {
    const result = await collect(h.client.market.downloadMaster("NSEFO"));
    expect(result.chunks).toBeGreaterThan(1);
    let parsed = 0;
    for await (const batch of parseMasterStream(h.client.market.downloadMaster("NSEFO"))) for (const line of batch) if (line.ok) parsed += 1;
    expect(parsed).toBe(master().lines.NSEFO.length);
  });

  it("downloads afresh on every iteration", async () => {
    const chunks = h.client.market.downloadMaster("NSECM");
    await collect(chunks);
    await collect(chunks);
    expect(masterPosts()).toHaveLength(2);
  });

  it("stops the download when the consumer stops early, and the client stays usable", async () => {
    for await (const chunk of h.client.market.downloadMaster("NSEFO")) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect((await h.client.market.indexList(1)).length).toBeGreaterThan(0);
  });

  it.each([0.5, 0.01])("a body truncated at %f throws XTS_BAD_RESPONSE 'truncated' after the chunks already yielded, without retrying", async (fraction) => {
    sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "truncate-master", fraction } });
    const result = await collect(h.client.market.downloadMaster("NSEFO"));
    expect(result.error?.code).toBe("XTS_BAD_RESPONSE");
    expect(result.error?.message).toMatch(/truncated/);
    expect(result.chunks).toBeGreaterThan(0);
    expect(expected("NSEFO").startsWith(result.text)).toBe(true);
    expect(result.text.length).toBeLessThan(expected("NSEFO").length);
    expect(masterPosts()).toHaveLength(1);
  });

  it("passes malformed lines through for the parser to report", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master", segment: "BSECM" }, action: { type: "malformed-master", lines: 4 } });
    let issues = 0;
    let ok = 0;
    for await (const batch of parseMasterStream(h.client.market.downloadMaster("BSECM"))) {
      for (const line of batch) {
        if (line.ok) ok += 1;
        else issues += 1;
      }
    }
    expect(issues).toBe(4);
    expect(ok).toBe(master().lines.BSECM.length);
  });

  it("an empty segment yields no text and no error", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master", segment: "MCXFO" }, action: { type: "empty-segment" } });
    const result = await collect(h.client.market.downloadMaster("MCXFO"));
    expect(result).toEqual({ text: "", chunks: 0 });
  });

  it.each([
    ["HTTP 503", { type: "status", status: 503 } as const],
    ["HTTP 500 (HTML page)", { type: "status", status: 500 } as const],
    ["a dropped connection", { type: "drop" } as const],
  ])("%s is retried with backoff and the download completes", async (_name, action) => {
    sandbox.control.inject({ match: { path: "/instruments/master" }, action });
    const result = await collect(h.client.market.downloadMaster("NSECM"));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(expected("NSECM"));
    expect(masterPosts()).toHaveLength(2);
    expect(h.delays).toHaveLength(1);
  });

  it("honours Retry-After on 429", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master" }, action: { type: "status", status: 429, retryAfterSeconds: 1 } });
    const result = await collect(h.client.market.downloadMaster("NSECM"));
    expect(result.error).toBeUndefined();
    expect(h.delays).toEqual([1000]);
  });

  it("gives up after the configured attempts with XTS_UNAVAILABLE", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master" }, times: 3, action: { type: "status", status: 502 } });
    const result = await collect(h.client.market.downloadMaster("NSECM"));
    expect(result.error).toMatchObject({ code: "XTS_UNAVAILABLE", retry: "safe" });
    expect(masterPosts()).toHaveLength(3);
    expect(h.delays).toHaveLength(2);
  });

  it.each([200, 400] as const)("'Invalid Token' with HTTP %i logs in again once and downloads", async (httpStatus) => {
    await h.client.market.login();
    const before = marketLogins();
    sandbox.control.inject({ match: { path: "/instruments/master" }, action: { type: "invalid-token", httpStatus } });
    const result = await collect(h.client.market.downloadMaster("NSECM"));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(expected("NSECM"));
    expect(marketLogins()).toBe(before + 1);
  });

  it("'Invalid Token' twice is XTS_SESSION_EXPIRED", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master" }, times: 2, action: { type: "invalid-token", httpStatus: 200 } });
    const result = await collect(h.client.market.downloadMaster("NSECM"));
    expect(result.error?.code).toBe("XTS_SESSION_EXPIRED");
  });

  it("a download slower than its timeout is XTS_TIMEOUT", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master" }, action: { type: "delay", ms: 2_500 } });
    const result = await collect(h.client.market.downloadMaster("NSECM"));
    expect(result.error).toMatchObject({ code: "XTS_TIMEOUT", details: { timeoutMs: 2_000 } });
    expect(masterPosts()).toHaveLength(1);
  });
});

describe("indexList", () => {
  it.each([1, 11] as const)("lists segment %i's indices", async (segment) => {
    expect(await h.client.market.indexList(segment)).toEqual(master().indexLists[segment]);
    expect(requestsTo(sandbox, "GET", "/instruments/indexlist")[0]?.query).toEqual({ exchangeSegment: String(segment) });
  });

  it("is retried on 503 and recovers from 'Invalid Token'", async () => {
    sandbox.control.inject({ match: { path: "/instruments/indexlist" }, action: { type: "status", status: 503 } });
    sandbox.control.inject({ match: { path: "/instruments/indexlist" }, action: { type: "invalid-token", httpStatus: 200 } });
    expect((await h.client.market.indexList(1)).length).toBeGreaterThan(0);
    expect(requestsTo(sandbox, "GET", "/instruments/indexlist")).toHaveLength(3);
  });
});

describe("quotes", () => {
  it.each([1501, 1502, 1512] as const)("parses every listQuotes string for message code %i", async (code) => {
    const stock = cashStock();
    const quotes = await h.client.market.quotes([{ exchangeSegment: 1, exchangeInstrumentID: stock.token }], code);
    expect(quotes).toHaveLength(1);
    expect(quotes[0]).toMatchObject({ ExchangeInstrumentID: stock.token });
    const [request] = requestsTo(sandbox, "POST", "/instruments/quotes");
    expect(request?.body).toEqual({ instruments: [{ exchangeSegment: 1, exchangeInstrumentID: stock.token }], xtsMessageCode: code, publishFormat: "JSON" });
  });

  it("is an idempotent read: retried on 503 although it is a POST", async () => {
    sandbox.control.inject({ match: { path: "/instruments/quotes" }, action: { type: "status", status: 503 } });
    const quotes = await h.client.market.quotes([{ exchangeSegment: 1, exchangeInstrumentID: cashStock().token }], 1502);
    expect(quotes).toHaveLength(1);
    expect(requestsTo(sandbox, "POST", "/instruments/quotes")).toHaveLength(2);
  });

  /** A client whose quotes answers come back with `listQuotes` rewritten. */
  const rewritingQuotes = (rewrite: (list: unknown[]) => unknown[]) => {
    const fake: FetchFunction = async (input, init) => {
      const answer = await fetch(input, init);
      if (!new URL(String(input)).pathname.endsWith("/instruments/quotes") || answer.status !== 200) return answer;
      const body = (await answer.json()) as { result: { listQuotes: unknown[] } };
      body.result.listQuotes = rewrite(body.result.listQuotes);
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    };
    return harness(sandbox, { fetch: fake }).client.market;
  };
  const twoStocks = () => master().instruments.filter((i) => i.segment === "NSECM" && i.kind === "cash").slice(0, 2).map((i) => ({ exchangeSegment: 1, exchangeInstrumentID: i.token }));

  it("gives each instrument its own quote, in the order asked, whatever order XTS lists them in", async () => {
    const asked = twoStocks();
    for (const quotes of [await rewritingQuotes((list) => [...list].reverse()).depthQuotes(asked), await rewritingQuotes((list) => [...list].reverse()).openInterest(asked)]) {
      expect(quotes.map((q) => q.ExchangeInstrumentID)).toEqual(asked.map((a) => a.exchangeInstrumentID));
    }
  });

  it("an instrument XTS sends no quote for is XTS_BAD_RESPONSE naming it, never another's quote", async () => {
    const asked = twoStocks();
    const error = await caught(rewritingQuotes((list) => [list[0], list[0]]).depthQuotes(asked));
    expect(error.code).toBe("XTS_BAD_RESPONSE");
    expect(error.message).toContain(`none for 1:${asked[1]!.exchangeInstrumentID}`);
  });

  it("keeps XTS's description when an instrument is refused", async () => {
    const error = await caught(h.client.market.quotes([{ exchangeSegment: 1, exchangeInstrumentID: 999_999_999 }], 1502));
    expect(error.code).toBe("XTS_REJECTED");
    expect(error.message).toContain(String(error.details["description"]));
  });
});
