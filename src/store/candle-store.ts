import type { SqlDialect } from "./sql-dialect.js";

/** Whose candles: one instrument of one broker at one interval. */
export interface CandleKey {
  readonly broker: string;
  readonly exchange: string;
  readonly token: number;
  readonly interval: string;
}

/** A completed candle; `ts` in Unix epoch seconds. */
export interface StoredCandle {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
}

/** Candles already fetched, so history asks the broker only for the days it lacks. */
export interface CandleStore {
  /** Which IST days (`YYYY-MM-DD`) from `fromDay` to `toDay` are stored complete. */
  candleDays(key: CandleKey, fromDay: string, toDay: string): Promise<Set<string>>;
  /** Stored candles with `fromTs ≤ ts ≤ toTs`, oldest first. */
  readCandles(key: CandleKey, fromTs: number, toTs: number): Promise<StoredCandle[]>;
  /** Stores `candles` and marks `days` complete, in one transaction. */
  saveCandles(key: CandleKey, days: readonly string[], candles: readonly StoredCandle[]): Promise<void>;
}

const KEY = "broker = ? AND exchange = ? AND token = ? AND interval = ?";
const keyValues = (k: CandleKey): unknown[] => [k.broker, k.exchange, k.token, k.interval];

/** The candle statements, written once for both engines, as the rest of the store is. */
export class SqlCandles implements CandleStore {
  constructor(private readonly sql: SqlDialect) {}

  async candleDays(key: CandleKey, fromDay: string, toDay: string): Promise<Set<string>> {
    const rows = await this.sql.reader.all<{ day: string }>(`SELECT day FROM candle_days WHERE ${KEY} AND day >= ? AND day <= ?`, [...keyValues(key), fromDay, toDay]);
    return new Set(rows.map((r) => r.day));
  }

  async readCandles(key: CandleKey, fromTs: number, toTs: number): Promise<StoredCandle[]> {
    const rows = await this.sql.reader.all<StoredCandle>(`SELECT ts, open, high, low, close, volume, oi FROM candles WHERE ${KEY} AND ts >= ? AND ts <= ? ORDER BY ts`, [...keyValues(key), fromTs, toTs]);
    return rows.map((r) => ({ ts: Number(r.ts), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, oi: r.oi }));
  }

  async saveCandles(key: CandleKey, days: readonly string[], candles: readonly StoredCandle[]): Promise<void> {
    const k = keyValues(key);
    await this.sql.transaction(async (tx) => {
      await tx.insertMany(
        "candles",
        ["broker", "exchange", "token", "interval", "ts", "open", "high", "low", "close", "volume", "oi"],
        candles.map((c) => [...k, c.ts, c.open, c.high, c.low, c.close, c.volume, c.oi]),
        "ON CONFLICT (broker, exchange, token, interval, ts) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume, oi = excluded.oi",
      );
      await tx.insertMany("candle_days", ["broker", "exchange", "token", "interval", "day"], days.map((d) => [...k, d]), "ON CONFLICT (broker, exchange, token, interval, day) DO NOTHING");
    });
  }
}
