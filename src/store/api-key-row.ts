import type { ApiKeyRecord } from "./api-key-types.js";

/** `api_keys` as both backends return it. */
export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
  // Migration 3 created last_used_at; nothing writes it, because a write per request would queue behind a refresh.
  last_used_at: string | null;
}

export function apiKeyFromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: Number(row.id),
    name: row.name,
    prefix: row.prefix,
    hash: row.hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

