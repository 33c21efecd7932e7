import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/sandbox-options.js";
import { dropSchema, newSchemaName, pgSchemaUrl } from "../support/backends.js";
import { freePort, post, startServe, until, type CliProcess } from "../support/processes.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { tempDir } from "../support/temp-dir.js";

/**
 * Two gateway processes on one PostgreSQL database: a primary that owns the XTS session and a
 * replica that forwards broker calls to it and follows the contract through LISTEN/NOTIFY.
 */
describe("two gateway processes on one PostgreSQL database", () => {
  const dir = tempDir("xtsbridge-mp-");
  const schema = newSchemaName();
  let today: Sandbox;
  let tomorrow: Sandbox;
  let proxy: TcpProxy;
  let primary: { proc: CliProcess; url: string; apikey: string | null };
  let replica: { proc: CliProcess; url: string };
  let apikey: string;

  const stored = (s: Sandbox) => new Map(s.master.instruments.filter((i) => i.symbol !== null).map((i) => [`${i.exchange}|${i.symbol}`, i]));

  beforeAll(async () => {
    // Same seed, a later reference date: the same cash names, new derivative expiries.
    today = await createSandbox({ port: 0, instruments: 3000, seed: 11, referenceDate: "2026-11-25" });
    tomorrow = await createSandbox({ port: 0, instruments: 3000, seed: 11, referenceDate: "2027-03-15" });
    proxy = new TcpProxy(Number(new URL(today.url).port));
    await proxy.start();
    const common = { DATABASE_URL: pgSchemaUrl(schema), XTSBRIDGE_REPLICA_SECRET: "two-gateways-test-replica-secret-0123456789", LOG_LEVEL: "warn", CONTRACT_CHECK_MS: "1000", HOST: "127.0.0.1", API_RATE_LIMIT: "100000 per second" };
    primary = await startServe(
      {
        ...common,
        PORT: String(await freePort()),
        JAINAM_SERVER: `http://127.0.0.1:${proxy.port}`,
        JAINAM_INTERACTIVE_API_KEY: SANDBOX_DEFAULTS.interactiveKey,
        JAINAM_INTERACTIVE_API_SECRET: SANDBOX_DEFAULTS.interactiveSecret,
        JAINAM_MARKET_API_KEY: SANDBOX_DEFAULTS.marketKey,
        JAINAM_MARKET_API_SECRET: SANDBOX_DEFAULTS.marketSecret,
      },
      dir.path,
    );
    expect(primary.apikey).not.toBeNull();
    apikey = primary.apikey!;
    replica = await startServe({ ...common, PORT: String(await freePort()), XTSBRIDGE_PRIMARY_URL: primary.url }, dir.path);
  }, 120_000);

  afterAll(async () => {
    primary?.proc.kill("SIGKILL");
    replica?.proc.kill("SIGKILL");
    await proxy?.close();
    await today?.close();
    await tomorrow?.close();
    await dropSchema(schema);
    dir.remove();
  });

  it("the replica serves the primary's contract and never logs in to XTS itself", async () => {
    expect(replica.proc.output()).toMatch(/Replica: broker calls go to the primary/);
    const [key, instrument] = [...stored(today)].find(([, i]) => i.kind === "future")!;
    const [exchange, symbol] = key.split("|");
    const r = await post(replica.url, "/symbol", { apikey, symbol, exchange });
    expect(r.status).toBe(200);
    expect((r.json["data"] as { token: number }).token).toBe(instrument.token);
    // The primary logged in once to each API: market data for its refresh (and its market socket),
    // interactive for its order-event socket. The replica never logged in: a second login would end those.
    expect(today.control.requests().filter((q) => q.method === "POST" && (q.path === "/user/session" || q.path === "/auth/login")).map((q) => q.path).sort()).toEqual(["/auth/login", "/user/session"]);
  });

  it("orders sent to the replica are placed once, through the primary's session", async () => {
    const cash = [...stored(today).values()].find((i) => i.kind === "cash" && i.exchange === "NSE")!;
    const before = today.control.orders().length;
    const r = await post(replica.url, "/placeorder", { apikey, strategy: "mp", symbol: cash.symbol, exchange: "NSE", action: "buy", quantity: String(cash.lotSize), pricetype: "MARKET", product: "MIS" });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json["orderid"]).toMatch(/^\d+$/);
    expect(today.control.orders()).toHaveLength(before + 1);
    // One interactive login in all: the primary's (a replica's would have ended it).
    expect(today.control.requests().filter((q) => q.method === "POST" && q.path === "/user/session")).toHaveLength(1);
  });

  // NOTIFY usually brings the new contract in well under 2 s; the bound leaves room for a loaded two-core CI machine.
  it("after a refresh through the primary, the replica resolves symbols only in the new contract within 10 s, with zero failed lookups throughout", async () => {
    const old = stored(today);
    const fresh = stored(tomorrow);
    const shared = [...old.keys()].filter((k) => fresh.has(k)).slice(0, 40);
    const onlyNew = [...fresh.keys()].filter((k) => !old.has(k));
    expect(shared.length).toBeGreaterThan(10);
    expect(onlyNew.length).toBeGreaterThan(10);

    let lookups = 0;
    const failures: string[] = [];
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        for (const key of shared) {
          const [exchange, symbol] = key.split("|");
          const r = await post(replica.url, "/symbol", { apikey, symbol, exchange });
          lookups += 1;
          if (r.status !== 200) failures.push(`${key}: ${r.status} ${JSON.stringify(r.json)}`);
        }
      }
    })();

    proxy.switchTo(Number(new URL(tomorrow.url).port));
    // Refresh through the replica: it forwards the operator call to the primary.
    const refreshed = await post(replica.url, "/mastercontract/refresh", { apikey, force: true });
    expect(refreshed.status, JSON.stringify(refreshed.json).slice(0, 500)).toBe(200);
    const committedAt = Date.now();
    const [exchange, symbol] = onlyNew[0]!.split("|");
    await until("the replica to resolve a new symbol", async () => ((await post(replica.url, "/symbol", { apikey, symbol, exchange })).status === 200 ? true : undefined), { context: () => replica.proc.output(), timeoutMs: 5_000 });
    const lag = Date.now() - committedAt;
    stop = true;
    await loop;
    expect(lag).toBeLessThan(10_000);
    for (const key of onlyNew.slice(0, 20)) {
      const [ex, sym] = key.split("|");
      const r = await post(replica.url, "/symbol", { apikey, symbol: sym, exchange: ex });
      expect(r.json["data"], `${key} ${JSON.stringify(r.json)}`).toMatchObject({ token: fresh.get(key)!.token });
    }
    expect(failures).toEqual([]);
    expect(lookups).toBeGreaterThanOrEqual(shared.length);
  }, 60_000);

  it("both stop cleanly on SIGTERM", async () => {
    replica.proc.kill("SIGTERM");
    primary.proc.kill("SIGTERM");
    expect((await replica.proc.done).code).toBe(0);
    expect((await primary.proc.done).code).toBe(0);
  }, 30_000);
});
