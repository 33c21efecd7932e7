import { parseDatabaseUrl } from "./database-url.js";
import { SqliteDialect, type SqliteOptions } from "./sqlite/sqlite-dialect.js";
import { SqlStore } from "./sql-store.js";

/** A store on a SQLite file (created, with its folder, and migrated). */
export function openSqliteStore(path: string, options: SqliteOptions = {}): SqlStore {
  return new SqlStore(SqliteDialect.open(path, options));
}

/** A store on PostgreSQL (`?schema=` isolates; migrated under an advisory lock). */
export async function openPostgresStore(url: string, applicationName?: string): Promise<SqlStore> {
  // Loaded only for PostgreSQL: a SQLite deployment never imports `pg`.
  const { PgDialect } = await import("./postgres/pg-dialect.js");
  return new SqlStore(await PgDialect.open(url, applicationName));
}

/** `sqlite` applies to a SQLite URL only. */
export async function openStore(databaseUrl: string, sqlite: SqliteOptions = {}): Promise<SqlStore> {
  const target = parseDatabaseUrl(databaseUrl);
  switch (target.dialect) {
    case "sqlite":
      return openSqliteStore(target.path, sqlite);
    case "postgres":
      return openPostgresStore(target.url);
    default: {
      const never: never = target;
      return never;
    }
  }
}
