import { openPostgresStore } from "../../src/store/open-store.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAbandoned, presentStatus } from "../../src/mastercontract/refresh.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/sandbox-options.js";
import { dropSchema, newSchemaName, PG_BASE_URL, pgSchemaUrl } from "../support/backends.js";
import { startCli, until } from "../support/processes.js";
import { tempDir } from "../support/temp-dir.js";

/** SIGKILL a `master download` while its replace transaction is open on PostgreSQL. */
describe("a refresh killed inside its PostgreSQL transaction", () => {
  const dir = tempDir("xtsbridge-pgkill-");
  const schema = newSchemaName();
  const url = pgSchemaUrl(schema);
  let first: Sandbox;
  let second: Sandbox;
  let admin: pg.Client;

  const env = (sandbox: Sandbox) => ({
    DATABASE_URL: url,
    LOG_LEVEL: "warn",
    JAINAM_SERVER: sandbox.url,
    JAINAM_INTERACTIVE_API_KEY: SANDBOX_DEFAULTS.interactiveKey,
    JAINAM_INTERACTIVE_API_SECRET: SANDBOX_DEFAULTS.interactiveSecret,
    JAINAM_MARKET_API_KEY: SANDBOX_DEFAULTS.marketKey,
    JAINAM_MARKET_API_SECRET: SANDBOX_DEFAULTS.marketSecret,
  });

  beforeAll(async () => {
    first = await createSandbox({ port: 0, instruments: 5000, seed: 3, referenceDate: "2026-11-25" });
    second = await createSandbox({ port: 0, instruments: 30_000, seed: 4, referenceDate: "2027-01-10" });
    admin = new pg.Client({ connectionString: PG_BASE_URL });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await first?.close();
    await second?.close();
    await dropSchema(schema);
    dir.remove();
  });

  async function contract(): Promise<{ rows: number; version: number; status: string; sample: Map<string, number> }> {
    const store = await openPostgresStore(url, "xtsbridge-test-reader");
    try {
      const rows = await store.loadBroker("jainam_prop");
      const status = presentStatus(await store.getStatus("jainam_prop"), (h) => isAbandoned(h, 600_000));
      return { rows: rows.length, version: status.contractVersion, status: status.status, sample: new Map(rows.map((r) => [`${r.exchange}|${r.symbol}`, r.token])) };
    } finally {
      await store.close();
    }
  }

  it("leaves the previous contract in the database, and the next refresh succeeds", async () => {
    const ok = startCli(["master", "download", "--json"], env(first), dir.path);
    expect((await ok.done).code, ok.output()).toBe(0);
    const before = await contract();
    expect(before.rows).toBeGreaterThan(1000);
    expect(before.status).toBe("success");

    const doomed = startCli(["master", "download"], env(second), dir.path);
    const application = `xtsbridge:%:${doomed.child.pid}`;
    // Wait until the child's connection is inside the replace: its INSERT is running or the transaction is open.
    await until(
      "the refresh transaction to be open",
      async () => {
        if (doomed.exited() !== undefined) throw new Error(`download finished before it could be killed:\n${doomed.output()}`);
        const r = await admin.query(
          "SELECT state, query FROM pg_stat_activity WHERE application_name LIKE $1 AND (query ILIKE 'INSERT INTO symbol_token%' OR state = 'idle in transaction')",
          [application],
        );
        return r.rowCount! > 0 ? true : undefined;
      },
      { context: doomed.output, timeoutMs: 60_000 },
    );
    doomed.kill("SIGKILL");
    expect((await doomed.done).signal).toBe("SIGKILL");

    const after = await contract();
    expect(after.rows).toBe(before.rows);
    expect(after.version).toBe(before.version);
    expect(after.sample).toEqual(before.sample);
    // The status does not pretend a download is running for a dead process.
    expect(after.status).not.toBe("downloading");

    const retry = startCli(["master", "download", "--json"], env(second), dir.path);
    expect((await retry.done).code, retry.output()).toBe(0);
    const fresh = await contract();
    expect(fresh.status).toBe("success");
    expect(fresh.version).toBe(before.version + 1);
    expect(fresh.rows).toBeGreaterThan(before.rows);
  }, 120_000);
});
