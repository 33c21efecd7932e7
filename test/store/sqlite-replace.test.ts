import { copyFileSync, existsSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/open-store.js";
import type { SymbolRow } from "../../src/store/types.js";
import { tempDir } from "../support/temp-dir.js";

const row = (broker: string, i: number): SymbolRow => ({
  broker, symbol: `S${i}`, brsymbol: `B ${i}`, name: `N${i % 3}`, exchange: "NSE", brexchange: "NSECM", token: 1000 + i, expiry: "", strike: 0, lotsize: 1,
  instrumenttype: "EQ", tick_size: 0.05, freeze_qty: 0, lower_circuit: i % 2 === 0 ? null : 90.5, upper_circuit: i % 2 === 0 ? null : 110.5,
});

/** SQLite's replace rebuilds symbol_token in one transaction: the table must come out as the migrations made it. */
describe("SQLite contract replace (table rebuilt and swapped in one transaction)", () => {
  const dir = tempDir("xtsbridge-replace-");
  afterEach(() => undefined);

  const shape = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      const columns = db.prepare("PRAGMA table_info(symbol_token)").all();
      const indexes = (db.prepare("PRAGMA index_list(symbol_token)").all() as { name: string; unique: number }[])
        .map((i) => ({ unique: i.unique, columns: (db.prepare(`PRAGMA index_info(${JSON.stringify(i.name)})`).all() as { name: string }[]).map((c) => c.name).join(",") }))
        .sort((a, b) => a.columns.localeCompare(b.columns));
      return { columns, indexes };
    } finally {
      db.close();
    }
  };

  it("makes a new database with 16 KiB pages and opens one made with 4 KiB pages as it is, rows intact", async () => {
    const fresh = dir.file("fresh.db");
    const store = openSqliteStore(fresh);
    await store.replaceBroker("jainam_prop", [row("jainam_prop", 1)]);
    await store.close();
    const old = dir.file("old.db");
    const made = new Database(old);
    made.pragma("journal_mode = WAL");
    made.close();
    const reopened = openSqliteStore(old);
    try {
      await reopened.replaceBroker("jainam_prop", [row("jainam_prop", 1), row("jainam_prop", 2)]);
      expect((await reopened.loadBroker("jainam_prop")).map((r) => r.symbol)).toEqual(["S1", "S2"]);
    } finally {
      await reopened.close();
    }
    const pageSize = (path: string): unknown => {
      const db = new Database(path, { readonly: true });
      try {
        return db.pragma("page_size", { simple: true });
      } finally {
        db.close();
      }
    };
    expect(pageSize(fresh)).toBe(16_384);
    expect(pageSize(old)).toBe(4_096);
  });

  it("keeps every column, type, default and index (unique ones unique), other brokers' rows, and refuses a duplicate as before", async () => {
    const path = dir.file("replace.db");
    const store = openSqliteStore(path);
    try {
      const migrated = shape(path);
      await store.replaceBroker("other", [row("other", 1), row("other", 2)]);
      await store.replaceBroker("jainam_prop", [row("jainam_prop", 1), row("jainam_prop", 2), row("jainam_prop", 3)]);
      expect(shape(path)).toEqual(migrated);
      const again = await store.replaceBroker("jainam_prop", [row("jainam_prop", 4)]);
      expect(again).toMatchObject({ deleted: 3, inserted: 1 });
      expect((await store.loadBroker("jainam_prop")).map((r) => r.symbol)).toEqual(["S4"]);
      expect(await store.loadBroker("other")).toEqual([row("other", 1), row("other", 2)]);
      await expect(store.replaceBroker("jainam_prop", [row("jainam_prop", 5), { ...row("jainam_prop", 5), token: 9 }])).rejects.toThrow(/previous rows kept/);
      await expect(store.replaceBroker("jainam_prop", [row("jainam_prop", 6), { ...row("jainam_prop", 7), token: 1006 }])).rejects.toThrow(/previous rows kept/);
      expect((await store.loadBroker("jainam_prop")).map((r) => r.symbol)).toEqual(["S4"]);
      expect(shape(path)).toEqual(migrated);
    } finally {
      await store.close();
    }
  });

  it("a replace whose rows arrive in batches (key indexes kept up, text ones built after) leaves the same table, and refuses or abandons as the other does", async () => {
    const path = dir.file("streamed.db");
    const store = openSqliteStore(path);
    const batches = async function* (...parts: SymbolRow[][]): AsyncGenerator<SymbolRow[]> {
      for (const part of parts) yield part;
    };
    try {
      const migrated = shape(path);
      await store.replaceBroker("other", [row("other", 1), row("other", 2)]);
      const result = await store.replaceBrokerStreamed("jainam_prop", batches([row("jainam_prop", 1), row("jainam_prop", 2)], [row("jainam_prop", 3)]), () => ({}));
      expect(result).toMatchObject({ deleted: 0, inserted: 3, updated: 0 });
      expect(shape(path)).toEqual(migrated);
      expect((await store.loadBroker("jainam_prop")).map((r) => r.symbol)).toEqual(["S1", "S2", "S3"]);
      expect(await store.loadBroker("other")).toEqual([row("other", 1), row("other", 2)]);
      // A duplicate key in a later batch, or an ending that writes nothing: the rows stay as they were.
      await expect(store.replaceBrokerStreamed("jainam_prop", batches([row("jainam_prop", 5)], [{ ...row("jainam_prop", 5), token: 9 }]), () => ({}))).rejects.toThrow(/previous rows kept/);
      expect(await store.replaceBrokerStreamed("jainam_prop", batches([row("jainam_prop", 6)]), () => null)).toBeNull();
      expect((await store.loadBroker("jainam_prop")).map((r) => r.symbol)).toEqual(["S1", "S2", "S3"]);
      expect(shape(path)).toEqual(migrated);
    } finally {
      await store.close();
      dir.remove();
    }
  });
  it("with checkpoints deferred, a committed contract is in the WAL, survives a kill there, and checkpoint() writes it into the file", async () => {
    const path = dir.file("deferred.db");
    // wal_autocheckpoint = 1 would checkpoint every commit: the deferral must win over it.
    const store = openSqliteStore(path, { deferCheckpoints: true, pragmas: ["wal_autocheckpoint = 1"] });
    const rows = Array.from({ length: 3_000 }, (_, i) => row("jainam_prop", i));
    const fileAlone = (name: string): number => {
      // The database file without its WAL: what the file itself holds.
      copyFileSync(path, dir.file(name));
      const db = new Database(dir.file(name), { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM symbol_token").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    try {
      await store.replaceBroker("jainam_prop", rows, { status: "success", message: "deferred", owner: null });
      expect(fileAlone("before.db")).toBe(0);
      // What a process killed now leaves: the file and its WAL. Opened, it holds the new contract.
      copyFileSync(path, dir.file("killed.db"));
      copyFileSync(`${path}-wal`, dir.file("killed.db-wal"));
      const killed = openSqliteStore(dir.file("killed.db"));
      try {
        expect((await killed.loadBroker("jainam_prop")).length).toBe(3_000);
        expect((await killed.getStatus("jainam_prop")).message).toBe("deferred");
      } finally {
        await killed.close();
      }
      expect((await store.loadBroker("jainam_prop")).length).toBe(3_000);
      await store.checkpoint();
      expect(existsSync(`${path}-wal`)).toBe(true);
      expect(fileAlone("after.db")).toBe(3_000);
    } finally {
      await store.close();
    }
  });
});
