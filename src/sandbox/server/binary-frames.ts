import { deflateRawSync } from "node:zlib";

/**
 * Encodes quotes as XTS's `xts-binary-packet` frames, written from the layout Symphony's binary
 * market-data SDK reads (streaming-and-market-data.md §2), independently of the gateway's decoder
 * so the two check each other. Little-endian throughout; messages of version 4 carry a sequence
 * number and 4 reserved bytes.
 */
interface Level {
  readonly Size: number;
  readonly Price: number;
  readonly TotalOrders: number;
}

type Payload = Readonly<Record<string, unknown>>;

class Writer {
  private readonly bytes: Buffer;
  private at = 0;
  constructor(size: number) {
    this.bytes = Buffer.alloc(size);
  }
  i8(v: number) { this.at = this.bytes.writeInt8(v, this.at); }
  u16(v: number) { this.at = this.bytes.writeUInt16LE(v, this.at); }
  i16(v: number) { this.at = this.bytes.writeInt16LE(v, this.at); }
  i32(v: number) { this.at = this.bytes.writeInt32LE(v, this.at); }
  u32(v: number) { this.at = this.bytes.writeUInt32LE(v, this.at); }
  f64(v: number) { this.at = this.bytes.writeDoubleLE(v, this.at); }
  u64(v: number) { this.at = this.bytes.writeBigUInt64LE(BigInt(Math.trunc(v)), this.at); }
  zeros(n: number) { this.at += n; }
  done(): Buffer {
    if (this.at !== this.bytes.length) throw new Error(`binary frame writer: wrote ${this.at} of ${this.bytes.length} bytes`);
    return this.bytes;
  }
}

const num = (p: Payload, key: string): number => Number(p[key] ?? 0);

function writeLevel(w: Writer, level: Level | undefined): void {
  w.i32(level?.Size ?? 0);
  w.f64(level?.Price ?? 0);
  w.i32(level?.TotalOrders ?? 0);
  w.u16(0);
}

const HEADER_BYTES = 2 + 2 + 2 + 8 + 8 + 4 + 2 + 4 + 8;
const LEVEL_BYTES = 18;
const TOUCHLINE_BYTES = 2 * LEVEL_BYTES + 8 + 8 + 4 + 4 + 4 + 4 + 8 + 8 + 8 * 6 + 2 + 2;

function writeHeader(w: Writer, code: number, p: Payload, sequence: number): void {
  w.u16(code);
  w.u16(4);
  w.u16(0);
  w.u64(0);
  w.u64(sequence);
  w.zeros(4);
  w.u16(num(p, "ExchangeSegment"));
  w.i32(num(p, "ExchangeInstrumentID"));
  w.u64(num(p, "ExchangeTimeStamp"));
}

function writeTouchline(w: Writer, t: Payload): void {
  writeLevel(w, t["BidInfo"] as Level | undefined);
  writeLevel(w, t["AskInfo"] as Level | undefined);
  w.u64(num(t, "LastUpdateTime"));
  w.f64(num(t, "LastTradedPrice"));
  w.i32(num(t, "LastTradedQuantity"));
  w.u32(num(t, "TotalBuyQuantity"));
  w.u32(num(t, "TotalSellQuantity"));
  w.u32(num(t, "TotalTradedQuantity"));
  w.f64(num(t, "AverageTradedPrice"));
  w.u64(num(t, "LastTradedTime"));
  w.f64(num(t, "PercentChange"));
  w.f64(num(t, "Open"));
  w.f64(num(t, "High"));
  w.f64(num(t, "Low"));
  w.f64(num(t, "Close"));
  w.f64(num(t, "TotalValueTraded"));
  w.u16(0);
  w.u16(0);
}

/** One message (the part a packet carries, compressed or not) for a 1501, 1502 or 1510 quote payload. */
export function encodeMessage(code: 1501 | 1502 | 1510, p: Payload, sequence: number): Buffer {
  if (code === 1510) {
    const w = new Writer(HEADER_BYTES + 2 + 4 + 2 + 8 + 1 + 4);
    writeHeader(w, code, p, sequence);
    w.i16(1);
    w.i32(num(p, "OpenInterest"));
    w.i16(num(p, "UnderlyingExchangeSegment"));
    w.u64(num(p, "UnderlyingInstrumentID"));
    w.i8(0);
    w.i32(num(p, "UnderlyingTotalOpenInterest"));
    return w.done();
  }
  const touchline = (p["Touchline"] ?? {}) as Payload;
  if (code === 1501) {
    const w = new Writer(HEADER_BYTES + TOUCHLINE_BYTES + 4);
    writeHeader(w, code, p, sequence);
    writeTouchline(w, touchline);
    w.i16(1);
    w.i16(1);
    return w.done();
  }
  const bids = (p["Bids"] ?? []) as readonly Level[];
  const asks = (p["Asks"] ?? []) as readonly Level[];
  const w = new Writer(HEADER_BYTES + 4 + bids.length * LEVEL_BYTES + 4 + asks.length * LEVEL_BYTES + TOUCHLINE_BYTES + 4);
  writeHeader(w, code, p, sequence);
  w.i32(bids.length);
  for (const level of bids) writeLevel(w, level);
  w.i32(asks.length);
  for (const level of asks) writeLevel(w, level);
  writeTouchline(w, touchline);
  w.i16(1);
  w.i16(1);
  return w.done();
}

/** One packet: its 15-byte header (17 when compressed), then the message, raw-deflated when `compress`. */
export function encodePacket(code: 1501 | 1502 | 1510, p: Payload, sequence: number, compress: boolean): Buffer {
  const message = encodeMessage(code, p, sequence);
  const stored = compress ? deflateRawSync(message) : message;
  const header = new Writer(compress ? 17 : 15);
  header.i8(compress ? 1 : 0);
  header.u16(code);
  header.i16(num(p, "ExchangeSegment"));
  header.i32(num(p, "ExchangeInstrumentID"));
  header.i16(1);
  header.i16(1);
  header.u16(message.length);
  if (compress) header.u16(stored.length);
  return Buffer.concat([header.done(), stored]);
}
