import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { FORWARDED_ID_HEADER, httpForwarder } from "../../src/api/forward.js";
import { silentLogger } from "../../src/logger.js";
import { newRequestId, orderTagFor } from "../../src/orders/order-tag.js";
import { freePort } from "../support/processes.js";
import { GENEROUS_LIMITS, inject, startApi, type ApiHarness } from "./harness.js";

/** A replica whose primary never answers, or is not there at all. */
describe("a replica forwarding to a primary that fails", () => {
  let h: ApiHarness;
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    h = await startApi({ limits: GENEROUS_LIMITS });
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await h.close();
  });

  const replica = (primaryUrl: string) =>
    buildApp({ logger: silentLogger(), apiKeys: new ApiKeys(h.gw.store), resolver: h.gw.resolver, orders: h.gw.orders, quotes: h.gw.quotes, master: h.gw.master, limits: GENEROUS_LIMITS, forward: httpForwarder(primaryUrl, 300) });
  const order = () => ({ apikey: h.key, strategy: "t", symbol: h.picks.equity.symbol, exchange: "NSE", action: "BUY", quantity: "1" });

  it("an order the silent primary may have received is ORDER_OUTCOME_UNKNOWN with its tag", async () => {
    const res = await inject(replica(silentUrl), "placeorder", order());
    expect(res.statusCode).toBe(504);
    const body = res.json() as { code: string; order_unique_identifier: string };
    expect(body.code).toBe("ORDER_OUTCOME_UNKNOWN");
    expect(body.order_unique_identifier).toBe(orderTagFor(String(res.headers["x-request-id"])));
  });

  it("a read from a silent primary, or anything to a primary that refuses connections, is PRIMARY_UNAVAILABLE", async () => {
    expect((await inject(replica(silentUrl), "orderbook", { apikey: h.key })).json()).toMatchObject({ code: "PRIMARY_UNAVAILABLE" });
    const gone = `http://127.0.0.1:${await freePort()}`;
    const res = await inject(replica(gone), "placeorder", order());
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: "PRIMARY_UNAVAILABLE", message: expect.stringMatching(/nothing was sent to it/) });
  });

  it("the primary adopts a fresh forwarded id once, so the replica knows the order's tag", async () => {
    const id = newRequestId();
    const first = await inject(h.app, "placeorder", order(), { [FORWARDED_ID_HEADER]: id });
    expect(first.statusCode).toBe(200);
    expect(first.headers["x-request-id"]).toBe(id);
    expect(h.gw.sandbox.control.orders().some((o) => o.OrderUniqueIdentifier === orderTagFor(id))).toBe(true);
    const again = await inject(h.app, "placeorder", order(), { [FORWARDED_ID_HEADER]: id });
    expect(again.headers["x-request-id"]).not.toBe(id);
    const stale = (Date.now() - 3_600_000).toString(36).padStart(9, "0") + "abcdefghij";
    expect((await inject(h.app, "ping", { apikey: h.key }, { [FORWARDED_ID_HEADER]: stale })).headers["x-request-id"]).not.toBe(stale);
  });
});
