import { inflateRawSync } from "node:zlib";
import type { XtsLevel, XtsTick, XtsTickTouchline } from "./ticks.js";

/**
 * Decoder of the `xts-binary-packet` frames XTS sends on `/apibinarymarketdata` (layout from
 * Symphony's binary market-data SDK; streaming-and-market-data.md §2). All little-endian.
 *
 * A frame is a run of packets, each:
 *   int8 isCompressed, uint16 messageCode, int16 segment, int32 instrumentID, int16 bookType,
 *   int16 marketType, uint16 uncompressedSize, [uint16 compressedSize when compressed],
 *   then the message: `uncompressedSize` bytes, or `compressedSize` bytes of raw deflate.
 * A message starts with its own header:
 *   uint16 code, uint16 version, uint16 applicationType, uint64 tokenID, [uint64 sequence when
 *   version ≥ 4], 4 reserved bytes, uint16 segment, int32 instrumentID, uint64 exchangeTimestamp.
 *
 * Where the sources disagree (the 4 reserved bytes: the JS SDK always skips them, the Python SDK
 * only for version ≥ 4) the packet header settles it: the message must name the same segment and
 * instrument as its packet header, and only a reading that does is accepted. Nothing is guessed:
 * a frame that fits neither reading is an error naming the packet and the offset.
 */
export class BinaryFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BinaryFrameError";
  }
}

export interface DecodedFrame {
  readonly ticks: XtsTick[];
  /** Packets of message codes this decoder does not read (1105, 5018, …), counted, not failed. */
  readonly skipped: number;
}

const PACKET_HEADER = 15;

class Reader {
  offset: number;
  constructor(
    private readonly view: DataView,
    start: number,
    private readonly what: string,
  ) {
    this.offset = start;
  }

  private need(bytes: number): number {
    const at = this.offset;
    if (at + bytes > this.view.byteLength) {
      throw new BinaryFrameError(`${this.what}: needs ${bytes} more bytes at offset ${at}, the message has ${this.view.byteLength}`);
    }
    this.offset += bytes;
    return at;
  }

