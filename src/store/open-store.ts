import { parseDatabaseUrl } from "./database-url.js";
import { PostgresStore } from "./postgres/pg-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { GatewayStore } from "./symbol-store.js";

export async function openStore(databaseUrl: string): Promise<GatewayStore> {
  const target = parseDatabaseUrl(databaseUrl);
  switch (target.dialect) {
    case "sqlite":
      return SqliteStore.open(target.path);
    case "postgres":
      return PostgresStore.open(target.url);
    default: {
      const never: never = target;
      return never;
    }
  }
}
