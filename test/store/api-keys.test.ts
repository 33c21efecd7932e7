import { afterAll, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { RequestLog } from "../../src/api/request-log.js";
import { openSqliteStore } from "../../src/store/open-store.js";
import { API_KEY_CACHE_MS } from "../../src/store/sql-store.js";
import { tempDir } from "../support/temp-dir.js";

describe("API keys read through the store's short cache", () => {
  const dir = tempDir("xtsbridge-keys-");
  afterAll(() => dir.remove());

  it("a key revoked through the same store is refused at once; one revoked by another process within API_KEY_CACHE_MS", async () => {
    const path = dir.file("keys.db");
    const server = openSqliteStore(path);
    const cli = openSqliteStore(path);
    try {
      const keys = new ApiKeys(server);
      const first = await keys.create("first");
      const second = await keys.create("second");
      expect((await keys.verify(first.key))?.name).toBe("first");
      expect((await keys.verify(second.key))?.name).toBe("second");

      // Same store (the dashboard, `revoke` in this process): the next request is refused.
      await keys.revoke(first.record.prefix);
      expect(await keys.verify(first.key)).toBeUndefined();

      // Another process (the CLI) on the same database: refused once the cached read is older than the window.
      expect(await new ApiKeys(cli).revoke(second.record.prefix)).toBe(1);
      await new Promise((r) => setTimeout(r, API_KEY_CACHE_MS + 50));
      expect(await keys.verify(second.key)).toBeUndefined();
    } finally {
      await server.close();
      await cli.close();
    }
  });

  it("a cached record still refuses a different key with the same prefix, and a made-up key", async () => {
    const store = openSqliteStore(dir.file("prefix.db"));
    try {
      const keys = new ApiKeys(store);
      const { key } = await keys.create("only");
      expect(await keys.verify(key)).toBeDefined();
      const sibling = `${key.slice(0, 12)}${key.slice(12).split("").reverse().join("")}`;
      expect(sibling).not.toBe(key);
      expect(await keys.verify(sibling)).toBeUndefined();
      expect(await keys.verify(key)).toBeDefined();
      expect(await keys.verify("f".repeat(64))).toBeUndefined();
      expect(await keys.verify("not a key")).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe("the dashboard's recent-requests log", () => {
  const entry = (n: number) => ({ at: `t${n}`, method: "POST", path: `/api/v1/p${n}`, status: 200, code: null, ms: n, dashboard: false });

  it("keeps the last `capacity` requests, newest first, whatever the count", () => {
    const log = new RequestLog(3);
    expect(log.recent()).toEqual([]);
    log.add(entry(1));
    log.add(entry(2));
    expect(log.recent().map((e) => e.ms)).toEqual([2, 1]);
    for (let n = 3; n <= 8; n += 1) log.add(entry(n));
    expect(log.recent().map((e) => e.ms)).toEqual([8, 7, 6]);
    expect(log.recent(2).map((e) => e.ms)).toEqual([8, 7]);
    expect(log.recent(0)).toEqual([]);
    expect(() => new RequestLog(0)).toThrow(/capacity/);
  });
});
