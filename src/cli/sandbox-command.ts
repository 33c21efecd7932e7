import { InvalidArgumentError, type Command } from "commander";
import type { Sandbox } from "../sandbox/create-sandbox.js";
import { DEFAULT_INSTRUMENTS, MAX_INSTRUMENTS } from "../sandbox/master/master-generator.js";
import type { SandboxOptions } from "../sandbox/sandbox-options.js";
import { SANDBOX_DEFAULTS } from "../sandbox/sandbox-options.js";
import { HOSTLOOKUP_INTERACTIVE_BASE } from "../sandbox/server/auth-routes.js";
import { findProfile, PROFILES, type BrokerProfile } from "../xts/profiles.js";
import type { CliIo } from "./io.js";

export const DEFAULT_SANDBOX_PORT = 8710;

export interface SandboxCommandOptions {
  readonly port: number;
  readonly host: string;
  readonly instruments: number;
  readonly seed?: number;
  readonly referenceDate?: string;
  readonly dealer?: boolean;
  readonly interactiveKey?: string;
  readonly interactiveSecret?: string;
  readonly marketKey?: string;
  readonly marketSecret?: string;
  readonly streamFormat?: "json" | "binary";
  readonly streamInterval?: number;
  readonly profile?: BrokerProfile;
}

function profile(value: string): BrokerProfile {
  const found = findProfile(value.toLowerCase());
  if (found === undefined) throw new InvalidArgumentError(`must be one of ${PROFILES.map((p) => p.name).join(", ")}`);
  return found;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError("must be a port number 0-65535 (0 = any free port)");
  return n;
}

function instruments(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_INSTRUMENTS) throw new InvalidArgumentError(`must be an integer from 1 to ${MAX_INSTRUMENTS}`);
  return n;
}

function streamFormat(value: string): "json" | "binary" {
  if (value !== "json" && value !== "binary") throw new InvalidArgumentError("must be json or binary");
  return value;
}

function streamInterval(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 10 || n > 3_600_000) throw new InvalidArgumentError("must be milliseconds from 10 to 3600000");
  return n;
}

function seed(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("must be an integer");
  return n;
}

function referenceDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError("must be a date YYYY-MM-DD");
  }
  return value;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function banner(sandbox: Sandbox, startedMs: number): string {
  const { url, master, options } = sandbox;
  // `export` lines, so pasting them into a shell sets them for the commands run after; the same
  // lines work in a .env file (xtsbridge reads ./.env at start-up).
  const env = [
    `export JAINAM_SERVER=${url}`,
    `export JAINAM_INTERACTIVE_API_KEY=${options.interactiveKey}`,
    `export JAINAM_INTERACTIVE_API_SECRET=${options.interactiveSecret}`,
    `export JAINAM_MARKET_API_KEY=${options.marketKey}`,
    `export JAINAM_MARKET_API_SECRET=${options.marketSecret}`,
    ...(options.dealer ? ["export JAINAM_CLIENT_ID=CLIENT1"] : []),
    ...(options.profile.name === "jainam_prop" ? [] : [`export XTSBRIDGE_PROFILE=${options.profile.name}`]),
    ...(options.profile.login.mode === "access-token" ? [`export JAINAM_ACCESS_TOKEN=${options.accessToken}`] : []),
  ];
  const lines = [
    `xtsbridge sandbox: XTS-protocol server on ${url}, as ${options.profile.name} (${options.profile.segments.join(", ")})`,
    `  ${master.instruments.length.toLocaleString("en-US")} instruments, seed ${master.seed}, reference date ${master.referenceDate}, ${options.dealer ? "dealer login (clientCodes CLIENT1, CLIENT2)" : "investor login"}; started in ${startedMs} ms`,
    "",
    `  hostlookup    POST ${url}/hostlookup  (connection string ${url}${HOSTLOOKUP_INTERACTIVE_BASE})`,
    `  interactive   ${url}/interactive`,
    `  market data   ${url}${options.profile.marketDataRoot}`,
    `  sockets       ${url}${options.profile.marketSocketRoot}/socket.io (${options.streamFormat === "binary" ? "binary frames" : "JSON events"}, every ${options.streamIntervalMs} ms), ${url}/interactive/socket.io`,
    `  control       ${url}/_sandbox/{faults,requests,orders,price,expire-sessions,reset,streams}  (see docs/sandbox.md)`,
    "",
    "Demo credentials (sandbox only):",
    `  interactive  appKey ${options.interactiveKey}  secretKey ${options.interactiveSecret}`,
    `  market data  appKey ${options.marketKey}  secretKey ${options.marketSecret}`,
    "",
    "Environment for xtsbridge against this sandbox (paste into another shell, or save as .env where you run xtsbridge):",
    ...env,
    "",
    "Stop with Ctrl+C.",
    "",
  ];
  return lines.join("\n");
}

