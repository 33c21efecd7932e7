import { openSqliteStore, openPostgresStore } from "../../src/store/open-store.js";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { GatewayStore } from "../../src/store/symbol-store.js";
import { tempDir } from "./temp-dir.js";

/** One store backend for the shared suite: `open()` gives a fresh, empty, isolated store. */
export interface Backend {
  readonly name: string;
  open(): Promise<{ store: GatewayStore; url: string; cleanup: () => Promise<void> }>;
}

export const sqliteBackend: Backend = {
  name: "sqlite",
  async open() {
    const dir = tempDir("xtsbridge-store-");
    const path = dir.file("test.db");
    const store = openSqliteStore(path);
    return {
      store,
      url: `sqlite:${path}`,
      cleanup: async () => {
        await store.close();
        dir.remove();
      },
    };
  },
};

/**
 * The PostgreSQL server on this machine (CI starts it; tests fail, never skip, without it).
 * Every open() gets its own schema, so runs and tests cannot see each other's rows.
 */
export const PG_BASE_URL = process.env["XTSBRIDGE_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

export function pgSchemaUrl(schema: string): string {
  return `${PG_BASE_URL}${PG_BASE_URL.includes("?") ? "&" : "?"}schema=${schema}`;
}

export function newSchemaName(): string {
  return `t_${process.pid}_${randomBytes(4).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export const postgresBackend: Backend = {
  name: "postgres",
  async open() {
    const schema = newSchemaName();
    const url = pgSchemaUrl(schema);
    const store = await openPostgresStore(url);
    return {
      store,
      url,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
};

export const BACKENDS: readonly Backend[] = [sqliteBackend, postgresBackend];
