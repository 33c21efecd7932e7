import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { loadConfig, type Config } from "../config.js";
import { accessSync, constants, statSync } from "node:fs";
import { XtsBridgeError, type ErrorCode } from "../errors.js";
import type { SymbolStore } from "../store/symbol-store.js";
import { CliExit, EXIT, processIo, type CliIo } from "./io.js";
import { json } from "./format.js";
import { formatImportReport } from "./master-import.js";
import { addApiKeyCommands } from "./apikey-commands.js";
import { addMasterDownloadCommands } from "./master-commands.js";
import { addOrderCommands } from "./order-commands.js";
import { addProfilesCommand } from "./profiles-command.js";
import { addSandboxCommand } from "./sandbox-command.js";
import { addServeCommand } from "./serve.js";
import { lookupSymbol, lookupToken, searchSymbols } from "./symbols.js";

interface StoreOptions {
  db?: string;
  broker?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function buildProgram(io: CliIo, config: () => Config, setExit: (code: number) => void): Command {
  const withStore = async <T>(options: StoreOptions, run: (store: SymbolStore, broker: string) => Promise<T>): Promise<T> => {
    const base = config();
    // Heavy modules (database drivers, Fastify, zod) load only for the command that needs them,
    // so `xtsbridge sandbox` and `--help` start fast.
    const { openStore } = await import("../store/open-store.js");
    const store = await openStore(options.db ?? base.databaseUrl);
    try {
      return await run(store, options.broker ?? base.broker);
    } finally {
      await store.close();
    }
  };
  const dbOption = () => new Option("--db <url>", "database URL (sqlite:PATH or postgres://…); default $DATABASE_URL or sqlite:./data/xtsbridge.db");
  const brokerOption = () => new Option("--broker <name>", "broker whose rows to use").default(undefined, "jainam_prop");

  const program = new Command("xtsbridge")
    .description("OpenAlgo-compatible gateway for Jainam Prop over the Symphony XTS API")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  const master = program.command("master").description("master contract: import, download, status");
  master
    .command("import")
    .description("import saved XTS master text (the `result` of /instruments/master); each line names its segment")
    .argument("<files...>", "files of pipe-separated master lines")
    .addOption(brokerOption())
    .addOption(dbOption())
    .option("--json", "print the report as JSON")
    .addHelpText("after", "\nExit status: 0 when rows were stored and no line was unparseable; 1 otherwise.\nExample: xtsbridge master import test/fixtures/xts-master-sample/*.txt")
    .action(async (files: string[], options: StoreOptions & { json?: boolean }) => {
      // Every file is checked before any is read, so a typo in the last name imports nothing.
      for (const file of files) {
        try {
          accessSync(file, constants.R_OK);
          if (!statSync(file).isFile()) throw new CliExit(EXIT.usage, `error: ${file} is not a file`);
        } catch (error) {
          if (error instanceof CliExit) throw error;
          const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot be read";
          throw new CliExit(EXIT.usage, `error: ${file}: ${why}; nothing was imported`);
        }
      }
      const { importMasterFiles } = await import("../mastercontract/import-files.js");
      const databaseUrl = options.db ?? config().databaseUrl;
      const report = await withStore(options, (store, broker) => importMasterFiles(store, broker, files, { databaseUrl }));
      io.out(options.json ? json(report) : formatImportReport(report));
      if (!report.stored || report.totals.unparseable > 0) throw new CliExit(EXIT.failed, "");
    });

  program
    .command("symbol")
    .description("look up an OpenAlgo symbol; prints the stored row with its integer token")
    .argument("<symbol>", "OpenAlgo symbol, e.g. NIFTY28MAR2420800CE")
    .requiredOption("-e, --exchange <exchange>", "NSE, BSE, NFO, BFO, CDS, MCX, NSE_INDEX or BSE_INDEX")
    .addOption(brokerOption())
    .addOption(dbOption())
    .option("--json", "print the row as JSON")
    .action(async (symbol: string, options: StoreOptions & { exchange: string; json?: boolean }) => {
      io.out(await withStore(options, (store, broker) => lookupSymbol(store, broker, symbol, options.exchange, options.json === true)));
    });

  program
    .command("token")
    .description("reverse lookup: the row for an XTS instrument token on an exchange")
    .argument("<token>", "XTS exchangeInstrumentID")
    .requiredOption("-e, --exchange <exchange>", "NSE, BSE, NFO, BFO, CDS, MCX, NSE_INDEX or BSE_INDEX")
    .addOption(brokerOption())
    .addOption(dbOption())
    .option("--json", "print the row as JSON")
    .action(async (token: string, options: StoreOptions & { exchange: string; json?: boolean }) => {
      io.out(await withStore(options, (store, broker) => lookupToken(store, broker, token, options.exchange, options.json === true)));
    });

  program
    .command("search")
    .description("find symbols: every term must match the symbol, name, brsymbol or token; ranked exact, prefix, contains")
    .argument("<query...>", "search terms, e.g. NIFTY 24000 CE")
    .option("-e, --exchange <exchange>", "only this exchange")
    .option("-n, --limit <n>", "at most this many results", positiveInt, 20)
    .addOption(brokerOption())
    .addOption(dbOption())
    .option("--json", "print the rows as JSON")
    .action(async (terms: string[], options: StoreOptions & { exchange?: string; limit: number; json?: boolean }) => {
      io.out(
        await withStore(options, (store, broker) =>
          searchSymbols(store, broker, terms, { exchange: options.exchange, limit: options.limit, json: options.json === true }),
        ),
      );
    });

  const common = (c: Command): Command => c.addOption(brokerOption()).addOption(dbOption());
  addMasterDownloadCommands(master, io, config, common);
  addOrderCommands(program, io, config, common);
  addApiKeyCommands(program, io, config, (c) => c.addOption(dbOption()));
  addServeCommand(program, io, config, setExit);
  addSandboxCommand(program, io);
  addProfilesCommand(program, io, () => config().profile.name);

  return program;
}

/** Errors in what was typed, not in what happened: exit 2, as for commander's own usage errors. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(["CONFIG_ERROR", "VALIDATION_ERROR", "UNSUPPORTED_EXCHANGE"]);

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let config: Config | undefined;
  const getConfig = (): Config => (config ??= loadConfig(io.env));
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, getConfig, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.message !== "") io.err(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof XtsBridgeError) {
      io.err(`error: ${error.message}\n`);
      return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failed;
    }
    io.err(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}