  i8(): number { return this.view.getInt8(this.need(1)); }
  u16(): number { return this.view.getUint16(this.need(2), true); }
  i16(): number { return this.view.getInt16(this.need(2), true); }
  i32(): number { return this.view.getInt32(this.need(4), true); }
  u32(): number { return this.view.getUint32(this.need(4), true); }
  f64(): number { return this.view.getFloat64(this.need(8), true); }
  /** A uint64 that must fit a JavaScript number (times, ids); larger is an error, never a rounded value. */
  u64(field: string): number {
    const value = this.view.getBigUint64(this.need(8), true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new BinaryFrameError(`${this.what}: ${field} ${value} does not fit a safe integer`);
    return Number(value);
  }
  skip(bytes: number): void { this.need(bytes); }
}

function level(r: Reader): XtsLevel {
  const size = r.i32();
  const price = r.f64();
  const orders = r.i32();
  r.u16(); // buy-back market maker
  return { price, size, orders };
}

function touchline(r: Reader): XtsTickTouchline {
  const bid = level(r);
  const ask = level(r);
  r.u64("LastUpdateTime");
  const ltp = r.f64();
  const ltq = r.i32();
  const totalBuyQuantity = r.u32();
  const totalSellQuantity = r.u32();
  const volume = r.u32();
  const averagePrice = r.f64();
  const ltt = r.u64("LastTradedTime");
  r.f64(); // percent change: derived from ltp and close where it is shown
  const open = r.f64();
  const high = r.f64();
  const low = r.f64();
  const close = r.f64();
  r.f64(); // total value traded
  r.u16(); // buy-back totals
  r.u16();
  return { ltp, ltq, ltt, volume, averagePrice, open, high, low, close, totalBuyQuantity, totalSellQuantity, bid, ask };
}

/** The message header; null when its segment and instrument are not the packet's (a wrong reading of the reserved bytes). */
function messageHeader(r: Reader, skipReserved: (version: number) => boolean, segment: number, token: number): boolean {
  r.u16(); // message code (the packet header's is used)
  const version = r.u16();
  r.u16(); // application type
  r.u64("TokenID");
  if (version >= 4) r.u64("SequenceNumber");
  if (skipReserved(version)) r.skip(4);
  const messageSegment = r.u16();
  const messageToken = r.i32();
  r.u64("ExchangeTimeStamp");
  return messageSegment === segment && messageToken === token;
}

function body(code: number, r: Reader, segment: number, token: number): XtsTick {
  if (code === 1501) {
    const t = touchline(r);
    return { code: 1501, segment, token, touchline: t };
  }
  if (code === 1502) {
    const bidCount = r.i32();
    if (bidCount < 0 || bidCount > 100) throw new BinaryFrameError(`packet ${segment}:${token}: bid count ${bidCount} is not 0–100`);
    const bids = Array.from({ length: bidCount }, () => level(r));
    const askCount = r.i32();
    if (askCount < 0 || askCount > 100) throw new BinaryFrameError(`packet ${segment}:${token}: ask count ${askCount} is not 0–100`);
    const asks = Array.from({ length: askCount }, () => level(r));
    return { code: 1502, segment, token, touchline: touchline(r), bids, asks };
  }
  // 1510 open interest.
  r.i16(); // market type
  const openInterest = r.i32();
  return { code: 1510, segment, token, openInterest };
}

const READINGS: readonly ((version: number) => boolean)[] = [() => true, (version) => version >= 4, () => false];

function decodeMessage(code: number, message: Uint8Array, segment: number, token: number, where: string): XtsTick {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  for (const skipReserved of READINGS) {
    const r = new Reader(view, 0, where);
    let matches: boolean;
    try {
      matches = messageHeader(r, skipReserved, segment, token);
    } catch (error) {
      if (!(error instanceof BinaryFrameError)) throw error;
      continue;
    }
    // The reading whose header names the packet's instrument is the layout: its body errors are real.
    if (matches) return body(code, r, segment, token);
  }
  throw new BinaryFrameError(`${where}: the message header does not name instrument ${segment}:${token} under any known layout`);
}

const DECODED_CODES: ReadonlySet<number> = new Set([1501, 1502, 1510]);

/** Every tick of one frame, in order. A damaged packet fails the frame: its packet boundaries can no longer be trusted. */
export function decodeBinaryFrame(frame: Uint8Array): DecodedFrame {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const ticks: XtsTick[] = [];
  let skipped = 0;
  let offset = 0;
  let index = 0;
  while (offset < frame.byteLength) {
    const header = new Reader(view, offset, `frame packet ${index}`);
    const compressed = header.i8() !== 0;
    const code = header.u16();
    const segment = header.i16();
    const token = header.i32();
    header.i16(); // book type
    header.i16(); // market type
    const size = header.u16();
    const stored = compressed ? header.u16() : size;
    const start = header.offset;
    if (start + stored > frame.byteLength) {
      throw new BinaryFrameError(`frame packet ${index} (${code} ${segment}:${token}) claims ${stored} bytes at offset ${start}; the frame has ${frame.byteLength}`);
    }
    const where = `frame packet ${index} (${code} ${segment}:${token})`;
    if (DECODED_CODES.has(code)) {
      let message = frame.subarray(start, start + stored);
      if (compressed) {
        try {
          message = inflateRawSync(message);
        } catch (error) {
          throw new BinaryFrameError(`${where}: raw deflate failed (${(error as Error).message})`);
        }
        if (message.byteLength !== size) throw new BinaryFrameError(`${where}: inflated to ${message.byteLength} bytes, the header says ${size}`);
      }
      ticks.push(decodeMessage(code, message, segment, token, where));
    } else {
      skipped += 1;
    }
    offset = start + stored;
    index += 1;
  }
  if (index === 0) throw new BinaryFrameError(`an empty frame (${PACKET_HEADER}+ bytes expected)`);
  return { ticks, skipped };
}
