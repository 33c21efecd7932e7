import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import { Secret } from "../../src/xts/client/index.js";
import { caught, expectNoSecrets, harness, logins, requestsTo, startSandbox, SECRETS } from "./xts-harness.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.control.clearFaults();
  sandbox.control.clearRequests();
});

describe("interactive login routes", () => {
  it("direct login posts appKey/secretKey/source WEBAPI to {server}/interactive and keeps that base", async () => {
    const h = harness(sandbox, { jainam: { hostlookup: "off" } });
    const session = await h.client.interactive.login();
    expect(session).toMatchObject({ via: "direct", base: `${sandbox.url}/interactive`, userID: "SANDBOX01", isInvestorClient: true });
    expect(requestsTo(sandbox, "POST", "/hostlookup")).toHaveLength(0);
    const [login] = requestsTo(sandbox, "POST", "/user/session");
    expect(login).toMatchObject({ base: "interactive", body: { appKey: SECRETS[0], source: "WEBAPI" }, hasAuthorization: false });
    await h.client.interactive.orderBook();
    expect(requestsTo(sandbox, "GET", "/orders")[0]?.base).toBe("interactive");
    expectNoSecrets(h);
  });

  it("hostlookup login sends the published access password, logs in with uniqueKey at the connection string, and keeps it as the base", async () => {
    const h = harness(sandbox, { jainam: { hostlookup: "on" } });
    const session = await h.client.interactive.login();
    expect(session).toMatchObject({ via: "hostlookup", base: `${sandbox.url}/5interactive` });
    const [lookup] = requestsTo(sandbox, "POST", "/hostlookup");
    expect(lookup?.body).toEqual({ accesspassword: "2021HostLookUpAccess", version: "interactive_1.0.1" });
    const [login] = requestsTo(sandbox, "POST", "/user/session");
    expect(login?.base).toBe("hostlookup-interactive");
    expect(login?.body).toMatchObject({ appKey: SECRETS[0], uniqueKey: expect.any(String) });
    await h.client.interactive.orderBook();
    await h.client.interactive.positions();
    const later = sandbox.control.requests().filter((r) => r.path !== "/hostlookup" && r.path !== "/user/session");
    expect(later.map((r) => r.base)).toEqual(["hostlookup-interactive", "hostlookup-interactive"]);
  });

  it("auto uses hostlookup when it answers", async () => {
    const h = harness(sandbox);
    expect((await h.client.interactive.login()).via).toBe("hostlookup");
  });

  it("auto falls back to direct login when hostlookup is not there (nginx 404)", async () => {
    const h = harness(sandbox, { jainam: { hostlookupUrl: `${sandbox.url}/no-such-hostlookup` } });
    const session = await h.client.interactive.login();
    expect(session).toMatchObject({ via: "direct", base: `${sandbox.url}/interactive` });
    expect(sandbox.control.requests().map((r) => [r.base, r.path, r.status])).toEqual([
      ["unknown", "/no-such-hostlookup", 404],
      ["interactive", "/user/session", 200],
    ]);
  });

  it("auto falls back to direct login when hostlookup keeps failing with 503, after its retries", async () => {
    sandbox.control.inject({ match: { path: "/hostlookup" }, times: 3, action: { type: "status", status: 503 } });
    const h = harness(sandbox);
    expect((await h.client.interactive.login()).via).toBe("direct");
    expect(requestsTo(sandbox, "POST", "/hostlookup")).toHaveLength(3);
    expect(h.delays).toHaveLength(2);
  });

  it("hostlookup 'on' does not fall back", async () => {
    const h = harness(sandbox, { jainam: { hostlookup: "on", hostlookupUrl: `${sandbox.url}/no-such-hostlookup` } });
    const error = await caught(h.client.interactive.login());
    expect(error.code).toBe("XTS_BAD_RESPONSE");
    expect(error.message).toContain("404");
    expect(requestsTo(sandbox, "POST", "/user/session")).toHaveLength(0);
  });

  it("a login retried after a 503 succeeds", async () => {
    sandbox.control.inject({ match: { path: "/user/session" }, action: { type: "status", status: 503 } });
    const h = harness(sandbox, { jainam: { hostlookup: "off" } });
    expect((await h.client.interactive.login()).via).toBe("direct");
    expect(logins(sandbox)).toBe(2);
  });
});

