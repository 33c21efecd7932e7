import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import { parseMasterStream, type ParsedLine } from "../../src/xts/master-parser.js";
import { MASTER_SEGMENTS } from "../../src/xts/segments.js";
import { call, market, marketLogin, pick, smallMaster, startSandbox } from "./sandbox-client.js";

let master: GeneratedMaster;
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  master = smallMaster();
  sandbox = await startSandbox(master);
  token = await marketLogin(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => {
  sandbox.control.clearFaults();
});

async function parse(text: string): Promise<ParsedLine[]> {
  const lines: ParsedLine[] = [];
  for await (const batch of parseMasterStream([text])) lines.push(...batch);
  return lines;
}

const masterCall = (segments: unknown) => call(market(sandbox), "POST", "/instruments/master", { token, body: { exchangeSegmentList: segments } });

describe("POST /instruments/master", () => {
  it.each(MASTER_SEGMENTS)("serves %s: every line parses and the count equals the generator's", async (segment) => {
    const response = await masterCall([segment]);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ type: "success", code: "s-instrument-0001", description: "Instrument master" });
    const parsed = await parse(response.json.result);
    expect(parsed.filter((line) => !line.ok)).toEqual([]);
    expect(parsed).toHaveLength(master.lines[segment].length);
    expect(response.json.result).toBe(master.lines[segment].join("\n"));
  });

  it("concatenates several segments in the order asked", async () => {
    const response = await masterCall(["NSEFO", "NSECM"]);
    expect(response.json.result).toBe([...master.lines.NSEFO, ...master.lines.NSECM].join("\n"));
  });

  it("refuses an unknown segment name and an empty list", async () => {
    for (const body of [["NSEFO", "NFO"], [], [2]]) {
      const response = await masterCall(body);
      expect(response.status).toBe(400);
      expect(response.json.type).toBe("error");
      expect(response.json.code).toMatch(/^e-/);
    }
    expect((await masterCall(["NFO"])).json.description).toContain("NFO");
  });

  it("needs the market token", async () => {
    const response = await call(market(sandbox), "POST", "/instruments/master", { body: { exchangeSegmentList: ["NSECM"] } });
    expect(response.json.description).toBe("Invalid Token");
  });

  it("empty-segment fault: success with result '' for the matched segment only", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSECD" }, action: { type: "empty-segment" } });
    const other = await masterCall(["NSECM"]);
    expect(other.json.result).toBe(master.lines.NSECM.join("\n"));
    const empty = await masterCall(["NSECD"]);
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ type: "success", result: "" });
  });

  it("truncate-master fault: the body ends part-way and is not valid JSON", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master" }, action: { type: "truncate-master", fraction: 0.3 } });
    const response = await masterCall(["NSEFO"]);
    expect(response.status).toBe(200);
    expect(response.json).toBeUndefined();
    const full = JSON.stringify(master.lines.NSEFO.join("\n")).length;
    expect(response.text.length).toBeLessThan(full * 0.5);
    expect(response.text.length).toBeGreaterThan(full * 0.2);
  });

  it("malformed-master fault: a valid envelope with exactly the asked number of bad lines", async () => {
    sandbox.control.inject({ match: { segment: "BSECM" }, action: { type: "malformed-master", lines: 4 } });
    const response = await masterCall(["BSECM"]);
    expect(response.json.type).toBe("success");
    const parsed = await parse(response.json.result);
    expect(parsed.filter((line) => !line.ok)).toHaveLength(4);
    expect(parsed.filter((line) => line.ok)).toHaveLength(master.lines.BSECM.length);
  });
});

describe("GET /instruments/indexlist", () => {
  it.each([1, 11] as const)("serves segment %i", async (segment) => {
    const response = await call(market(sandbox), "GET", "/instruments/indexlist", { token, query: { exchangeSegment: segment } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ type: "success", code: "s-instrument-0007", description: "Index List successfully" });
    expect(response.json.result.exchangeSegment).toBe(String(segment));
    expect(response.json.result.indexList).toEqual(master.indexLists[segment]);
  });

  it("refuses other segments", async () => {
    const response = await call(market(sandbox), "GET", "/instruments/indexlist", { token, query: { exchangeSegment: 2 } });
    expect(response.status).toBe(400);
  });
});

