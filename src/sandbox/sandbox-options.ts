import { DEFAULT_PROFILE, findProfile, type BrokerProfile } from "../xts/profiles.js";
import type { GeneratedMaster } from "./master/master-generator.js";

/** What of a broker profile the sandbox impersonates: its market-data roots and the segments its master serves. */
export type SandboxProfile = Pick<BrokerProfile, "name" | "marketDataRoot" | "marketSocketRoot" | "segments" | "login">;

export interface SandboxOptions {
  /** 0 picks a free port. Default 0. */
  readonly port?: number;
  /** Default 127.0.0.1: the control routes have no authentication, so the sandbox stays on loopback. */
  readonly host?: string;
  /** Instruments to generate when no `master` is given. */
  readonly instruments?: number;
  readonly seed?: number;
  /** YYYY-MM-DD the generated expiries are relative to. */
  readonly referenceDate?: string;
  /** Reuse a prebuilt master (tests share one between sandboxes). */
  readonly master?: GeneratedMaster;
  /** Dealer (Pro) login: isInvestorClient false, clientCodes CLIENT1 and CLIENT2, clientID required. */
  readonly dealer?: boolean;
  readonly interactiveKey?: string;
  readonly interactiveSecret?: string;
  readonly marketKey?: string;
  readonly marketSecret?: string;
  /** Session lifetime; XTS tokens live 24 h (xts-protocol.md §1.6). */
  readonly sessionTtlMs?: number;
  /** Funds each client starts with. Default 10,000,000. */
  readonly openingBalance?: number;
  /** Seed two NSECM holdings for the first client code. Default true. */
  readonly seedHoldings?: boolean;
  /** Requests kept for control.requests(); older ones are dropped. Default 50,000. */
  readonly requestLogCapacity?: number;
  /** The sandbox's clock (sessions, quote times, which bars have happened). Default Date.now. */
  readonly now?: () => number;
  /** OHLC requests allowed a second before a 429, as XTS limits them (about one); unlimited when unset. */
  readonly ohlcPerSecond?: number;
  /** How often the market-data socket sends every subscribed quote (price moves are sent at once too). Default 1000 ms. */
  readonly streamIntervalMs?: number;
  /** `binary`: market data as `xts-binary-packet` frames whatever publishFormat asks, as /apibinarymarketdata may do. Default `json`. */
  readonly streamFormat?: "json" | "binary";
  /** The XTS broker to impersonate (its roots, segments and login). Default Jainam Prop. */
  readonly profile?: SandboxProfile;
  /** The OAuth access token an `access-token` profile's interactive login must carry. */
  readonly accessToken?: string;
}

export interface ResolvedSandboxOptions {
  readonly port: number;
  readonly host: string;
  readonly dealer: boolean;
  readonly interactiveKey: string;
  readonly interactiveSecret: string;
  readonly marketKey: string;
  readonly marketSecret: string;
  readonly sessionTtlMs: number;
  readonly openingBalance: number;
  readonly seedHoldings: boolean;
  readonly requestLogCapacity: number;
  readonly ohlcPerSecond: number | null;
  readonly streamIntervalMs: number;
  readonly streamFormat: "json" | "binary";
  readonly profile: SandboxProfile;
  readonly accessToken: string;
}

export const SANDBOX_DEFAULTS = Object.freeze({
  port: 0,
  host: "127.0.0.1",
  dealer: false,
  interactiveKey: "sandbox-interactive-key",
  interactiveSecret: "sandbox-interactive-secret",
  marketKey: "sandbox-market-key",
  marketSecret: "sandbox-market-secret",
  sessionTtlMs: 24 * 60 * 60 * 1000,
  openingBalance: 10_000_000,
  seedHoldings: true,
  requestLogCapacity: 50_000,
  ohlcPerSecond: null,
  streamIntervalMs: 1000,
  streamFormat: "json",
  profile: findProfile(DEFAULT_PROFILE)!,
  accessToken: "sandbox-access-token",
} satisfies ResolvedSandboxOptions);

export function resolveSandboxOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const resolved: ResolvedSandboxOptions = {
    port: options.port ?? SANDBOX_DEFAULTS.port,
    host: options.host ?? SANDBOX_DEFAULTS.host,
    dealer: options.dealer ?? SANDBOX_DEFAULTS.dealer,
    interactiveKey: options.interactiveKey ?? SANDBOX_DEFAULTS.interactiveKey,
    interactiveSecret: options.interactiveSecret ?? SANDBOX_DEFAULTS.interactiveSecret,
    marketKey: options.marketKey ?? SANDBOX_DEFAULTS.marketKey,
    marketSecret: options.marketSecret ?? SANDBOX_DEFAULTS.marketSecret,
    sessionTtlMs: options.sessionTtlMs ?? SANDBOX_DEFAULTS.sessionTtlMs,
    openingBalance: options.openingBalance ?? SANDBOX_DEFAULTS.openingBalance,
    seedHoldings: options.seedHoldings ?? SANDBOX_DEFAULTS.seedHoldings,
    requestLogCapacity: options.requestLogCapacity ?? SANDBOX_DEFAULTS.requestLogCapacity,
    ohlcPerSecond: options.ohlcPerSecond ?? null,
    streamIntervalMs: options.streamIntervalMs ?? SANDBOX_DEFAULTS.streamIntervalMs,
    streamFormat: options.streamFormat ?? SANDBOX_DEFAULTS.streamFormat,
    profile: options.profile ?? SANDBOX_DEFAULTS.profile,
    accessToken: options.accessToken ?? SANDBOX_DEFAULTS.accessToken,
  };
  if (!(Number.isFinite(resolved.streamIntervalMs) && resolved.streamIntervalMs >= 10)) throw new RangeError(`streamIntervalMs ${resolved.streamIntervalMs} must be at least 10`);
  if (resolved.streamFormat !== "json" && resolved.streamFormat !== "binary") throw new RangeError(`streamFormat ${String(resolved.streamFormat)} must be json or binary`);
  if (resolved.ohlcPerSecond !== null && !(resolved.ohlcPerSecond > 0)) throw new RangeError("ohlcPerSecond must be positive");
  if (!Number.isSafeInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535) throw new RangeError(`port ${resolved.port} must be 0-65535`);
  if (!(resolved.sessionTtlMs > 0)) throw new RangeError("sessionTtlMs must be positive");
  for (const root of [resolved.profile.marketDataRoot, resolved.profile.marketSocketRoot]) {
    if (!/^\/[A-Za-z0-9._~-]+$/.test(root) || root === "/interactive" || root === "/_sandbox") throw new RangeError(`profile root ${root} must be one path segment other than /interactive and /_sandbox`);
  }
  if (resolved.interactiveKey === resolved.marketKey) {
    // Interactive and market-data logins are separate apps with separate keys (xts-protocol.md §1.5).
    throw new RangeError("interactiveKey and marketKey must differ");
  }
  return Object.freeze(resolved);
}
