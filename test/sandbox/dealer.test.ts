import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { GeneratedInstrument, GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import { call, interactive, interactiveLogin, smallMaster, startSandbox } from "./sandbox-client.js";
import { xtsOrder } from "../support/xts-orders.js";

let master: GeneratedMaster;
let dealer: Sandbox;
let investor: Sandbox;
let token: string;
let stock: GeneratedInstrument;

beforeAll(async () => {
  master = smallMaster();
  dealer = await startSandbox(master, { dealer: true });
  investor = await startSandbox(master);
  token = await interactiveLogin(dealer);
  stock = master.instruments.find((i) => i.segment === "NSECM" && i.kind === "cash")!;
});

afterAll(async () => {
  await Promise.all([dealer.close(), investor.close()]);
});

const api = (method: string, path: string, options: { body?: unknown; query?: Record<string, string | number> } = {}) =>
  call(interactive(dealer), method, path, { token, ...options });

const marketBuy = (clientID: string | undefined) => xtsOrder(stock, `dealer-${clientID ?? "none"}`, clientID === undefined ? {} : { clientID });

const NOT_MAPPED = { type: "error", code: "e-trade-00002", description: "Supplied client not mapped under dealer", result: {} };

describe("dealer (Pro) login", () => {
  it("logs in as a dealer with two client codes", async () => {
    const response = await call(interactive(dealer), "POST", "/user/session", {
      body: { appKey: dealer.options.interactiveKey, secretKey: dealer.options.interactiveSecret, source: "WEBAPI" },
    });
    token = response.json.result.token;
    expect(response.json.result).toMatchObject({ isInvestorClient: false, clientCodes: ["CLIENT1", "CLIENT2"] });
  });

  it.each([
    ["POST", "/orders", () => ({ body: marketBuy(undefined) })],
    ["GET", "/orders", () => ({})],
    ["GET", "/orders/trades", () => ({})],
    ["GET", "/portfolio/positions", () => ({ query: { dayOrNet: "NetWise" } })],
    ["GET", "/portfolio/holdings", () => ({})],
    ["GET", "/user/balance", () => ({})],
    ["GET", "/user/profile", () => ({})],
    ["DELETE", "/orders", () => ({ query: { appOrderID: 1 } })],
  ] as const)("%s %s without clientID is refused with e-trade-00002", async (method, path, options) => {
    const response = await api(method, path, options());
    expect(response.status).toBe(400);
    expect(response.json).toEqual(NOT_MAPPED);
  });

  it("refuses a clientID the dealer does not map, and clientID in the wrong place", async () => {
    expect((await api("POST", "/orders", { body: marketBuy("CLIENT9") })).json).toEqual(NOT_MAPPED);
    expect((await api("GET", "/orders", { query: { clientID: "CLIENT9" } })).json).toEqual(NOT_MAPPED);
    // GET reads clientID from the query only.
    expect((await api("GET", "/orders", { body: undefined, query: {} })).json).toEqual(NOT_MAPPED);
  });

  it("keeps each client's books apart", async () => {
    const placed = await api("POST", "/orders", { body: marketBuy("CLIENT1") });
    expect(placed.status).toBe(200);
    expect(placed.json.result.ClientID).toBe("CLIENT1");

    const client1 = await api("GET", "/orders", { query: { clientID: "CLIENT1" } });
    expect(client1.json.result.map((r: { ClientID: string }) => r.ClientID)).toEqual(["CLIENT1"]);
    const client2 = await api("GET", "/orders", { query: { clientID: "CLIENT2" } });
    expect(client2.status).toBe(400);
    expect(client2.json.code).toBe("e-orders-0005");
    expect((await api("GET", "/orders/trades", { query: { clientID: "CLIENT2" } })).json.code).toBe("e-tradeBook-0005");
    expect((await api("GET", "/portfolio/positions", { query: { clientID: "CLIENT2", dayOrNet: "NetWise" } })).json.code).toBe("e-portfolio-0005");
    expect((await api("GET", "/portfolio/positions", { query: { clientID: "CLIENT1", dayOrNet: "NetWise" } })).json.result.positionList[0].AccountID).toBe("CLIENT1");

    // Another client's order is as unknown as a missing one.
    const id = placed.json.result.AppOrderID;
    expect((await api("GET", "/orders", { query: { clientID: "CLIENT2", appOrderID: id } })).json.code).toBe("e-orders-0030");

    expect((await api("GET", "/portfolio/holdings", { query: { clientID: "CLIENT1" } })).status).toBe(200);
    expect((await api("GET", "/portfolio/holdings", { query: { clientID: "CLIENT2" } })).json.code).toBe("e-holdings-0005");
    expect((await api("GET", "/user/balance", { query: { clientID: "CLIENT2" } })).json.result.BalanceList[0].limitObject.AccountID).toBe("CLIENT2");
  });

  it("serves the dealer books for one client or all of them", async () => {
    await api("POST", "/orders", { body: marketBuy("CLIENT2") });
    const all = await api("GET", "/orders/dealerorderbook", { query: { clientID: "" } });
    expect(new Set(all.json.result.map((r: { ClientID: string }) => r.ClientID))).toEqual(new Set(["CLIENT1", "CLIENT2"]));
    const one = await api("GET", "/orders/dealerorderbook", { query: { clientID: "CLIENT2" } });
    expect(one.json.result.map((r: { ClientID: string }) => r.ClientID)).toEqual(["CLIENT2"]);
    const trades = await api("GET", "/orders/dealertradebook", { query: { clientID: "CLIENT1" } });
    expect(trades.json.result.every((r: { ClientID: string }) => r.ClientID === "CLIENT1")).toBe(true);
    const positions = await api("GET", "/portfolio/dealerpositions", { query: { dayOrNet: "NetWise", clientID: "CLIENT2" } });
    expect(positions.json.result.positionList.map((p: { AccountID: string }) => p.AccountID)).toEqual(["CLIENT2"]);
    expect((await api("GET", "/orders/dealerorderbook", { query: { clientID: "CLIENT9" } })).json).toEqual(NOT_MAPPED);
  });

  it("dealer endpoints are refused to investor logins", async () => {
    const investorToken = await interactiveLogin(investor);
    const response = await call(interactive(investor), "GET", "/orders/dealerorderbook", { token: investorToken, query: { clientID: "SANDBOX01" } });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("e-dealer-0001");
  });

  it("an investor may omit clientID or send its own, but not another", async () => {
    const investorToken = await interactiveLogin(investor);
    const get = (clientID?: string) =>
      call(interactive(investor), "GET", "/user/profile", { token: investorToken, ...(clientID === undefined ? {} : { query: { clientID } }) });
    expect((await get()).status).toBe(200);
    expect((await get("SANDBOX01")).status).toBe(200);
    expect((await get("CLIENT1")).json.code).toBe("e-trade-00002");
  });
});
