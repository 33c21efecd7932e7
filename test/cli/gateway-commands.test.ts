import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/sandbox-options.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/temp-dir.js";

describe("CLI commands that talk to XTS (against the sandbox)", () => {
  const dir = tempDir("xtsbridge-cli-gw-");
  let sandbox: Sandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, instruments: 3000, referenceDate: "2026-11-25" });
    env = {
      DATABASE_URL: `sqlite:${dir.file("cli.db")}`,
      JAINAM_SERVER: sandbox.url,
      JAINAM_INTERACTIVE_API_KEY: SANDBOX_DEFAULTS.interactiveKey,
      JAINAM_INTERACTIVE_API_SECRET: SANDBOX_DEFAULTS.interactiveSecret,
      JAINAM_MARKET_API_KEY: SANDBOX_DEFAULTS.marketKey,
      JAINAM_MARKET_API_SECRET: SANDBOX_DEFAULTS.marketSecret,
    };
  });
  afterAll(async () => {
    await sandbox.close();
    dir.remove();
  });

  const cash = () => sandbox.master.instruments.find((i) => i.kind === "cash" && i.exchange === "NSE" && i.lotSize === 1)!;

  it("master status says pending before any download", async () => {
    const run = await runCli(["master", "status", "--json"], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: "pending", totalSymbols: 0 });
  });

  it("master download stores the contract and prints a per-segment table", async () => {
    const run = await runCli(["master", "download"], env);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/NSEFO\s+\d+\s+\d+\s+spread \d+/);
    expect(run.out).toMatch(/success: \d+ instruments stored/);
    expect(run.err).toMatch(/NSEFO .*done/);
    const status = JSON.parse((await runCli(["master", "status", "--json"], env)).out);
    expect(status).toMatchObject({ status: "success", contractVersion: 1 });
    expect(status.totalSymbols).toBeGreaterThan(2000);
  });

  it("master download --json exits 1 and keeps the previous contract when a segment fails", async () => {
    sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSECM" }, action: { type: "empty-segment" } });
    const run = await runCli(["master", "download", "--json"], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toMatchObject({ status: "error", message: expect.stringMatching(/NSECM: returned no instruments/) });
    const status = JSON.parse((await runCli(["master", "status", "--json"], env)).out);
    expect(status).toMatchObject({ status: "error", contractVersion: 1 });
    expect((await runCli(["symbol", cash().symbol!, "-e", "NSE"], env)).code).toBe(0);
  });

  it("order place --dry-run prints the exact XTS payload and sends nothing", async () => {
    sandbox.control.clearRequests();
    const i = cash();
    const run = await runCli(["order", "place", "-s", i.symbol!, "-e", "nse", "-a", "sell", "-q", "2", "--pricetype", "SL-M", "--trigger-price", String(i.referencePrice), "--dry-run"], env);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ exchangeSegment: "NSECM", exchangeInstrumentID: i.token, orderType: "STOPMARKET", orderSide: "SELL", orderQuantity: 2, stopPrice: i.referencePrice, limitPrice: 0 });
    expect(sandbox.control.requests().filter((r) => r.path === "/orders")).toHaveLength(0);
  });

  it("order place validates before sending, naming the field; bad input is a usage error (exit 2)", async () => {
    const before = sandbox.control.requests().filter((r) => r.path === "/orders").length;
    const run = await runCli(["order", "place", "-s", cash().symbol!, "-e", "NSE", "-a", "BUY", "-q", "1", "--pricetype", "LIMIT"], env);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/price/);
    for (const [args, field] of [
      [["-q", "abc"], /quantity/],
      [["-q", "1e3"], /quantity/],
      [["-e", "XYZ"], /exchange must be one of NSE/],
    ] as const) {
      const flags = { "-s": cash().symbol!, "-e": "NSE", "-a": "BUY", "-q": "1", [args[0]]: args[1] };
      const bad = await runCli(["order", "place", ...Object.entries(flags).flat()], env);
      expect(bad.code, bad.err).toBe(2);
      expect(bad.err).toMatch(field);
    }
    expect(sandbox.control.requests().filter((r) => r.path === "/orders")).toHaveLength(before);
  });

  it("order place, book, cancel and positions", async () => {
    const i = cash();
    const placed = await runCli(["order", "place", "-s", i.symbol!, "-e", "NSE", "-a", "BUY", "-q", "1", "--json"], env);
    expect(placed.code, placed.err).toBe(0);
    const { orderid } = JSON.parse(placed.out) as { orderid: string };
    const book = JSON.parse((await runCli(["order", "book", "--json"], env)).out);
    expect(book.orders).toContainEqual(expect.objectContaining({ orderid, symbol: i.symbol, order_status: "complete" }));
    const positions = JSON.parse((await runCli(["positions", "--json"], env)).out);
    expect(positions).toContainEqual(expect.objectContaining({ symbol: i.symbol, quantity: 1 }));
    const cancel = await runCli(["order", "cancel", orderid], env);
    expect(cancel.code).toBe(1);
    expect(cancel.err).toMatch(/XTS/);
  });

  it("commands that need XTS say which variable is missing", async () => {
    const run = await runCli(["order", "book"], { DATABASE_URL: env["DATABASE_URL"] });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/JAINAM_INTERACTIVE_API_KEY: no Jainam credentials are set/);
  });

  it("apikey create, list and revoke", async () => {
    const created = JSON.parse((await runCli(["apikey", "create", "--name", "ci", "--json"], env)).out) as { apikey: string; prefix: string };
    expect(created.apikey).toMatch(/^[0-9a-f]{64}$/);
    const listed = await runCli(["apikey", "list"], env);
    expect(listed.out).toContain(`${created.prefix}…`);
    expect(listed.out).not.toContain(created.apikey);
    expect((await runCli(["apikey", "revoke", created.prefix], env)).out).toMatch(/revoked 1 key/);
    expect((await runCli(["apikey", "revoke", created.prefix], env)).code).toBe(1);
  });
});
