import type { SqlDialect } from "./sql-dialect.js";

/**
 * The analyzer's own books: its mode switch and every paper order, kept apart from anything the
 * broker holds. An order is stored whole (its fill included) as JSON text, so both engines keep
 * identical records and the paper engine owns the shape.
 */
export interface PaperStore {
  /** The analyzer switch as last set, or null when it never was (live). */
  analyzerMode(broker: string): Promise<boolean | null>;
  setAnalyzerMode(broker: string, on: boolean): Promise<void>;
  /** Every paper order of the broker, oldest first. */
  paperOrders(broker: string): Promise<unknown[]>;
  /** Inserts or replaces one paper order. */
  savePaperOrder(broker: string, orderid: string, placedAt: number, record: unknown): Promise<void>;
}

export class SqlPaper implements PaperStore {
  constructor(private readonly sql: SqlDialect) {}

  async analyzerMode(broker: string): Promise<boolean | null> {
    const [row] = await this.sql.reader.all<{ analyze_mode: number | string }>("SELECT analyze_mode FROM analyzer_settings WHERE broker = ?", [broker]);
    return row === undefined ? null : Number(row.analyze_mode) === 1;
  }

  async setAnalyzerMode(broker: string, on: boolean): Promise<void> {
    await this.sql.transaction((tx) =>
      tx.run(
        "INSERT INTO analyzer_settings (broker, analyze_mode, updated_at) VALUES (?, ?, ?) ON CONFLICT (broker) DO UPDATE SET analyze_mode = excluded.analyze_mode, updated_at = excluded.updated_at",
        [broker, on ? 1 : 0, new Date().toISOString()],
      ),
    );
  }

  async paperOrders(broker: string): Promise<unknown[]> {
    const rows = await this.sql.reader.all<{ record: string }>("SELECT record FROM analyzer_orders WHERE broker = ? ORDER BY placed_at, orderid", [broker]);
    return rows.map((r) => JSON.parse(r.record) as unknown);
  }

  async savePaperOrder(broker: string, orderid: string, placedAt: number, record: unknown): Promise<void> {
    await this.sql.transaction((tx) =>
      tx.run(
        "INSERT INTO analyzer_orders (broker, orderid, placed_at, record) VALUES (?, ?, ?, ?) ON CONFLICT (broker, orderid) DO UPDATE SET record = excluded.record",
        [broker, orderid, placedAt, JSON.stringify(record)],
      ),
    );
  }
}
