import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { findProfile } from "./xts/profiles.js";
import { loadConfig, Secret, type Env } from "./config.js";
import { ConfigError } from "./errors.js";

const CREDENTIALS: Env = {
  JAINAM_INTERACTIVE_API_KEY: "ikey-1a2b",
  JAINAM_INTERACTIVE_API_SECRET: "isec$#9",
  JAINAM_MARKET_API_KEY: "mkey-3c4d",
  JAINAM_MARKET_API_SECRET: "msec$#7",
};

function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("keeps the defaults and has no Jainam config when no credential is set", () => {
    const config = loadConfig({});
    expect(config).toEqual({
      databaseUrl: "sqlite:./data/xtsbridge.db",
      profile: findProfile("jainam_prop"),
      broker: "jainam_prop",
      logLevel: "info",
      jainam: null,
      http: { host: "127.0.0.1", port: 5000 },
      rateLimits: { ordersPerSecond: 10, smartOrdersPerSecond: 10, othersPerSecond: 10 },
      sandboxInstruments: 150_000,
      primaryUrl: null,
      replicaSecret: null,
      rateLimitStore: { kind: "memory" },
      contractCheckMs: 5_000,
      websocket: { host: "127.0.0.1", port: 8765, ltpCode: 1501 },
      redisUrl: null,
      marginDetails: false,
      refreshWorker: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("MASTER_REFRESH_WORKER is a switch, on unless set off, and names a value it cannot read", () => {
    expect(loadConfig({ MASTER_REFRESH_WORKER: "off" }).refreshWorker).toBe(false);
    expect(loadConfig({ MASTER_REFRESH_WORKER: "ON" }).refreshWorker).toBe(true);
    expect(() => loadConfig({ MASTER_REFRESH_WORKER: "thread" })).toThrow(/MASTER_REFRESH_WORKER: 'thread' must be on or off/);
  });

  it("XTS_MARGIN_DETAILS is a switch, off unless set, and names a value it cannot read", () => {
    expect(loadConfig({ XTS_MARGIN_DETAILS: "on" }).marginDetails).toBe(true);
    expect(loadConfig({ XTS_MARGIN_DETAILS: "FALSE" }).marginDetails).toBe(false);
    expect(() => loadConfig({ XTS_MARGIN_DETAILS: "maybe" })).toThrow(/XTS_MARGIN_DETAILS: 'maybe' must be on or off/);
  });

  it("reads OpenAlgo's WEBSOCKET_HOST/PORT ('off' for none) and the LTP message code, naming a wrong one", () => {
    expect(loadConfig({ HOST: "0.0.0.0", WEBSOCKET_PORT: "9000" }).websocket).toEqual({ host: "0.0.0.0", port: 9000, ltpCode: 1501 });
    expect(loadConfig({ WEBSOCKET_PORT: "off", WEBSOCKET_HOST: "127.0.0.2", XTS_LTP_MESSAGE_CODE: "1512" }).websocket).toEqual({ host: "127.0.0.2", port: null, ltpCode: 1512 });
    expect(() => loadConfig({ WEBSOCKET_PORT: "ws" })).toThrow(/WEBSOCKET_PORT: 'ws' must be a whole number from 0 to 65535, or off/);
    expect(() => loadConfig({ XTS_LTP_MESSAGE_CODE: "1502" })).toThrow(/XTS_LTP_MESSAGE_CODE: '1502' is not one of 1501, 1512/);
  });

  it("reads HOST, PORT and OpenAlgo-style rate limits", () => {
    const config = loadConfig({ HOST: "0.0.0.0", PORT: "5055", ORDER_RATE_LIMIT: "5 per second", API_RATE_LIMIT: "50" });
    expect(config.http).toEqual({ host: "0.0.0.0", port: 5055 });
    expect(config.rateLimits).toMatchObject({ ordersPerSecond: 5, othersPerSecond: 50 });
  });

  it("names the variable when HOST/PORT/limits are wrong", () => {
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT: '70000' must be a whole number from 0 to 65535/);
    expect(() => loadConfig({ ORDER_RATE_LIMIT: "fast" })).toThrow(/ORDER_RATE_LIMIT: 'fast' must be like "10 per second"/);
  });

  it("a replica needs XTSBRIDGE_REPLICA_SECRET, of 32 characters or more, which never shows in the config's output", () => {
    expect(() => loadConfig({ XTSBRIDGE_PRIMARY_URL: "http://127.0.0.1:5000" })).toThrow(/XTSBRIDGE_REPLICA_SECRET: is required with XTSBRIDGE_PRIMARY_URL/);
    expect(() => loadConfig({ XTSBRIDGE_REPLICA_SECRET: "short" })).toThrow(/XTSBRIDGE_REPLICA_SECRET: must be at least 32 characters \(it has 5\)/);
    const config = loadConfig({ XTSBRIDGE_PRIMARY_URL: "http://127.0.0.1:5000", XTSBRIDGE_REPLICA_SECRET: "s".repeat(40) });
    expect(config.replicaSecret?.reveal()).toBe("s".repeat(40));
    expect(JSON.stringify(config)).not.toContain("s".repeat(40));
  });

  it("keeps rate limits where the deployment shares state: Redis with REDIS_URL, else PostgreSQL with a postgres DATABASE_URL, else memory", () => {
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }).rateLimitStore).toEqual({ kind: "redis", url: "redis://127.0.0.1:6379" });
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db" }).rateLimitStore).toEqual({ kind: "postgres", url: "postgres://u@h/db" });
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db", RATE_LIMIT_STORE: "memory" }).rateLimitStore).toEqual({ kind: "memory" });
    expect(() => loadConfig({ RATE_LIMIT_STORE: "redis" })).toThrow(/RATE_LIMIT_STORE: redis needs REDIS_URL/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: "etcd" })).toThrow(/RATE_LIMIT_STORE: 'etcd' is not one of memory, redis, postgres/);
    expect(() => loadConfig({ REDIS_URL: "localhost:6379" })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it("ignores the other Jainam variables when no credential is set", () => {
    expect(loadConfig({ JAINAM_SERVER: "B", JAINAM_HOSTLOOKUP: "on", JAINAM_CLIENT_ID: "X1" }).jainam).toBeNull();
  });

  it("reads a complete Jainam configuration with defaults", () => {
    const jainam = loadConfig({ ...CREDENTIALS, JAINAM_SERVER: "B" }).jainam!;
    expect(jainam.server).toBe("https://smpb.jainam.in:4143");
    expect(jainam.hostlookup).toBe("auto");
    expect(jainam.hostlookupUrl).toBe("https://smpb.jainam.in:4143/hostlookup");
    expect(jainam.marketDataRoot).toBe("/apibinarymarketdata");
    expect(jainam.clientId).toBeNull();
    expect(jainam.interactiveApiKey.reveal()).toBe("ikey-1a2b");
    expect(jainam.interactiveApiSecret.reveal()).toBe("isec$#9");
    expect(jainam.marketApiKey.reveal()).toBe("mkey-3c4d");
    expect(jainam.marketApiSecret.reveal()).toBe("msec$#7");
    expect(Object.isFrozen(jainam)).toBe(true);
  });

  it.each([
    ["A", "https://smpa.jainam.in:6543"],
    ["b", "https://smpb.jainam.in:4143"],
    ["C", "https://smpc.jainam.in:14543"],
    ["http://127.0.0.1:8710", "http://127.0.0.1:8710"],
    ["http://127.0.0.1:8710/", "http://127.0.0.1:8710"],
    ["https://example.test:9000/prefix/", "https://example.test:9000/prefix"],
  ])("maps JAINAM_SERVER=%s to %s", (value, server) => {
    const jainam = loadConfig({ ...CREDENTIALS, JAINAM_SERVER: value }).jainam!;
    expect(jainam.server).toBe(server);
    expect(jainam.hostlookupUrl).toBe(`${server}/hostlookup`);
  });

  it("reads the optional variables", () => {
    const jainam = loadConfig({
      ...CREDENTIALS,
      JAINAM_SERVER: "A",
      JAINAM_CLIENT_ID: " XXX1234 ",
      JAINAM_HOSTLOOKUP: "OFF",
      JAINAM_HOSTLOOKUP_URL: "http://ctrade.jainam.in:4001/hostlookup",
      JAINAM_MARKETDATA_ROOT: "/apimarketdata/",
    }).jainam!;
    expect(jainam).toMatchObject({
      clientId: "XXX1234",
      hostlookup: "off",
      hostlookupUrl: "http://ctrade.jainam.in:4001/hostlookup",
      marketDataRoot: "/apimarketdata",
      // The socket follows a REST root moved by hand when the profile serves both under one root.
      marketSocketRoot: "/apimarketdata",
    });
  });

  describe("XTSBRIDGE_PROFILE", () => {
    it("picks a broker profile: its server by default, its roots, hostlookup, margin and name as the broker column", () => {
      const config = loadConfig({ ...CREDENTIALS, XTSBRIDGE_PROFILE: "IIFL" });
      expect(config.profile.name).toBe("iifl");
      expect(config.broker).toBe("iifl");
      expect(config.marginDetails).toBe(false);
      expect(config.jainam).toMatchObject({ server: "https://ttblaze.iifl.com", marketDataRoot: "/apimarketdata", marketSocketRoot: "/apimarketdata", hostlookup: "off", hostlookupUrl: "https://ttblaze.iifl.com/hostlookup" });
      const ibulls = loadConfig({ ...CREDENTIALS, XTSBRIDGE_PROFILE: "ibulls" }).jainam!;
      expect(ibulls).toMatchObject({ marketDataRoot: "/apibinarymarketdata", marketSocketRoot: "/apimarketdata" });
      // An explicit setting still wins over the profile.
      expect(loadConfig({ ...CREDENTIALS, XTSBRIDGE_PROFILE: "iifl", XTS_MARGIN_DETAILS: "on", XTSBRIDGE_BROKER: "iifl_two" })).toMatchObject({ marginDetails: true, broker: "iifl_two" });
      expect(loadConfig({ XTSBRIDGE_PROFILE: "rmoney" }).marginDetails).toBe(true);
    });

    it("names the profiles it knows when given another, and the servers a profile has when JAINAM_SERVER names none of them", () => {
      expect(() => loadConfig({ XTSBRIDGE_PROFILE: "zerodha" })).toThrow(/XTSBRIDGE_PROFILE: 'zerodha' is not one of jainam_prop, jainam_retail, iifl, compositedge, wisdom, fivepaisa_xts, ibulls, rmoney/);
      expect(() => loadConfig({ ...CREDENTIALS, JAINAM_SERVER: "D" })).toThrow(/JAINAM_SERVER: 'D' is not one of A, B, C \(jainam_prop\)/);
      expect(() => loadConfig({ ...CREDENTIALS })).toThrow(/JAINAM_SERVER: is required with jainam_prop credentials: A, B, C or an http\(s\) URL/);
      expect(loadConfig({ ...CREDENTIALS, XTSBRIDGE_PROFILE: "wisdom", JAINAM_SERVER: "http://127.0.0.1:8710" }).jainam!.server).toBe("http://127.0.0.1:8710");
    });

    it("an OAuth broker needs JAINAM_ACCESS_TOKEN with its key and secret (kept secret); a key-and-secret broker refuses one", () => {
      expect(() => loadConfig({ ...CREDENTIALS, XTSBRIDGE_PROFILE: "compositedge" })).toThrow(/JAINAM_ACCESS_TOKEN: is required for compositedge \(Compositedge\): it logs in with the access token of the broker's web login/);
      const jainam = loadConfig({ ...CREDENTIALS, XTSBRIDGE_PROFILE: "compositedge", JAINAM_ACCESS_TOKEN: "tok-9f8e" }).jainam!;
      expect(jainam.accessToken?.reveal()).toBe("tok-9f8e");
      expect(JSON.stringify(jainam)).not.toContain("tok-9f8e");
      expect(() => loadConfig({ ...CREDENTIALS, JAINAM_SERVER: "B", JAINAM_ACCESS_TOKEN: "tok" })).toThrow(/JAINAM_ACCESS_TOKEN: is only for brokers that log in with an access token; jainam_prop logs in with the key and secret alone/);
      expect(loadConfig({ ...CREDENTIALS, JAINAM_SERVER: "B" }).jainam!.accessToken).toBeNull();
      // Without credentials it is the sandbox impersonating the broker.
      expect(loadConfig({ XTSBRIDGE_PROFILE: "compositedge" }).jainam).toBeNull();
    });
  });

  it.each(Object.keys(CREDENTIALS))("names %s when it alone is missing", (missing) => {
    const env = { ...CREDENTIALS, JAINAM_SERVER: "B", [missing]: undefined };
    const error = configError(env);
    expect(error.code).toBe("CONFIG_ERROR");
    expect(error.details["variable"]).toBe(missing);
    expect(error.message).toContain(missing);
  });

  it("treats a blank credential as missing", () => {
    expect(configError({ ...CREDENTIALS, JAINAM_SERVER: "B", JAINAM_MARKET_API_SECRET: "  " }).details["variable"]).toBe(
      "JAINAM_MARKET_API_SECRET",
    );
  });

  it.each([
    [{ JAINAM_SERVER: undefined }, "JAINAM_SERVER"],
    [{ JAINAM_SERVER: "D" }, "JAINAM_SERVER"],
    [{ JAINAM_SERVER: "ftp://x" }, "JAINAM_SERVER"],
    [{ JAINAM_SERVER: "smpb.jainam.in" }, "JAINAM_SERVER"],
    [{ JAINAM_SERVER: "https://x.test/?a=1" }, "JAINAM_SERVER"],
    [{ JAINAM_SERVER: "B", JAINAM_HOSTLOOKUP: "maybe" }, "JAINAM_HOSTLOOKUP"],
    [{ JAINAM_SERVER: "B", JAINAM_HOSTLOOKUP_URL: "not a url" }, "JAINAM_HOSTLOOKUP_URL"],
    [{ JAINAM_SERVER: "B", JAINAM_MARKETDATA_ROOT: "apibinarymarketdata" }, "JAINAM_MARKETDATA_ROOT"],
    [{ JAINAM_SERVER: "B", JAINAM_CLIENT_ID: "A B" }, "JAINAM_CLIENT_ID"],
  ])("refuses %o naming %s", (overrides, variable) => {
    expect(configError({ ...CREDENTIALS, ...overrides }).details["variable"]).toBe(variable);
  });

  it("never echoes a URL carrying credentials", () => {
    const error = configError({ ...CREDENTIALS, JAINAM_SERVER: "https://user:pw-9f8e@x.test" });
    expect(error.message).not.toContain("pw-9f8e");
  });

  it("never lets a secret out through JSON, inspection, string conversion or a missing-variable error", () => {
    const config = loadConfig({ ...CREDENTIALS, JAINAM_SERVER: "B" });
    const renderings = [JSON.stringify(config), inspect(config, { depth: 10, showHidden: true }), String(config.jainam?.marketApiSecret), `${config.jainam?.interactiveApiKey}`];
    for (const text of renderings) {
      for (const value of Object.values(CREDENTIALS)) expect(text).not.toContain(value);
    }
    expect(JSON.parse(JSON.stringify(config)).jainam.interactiveApiSecret).toBe("[redacted]");
    const error = configError({ ...CREDENTIALS, JAINAM_SERVER: "B", JAINAM_MARKET_API_KEY: undefined });
    for (const value of Object.values(CREDENTIALS)) expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(value);
  });

  it("keeps a secret's value for reveal() only", () => {
    const secret = new Secret("s3cr3t");
    expect(Object.keys(secret)).toEqual([]);
    expect(secret.reveal()).toBe("s3cr3t");
  });
});
