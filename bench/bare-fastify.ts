import Fastify from "fastify";
import { request } from "undici";
import { DEFAULT_PROFILE, findProfile } from "../src/xts/profiles.js";

/**
 * The throughput bench's baselines (issue 19), run as their own process: a bare Fastify 5 app
 * with no logger, no validation, no auth. `POST /ping` answers a constant; `/order-*` and
 * `/quote-*` make the one XTS call xtsbridge's placeorder and quotes make, to the same sandbox
 * (`BARE_XTS`, its credentials the sandbox defaults), over Node's fetch and over undici's request.
 * Prints `bare fastify at http://…` once listening.
 */
const xts = process.env["BARE_XTS"];
if (xts === undefined) throw new Error("BARE_XTS (the sandbox's base URL) is not set");
const profile = findProfile(DEFAULT_PROFILE)!;
const interactive = `${xts}${profile.interactiveRoot}`;
const market = `${xts}${profile.marketDataRoot}`;

async function login(url: string, body: Record<string, string>): Promise<string> {
  const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const token = ((await answer.json()) as { result?: { token?: string } }).result?.token;
  if (token === undefined) throw new Error(`no token from ${url}`);
  return token;
}

const orderToken = await login(`${interactive}/user/session`, { appKey: "sandbox-interactive-key", secretKey: "sandbox-interactive-secret", source: "WEBAPI" });
const marketToken = await login(`${market}/auth/login`, { appKey: "sandbox-market-key", secretKey: "sandbox-market-secret", source: "WebAPI" });

let tag = 0;
const order = (): string =>
  JSON.stringify({
    exchangeSegment: "NSECM",
    exchangeInstrumentID: 2,
    productType: "MIS",
    orderType: "MARKET",
    orderSide: "BUY",
    timeInForce: "DAY",
    disclosedQuantity: 0,
    orderQuantity: 1,
    limitPrice: 0,
    stopPrice: 0,
    orderUniqueIdentifier: `bare${(tag += 1)}`,
  });
const quote = JSON.stringify({ instruments: [{ exchangeSegment: 1, exchangeInstrumentID: 2 }], xtsMessageCode: 1502, publishFormat: "JSON" });
const headers = (token: string): Record<string, string> => ({ "content-type": "application/json", accept: "application/json", authorization: token });

const app = Fastify();
app.post("/ping", async () => ({ status: "success", data: { message: "pong" } }));
app.post("/order-fetch", async () => {
  const answer = await fetch(`${interactive}/orders`, { method: "POST", headers: headers(orderToken), body: order() });
  const parsed = (await answer.json()) as { result?: { AppOrderID?: number } };
  return { status: "success", orderid: String(parsed.result?.AppOrderID) };
});
app.post("/order-undici", async () => {
  const answer = await request(`${interactive}/orders`, { method: "POST", headers: headers(orderToken), body: order() });
  const parsed = (await answer.body.json()) as { result?: { AppOrderID?: number } };
  return { status: "success", orderid: String(parsed.result?.AppOrderID) };
});
app.post("/quote-fetch", async () => {
  const answer = await fetch(`${market}/instruments/quotes`, { method: "POST", headers: headers(marketToken), body: quote });
  return { status: "success", data: ((await answer.json()) as { result?: unknown }).result };
});
app.post("/quote-undici", async () => {
  const answer = await request(`${market}/instruments/quotes`, { method: "POST", headers: headers(marketToken), body: quote });
  return { status: "success", data: ((await answer.body.json()) as { result?: unknown }).result };
});
const address = await app.listen({ host: "127.0.0.1", port: 0 });
console.log(`bare fastify at ${address}`);