/** Runs the sandbox until `stop` resolves; prints the banner when listening. */
export async function runSandbox(options: SandboxCommandOptions, io: CliIo, stop: () => Promise<unknown> = untilSignal): Promise<void> {
  if (!LOOPBACK.has(options.host)) {
    io.err(`warning: --host ${options.host} is not loopback; the control routes (/_sandbox) have no authentication\n`);
  }
  const started = performance.now();
  const sandboxOptions: SandboxOptions = {
    port: options.port,
    host: options.host,
    instruments: options.instruments,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.referenceDate === undefined ? {} : { referenceDate: options.referenceDate }),
    dealer: options.dealer === true,
    ...(options.interactiveKey === undefined ? {} : { interactiveKey: options.interactiveKey }),
    ...(options.interactiveSecret === undefined ? {} : { interactiveSecret: options.interactiveSecret }),
    ...(options.marketKey === undefined ? {} : { marketKey: options.marketKey }),
    ...(options.marketSecret === undefined ? {} : { marketSecret: options.marketSecret }),
    ...(options.streamFormat === undefined ? {} : { streamFormat: options.streamFormat }),
    ...(options.streamInterval === undefined ? {} : { streamIntervalMs: options.streamInterval }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  };
  // Loaded here, not with the CLI: its HTTP and socket servers cost every other command ~30 ms to import.
  const { createSandbox } = await import("../sandbox/create-sandbox.js");
  const sandbox = await createSandbox(sandboxOptions);
  io.out(banner(sandbox, Math.round(performance.now() - started)));
  const signal = await stop();
  await sandbox.close();
  io.out(`sandbox stopped${typeof signal === "string" ? ` (${signal})` : ""}\n`);
}

export function addSandboxCommand(program: Command, io: CliIo): void {
  program
    .command("sandbox")
    .description("run the sandbox XTS server on loopback: hostlookup, interactive and market-data APIs with a generated master, fault injection under /_sandbox")
    .option("--port <n>", "port to listen on (0 = any free port)", port, DEFAULT_SANDBOX_PORT)
    .option("--host <host>", "address to bind", SANDBOX_DEFAULTS.host)
    .option("--instruments <n>", "instruments to generate across all segments", instruments, DEFAULT_INSTRUMENTS)
    .option("--seed <s>", "generator seed (same seed, same master)", seed)
    .option("--reference-date <date>", "YYYY-MM-DD the expiries are laid out from (default: today in India)", referenceDate)
    .option("--dealer", "dealer (Pro) login: isInvestorClient false, clientCodes CLIENT1 and CLIENT2, clientID required")
    .option("--interactive-key <key>", "interactive appKey to accept", SANDBOX_DEFAULTS.interactiveKey)
    .option("--interactive-secret <secret>", "interactive secretKey to accept", SANDBOX_DEFAULTS.interactiveSecret)
    .option("--market-key <key>", "market-data appKey to accept", SANDBOX_DEFAULTS.marketKey)
    .option("--market-secret <secret>", "market-data secretKey to accept", SANDBOX_DEFAULTS.marketSecret)
    .option("--stream-format <format>", "market data on the socket: json ({code}-json-full events) or binary (xts-binary-packet frames)", streamFormat)
    .option("--stream-interval <ms>", "how often every subscribed quote is re-sent on the socket (price moves are sent at once)", streamInterval)
    .option("--profile <name>", `the XTS broker to impersonate: its market-data roots and master segments (${PROFILES.map((p) => p.name).join(", ")})`, profile)
    .addHelpText("after", "\nExample: xtsbridge sandbox --port 8710 --instruments 3000 --dealer --stream-format binary\n         xtsbridge sandbox --profile iifl   (then XTSBRIDGE_PROFILE=iifl for the gateway)")
    .action(async (options: SandboxCommandOptions) => {
      await runSandbox(options, io);
    });
}
