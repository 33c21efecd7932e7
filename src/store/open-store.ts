import { XtsBridgeError } from "../errors.js";
import { parseDatabaseUrl } from "./database-url.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { GatewayStore } from "./symbol-store.js";

export async function openStore(databaseUrl: string): Promise<GatewayStore> {
  const target = parseDatabaseUrl(databaseUrl);
  switch (target.dialect) {
    case "sqlite":
      return SqliteStore.open(target.path);
    case "postgres":
      throw new XtsBridgeError("NOT_IMPLEMENTED", "the PostgreSQL backend is not available yet; use DATABASE_URL=sqlite:PATH");
    default: {
      const never: never = target;
      return never;
    }
  }
}
