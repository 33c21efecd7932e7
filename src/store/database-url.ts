import { ConfigError } from "../errors.js";

export type DatabaseTarget =
  | { readonly dialect: "sqlite"; readonly path: string }
  | { readonly dialect: "postgres"; readonly url: string };

/**
 * `sqlite:PATH` (relative or absolute), `sqlite://PATH`, `sqlite::memory:`, or
 * `postgres://…` / `postgresql://…`.
 */
export function parseDatabaseUrl(url: string, variable = "DATABASE_URL"): DatabaseTarget {
  const value = url.trim();
  if (/^postgres(ql)?:\/\//.test(value)) return { dialect: "postgres", url: value };
  if (value.startsWith("sqlite:")) {
    const path = value.slice("sqlite:".length).replace(/^\/\//, "");
    if (path === "") throw new ConfigError(variable, "sqlite URL has no file path (use sqlite:./data/xtsbridge.db)");
    return { dialect: "sqlite", path };
  }
  throw new ConfigError(variable, `unsupported database URL '${value.replace(/\/\/[^@/]*@/, "//***@")}'; use sqlite:PATH or postgres://…`);
}

/** The URL with any password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, "$1***@");
}

/** An in-memory SQLite database: only the connection that made it can see it, so no worker can open it. */
export function isInMemoryDatabase(databaseUrl: string): boolean {
  const target = parseDatabaseUrl(databaseUrl);
  return target.dialect === "sqlite" && target.path === ":memory:";
}
