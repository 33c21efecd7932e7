import type { MasterSegment } from "./segments.js";

/**
 * One XTS broker as data: where its servers are, which roots it serves, how it logs in, which
 * segments its master has, and its few quirks. Everything else about XTS is the same for every
 * broker, so adding one is one entry here and its tests (docs/profiles.md says where each value
 * comes from). A field named in `unverified` was taken from OpenAlgo's plugin or the broker's public
 * page and has not been seen answering; the gateway uses it all the same, and says so in
 * `xtsbridge profiles`.
 */
export interface BrokerProfile {
  /** The `broker` column of every table, and XTSBRIDGE_PROFILE's value. */
  readonly name: string;
  readonly title: string;
  /** Named servers (JAINAM_SERVER may name one); a profile with one server uses it by default. */
  readonly servers: Readonly<Record<string, string>>;
  readonly defaultServer: string | null;
  /** The interactive API under `{server}{interactiveRoot}`. */
  readonly interactiveRoot: string;
  /** The market-data REST API under `{server}{marketDataRoot}`. */
  readonly marketDataRoot: string;
  /** The market-data socket.io server's root: its path is `{marketSocketRoot}/socket.io`. */
  readonly marketSocketRoot: string;
  readonly login: {
    /** `key-secret`: app key and secret log in (interactive `source` WEBAPI); `access-token`: the broker's OAuth gives a token the user supplies. */
    readonly mode: "key-secret" | "access-token";
    /** Whether the broker runs Symphony's hostlookup before the interactive login (`auto` tries it, then logs in directly). */
    readonly hostlookup: "auto" | "on" | "off";
    /** Where hostlookup answers when not at `{server}/hostlookup`. */
    readonly hostlookupUrl: string | null;
  };
  /** Segments its master serves, in download order; `optionalSegments` may come back empty. */
  readonly segments: readonly MasterSegment[];
  readonly optionalSegments: readonly MasterSegment[];
  /** XTS index lists (exchange segment codes) downloaded before the segments. */
  readonly indexLists: readonly (1 | 11)[];
  /** The market-data message code behind OpenAlgo's LTP mode. */
  readonly ltpCode: 1501 | 1512;
  /** The `/user/balance` entry read for funds. */
  readonly fundsEntry: "ALL|ALL|ALL";
  /** Whether `POST /orders/margindetails` answers (OpenAlgo's /margin). */
  readonly margin: boolean;
  /** Dealer (Pro) logins send `clientID`: the login's first client code unless JAINAM_CLIENT_ID names one. */
  readonly dealerClientId: "first-client-code";
  /** MARKET orders go out as MARKET (never turned into a LIMIT the trader did not ask for). */
  readonly marketOrders: "market";
  /** Fields not yet seen answering from the broker (see the type's comment). */
  readonly unverified: readonly (keyof BrokerProfile)[];
  /** Where the values come from. */
  readonly sources: readonly string[];
}

const ALL_SEGMENTS: readonly MasterSegment[] = ["NSECM", "NSEFO", "NSECD", "BSECM", "BSEFO", "MCXFO"];
const SPEC = "OpenAlgo's XTS plugin for this broker (marketcalls/openalgo, broker/), as collected in the project's streaming and market-data notes §5";

type Entry = Pick<BrokerProfile, "name" | "title" | "segments" | "unverified" | "sources"> & Partial<BrokerProfile> & { readonly server?: string };

/**
 * A profile from what sets it apart; the rest is what most XTS brokers do: one server (the
 * default), market data and its socket under /apimarketdata, a key-and-secret login without
 * hostlookup, no optional segments, no margin calculator, LTP on 1501, funds from ALL|ALL|ALL.
 */
function broker(entry: Entry): BrokerProfile {
  const { server, ...rest } = entry;
  const marketDataRoot = entry.marketDataRoot ?? "/apimarketdata";
  return {
    servers: server === undefined ? {} : { default: server },
    defaultServer: server === undefined ? null : "default",
    interactiveRoot: "/interactive",
    marketDataRoot,
    marketSocketRoot: marketDataRoot,
    login: { mode: "key-secret", hostlookup: "off", hostlookupUrl: null },
    optionalSegments: [],
    indexLists: [1, 11],
    ltpCode: 1501,
    fundsEntry: "ALL|ALL|ALL",
    margin: false,
    dealerClientId: "first-client-code",
    marketOrders: "market",
    ...rest,
  };
}

