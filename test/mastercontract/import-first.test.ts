import { mkdirSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { importMasterFiles } from "../../src/mastercontract/import-files.js";
import { SymbolIndex } from "../../src/resolver/symbol-index.js";
import { decodeSnapshot } from "../../src/resolver/contract-snapshot.js";
import type { GatewayStore } from "../../src/store/symbol-store.js";
import { BACKENDS } from "../support/backends.js";
import { sampleFile, sampleFiles } from "../support/samples.js";
import { tempDir } from "../support/temp-dir.js";

const BROKER = "jainam_prop";

/**
 * A first import (no rows for the broker yet) given the store's database URL is written by a
 * worker thread over its own connection while the files are still being parsed. What a user must
 * not be able to tell apart from the one-thread import is what ends up stored; what they must be
 * able to rely on is that an import that stops half-way stores nothing and holds no lock.
 */
for (const backend of BACKENDS) {
  describe(`a first master import on ${backend.name}`, () => {
    const opened: (() => Promise<void>)[] = [];
    const open = async (): Promise<{ store: GatewayStore; url: string }> => {
      const { store, url, cleanup } = await backend.open();
      opened.push(cleanup);
      return { store, url };
    };
    afterEach(async () => {
      for (const cleanup of opened.splice(0)) await cleanup();
    });

    it("stores row for row, with the same snapshot and status, what the one-thread import stores", async () => {
      const streamed = await open();
      const plain = await open();
      const a = await importMasterFiles(streamed.store, BROKER, sampleFiles(), { databaseUrl: streamed.url });
      const b = await importMasterFiles(plain.store, BROKER, sampleFiles());
      const { durationMs: _a, ...reportA } = a;
      const { durationMs: _b, ...reportB } = b;
      expect(reportA).toEqual(reportB);
      expect(a).toMatchObject({ stored: true, written: "whole", deleted: 0, inserted: 23_490, updated: 0 });
      const rows = await streamed.store.loadBroker(BROKER);
      expect(rows).toHaveLength(23_490);
      expect(rows).toEqual(await plain.store.loadBroker(BROKER));
      // The next start-up reads the snapshot: it must be of exactly these rows, in the table's order.
      const snapshot = await streamed.store.loadSnapshot(BROKER);
      expect(snapshot).not.toBeNull();
      expect(SymbolIndex.fromColumns(decodeSnapshot(snapshot!.bytes)).allRows()).toEqual(rows);
      expect(Buffer.from(snapshot!.bytes).equals(Buffer.from((await plain.store.loadSnapshot(BROKER))!.bytes))).toBe(true);
      const { updatedAt: _s, startedAt: _t, finishedAt: _f, durationMs: _d, lastSuccessAt: _l, ...status } = await streamed.store.getStatus(BROKER);
      const { updatedAt: _s2, startedAt: _t2, finishedAt: _f2, durationMs: _d2, lastSuccessAt: _l2, ...expected } = await plain.store.getStatus(BROKER);
      expect(status).toEqual(expected);
      expect(status).toMatchObject({ status: "success", totalSymbols: 23_490, contractVersion: 1 });
    });

    it("leaves another broker's rows as they were", async () => {
      const { store, url } = await open();
      await importMasterFiles(store, "other_broker", [sampleFile("NSEFO.txt")], { databaseUrl: url });
      const other = await store.loadBroker("other_broker");
      const report = await importMasterFiles(store, BROKER, sampleFiles(), { databaseUrl: url });
      expect(report).toMatchObject({ stored: true, written: "whole", inserted: 23_490 });
      expect(await store.loadBroker("other_broker")).toEqual(other);
      expect(await store.loadBroker(BROKER)).toHaveLength(23_490);
    });

    it("of files with no parseable line writes nothing: no rows, no status, no snapshot", async () => {
      const { store, url } = await open();
      const dir = tempDir("xtsbridge-import-");
      opened.push(async () => dir.remove());
      const junk = dir.file("junk.txt");
      writeFileSync(junk, "not a master line\nnor|this|one\n");
      const report = await importMasterFiles(store, BROKER, [junk], { databaseUrl: url });
      expect(report).toMatchObject({ stored: false, written: null, inserted: 0 });
      expect(report.totals.unparseable).toBe(2);
      expect(await store.loadBroker(BROKER)).toEqual([]);
      expect(await store.loadSnapshot(BROKER)).toBeNull();
      expect((await store.getStatus(BROKER)).status).toBe("pending");
    });

    it("that fails part-way through its files stores nothing and holds no lock: the next import succeeds", async () => {
      const { store, url } = await open();
      const dir = tempDir("xtsbridge-import-");
      opened.push(async () => dir.remove());
      // A directory where a file should be: reading it fails after the real files were parsed and sent.
      const notAFile = dir.file("segment");
      mkdirSync(notAFile);
      await expect(importMasterFiles(store, BROKER, [...sampleFiles(), notAFile], { databaseUrl: url })).rejects.toThrow(/EISDIR/);
      expect(await store.loadBroker(BROKER)).toEqual([]);
      expect((await store.getStatus(BROKER)).status).toBe("pending");
      const report = await importMasterFiles(store, BROKER, sampleFiles(), { databaseUrl: url });
      expect(report).toMatchObject({ stored: true, written: "whole", inserted: 23_490 });
      expect(await store.loadBroker(BROKER)).toHaveLength(23_490);
    });
  });
}
