import type { Logger } from "../logger.js";
import type { MasterStatus } from "../store/status-types.js";
import type { MasterContractService } from "./refresh.js";
import { IST_OFFSET_MS } from "../instruments/ist.js";
import { EXCHANGE_CALENDAR } from "../calendar/exchange-calendar.js";

/**
 * The start of the current trading day's contract: 08:00 IST (OpenAlgo's
 * MASTER_CONTRACT_CUTOFF_TIME). Before 08:00 IST it is yesterday's 08:00.
 */
export function todaysCutoff(now: Date = new Date()): Date {
  const ist = new Date(now.getTime() + IST_OFFSET_MS);
  const cutoff = Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth(), ist.getUTCDate(), 8, 0) - IST_OFFSET_MS;
  return new Date(cutoff > now.getTime() ? cutoff - 86_400_000 : cutoff);
}

/** Whether any exchange trades on an IST day, by the shipped calendar (weekdays, for a year it does not hold). */
export type TradingDays = (isoDate: string) => boolean;

export const CALENDAR_TRADING_DAYS: TradingDays = (date) =>
  EXCHANGE_CALENDAR.knows(Number(date.slice(0, 4))) ? EXCHANGE_CALENDAR.sessions(date).length > 0 : new Date(`${date}T00:00:00Z`).getUTCDay() % 6 !== 0;

/**
 * The cutoff of the last day any exchange traded: on a weekend or an exchange holiday the
 * contract of the trading day before is still the current one (XTS publishes nothing new, and
 * its servers are often down for maintenance then). At most a week back.
 */
export function tradingDayCutoff(now: Date = new Date(), trades: TradingDays = CALENDAR_TRADING_DAYS): Date {
  let cutoff = todaysCutoff(now).getTime();
  for (let back = 0; back < 7; back += 1) {
    if (trades(new Date(cutoff + IST_OFFSET_MS).toISOString().slice(0, 10))) break;
    cutoff -= 86_400_000;
  }
  return new Date(cutoff);
}

/** A contract is due when none is stored or the last good one predates the last trading day's cutoff. */
export function needsRefresh(status: MasterStatus, rows: number, now: Date = new Date(), trades: TradingDays = CALENDAR_TRADING_DAYS): boolean {
  if (rows === 0 || status.lastSuccessAt === null) return true;
  return Date.parse(status.lastSuccessAt) < tradingDayCutoff(now, trades).getTime();
}

/**
 * Keeps a long-running gateway on the day's contract: checks every `everyMs` and refreshes once
 * the stored contract predates today's 08:00 IST, so a process left running overnight picks up the
 * new weekly expiries without a restart. A failed refresh keeps the old contract and is retried
 * at the next check.
 */
export class DailyRefresh {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly master: MasterContractService,
    private readonly rows: () => number,
    private readonly logger: Logger,
    private readonly everyMs = 5 * 60_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** One check; returns whether a refresh ran. */
  async tick(now: Date = new Date()): Promise<boolean> {
    try {
      if (this.master.isRunning || !needsRefresh(await this.master.status(), this.rows(), now)) return false;
      this.logger.info("the stored master contract predates the last trading day's 08:00 IST; refreshing");
      const report = await this.master.refresh();
      if (report.status !== "success") this.logger.warn({ reason: report.message }, "scheduled master refresh failed; the previous contract stays");
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, "scheduled master refresh could not run");
      return false;
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