export const PROFILES: readonly BrokerProfile[] = [
  broker({
    name: "jainam_prop",
    title: "Jainam Prop (Symphony XTS, servers A/B/C)",
    servers: { A: "https://smpa.jainam.in:6543", B: "https://smpb.jainam.in:4143", C: "https://smpc.jainam.in:14543" },
    // Jainam Prop serves market data only under /apibinarymarketdata; /apimarketdata is an nginx 404.
    marketDataRoot: "/apibinarymarketdata",
    marketSocketRoot: "/apibinarymarketdata",
    login: { mode: "key-secret", hostlookup: "auto", hostlookupUrl: null },
    segments: ALL_SEGMENTS,
    // Served empty to Prop accounts.
    optionalSegments: ["NSECD", "MCXFO"],
    unverified: [],
    sources: ["live captures on Jainam Prop, as collected in the project's XTS protocol notes §1–§2"],
  }),
  broker({
    name: "jainam_retail",
    title: "Jainam retail (jtrade)",
    server: "https://jtrade.jainam.in:5000",
    marketDataRoot: "/apibinarymarketdata",
    marketSocketRoot: "/apibinarymarketdata",
    segments: ["NSECM", "NSEFO", "BSECM", "BSEFO"],
    unverified: ["segments", "login", "margin"],
    sources: [SPEC, "four segments plus the index lists; which four is not stated: the cash and F&O segments of both exchanges are assumed"],
  }),
  broker({ name: "iifl", title: "IIFL (ttblaze)", server: "https://ttblaze.iifl.com", segments: ALL_SEGMENTS, unverified: ["segments", "margin", "optionalSegments"], sources: [SPEC] }),
  broker({
    name: "compositedge",
    title: "Compositedge",
    server: "https://xts.compositedge.com",
    login: { mode: "access-token", hostlookup: "off", hostlookupUrl: null },
    segments: ALL_SEGMENTS,
    unverified: ["segments", "margin", "login"],
    sources: [SPEC, "OAuth: the access token comes from the broker's web login (xts-protocol.md §1.3)"],
  }),
  broker({
    name: "wisdom",
    title: "Wisdom Capital",
    server: "https://trade.wisdomcapital.in",
    segments: ALL_SEGMENTS,
    unverified: ["segments", "margin", "marketSocketRoot"],
    sources: [SPEC, "OpenAlgo's Wisdom stream never connected, so its socket root is unconfirmed"],
  }),
  broker({
    name: "fivepaisa_xts",
    title: "5paisa XTS",
    // Upstream's URL ends in '/', which doubles the slash of every path; none here.
    server: "https://xtsmum.5paisa.com",
    segments: ["NSECM", "NSEFO", "BSECM", "BSEFO"],
    unverified: ["segments", "margin"],
    sources: [SPEC, "four segments: which four is not stated; the cash and F&O segments of both exchanges are assumed"],
  }),
  broker({
    name: "ibulls",
    title: "Indiabulls Securities (Dhani)",
    server: "https://xts.ibullssecurities.com",
    marketDataRoot: "/apibinarymarketdata",
    marketSocketRoot: "/apimarketdata",
    segments: ["NSECM", "NSEFO", "BSECM", "BSEFO", "MCXFO"],
    unverified: ["marketSocketRoot", "margin"],
    sources: [SPEC, "five segments, no CDS; upstream turns MARKET into LIMIT, which is not done here"],
  }),
  broker({
    name: "rmoney",
    title: "RMoney",
    server: "https://xts.rmoneyindia.co.in:3000",
    marketDataRoot: "/apibinarymarketdata",
    marketSocketRoot: "/apimarketdata",
    login: { mode: "access-token", hostlookup: "auto", hostlookupUrl: "https://xts.rmoneyindia.co.in:4000/hostlookup" },
    segments: ["NSECM", "NSEFO", "BSECM", "BSEFO"],
    margin: true,
    unverified: ["segments", "login"],
    sources: [SPEC, "margin endpoint served; funds from the ALL|ALL|ALL entry; LTP mode subscribes 1501"],
  }),
];

export const DEFAULT_PROFILE = "jainam_prop";

/** The profile named `name`, or undefined. */
export function findProfile(name: string): BrokerProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Checks one profile's data; a list of what is wrong (empty when it is sound). */
export function profileProblems(profile: BrokerProfile): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(profile.name)) problems.push(`name '${profile.name}' must be lower-case letters, digits and '_'`);
  for (const [key, url] of Object.entries(profile.servers)) {
    if (!/^https?:\/\/[^/\s]+$/.test(url)) problems.push(`server ${key} '${url}' must be an origin without a path or trailing slash`);
  }
  if (profile.defaultServer !== null && !(profile.defaultServer in profile.servers)) problems.push(`defaultServer '${profile.defaultServer}' is not one of its servers`);
  for (const [field, root] of [["interactiveRoot", profile.interactiveRoot], ["marketDataRoot", profile.marketDataRoot], ["marketSocketRoot", profile.marketSocketRoot]] as const) {
    if (!/^\/[A-Za-z0-9._~-]+$/.test(root)) problems.push(`${field} '${root}' must be one path segment starting with '/'`);
  }
  if (profile.segments.length === 0) problems.push("segments must name at least one segment");
  for (const s of profile.optionalSegments) if (!profile.segments.includes(s)) problems.push(`optional segment ${s} is not one of its segments`);
  if (new Set(profile.segments).size !== profile.segments.length) problems.push("segments must not repeat");
  return problems;
}
