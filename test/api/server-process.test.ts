import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// One builder of dist/ for every test that runs the real binary: it rebuilds only when src/ is newer, under a lock.
import { BIN, ensureDist } from "../reliability/support/dist.js";
import { freePort, KEY_LINE, SERVING_LINE, until } from "../support/processes.js";
import { tempDir } from "../support/temp-dir.js";
import { restingBuyPrice } from "./harness.js";

/** `npm start` as a user runs it, driven over real HTTP exactly as an OpenAlgo client drives it. */
describe("the real server process (node bin/xtsbridge.js serve)", () => {
  const dir = tempDir("xtsbridge-serve-");
  let child: ChildProcess | undefined;
  let stderr = "";
  let stdout = "";
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let url = "";
  let apikey = "";

  beforeAll(async () => {
    await ensureDist();
    const port = await freePort();
    // No JAINAM_* credentials: serve starts its built-in sandbox.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("JAINAM_")));
    child = spawn(process.execPath, [BIN, "serve"], {
      cwd: dir.path,
      env: { ...env, HOST: "127.0.0.1", PORT: String(port), DATABASE_URL: `sqlite:${dir.file("x.db")}`, SANDBOX_INSTRUMENTS: "3000", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    child.stdout!.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.on("exit", (code, signal) => (exit = { code, signal }));
    const output = () => `stderr:\n${stderr}\nstdout:\n${stdout.slice(-4000)}\nexit: ${JSON.stringify(exit)}`;
    const probe = <T>(f: () => T | undefined) => () => {
      if (exit !== undefined) throw new Error(`the server exited early; ${output()}`);
      return f();
    };
    apikey = await until("the first-run API key on stderr", probe(() => KEY_LINE.exec(stderr)?.[1]), { context: output, timeoutMs: 45_000 });
    url = await until("the serving banner", probe(() => SERVING_LINE.exec(stderr)?.[1]), { context: output, timeoutMs: 45_000 });
    expect(url).toBe(`http://127.0.0.1:${port}`);
  }, 90_000);

  afterAll(async () => {
    if (child !== undefined && exit === undefined) {
      child.kill("SIGKILL");
      await until("the killed server to exit", () => exit, { context: () => stderr, timeoutMs: 10_000 }).catch(() => undefined);
    }
    dir.remove();
  });

  /** What OpenAlgo's Python client does: POST JSON to {host}/api/v1/<endpoint>, apikey in the body. */
  async function call(endpoint: string, body: Record<string, string>): Promise<Record<string, unknown>> {
    const res = await fetch(`${url}/api/v1/${endpoint}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ apikey, ...body }) });
    const text = await res.text();
    expect(res.headers.get("x-request-id"), text).toMatch(/^[0-9a-z]{19}$/);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect({ endpoint, status: res.status, body: json["status"] }, text).toEqual({ endpoint, status: 200, body: "success" });
    return json;
  }

  it("places a resting LIMIT order, modifies it, reads it in the orderbook, cancels it, then shuts down cleanly on SIGTERM", async () => {
    const listing = await fetch(`${url}/api/v1/instruments?apikey=${apikey}&exchange=NSE`);
    expect(listing.status).toBe(200);
    const rows = ((await listing.json()) as { data: { symbol: string; instrumenttype: string; lotsize: number; tick_size: number }[] }).data;
    const equity = rows.find((r) => r.instrumenttype === "EQ" && r.lotsize === 1)!;
    expect(equity).toBeDefined();

    const ltp = ((await call("quotes", { symbol: equity.symbol, exchange: "NSE" }))["data"] as { ltp: number }).ltp;
    const price = restingBuyPrice(ltp, equity.tick_size, 0.04);
    const order = { strategy: "Python", symbol: equity.symbol, action: "BUY", exchange: "NSE", pricetype: "LIMIT", product: "MIS", quantity: "1", price: String(price), trigger_price: "0", disclosed_quantity: "0" };
    const orderid = (await call("placeorder", order))["orderid"];
    expect(orderid).toMatch(/^\d+$/);

    const newPrice = restingBuyPrice(ltp, equity.tick_size, 0.05);
    expect(await call("modifyorder", { ...order, orderid: String(orderid), price: String(newPrice), quantity: "2" })).toEqual({ status: "success", orderid });

    const book = (await call("orderbook", {}))["data"] as { orders: Record<string, unknown>[] };
    expect(book.orders.find((o) => o["orderid"] === orderid)).toMatchObject({ symbol: equity.symbol, price: newPrice, quantity: 2, order_status: "open", pricetype: "LIMIT" });

    expect(await call("cancelorder", { strategy: "Python", orderid: String(orderid) })).toEqual({ status: "success", orderid });
    const status = (await call("orderstatus", { strategy: "Python", orderid: String(orderid) }))["data"] as Record<string, unknown>;
    expect(status).toMatchObject({ orderid, order_status: "cancelled" });

    child!.kill("SIGTERM");
    const ended = await until("exit after SIGTERM", () => exit, { context: () => stderr, timeoutMs: 15_000 });
    expect(ended, stderr).toEqual({ code: 0, signal: null });
    expect(stderr).toMatch(/SIGTERM: finishing in-flight requests and shutting down/);
  });
});
