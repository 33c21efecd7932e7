/** A stored API key: only a SHA-256 of the key is kept, never the key itself. */
export interface ApiKeyRecord {
  readonly id: number;
  readonly name: string;
  /** The first characters of the key, used to find the record (not secret enough alone). */
  readonly prefix: string;
  /** Hex SHA-256 of the whole key. */
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface ApiKeyStore {
  insertApiKey(name: string, prefix: string, hash: string): Promise<ApiKeyRecord>;
  findApiKeyByPrefix(prefix: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes by id or prefix; returns the number of keys revoked. */
  revokeApiKey(idOrPrefix: string): Promise<number>;
}
