import { inspect } from "node:util";

/**
 * A credential that cannot leak by accident: JSON.stringify, util.inspect, pino and template
 * strings all see "[redacted]"; only `reveal()` gives the value, at the one place that sends it.
 * The value sits in a private field, which neither enumeration nor inspection reaches.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "Secret([redacted])";
  }
}

/** `auto`: try hostlookup, fall back to direct login; `on`: hostlookup only; `off`: direct only. */
export type HostlookupMode = "auto" | "on" | "off";

/** How to reach Jainam Prop's XTS servers (xts-protocol.md §1), built once by src/config.ts. */
export interface JainamConfig {
  /** Origin (and optional path prefix) without a trailing slash, e.g. https://smpb.jainam.in:4143. */
  readonly server: string;
  readonly interactiveApiKey: Secret;
  readonly interactiveApiSecret: Secret;
  readonly marketApiKey: Secret;
  readonly marketApiSecret: Secret;
  /** Dealer logins send this as clientID; null means `clientCodes[0]` from the login. */
  readonly clientId: string | null;
  readonly hostlookup: HostlookupMode;
  readonly hostlookupUrl: string;
  /** Market-data root path, e.g. /apibinarymarketdata (the only one Jainam Prop serves, §1.2). */
  readonly marketDataRoot: string;
  /** Where the market-data socket.io server is: `{server}{marketSocketRoot}/socket.io` (the broker profile's; most serve it under the REST root). */
  readonly marketSocketRoot: string;
  /**
   * For an OAuth-style broker (profile login `access-token`): the access token its web login handed
   * out, sent with the key and secret in the interactive login; null for the others.
   */
  readonly accessToken: Secret | null;
}
