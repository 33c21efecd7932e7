import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { DailyRefresh, tradingDayCutoff } from "../../src/mastercontract/schedule.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

describe("a long-running gateway refreshes once the contract is from an earlier trading day", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { instruments: 2000 } });
    expect((await gw.master.refresh()).status).toBe("success");
  });
  afterAll(async () => gw.close());

  it("does nothing while today's contract is stored, refreshes on the next trading day after 08:00 IST", async () => {
    const daily = new DailyRefresh(gw.master, () => gw.resolver.current.size, silentLogger());
    const version = gw.resolver.version;
    expect(await daily.tick(new Date())).toBe(false);
    expect(gw.resolver.version).toBe(version);
    // A day and a half on, then on past a weekend or holiday: the first moment of the next trading day's contract.
    const today = tradingDayCutoff().getTime();
    let nextTradingDay = new Date(Date.now() + 36 * 3_600_000);
    while (tradingDayCutoff(nextTradingDay).getTime() <= today) nextTradingDay = new Date(nextTradingDay.getTime() + 24 * 3_600_000);
    expect(await daily.tick(nextTradingDay)).toBe(true);
    expect(gw.resolver.version).toBe(version + 1);
  });
});
