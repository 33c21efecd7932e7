import type { Logger } from "../../logger.js";
import type { XtsInteractiveClient } from "../client/interactive-client.js";
import { ResultShapeError } from "../client/record-reader.js";
import { parseOrderBook, parseTradeBook } from "../client/results.js";
import type { XtsOrderBookEntry, XtsTradeBookEntry } from "../client/types.js";
import { LinkedStream, SocketLink, type LinkStatus, type SocketLinkOptions } from "./socket-link.js";

export interface InteractiveHandlers {
  onOrder(entry: XtsOrderBookEntry): void;
  onTrade(entry: XtsTradeBookEntry): void;
  /** Runs on every (re)connect: the events missed while down are only in the REST books. */
  onConnect(): Promise<void>;
}

export interface InteractiveStreamStatus extends LinkStatus {
  readonly rejectedPayloads: number;
}

function parsed(data: unknown, what: string): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    throw new ResultShapeError(`${what} event is not valid JSON`);
  }
}

/**
 * The XTS interactive socket: `order` and `trade` events (JSON strings shaped like order-book and
 * trade-book rows, streaming-and-market-data.md §3), read with the same typed parse as the REST
 * books so an event and a book row can never disagree about a field.
 */
export class XtsInteractiveStream extends LinkedStream {
  protected readonly link: SocketLink;
  private rejected = 0;

  constructor(
    client: XtsInteractiveClient,
    handlers: InteractiveHandlers,
    private readonly logger: Logger,
    options: Partial<Pick<SocketLinkOptions, "baseDelayMs" | "maxDelayMs" | "random" | "onState">> = {},
  ) {
    super();
    this.link = new SocketLink({
      ...options,
      name: "interactive",
      endpoint: () => client.streamEndpoint(),
      onConnect: () => handlers.onConnect(),
      events: {
        order: (data) => this.read("order", () => handlers.onOrder(parseOrderBook([parsed(data, "order")])[0]!)),
        trade: (data) => this.read("trade", () => handlers.onTrade(parseTradeBook([parsed(data, "trade")])[0]!)),
      },
      logger,
    });
  }

  status(): InteractiveStreamStatus {
    return { ...this.link.state, rejectedPayloads: this.rejected };
  }

  private read(event: string, use: () => void): void {
    try {
      use();
    } catch (error) {
      if (!(error instanceof ResultShapeError)) throw error;
      this.rejected += 1;
      this.logger.warn({ event, problem: error.message }, "an XTS interactive event could not be read and was dropped");
    }
  }
}
