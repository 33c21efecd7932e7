import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { FORWARDED_ID_HEADER, httpForwarder, REPLICA_PROOF_HEADER, replicaProof } from "../../src/api/forward.js";
import { Secret } from "../../src/config.js";
import { orderTagFor, RequestIds } from "../../src/orders/order-tag.js";

import { freePort } from "../support/processes.js";
import { apiFixture, expectError, GENEROUS_LIMITS, inject, startApi, type ApiHarness } from "./harness.js";

const requestIds = new RequestIds();
const newRequestId = (): string => requestIds.next();

const SECRET = new Secret("a-replica-secret-of-at-least-32-chars");

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
    buildApp(appDeps(h.gw, { apiKeys: new ApiKeys(h.gw.store), limits: GENEROUS_LIMITS, forward: httpForwarder(primaryUrl, SECRET, 300) }));
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

  it("the primary adopts a forwarded id once, and only with the replica's proof, so the replica knows the order's tag", async () => {
    const primary = h.app2({ replicaSecret: SECRET });
    const id = newRequestId();
    const first = await inject(primary, "placeorder", order(), { [FORWARDED_ID_HEADER]: id, [REPLICA_PROOF_HEADER]: replicaProof(SECRET, id) });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers["x-request-id"]).toBe(id);
    expect(h.gw.sandbox.control.orders().some((o) => o.OrderUniqueIdentifier === orderTagFor(id))).toBe(true);
    const placed = h.gw.sandbox.control.orders().length;
    const again = await inject(primary, "placeorder", order(), { [FORWARDED_ID_HEADER]: id, [REPLICA_PROOF_HEADER]: replicaProof(SECRET, id) });
    expectError(again, 403, "REPLICA_NOT_TRUSTED", /already used/);
    expect(again.headers["x-request-id"]).not.toBe(id);
    expect(h.gw.sandbox.control.orders()).toHaveLength(placed);
  });

  it("a forwarded id with no proof, a proof made with another secret, or an old proof is refused and nothing is placed", async () => {
    const primary = h.app2({ replicaSecret: SECRET });
    const placed = h.gw.sandbox.control.orders().length;
    const id = newRequestId();
    const other = new Secret("another-secret-of-at-least-32-characters!");
    for (const [proof, why] of [
      [undefined, /missing or malformed/],
      [replicaProof(other, id), /does not match/],
      [replicaProof(SECRET, id, Date.now() - 3_600_000), /older than/],
      [replicaProof(SECRET, newRequestId()), /does not match/],
    ] as const) {
      const res = await inject(primary, "placeorder", order(), { [FORWARDED_ID_HEADER]: id, ...(proof === undefined ? {} : { [REPLICA_PROOF_HEADER]: proof }) });
      expectError(res, 403, "REPLICA_NOT_TRUSTED", why);
    }
    // A gateway with no secret adopts nothing, whatever the proof.
    expectError(await inject(h.app, "placeorder", order(), { [FORWARDED_ID_HEADER]: id, [REPLICA_PROOF_HEADER]: replicaProof(SECRET, id) }), 403, "REPLICA_NOT_TRUSTED", /no XTSBRIDGE_REPLICA_SECRET/);
    expect(h.gw.sandbox.control.orders()).toHaveLength(placed);
  });
});

describe("a client that reuses another request's id (issue 11, item 1)", () => {
  const h = apiFixture({ limits: GENEROUS_LIMITS });

  it("cannot be handed order A's id for its own order B after a lost answer", async () => {
    const a = await h.post("placeorder", { apikey: h.key, strategy: "t", symbol: h.picks.equity.symbol, exchange: "NSE", action: "BUY", quantity: "1" });
    expect(a.statusCode, a.body).toBe(200);
    const aId = String(a.headers["x-request-id"]);
    h.gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    const b = await h.post(
      "placeorder",
      { apikey: h.key, strategy: "t", symbol: h.picks.future.symbol, exchange: "NFO", action: "SELL", quantity: String(h.picks.future.lotsize) },
      { [FORWARDED_ID_HEADER]: aId },
    );
    expectError(b, 403, "REPLICA_NOT_TRUSTED");
    expect(b.body).not.toContain((a.json() as { orderid: string }).orderid);
    expect(h.gw.sandbox.control.orders()).toHaveLength(1);
    h.gw.sandbox.control.clearFaults();
  });
});