describe("refused credentials", () => {
  it.each(["off", "on"] as const)("interactive login (hostlookup %s) reports XTS_AUTH_FAILED without the secret", async (hostlookup) => {
    const h = harness(sandbox, { jainam: { hostlookup, interactiveApiSecret: new Secret("wrong-secret-xyz") } });
    const error = await caught(h.client.interactive.orderBook());
    expect(error.code).toBe("XTS_AUTH_FAILED");
    expect(error.retry).toBe("never");
    expect(error.message).not.toContain("wrong-secret-xyz");
    expect(logins(sandbox)).toBe(1);
    expectNoSecrets(h, [error]);
  });

  it("market login reports XTS_AUTH_FAILED", async () => {
    const h = harness(sandbox, { jainam: { marketApiKey: new Secret("not-a-key") } });
    const error = await caught(h.client.market.indexList(1));
    expect(error.code).toBe("XTS_AUTH_FAILED");
    expect(error.message).not.toContain("not-a-key");
  });
});

describe("session ownership", () => {
  it("concurrent calls share one in-flight login", async () => {
    const h = harness(sandbox);
    await Promise.all([
      h.client.interactive.orderBook(),
      h.client.interactive.tradeBook(),
      h.client.interactive.positions(),
      h.client.interactive.holdings(),
      h.client.interactive.balance(),
      h.client.interactive.profile(),
      h.client.interactive.orderBook(),
    ]);
    expect(logins(sandbox)).toBe(1);
    expect(requestsTo(sandbox, "POST", "/hostlookup")).toHaveLength(1);
    await Promise.all([h.client.market.indexList(1), h.client.market.indexList(11), h.client.market.login()]);
    expect(requestsTo(sandbox, "POST", "/auth/login")).toHaveLength(1);
  });

  it.each([200, 400] as const)("'Invalid Token' with HTTP %i on a read logs in again once and answers", async (httpStatus) => {
    const h = harness(sandbox);
    await h.client.interactive.login();
    sandbox.control.inject({ match: { path: "/orders", method: "GET" }, action: { type: "invalid-token", httpStatus } });
    expect(await h.client.interactive.orderBook()).toEqual([]);
    expect(logins(sandbox)).toBe(2);
    expect(requestsTo(sandbox, "GET", "/orders")).toHaveLength(2);
  });

  it("expired sessions are renewed once for many concurrent reads", async () => {
    const h = harness(sandbox);
    await h.client.interactive.login();
    await h.client.market.login();
    sandbox.control.expireSessions();
    await Promise.all([h.client.interactive.orderBook(), h.client.interactive.tradeBook(), h.client.interactive.positions(), h.client.market.indexList(1)]);
    expect(logins(sandbox)).toBe(2);
    expect(requestsTo(sandbox, "POST", "/auth/login")).toHaveLength(2);
  });

  it("'Invalid Token' after the re-login is XTS_SESSION_EXPIRED, with exactly one re-login", async () => {
    const h = harness(sandbox);
    await h.client.interactive.login();
    sandbox.control.inject({ match: { path: "/portfolio/holdings" }, times: 2, action: { type: "invalid-token", httpStatus: 200 } });
    const error = await caught(h.client.interactive.holdings());
    expect(error.code).toBe("XTS_SESSION_EXPIRED");
    expect(logins(sandbox)).toBe(2);
    expectNoSecrets(h, [error]);
  });

  it("a second client with the same keys ends the first's session; the first recovers for reads", async () => {
    const first = harness(sandbox);
    const second = harness(sandbox);
    await first.client.interactive.login();
    await second.client.interactive.login();
    expect(await first.client.interactive.positions()).toEqual([]);
    expect(logins(sandbox)).toBe(3);
    // …which in turn ended the second's: it recovers the same way.
    expect(await second.client.interactive.tradeBook()).toEqual([]);
    expect(logins(sandbox)).toBe(4);
  });

  it("logout ends both sessions; the next call logs in again", async () => {
    const h = harness(sandbox);
    await h.client.interactive.login();
    await h.client.market.login();
    await h.client.interactive.logout();
    await h.client.market.logout();
    expect(requestsTo(sandbox, "DELETE", "/user/session")[0]?.status).toBe(200);
    expect(requestsTo(sandbox, "DELETE", "/auth/logout")[0]?.status).toBe(200);
    await h.client.interactive.orderBook();
    expect(logins(sandbox)).toBe(2);
    await h.client.interactive.logout();
    await h.client.interactive.logout();
    expect(requestsTo(sandbox, "DELETE", "/user/session")).toHaveLength(2);
  });
});
