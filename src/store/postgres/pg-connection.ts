import pg from "pg";
import { ConfigError } from "../../errors.js";

export interface PgTarget {
  /** The URL handed to pg, without our own `schema` parameter. */
  readonly connectionString: string;
  /** Schema the tables live in (`?schema=name`, default `public`): lets test runs and tenants share a database. */
  readonly schema: string;
}

/** Splits our `schema` query parameter off a postgres:// URL. */
export function parsePgUrl(url: string): PgTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL", "is not a valid postgres:// URL");
  }
  const schema = parsed.searchParams.get("schema") ?? "public";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError("DATABASE_URL", `schema '${schema.slice(0, 70)}' must be lower-case letters, digits and '_'`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
}

// INTEGER and DOUBLE PRECISION already parse to numbers; BIGINT (int8, counts and ids) comes back
// as text by default, and every value we keep in BIGINT fits a JS number.
const INT8_OID = 20;

export function createPool(target: PgTarget, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: 5,
    application_name: applicationName,
    options: `-c search_path=${target.schema}`,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that dies (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * A client checked out of the pool. The pool stops listening for its errors while it is out, and
 * an 'error' event nobody listens for crashes Node: a database restart during a refresh must fail
 * that refresh, not the gateway. `broken` tells release() to discard the connection.
 */
export interface CheckedOut {
  readonly client: pg.PoolClient;
  readonly broken: () => boolean;
  release(): void;
}

export async function checkOut(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  client.on("error", onError);
  return {
    client,
    broken: () => broken,
    release: () => {
      client.off("error", onError);
      client.release(broken);
    },
  };
}
