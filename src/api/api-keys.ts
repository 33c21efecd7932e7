import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKeyRecord, ApiKeyStore } from "../store/api-key-types.js";

/** OpenAlgo keys are 64 hex characters (`secrets.token_hex(32)`); clients expect that shape. */
const KEY_PATTERN = /^[0-9a-f]{64}$/;
const PREFIX_LENGTH = 12;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * API keys: only a SHA-256 is stored. A key carries 256 random bits, so a fast hash is
 * enough (it is not a password); a request costs one hash, a lookup by the key's prefix and
 * one constant-time compare — not one slow hash per user as OpenAlgo's Argon2 loop does.
 */
export class ApiKeys {
  /**
   * The key each record was last verified with, for the store's cached records: the same key
   * again costs a constant-time compare instead of a hash. A record read again from the database
   * is a new object and is verified afresh.
   */
  private readonly verified = new WeakMap<ApiKeyRecord, Buffer>();

  constructor(private readonly store: ApiKeyStore) {}

  async create(name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = randomBytes(32).toString("hex");
    const record = await this.store.insertApiKey(name, key.slice(0, PREFIX_LENGTH), sha256(key).toString("hex"));
    return { key, record };
  }

  /** The live key record for `key`, or undefined (unknown, malformed or revoked). */
  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    if (!KEY_PATTERN.test(key)) return undefined;
    const record = await this.store.findApiKeyByPrefix(key.slice(0, PREFIX_LENGTH));
    if (record === undefined || record.revokedAt !== null) return undefined;
    const given = Buffer.from(key, "latin1");
    const seen = this.verified.get(record);
    if (seen !== undefined && seen.length === given.length && timingSafeEqual(seen, given)) return record;
    const stored = Buffer.from(record.hash, "hex");
    const digest = sha256(key);
    if (stored.length !== digest.length || !timingSafeEqual(stored, digest)) return undefined;
    this.verified.set(record, given);
    return record;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.listApiKeys();
  }

  revoke(idOrPrefix: string): Promise<number> {
    return this.store.revokeApiKey(idOrPrefix);
  }
}