describe("POST /instruments/quotes", () => {
  const quotes = (instruments: unknown[], xtsMessageCode: unknown) =>
    call(market(sandbox), "POST", "/instruments/quotes", { token, body: { instruments, xtsMessageCode, publishFormat: "JSON" } });

  it("1502: touchline and five levels of depth around the simulated price, as JSON strings", async () => {
    const stock = pick(master, "NSECM", "cash");
    const response = await quotes([{ exchangeSegment: 1, exchangeInstrumentID: stock.token }], 1502);
    expect(response.status).toBe(200);
    expect(response.json.result.quotesList).toEqual([{ exchangeSegment: 1, exchangeInstrumentID: stock.token }]);
    expect(response.json.result.listQuotes).toHaveLength(1);
    const quote = JSON.parse(response.json.result.listQuotes[0]);
    const ltp = sandbox.control.price("NSECM", stock.token);
    expect(quote).toMatchObject({ MessageCode: 1502, ExchangeSegment: 1, ExchangeInstrumentID: stock.token });
    expect(quote.Touchline.LastTradedPrice).toBe(ltp);
    expect(Math.abs(ltp - stock.referencePrice)).toBeLessThanOrEqual(3 * stock.tickSize + 1e-9);
    for (const key of ["LastTradedQuantity", "Open", "High", "Low", "Close", "TotalTradedQuantity", "AverageTradedPrice", "LastTradedTime", "PercentChange"]) {
      expect(quote.Touchline).toHaveProperty(key);
    }
    expect(quote.Bids).toHaveLength(5);
    expect(quote.Asks).toHaveLength(5);
    expect(quote.Touchline.BidInfo.Price).toBeLessThan(ltp);
    expect(quote.Touchline.AskInfo.Price).toBeGreaterThan(ltp);
  });

  it("1501 touchline only and 1512 LTP, for several instruments including an index", async () => {
    const option = pick(master, "NSEFO", "option");
    const index = master.instruments.find((instrument) => instrument.kind === "index" && instrument.segment === "NSECM")!;
    const instruments = [
      { exchangeSegment: 2, exchangeInstrumentID: option.token },
      { exchangeSegment: 1, exchangeInstrumentID: index.token },
    ];
    const touchline = await quotes(instruments, 1501);
    const parsed = touchline.json.result.listQuotes.map((text: string) => JSON.parse(text));
    expect(parsed.map((q: { MessageCode: number }) => q.MessageCode)).toEqual([1501, 1501]);
    expect(parsed[0].Bids).toBeUndefined();
    expect(parsed[0].Touchline.LastTradedPrice).toBe(sandbox.control.price("NSEFO", option.token));
    const ltp = await quotes(instruments, 1512);
    const ltpQuote = JSON.parse(ltp.json.result.listQuotes[1]);
    expect(ltpQuote).toMatchObject({ MessageCode: 1512, ExchangeInstrumentID: index.token });
    expect(ltpQuote.LastTradedPrice).toBeGreaterThan(0);
  });

  it("follows control.setPrice", async () => {
    const stock = pick(master, "NSECM", "cash", 1);
    const { price } = sandbox.control.setPrice("NSECM", stock.token, stock.referencePrice + 10 * stock.tickSize);
    const response = await quotes([{ exchangeSegment: 1, exchangeInstrumentID: stock.token }], 1512);
    expect(JSON.parse(response.json.result.listQuotes[0]).LastTradedPrice).toBe(price);
  });

  it("refuses other message codes and unknown instruments", async () => {
    const stock = pick(master, "NSECM", "cash");
    const badCode = await quotes([{ exchangeSegment: 1, exchangeInstrumentID: stock.token }], 1505);
    expect(badCode.status).toBe(400);
    expect(badCode.json.description).toContain("1505");
    const unknown = await quotes([{ exchangeSegment: 1, exchangeInstrumentID: 999_999_999 }], 1502);
    expect(unknown.status).toBe(400);
  });
});
