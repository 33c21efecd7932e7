import type Database from "better-sqlite3";
import type { ApiKeyRecord } from "../api-key-types.js";
import { apiKeyFromRow, type ApiKeyRow } from "../api-key-row.js";

export class SqliteApiKeys {
  private readonly byPrefix: Database.Statement;
  constructor(private readonly db: Database.Database) {
    this.byPrefix = db.prepare("SELECT * FROM api_keys WHERE prefix = ?");
  }

  insert(name: string, prefix: string, hash: string): ApiKeyRecord {
    const created = new Date().toISOString();
    const info = this.db.prepare("INSERT INTO api_keys (name, prefix, hash, created_at) VALUES (?, ?, ?, ?)").run(name, prefix, hash, created);
    return apiKeyFromRow(this.db.prepare("SELECT * FROM api_keys WHERE id = ?").get(info.lastInsertRowid) as ApiKeyRow);
  }

  find(prefix: string): ApiKeyRecord | undefined {
    const row = this.byPrefix.get(prefix) as ApiKeyRow | undefined;
    return row === undefined ? undefined : apiKeyFromRow(row);
  }

  list(): ApiKeyRecord[] {
    return (this.db.prepare("SELECT * FROM api_keys ORDER BY id").all() as ApiKeyRow[]).map(apiKeyFromRow);
  }

  revoke(idOrPrefix: string): number {
    const at = new Date().toISOString();
    return this.db
      .prepare("UPDATE api_keys SET revoked_at = ? WHERE revoked_at IS NULL AND (CAST(id AS TEXT) = ? OR prefix = ?)")
      .run(at, idOrPrefix, idOrPrefix).changes;
  }

}
