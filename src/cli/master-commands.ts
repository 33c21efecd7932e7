import type { Command } from "commander";
import type { Config } from "../config.js";
import { DEFAULT_REFRESH_OPTIONS } from "../mastercontract/refresh-types.js";
import { CliExit, EXIT, type CliIo } from "./io.js";
import { json, table } from "./format.js";
import type { Gateway, GatewayOverrides } from "./gateway.js";
import { formatRefreshReport, progressPrinter } from "./progress.js";

interface GatewayCliOptions {
  db?: string;
  broker?: string;
}

/** Builds the gateway for one CLI command (logs to stderr, warnings only unless LOG_LEVEL says otherwise). */
export async function withGateway<T>(config: Config, io: CliIo, options: GatewayCliOptions & GatewayOverrides, run: (gw: Gateway) => Promise<T>): Promise<T> {
  const [{ createLogger }, { createGateway }] = await Promise.all([import("../logger.js"), import("./gateway.js")]);
  const level = io.env["LOG_LEVEL"] === undefined ? "warn" : config.logLevel;
  const logger = createLogger({ level, destination: process.stderr });
  const gw = await createGateway(config, logger, {
    ...options,
    ...(options.db === undefined ? {} : { databaseUrl: options.db }),
    ...(options.broker === undefined ? {} : { broker: options.broker }),
  });
  try {
    return await run(gw);
  } finally {
    await gw.close();
  }
}

export function addMasterDownloadCommands(master: Command, io: CliIo, config: () => Config, common: (c: Command) => Command): void {
  common(
    master
      .command("download")
      .description("download every segment and both index lists from XTS, validate, store in one transaction")
      .option("--json", "print the report as JSON instead of progress and a table")
      .option("--force", "accept a contract smaller than half of the stored one"),
  )
    .addHelpText(
      "after",
      "\nNeeds JAINAM_SERVER and the JAINAM_*_API_KEY/SECRET variables (a sandbox started with 'xtsbridge sandbox' prints them).\nOn failure the previous contract stays in use and the exit status is 1.",
    )
    .action(async (options: GatewayCliOptions & { json?: boolean; force?: boolean }) => {
      const report = await withGateway(config(), io, options, (gw) =>
        gw.master.refresh({ force: options.force === true, ...(options.json ? {} : { onProgress: progressPrinter(io.err, io.isTTY) }) }),
      );
      io.out(options.json ? json(report) : formatRefreshReport(report));
      if (report.status !== "success") throw new CliExit(EXIT.failed, "");
    });

  common(master.command("status").description("the stored master-contract status").option("--json", "print the status as JSON")).action(
    async (options: GatewayCliOptions & { json?: boolean }) => {
      const base = config();
      const [{ openStore }, { isAbandoned, presentStatus }] = await Promise.all([import("../store/open-store.js"), import("../mastercontract/refresh.js")]);
      const store = await openStore(options.db ?? base.databaseUrl);
      const status = await store
        .getStatus(options.broker ?? base.broker)
        .then((s) => presentStatus(s, (holder) => isAbandoned(holder, DEFAULT_REFRESH_OPTIONS.staleAfterMs)))
        .finally(() => store.close());
      if (options.json) {
        io.out(json(status));
        return;
      }
      io.out(
        table(
          ["field", "value"],
          [
            ["status", status.status],
            ["message", status.message],
            ["instruments", status.totalSymbols],
            ["by exchange", Object.entries(status.exchangeCounts).map(([e, n]) => `${e} ${n}`).join(", ") || "-"],
            ["started", status.startedAt ?? "-"],
            ["finished", status.finishedAt ?? "-"],
            ["duration ms", status.durationMs ?? "-"],
            ["last success", status.lastSuccessAt ?? "-"],
            ["contract version", status.contractVersion],
          ],
        ),
      );
      if (status.status === "error") throw new CliExit(EXIT.failed, "");
    },
  );
}
