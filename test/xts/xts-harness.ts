import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { generateMaster, type GeneratedInstrument, type GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import type { SandboxOptions } from "../../src/sandbox/sandbox-options.js";
import type { RecordedRequest } from "../../src/sandbox/server/request-log.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { XtsBridgeError } from "../../src/errors.js";
import { createXtsClient, fetchTransport, Secret, undiciTransport, type FetchFunction, type Transport, type JainamConfig, type XtsClient, type XtsTimeouts } from "../../src/xts/client/index.js";
import type { XtsPlaceOrderRequest } from "../../src/xts/client/types.js";
import { late } from "../support/late.js";
import { xtsOrder } from "../support/xts-orders.js";

/** The sandbox's default credentials (src/sandbox/sandbox-options.ts). */
export const SECRETS = ["sandbox-interactive-key", "sandbox-interactive-secret", "sandbox-market-key", "sandbox-market-secret"] as const;

let sharedMaster: GeneratedMaster | undefined;

/** Generating the master is the slow part of starting a sandbox: one per test file. */
export function master(): GeneratedMaster {
  sharedMaster ??= generateMaster({ seed: 11, instruments: 3000, referenceDate: "2025-06-02" });
  return sharedMaster;
}

export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({ port: 0, master: master(), ...options });
}

export function jainamFor(sandbox: Sandbox, overrides: Partial<JainamConfig> = {}): JainamConfig {
  return {
    server: sandbox.url,
    interactiveApiKey: new Secret(SECRETS[0]),
    interactiveApiSecret: new Secret(SECRETS[1]),
    marketApiKey: new Secret(SECRETS[2]),
    marketApiSecret: new Secret(SECRETS[3]),
    clientId: null,
    hostlookup: "auto",
    hostlookupUrl: `${sandbox.url}/hostlookup`,
    marketDataRoot: "/apibinarymarketdata",
    marketSocketRoot: overrides.marketDataRoot ?? "/apibinarymarketdata",
    accessToken: null,
    ...overrides,
  };
}

export interface Harness {
  readonly client: XtsClient;
  /** Backoff delays the client asked for; nothing actually sleeps. */
  readonly delays: number[];
  /** Every Authorization value the client sent, to prove none reaches a log. */
  readonly tokensSent: Set<string>;
  /** Everything logged, as written (JSON lines). */
  logText(): string;
}

export function harness(
  sandbox: Sandbox,
  options: { jainam?: Partial<JainamConfig>; timeouts?: Partial<XtsTimeouts>; maxAttempts?: number; fetch?: FetchFunction } = {},
): Harness {
  const delays: number[] = [];
  const tokensSent = new Set<string>();
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  const logger: Logger = createLogger({ level: "trace", destination });
  // The production transport unless a test rewrites exchanges with its own fetch.
  const inner = options.fetch === undefined ? undiciTransport() : fetchTransport(options.fetch);
  const recording: Transport = (url, init) => {
    const authorization = init.headers["Authorization"];
    if (authorization !== undefined) tokensSent.add(authorization);
    return inner(url, init);
  };
  const client = createXtsClient({
    jainam: jainamFor(sandbox, options.jainam),
    logger,
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
    retry: {
      maxAttempts: options.maxAttempts ?? 3,
      delay: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
    },
    transport: recording,
  });
  return { client, delays, tokensSent, logText: () => lines.join("") };
}

export function requestsTo(sandbox: Sandbox, method: string, path: string): RecordedRequest[] {
  return sandbox.control.requests().filter((request) => request.method === method && request.path === path);
}

export function logins(sandbox: Sandbox): number {
  return requestsTo(sandbox, "POST", "/user/session").length;
}

export async function caught(promise: Promise<unknown>): Promise<XtsBridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof XtsBridgeError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

export async function collect(chunks: AsyncIterable<string>): Promise<{ text: string; chunks: number; error?: XtsBridgeError }> {
  const parts: string[] = [];
  try {
    for await (const chunk of chunks) parts.push(chunk);
  } catch (error) {
    if (!(error instanceof XtsBridgeError)) throw error;
    return { text: parts.join(""), chunks: parts.length, error };
  }
  return { text: parts.join(""), chunks: parts.length };
}

/** Asserts that no secret and no session token appears in any log line or error text. */
export function expectNoSecrets(h: Harness, errors: readonly XtsBridgeError[] = []): void {
  const texts = [h.logText(), ...errors.map((error) => `${error.message} ${JSON.stringify(error.details)} ${String(error.cause)}`)];
  for (const text of texts) {
    for (const secret of [...SECRETS, ...h.tokensSent]) expect(text).not.toContain(secret);
  }
}

export function cashStock(): GeneratedInstrument {
  const found = master().instruments.find((i) => i.segment === "NSECM" && i.kind === "cash" && i.priceBandHigh !== null && i.lotSize === 1);
  if (found === undefined) throw new Error("no NSECM cash instrument in the sandbox master");
  return found;
}

export function marketOrder(instrument: GeneratedInstrument, tag: string, side: "BUY" | "SELL" = "BUY"): XtsPlaceOrderRequest {
  return xtsOrder(instrument, tag, { orderSide: side });
}

/** A buy limit ten ticks under the market: it rests, so it can be modified and cancelled. */
export function restingOrder(sandbox: Sandbox, instrument: GeneratedInstrument, tag: string): XtsPlaceOrderRequest {
  const ltp = sandbox.control.price(instrument.segment, instrument.token);
  const price = Number((Math.round((ltp - 10 * instrument.tickSize) / instrument.tickSize) * instrument.tickSize).toFixed(4));
  return { ...marketOrder(instrument, tag), orderType: "LIMIT", limitPrice: price };
}

export function ordersTagged(sandbox: Sandbox, tag: string) {
  return sandbox.control.orders().filter((order) => order.OrderUniqueIdentifier === tag);
}

/**
 * The sandbox and client harness of one test file or describe block: started before its tests
 * (logged in when `login`), checked for leaked secrets and closed after them, with faults,
 * recorded requests and recorded retry delays cleared before each test.
 */
export function xtsFixture(options: { sandbox?: Parameters<typeof startSandbox>[0]; harness?: Parameters<typeof harness>[1]; login?: boolean } = {}): { sandbox: Sandbox; h: Harness } {
  let sandbox: Sandbox | undefined;
  let h: Harness | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options.sandbox);
    h = harness(sandbox, options.harness);
    if (options.login === true) await h.client.interactive.login();
  });
  afterAll(async () => {
    if (h !== undefined) expectNoSecrets(h);
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox?.control.clearFaults();
    sandbox?.control.clearRequests();
    if (h !== undefined) h.delays.length = 0;
  });
  return { sandbox: late("the sandbox", () => sandbox), h: late("the XTS harness", () => h) };
}
