import Database from "better-sqlite3";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { Resolver } from "../../src/resolver/resolver.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination }), lines: () => out.join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Start-up reads the index from the snapshot stored with the rows; a damaged one costs time, never correctness. */
describe("the contract snapshot at start-up", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { instruments: 20_000 } });
    expect((await gw.master.refresh()).status).toBe("success");
  }, 120_000);
  afterAll(async () => gw.close());

  it("a new process's resolver loads the refreshed contract from its snapshot: the same rows, the same version", async () => {
    const { logger, lines } = capturingLogger();
    const fresh = new Resolver(gw.store, gw.resolver.broker, logger);
    await fresh.load();
    expect(fresh.version).toBe(gw.resolver.version);
    expect(fresh.current.allRows()).toEqual(await gw.store.loadBroker(gw.resolver.broker));
    expect(lines().filter((l) => l["level"] === 40)).toEqual([]);
    expect(await gw.store.loadSnapshot(gw.resolver.broker)).toMatchObject({ contractVersion: gw.resolver.version });
  });

  it("a damaged snapshot is reported and the rows are read instead", async () => {
    const db = new Database(gw.dbPath);
    const { part, bytes } = db.prepare("SELECT part, bytes FROM contract_snapshot WHERE broker = ? ORDER BY part DESC LIMIT 1").get(gw.resolver.broker) as { part: number; bytes: Buffer };
    bytes[bytes.length - 10]! ^= 0xff;
    db.prepare("UPDATE contract_snapshot SET bytes = ? WHERE broker = ? AND part = ?").run(bytes, gw.resolver.broker, part);
    db.close();
    const { logger, lines } = capturingLogger();
    const fresh = new Resolver(gw.store, gw.resolver.broker, logger);
    await fresh.load();
    expect(fresh.current.allRows()).toEqual(await gw.store.loadBroker(gw.resolver.broker));
    expect(fresh.version).toBe(gw.resolver.version);
    expect(lines().find((l) => l["msg"] === "contract snapshot unreadable; loading the rows instead")?.["reason"]).toMatch(/CRC-32/);
  });

  it("a snapshot with a part missing is reported and the rows are read instead", async () => {
    const db = new Database(gw.dbPath);
    const parts = db.prepare("SELECT COUNT(*) AS n FROM contract_snapshot WHERE broker = ?").get(gw.resolver.broker) as { n: number };
    // Even this 20,000-instrument contract's snapshot spans several parts.
    expect(parts.n).toBeGreaterThan(2);
    db.prepare("DELETE FROM contract_snapshot WHERE broker = ? AND part = 1").run(gw.resolver.broker);
    db.close();
    const { logger, lines } = capturingLogger();
    const fresh = new Resolver(gw.store, gw.resolver.broker, logger);
    await fresh.load();
    expect(fresh.current.allRows()).toEqual(await gw.store.loadBroker(gw.resolver.broker));
    expect(lines().find((l) => l["msg"] === "contract snapshot unreadable; loading the rows instead")?.["reason"]).toMatch(/bytes, its header says|CRC-32/);
  });
});
