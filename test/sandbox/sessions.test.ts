import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import { eventually } from "../support/poll.js";
import { call, interactive, interactiveLogin, market, marketLogin, smallMaster, startSandbox } from "./sandbox-client.js";

let master: GeneratedMaster;
let sandbox: Sandbox;

beforeAll(async () => {
  master = smallMaster();
  sandbox = await startSandbox(master);
});

afterAll(async () => {
  await sandbox.close();
});

const credentials = () => ({ appKey: sandbox.options.interactiveKey, secretKey: sandbox.options.interactiveSecret });

describe("hostlookup", () => {
  it("answers with boolean type true, a uniqueKey and the /5interactive connection string", async () => {
    const response = await call(sandbox.url, "POST", "/hostlookup", { body: { accesspassword: "2021HostLookUpAccess", version: "interactive_1.0.1" } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ type: true, code: "s-hostlookup-0001", description: "Hostlookup successful" });
    expect(response.json.result.uniqueKey).toMatch(/^[0-9a-f]{24}$/);
    expect(response.json.result.connectionString).toBe(`${sandbox.url}/5interactive`);
  });

  it("refuses a wrong access password with a 400 error envelope", async () => {
    const response = await call(sandbox.url, "POST", "/hostlookup", { body: { accesspassword: "nope", version: "interactive_1.0.1" } });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ type: "error", code: "e-hostlookup-0002" });
  });

  it("logs in through the connection string with the issued uniqueKey, and serves the same routes there", async () => {
    const lookup = await call(sandbox.url, "POST", "/hostlookup", { body: { accesspassword: "2021HostLookUpAccess", version: "interactive_1.0.1" } });
    const { uniqueKey, connectionString } = lookup.json.result;
    const login = await call(connectionString, "POST", "/user/session", { body: { ...credentials(), uniqueKey } });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ type: "success", code: "s-user-0001", description: "Valid User." });
    const profile = await call(connectionString, "GET", "/user/profile", { token: login.json.result.token });
    expect(profile.status).toBe(200);
    const bases = sandbox.control.requests().filter((r) => r.path === "/user/profile").map((r) => r.base);
    expect(bases).toContain("hostlookup-interactive");
  });

  it("refuses a login through the connection string without a uniqueKey hostlookup issued", async () => {
    const missing = await call(`${sandbox.url}/5interactive`, "POST", "/user/session", { body: credentials() });
    const invented = await call(`${sandbox.url}/5interactive`, "POST", "/user/session", { body: { ...credentials(), uniqueKey: "abc" } });
    expect([missing.status, invented.status]).toEqual([400, 400]);
    expect(missing.json.code).toBe("e-user-0005");
    expect(invented.json.code).toBe("e-user-0005");
  });
});

describe("interactive login", () => {
  it("returns the XTS login result", async () => {
    const response = await call(interactive(sandbox), "POST", "/user/session", { body: { ...credentials(), source: "WEBAPI" } });
    expect(response.status).toBe(200);
    const { result } = response.json;
    expect(result).toMatchObject({ userID: "SANDBOX01", isInvestorClient: true, clientCodes: ["SANDBOX01"], isOneTouchUser: false });
    expect(result.token.split(".")).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(result.token.split(".")[1], "base64url").toString("utf8"));
    expect(payload.exp - payload.iat).toBe(86_400);
    expect(result.enums.exchangeInfo.NSECM.productType).toMatchObject({ CNC: 4, MIS: 1, NRML: 2 });
    expect(result.exchangeSegmentArray).toContainEqual({ key: "NSEFO", value: "2" });
  });

  it("refuses a wrong secret, a wrong key and the market key pair with e-user-0002", async () => {
    const wrongSecret = await call(interactive(sandbox), "POST", "/user/session", { body: { ...credentials(), secretKey: "x" } });
    const wrongKey = await call(interactive(sandbox), "POST", "/user/session", { body: { ...credentials(), appKey: "x" } });
    const marketPair = await call(interactive(sandbox), "POST", "/user/session", {
      body: { appKey: sandbox.options.marketKey, secretKey: sandbox.options.marketSecret },
    });
    for (const response of [wrongSecret, wrongKey, marketPair]) {
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ type: "error", code: "e-user-0002" });
    }
  });

  it("accepts the form-encoded login of the official Python SDK", async () => {
    const body = new URLSearchParams({ ...credentials(), source: "WEBAPI" }).toString();
    const response = await fetch(`${interactive(sandbox)}/user/session`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expect(response.status).toBe(200);
  });
});

