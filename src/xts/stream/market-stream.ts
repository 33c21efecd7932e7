import type { Logger } from "../../logger.js";
import type { XtsMarketDataClient } from "../client/market-client.js";
import { QUOTES_PER_REQUEST } from "../client/market-client.js";
import { ResultShapeError } from "../client/record-reader.js";
import { BinaryFrameError, decodeBinaryFrame } from "./binary-packet.js";
import { parseJsonTick } from "./json-events.js";
import { LinkedStream, SocketLink, type LinkStatus, type SocketLinkOptions } from "./socket-link.js";
import { STREAM_CODES, type XtsStreamCode, type XtsTick } from "./ticks.js";

export interface StreamInstrument {
  readonly segment: number;
  readonly token: number;
  readonly code: XtsStreamCode;
}

export interface MarketStreamStatus extends LinkStatus {
  /** Instrument × message-code subscriptions wanted at XTS. */
  readonly subscriptions: number;
  /** Payloads or frames that could not be read (logged, never passed on as a guess). */
  readonly rejectedPayloads: number;
  /** Binary packets of codes the decoder does not read. */
  readonly skippedPackets: number;
}

const keyOf = (i: StreamInstrument): string => `${i.segment}:${i.token}:${i.code}`;

function groupByCode(list: Iterable<StreamInstrument>): Map<XtsStreamCode, StreamInstrument[]> {
  const byCode = new Map<XtsStreamCode, StreamInstrument[]>();
  for (const item of list) {
    const group = byCode.get(item.code) ?? [];
    group.push(item);
    byCode.set(item.code, group);
  }
  return byCode;
}

/**
 * The XTS market-data socket with the subscriptions that should be on it. `subscribe` and
 * `unsubscribe` keep the wanted set and tell XTS over REST (50 instruments a request); every
 * (re)connect subscribes the whole set again, so a dropped socket comes back with everything it
 * had. Ticks arrive as `{code}-json-full` events or `xts-binary-packet` frames; both become the
 * same typed ticks.
 */
export class XtsMarketStream extends LinkedStream {
  private readonly wanted = new Map<string, StreamInstrument>();
  protected readonly link: SocketLink;
  private rejected = 0;
  private skipped = 0;

  constructor(
    private readonly client: XtsMarketDataClient,
    private readonly onTick: (tick: XtsTick) => void,
    private readonly logger: Logger,
    options: Partial<Pick<SocketLinkOptions, "baseDelayMs" | "maxDelayMs" | "random" | "onState">> = {},
  ) {
    super();
    const events: Record<string, (data: unknown) => void> = {};
    for (const code of STREAM_CODES) events[`${code}-json-full`] = (data) => this.json(code, data);
    events["xts-binary-packet"] = (data) => this.binary(data);
    this.link = new SocketLink({
      ...options,
      name: "market",
      endpoint: () => client.streamEndpoint(),
      onConnect: () => this.resubscribe(),
      events,
      logger,
    });
  }

  status(): MarketStreamStatus {
    return { ...this.link.state, subscriptions: this.wanted.size, rejectedPayloads: this.rejected, skippedPackets: this.skipped };
  }

  /** Wants these; tells XTS now when connected (errors reach the caller), else on connecting. */
  async subscribe(list: readonly StreamInstrument[]): Promise<void> {
    const fresh = list.filter((i) => !this.wanted.has(keyOf(i)));
    for (const item of fresh) this.wanted.set(keyOf(item), item);
    if (!this.connected || fresh.length === 0) return;
    try {
      await this.send("subscribe", fresh);
    } catch (error) {
      for (const item of fresh) this.wanted.delete(keyOf(item));
      throw error;
    }
  }

  async unsubscribe(list: readonly StreamInstrument[]): Promise<void> {
    const gone = list.filter((i) => this.wanted.delete(keyOf(i)));
    if (!this.connected || gone.length === 0) return;
    await this.send("unsubscribe", gone);
  }

  private async resubscribe(): Promise<void> {
    if (this.wanted.size === 0) return;
    await this.send("subscribe", [...this.wanted.values()]);
    this.logger.info({ subscriptions: this.wanted.size }, "market-data subscriptions restored on the socket");
  }

  private async send(verb: "subscribe" | "unsubscribe", list: readonly StreamInstrument[]): Promise<void> {
    for (const [code, group] of groupByCode(list)) {
      for (let i = 0; i < group.length; i += QUOTES_PER_REQUEST) {
        const instruments = group.slice(i, i + QUOTES_PER_REQUEST).map((item) => ({ exchangeSegment: item.segment, exchangeInstrumentID: item.token }));
        await this.client[verb](instruments, code);
      }
    }
  }

  private json(code: XtsStreamCode, data: unknown): void {
    let tick: XtsTick;
    try {
      tick = parseJsonTick(code, data);
    } catch (error) {
      if (!(error instanceof ResultShapeError)) throw error;
      this.reject(`${code}-json-full`, error.message);
      return;
    }
    this.onTick(tick);
  }

  private binary(data: unknown): void {
    const frame = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
    if (frame === null) {
      this.reject("xts-binary-packet", `payload is ${typeof data}, not bytes`);
      return;
    }
    let decoded;
    try {
      decoded = decodeBinaryFrame(frame);
    } catch (error) {
      if (!(error instanceof BinaryFrameError)) throw error;
      this.reject("xts-binary-packet", error.message);
      return;
    }
    this.skipped += decoded.skipped;
    for (const tick of decoded.ticks) this.onTick(tick);
  }

  private reject(event: string, problem: string): void {
    this.rejected += 1;
    // The first few in full, then every hundredth: a broken feed must not flood the log.
    if (this.rejected <= 5 || this.rejected % 100 === 0) this.logger.warn({ event, problem, rejected: this.rejected }, "an XTS market-data payload could not be read and was dropped");
  }
}
