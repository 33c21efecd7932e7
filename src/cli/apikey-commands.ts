import type { Command } from "commander";
import type { ApiKeys } from "../api/api-keys.js";
import type { Config } from "../config.js";
import { CliExit, EXIT, type CliIo } from "./io.js";
import { json, table } from "./format.js";

export function addApiKeyCommands(program: Command, io: CliIo, config: () => Config, dbOption: (c: Command) => Command): void {
  const apikey = program.command("apikey").description("API keys for the REST API (only a SHA-256 of each key is stored)");
  const withKeys = async <T>(options: { db?: string }, run: (keys: ApiKeys) => Promise<T>): Promise<T> => {
    const [{ openStore }, { ApiKeys }] = await Promise.all([import("../store/open-store.js"), import("../api/api-keys.js")]);
    const store = await openStore(options.db ?? config().databaseUrl);
    try {
      return await run(new ApiKeys(store));
    } finally {
      await store.close();
    }
  };

  dbOption(apikey.command("create").description("create a key and print it once").option("--name <name>", "a label for the key", "default").option("--json", "print as JSON")).action(
    async (options: { db?: string; name: string; json?: boolean }) => {
      const { key, record } = await withKeys(options, (keys) => keys.create(options.name.slice(0, 64)));
      if (options.json) io.out(json({ apikey: key, id: record.id, name: record.name, prefix: record.prefix }));
      else io.out(`${key}\nKeep it: only its hash is stored (id ${record.id}, name ${record.name}).\n`);
    },
  );

  dbOption(apikey.command("list").description("list keys (id, prefix, name, created, revoked)").option("--json", "print as JSON")).action(
    async (options: { db?: string; json?: boolean }) => {
      const records = await withKeys(options, (keys) => keys.list());
      const shown = records.map(({ hash: _hash, ...r }) => r);
      if (options.json) io.out(json(shown));
      else io.out(table(["id", "prefix", "name", "created", "revoked"], shown.map((r) => [r.id, `${r.prefix}…`, r.name, r.createdAt, r.revokedAt ?? "-"])));
    },
  );

  dbOption(apikey.command("revoke").description("revoke a key by id or prefix").argument("<id-or-prefix>", "from 'apikey list'")).action(
    async (idOrPrefix: string, options: { db?: string }) => {
      const revoked = await withKeys(options, (keys) => keys.revoke(idOrPrefix.replace(/…$/, "")));
      if (revoked === 0) throw new CliExit(EXIT.failed, `error: no live key has id or prefix '${idOrPrefix}'`);
      io.out(`revoked ${revoked} key(s)\n`);
    },
  );
}
