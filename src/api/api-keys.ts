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
    const stored = Buffer.from(record.hash, "hex");
    const given = sha256(key);
    return stored.length === given.length && timingSafeEqual(stored, given) ? record : undefined;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.listApiKeys();
  }

  revoke(idOrPrefix: string): Promise<number> {
    return this.store.revokeApiKey(idOrPrefix);
  }
}
