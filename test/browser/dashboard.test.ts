import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { startWebSocket, type RunningWebSocket } from "../../src/cli/websocket.js";
import { silentLogger } from "../../src/logger.js";
import type { FastifyInstance } from "fastify";
import { GENEROUS_LIMITS, restingBuyPrice } from "../api/harness.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Debian's chromium (`.ci/run` installs it); never a browser downloaded by playwright. */
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "test-output", "dashboard");
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"];

/** The dashboard as `serve` runs it (API, page and /ws on one port) over the sandbox, in a real Chromium. */
describe("the dashboard in a real browser", () => {
  let gw: TestGateway;
  let app: FastifyInstance;
  let ws: RunningWebSocket | null;
  let url: string;
  let key: string;
  let browser: Browser;

  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { streamIntervalMs: 200 } });
    const refreshed = await gw.master.refresh();
    if (refreshed.status !== "success") throw new Error(refreshed.message);
    key = (await new ApiKeys(gw.store).create("browser")).key;
    app = buildApp(appDeps(gw, { logger: silentLogger(), limits: GENEROUS_LIMITS }));
    await app.listen({ host: "127.0.0.1", port: 0 });
    ws = await startWebSocket(gw, app);
    const address = app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    mkdirSync(SHOTS, { recursive: true });
    // launch() gives the browser a fresh, temporary user-data dir of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ws?.close();
    await app?.close();
    await gw?.close();
  });

  const equity = () => gw.resolver.current.allRows().find((r) => r.exchange === "NSE" && r.instrumenttype === "EQ" && r.lotsize === 1 && r.lower_circuit !== null)!;
  const placeApi = async (body: Record<string, unknown>): Promise<string> => {
    const res = await app.inject({ method: "POST", url: "/api/v1/placeorder", payload: { apikey: key, strategy: "browser", exchange: "NSE", product: "MIS", ...body } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { orderid: string }).orderid;
  };

  async function signedInPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Available cash").waitFor();
    await page.locator("#live.on").waitFor({ timeout: 5000 });
    return { context, page };
  }

  it("sign-in: a bad key is refused with the API's code; a good one opens the overview; nothing works without a session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(url);
    await page.getByLabel("API key").waitFor();
    const loadMs = Date.now() - started;
    expect(loadMs).toBeLessThan(5_000);
    await page.getByLabel("API key").fill("0".repeat(64));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("#signin-error").textContent()).toContain("INVALID_API_KEY");
    await page.screenshot({ path: join(SHOTS, "signin-refused.png") });
    // No session, no data: the dashboard's API answers 401, the real API needs its key as ever.
    const anonymous = await page.evaluate(async () => (await fetch("/dashboard/api/funds", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status);
    expect(anonymous).toBe(401);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Available cash").waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "xb_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + 3600);
    // The key is nowhere in the page or its storage: only the server holds it.
    expect(await page.content()).not.toContain(key);
    expect(await page.evaluate<string>("JSON.stringify({ ...localStorage }) + document.cookie")).not.toContain(key);
    // A state-changing call without the page's CSRF token is refused even with the cookie.
    const forged = await page.evaluate(async () => (await fetch("/dashboard/api/cancelallorder", { method: "POST", headers: { "content-type": "application/json" }, body: '{"strategy":"x"}' })).status);
    expect(forged).toBe(403);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key").waitFor();
    expect((await context.cookies()).find((c) => c.name === "xb_session")).toBeUndefined();
    await context.close();
  });

  it("a LIMIT order placed through the API shows on the orders page within 1 s, and leaves the open orders when cancelled from the page", async () => {
    const { context, page } = await signedInPage();
    await page.goto(`${url}/#/orders`);
    await page.getByRole("heading", { name: "Open orders" }).waitFor();
    const row = equity();
    const price = restingBuyPrice(gw.sandbox.control.price("NSECM", row.token), row.tick_size, 0.05);
    const placedAt = Date.now();
    const orderid = await placeApi({ symbol: row.symbol, action: "BUY", quantity: "1", pricetype: "LIMIT", price: String(price) });
    const open = page.locator(`#open-orders tr[data-orderid="${orderid}"]`);
    await open.waitFor({ timeout: 1_000 });
    expect(Date.now() - placedAt).toBeLessThan(1_000);
    await expect.poll(() => open.textContent()).toContain("open");
    await page.screenshot({ path: join(SHOTS, "orders.png"), fullPage: true });
    // Modify from the row: a lower price, and the row shows it.
    const lower = Number((price - 2 * row.tick_size).toFixed(2));
    await open.getByRole("button", { name: `Modify order ${orderid}` }).click();
    await page.getByRole("dialog").getByLabel("Price", { exact: true }).fill(String(lower));
    await page.getByRole("dialog").getByRole("button", { name: "Modify" }).click();
    await expect.poll(() => gw.sandbox.control.orders().find((o) => String(o.AppOrderID) === orderid)?.OrderPrice).toBe(lower);
    await expect.poll(() => page.locator(`#open-orders tr[data-orderid="${orderid}"]`).textContent()).toContain(lower.toLocaleString("en-IN"));
    await open.getByRole("button", { name: `Cancel order ${orderid}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel order" }).click();
    await open.waitFor({ state: "detached", timeout: 3_000 });
    await expect.poll(() => page.locator(`#order-history tr[data-orderid="${orderid}"]`).textContent()).toContain("cancelled");
    expect(gw.sandbox.control.orders().find((o) => String(o.AppOrderID) === orderid)?.OrderStatus).toBe("Cancelled");
    await context.close();
  });

  it("a sandbox fill shows as a position, and its P&L moves with the ticks without a reload", async () => {
    const { context, page } = await signedInPage();
    await page.goto(`${url}/#/positions`);
    await page.getByRole("heading", { name: "Positions" }).waitFor();
    const row = equity();
    const ltp = gw.sandbox.control.price("NSECM", row.token);
    const price = restingBuyPrice(ltp, row.tick_size, 0.02);
    await placeApi({ symbol: row.symbol, action: "BUY", quantity: "10", pricetype: "LIMIT", price: String(price) });
    // The market comes down to the limit: the sandbox fills it, the interactive socket tells the page.
    gw.sandbox.control.setPrice("NSECM", row.token, price - row.tick_size);
    const position = page.locator(`tr[data-position="NSE:${row.symbol}:MIS"]`);
    await position.waitFor({ timeout: 5_000 });
    const pnl = position.locator(`[data-pnl="NSE:${row.symbol}:MIS"]`);
    const before = await pnl.textContent();
    const up = Number((price * 1.01).toFixed(2));
    gw.sandbox.control.setPrice("NSECM", row.token, Math.round(up / row.tick_size) * row.tick_size);
    await expect.poll(() => pnl.textContent(), { timeout: 5_000 }).not.toBe(before);
    expect(await pnl.locator(".up").count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, "positions.png"), fullPage: true });
    // Close it from the row, after confirming: a market order for the whole position.
    await position.getByRole("button", { name: `Close ${row.symbol} MIS` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Close at market" }).click();
    await expect.poll(async () => (await page.locator(`tr[data-position="NSE:${row.symbol}:MIS"] td`).nth(2).textContent()) ?? "", { timeout: 5_000 }).toBe("0");
    await context.close();
  });

  it("master contract: refresh shows its progress, then the new counts", async () => {
    const { context, page } = await signedInPage();
    await page.goto(`${url}/#/master`);
    await page.getByRole("heading", { name: "Per exchange" }).waitFor();
    // A small contract refreshes in a quarter of a second; NSEFO's download is held back, as a real
    // 40 MB one is, so there is progress to watch.
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "delay", ms: 2_000 } });
    await page.getByRole("button", { name: "Refresh now" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Refresh" }).click();
    await page.locator("#refresh-progress table").waitFor({ timeout: 10_000 });
    const progressOf = (segment: string) => page.locator("#refresh-progress tr", { hasText: segment }).locator("td").last();
    await expect.poll(() => progressOf("NSECM").textContent()).toBe("done");
    await expect.poll(() => progressOf("NSEFO").textContent()).toBe("downloading");
    await page.getByText(/Refresh done/).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Refresh now" }).waitFor();
    const total = (await gw.master.status()).totalSymbols;
    await expect.poll(() => page.locator("#master-total").textContent()).toBe(total.toLocaleString("en-IN"));
    await expect.poll(() => page.locator("#last-report").textContent()).toMatch(/NSECMdone/);
    await page.screenshot({ path: join(SHOTS, "master.png"), fullPage: true });
    await context.close();
  });

  it("every page renders (screenshots at 1280 px and phone width), with errors shown as the API gives them", async () => {
    const { context, page } = await signedInPage();
    for (const [name, hash, ready] of [
      ["overview", "#/overview", "Working orders"],
      ["chart", "#/chart?symbol=NIFTY&exchange=NSE_INDEX&interval=5m", "Chart"],
      ["chain", "#/chain?underlying=NIFTY&exchange=NSE_INDEX", "Option chain"],
      ["search", "#/search?q=NIFTY%20FUT", "Symbols"],
      ["keys", "#/keys", "API keys"],
      ["requests", "#/requests", "Recent requests"],
    ] as const) {
      await page.goto(`${url}/${hash}`);
      await page.getByRole("heading", { name: ready }).first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.locator("main .error").count(), `${name} shows an error`).toBe(0);
      if (name === "chart") await page.locator("#chart canvas").first().waitFor();
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    }
    // The option chain marks ATM; search opens an instrument's details.
    await page.goto(`${url}/#/chain?underlying=NIFTY&exchange=NSE_INDEX`);
    await page.locator("tr.atm").waitFor();
    await page.goto(`${url}/#/search?q=SBIN`);
    await page.getByRole("button", { name: "SBIN", exact: true }).click();
    await page.getByText("Freeze quantity").waitFor();
    // An error reaches the screen with its code: an underlying with no options.
    await page.goto(`${url}/#/chain?underlying=NOSUCH&exchange=NSE_INDEX`);
    await page.getByText(/has no options on NFO/).waitFor();
    await page.goto(`${url}/#/chart?symbol=NOSUCH&exchange=NSE&interval=5m`);
    await expect.poll(() => page.locator("main .error").textContent()).toContain("SYMBOL_NOT_FOUND");
    // Keys: one created is shown once; revoked, its row says so.
    await page.goto(`${url}/#/keys`);
    await page.getByLabel("Name").fill("desk-2");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect.poll(() => page.locator("#new-key-value").textContent()).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole("button", { name: "Revoke key desk-2" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => page.getByRole("row", { name: /desk-2/ }).textContent()).toMatch(/revoked/);
    await expect.poll(() => page.locator("#new-key-value").count()).toBe(0);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const small = await phone.newPage();
    await small.goto(`${url}/#/overview`);
    await small.getByText("Available cash").waitFor();
    expect(await small.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390 + 1);
    await small.screenshot({ path: join(SHOTS, "overview-phone.png"), fullPage: true });
    await phone.close();
    await context.close();
  });

  it("a revoked key's session is ended: the page returns to sign-in", async () => {
    const extra = await new ApiKeys(gw.store).create("to-revoke");
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel("API key").fill(extra.key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Available cash").waitFor();
    await gw.apiKeys.revoke(extra.record.prefix);
    await page.getByLabel("API key").waitFor({ timeout: 8_000 });
    await expect.poll(() => page.locator("#signin-error").textContent()).toMatch(/revoked|no longer valid/);
    const status = await page.evaluate(async () => (await fetch("/dashboard/session")).status);
    expect(status).toBe(401);
    await context.close();
  });
});