describe("tokens", () => {
  it("keeps interactive and market tokens apart", async () => {
    const interactiveToken = await interactiveLogin(sandbox);
    const marketToken = await marketLogin(sandbox);
    const onMarket = await call(market(sandbox), "GET", "/instruments/indexlist", { token: interactiveToken, query: { exchangeSegment: 1 } });
    const onInteractive = await call(interactive(sandbox), "GET", "/user/profile", { token: marketToken });
    for (const response of [onMarket, onInteractive]) {
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ type: "error", code: "e-session-0007", description: "Invalid Token", result: {} });
    }
  });

  it("answers Invalid Token for a missing token, an unknown one and a Bearer prefix", async () => {
    const token = await interactiveLogin(sandbox);
    const missing = await call(interactive(sandbox), "GET", "/user/profile");
    const unknown = await call(interactive(sandbox), "GET", "/user/profile", { token: "abc.def.ghi" });
    const bearer = await call(interactive(sandbox), "GET", "/user/profile", { token: `Bearer ${token}` });
    for (const response of [missing, unknown, bearer]) expect(response.json.description).toBe("Invalid Token");
  });

  it("allows one session per app key: a second login kills the first token", async () => {
    const first = await interactiveLogin(sandbox);
    expect((await call(interactive(sandbox), "GET", "/user/profile", { token: first })).status).toBe(200);
    const second = await interactiveLogin(sandbox);
    expect(second).not.toBe(first);
    expect((await call(interactive(sandbox), "GET", "/user/profile", { token: first })).json.code).toBe("e-session-0007");
    expect((await call(interactive(sandbox), "GET", "/user/profile", { token: second })).status).toBe(200);
  });

  it("a market login does not kill the interactive session (different app key)", async () => {
    const token = await interactiveLogin(sandbox);
    await marketLogin(sandbox);
    expect((await call(interactive(sandbox), "GET", "/user/profile", { token })).status).toBe(200);
  });

  it("logs out on DELETE /user/session and DELETE /auth/logout", async () => {
    const token = await interactiveLogin(sandbox);
    expect((await call(interactive(sandbox), "DELETE", "/user/session", { token })).status).toBe(200);
    expect((await call(interactive(sandbox), "GET", "/user/profile", { token })).json.code).toBe("e-session-0007");
    const marketToken = await marketLogin(sandbox);
    expect((await call(market(sandbox), "DELETE", "/auth/logout", { token: marketToken })).status).toBe(200);
    expect((await call(market(sandbox), "GET", "/instruments/indexlist", { token: marketToken, query: { exchangeSegment: 1 } })).status).toBe(400);
  });

  it("control.expireSessions() kills every token", async () => {
    const token = await interactiveLogin(sandbox);
    const marketToken = await marketLogin(sandbox);
    sandbox.control.expireSessions();
    expect((await call(interactive(sandbox), "GET", "/user/profile", { token })).json.description).toBe("Invalid Token");
    expect((await call(market(sandbox), "GET", "/instruments/indexlist", { token: marketToken, query: { exchangeSegment: 1 } })).json.description).toBe("Invalid Token");
  });

  it("expires tokens after sessionTtlMs", async () => {
    const shortLived = await startSandbox(master, { sessionTtlMs: 150 });
    try {
      const token = await interactiveLogin(shortLived);
      expect((await call(interactive(shortLived), "GET", "/user/profile", { token })).status).toBe(200);
      await eventually("the short-lived session to expire", async () => (await call(interactive(shortLived), "GET", "/user/profile", { token })).json?.description === "Invalid Token", { timeoutMs: 5000 });
    } finally {
      await shortLived.close();
    }
  });
});

describe("roots", () => {
  it("404s /apimarketdata as Jainam Prop does, with an HTML page", async () => {
    const response = await call(`${sandbox.url}/apimarketdata`, "POST", "/auth/login", { body: {} });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.text).toContain("nginx");
  });

  it("404s an unknown route under a served root", async () => {
    const response = await call(interactive(sandbox), "GET", "/no/such/route");
    expect(response.status).toBe(404);
    expect(response.text).toContain("Cannot GET /interactive/no/such/route");
  });

  it("refuses a body that is not JSON with a 400 envelope", async () => {
    const response = await fetch(`${interactive(sandbox)}/user/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("e-request-0001");
  });
});
