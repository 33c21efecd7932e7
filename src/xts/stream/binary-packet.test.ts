import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BinaryFrameError, decodeBinaryFrame } from "./binary-packet.js";

/** Bytes laid out by hand from the SDK's field list, not by any encoder the decoder could share a mistake with. */
type Field = readonly [kind: "i8" | "u16" | "i16" | "i32" | "u32" | "f64" | "u64" | "skip", value: number];

function bytes(fields: readonly Field[]): Buffer {
  const size = { i8: 1, u16: 2, i16: 2, i32: 4, u32: 4, f64: 8, u64: 8 };
  const length = fields.reduce((n, [kind, value]) => n + (kind === "skip" ? value : size[kind]), 0);
  const out = Buffer.alloc(length);
  let at = 0;
  for (const [kind, value] of fields) {
    if (kind === "skip") at += value;
    else if (kind === "i8") at = out.writeInt8(value, at);
    else if (kind === "u16") at = out.writeUInt16LE(value, at);
    else if (kind === "i16") at = out.writeInt16LE(value, at);
    else if (kind === "i32") at = out.writeInt32LE(value, at);
    else if (kind === "u32") at = out.writeUInt32LE(value, at);
    else if (kind === "f64") at = out.writeDoubleLE(value, at);
    else at = out.writeBigUInt64LE(BigInt(value), at);
  }
  return out;
}

const level = (size: number, price: number, orders: number): Field[] => [["i32", size], ["f64", price], ["i32", orders], ["u16", 0]];

function touchlineMessage(version: number, reserved: boolean, segment: number, token: number, ltp: number): Buffer {
  return bytes([
    ["u16", 1501], ["u16", version], ["u16", 0], ["u64", 0],
    ...(version >= 4 ? [["u64", 77] as const] : []),
    ...(reserved ? [["skip", 4] as const] : []),
    ["u16", segment], ["i32", token], ["u64", 1_417_000_000],
    ...level(150, ltp - 0.05, 3), ...level(75, ltp + 0.05, 2),
    ["u64", 1_417_000_001], ["f64", ltp], ["i32", 25], ["u32", 9000], ["u32", 8000], ["u32", 123_456],
    ["f64", ltp - 1], ["u64", 1_417_000_002], ["f64", 0.5], ["f64", ltp - 3], ["f64", ltp + 4], ["f64", ltp - 5], ["f64", ltp - 2], ["f64", 1e9], ["u16", 0], ["u16", 0],
    ["i16", 1], ["i16", 1],
  ]);
}

function packet(code: number, segment: number, token: number, message: Buffer, compress: boolean): Buffer {
  const stored = compress ? deflateRawSync(message) : message;
  const header = bytes([["i8", compress ? 1 : 0], ["u16", code], ["i16", segment], ["i32", token], ["i16", 1], ["i16", 1], ["u16", message.length], ...(compress ? [["u16", stored.length] as const] : [])]);
  return Buffer.concat([header, stored]);
}

describe("decodeBinaryFrame", () => {
  it("reads plain and raw-deflated packets of one frame, in order, with every touchline figure", () => {
    const frame = Buffer.concat([packet(1501, 1, 2885, touchlineMessage(4, true, 1, 2885, 1234.5), false), packet(1501, 2, 35001, touchlineMessage(4, true, 2, 35001, 22050.25), true)]);
    const { ticks, skipped } = decodeBinaryFrame(frame);
    expect(skipped).toBe(0);
    expect(ticks.map((t) => [t.segment, t.token])).toEqual([[1, 2885], [2, 35001]]);
    const first = ticks[0]!;
    if (first.code !== 1501) throw new Error("expected a touchline");
    expect(first.touchline).toEqual({
      ltp: 1234.5, ltq: 25, ltt: 1_417_000_002, volume: 123_456, averagePrice: 1233.5, open: 1231.5, high: 1238.5, low: 1229.5, close: 1232.5,
      totalBuyQuantity: 9000, totalSellQuantity: 8000, bid: { price: 1234.45, size: 150, orders: 3 }, ask: { price: 1234.55, size: 75, orders: 2 },
    });
  });

  it("settles the reserved-bytes disagreement by the packet header: a version-2 message without them reads too", () => {
    const { ticks } = decodeBinaryFrame(packet(1501, 1, 11536, touchlineMessage(2, false, 1, 11536, 3500), false));
    expect(ticks).toHaveLength(1);
    expect(ticks[0]).toMatchObject({ code: 1501, token: 11536, touchline: { ltp: 3500 } });
  });

  it("reads depth levels and open interest", () => {
    const depth = bytes([
      ["u16", 1502], ["u16", 4], ["u16", 0], ["u64", 0], ["u64", 1], ["skip", 4], ["u16", 2], ["i32", 35001], ["u64", 1],
      ["i32", 2], ...level(50, 99.95, 1), ...level(100, 99.9, 2), ["i32", 1], ...level(75, 100.05, 1),
    ]);
    const touchline = touchlineMessage(4, true, 2, 35001, 100).subarray(2 + 2 + 2 + 8 + 8 + 4 + 2 + 4 + 8);
    const oi = bytes([["u16", 1510], ["u16", 4], ["u16", 0], ["u64", 0], ["u64", 2], ["skip", 4], ["u16", 2], ["i32", 35001], ["u64", 1], ["i16", 1], ["i32", 987_650], ["i16", 1], ["u64", 26000], ["i8", 0], ["i32", 5_000_000]]);
    const { ticks } = decodeBinaryFrame(Buffer.concat([packet(1502, 2, 35001, Buffer.concat([depth, touchline]), true), packet(1510, 2, 35001, oi, false)]));
    expect(ticks[0]).toMatchObject({ code: 1502, bids: [{ price: 99.95, size: 50, orders: 1 }, { price: 99.9, size: 100, orders: 2 }], asks: [{ price: 100.05, size: 75, orders: 1 }], touchline: { ltp: 100 } });
    expect(ticks[1]).toEqual({ code: 1510, segment: 2, token: 35001, openInterest: 987_650 });
  });

  it("counts packets of codes it does not read and goes on to the next", () => {
    const other = bytes([["u16", 1105], ["u16", 4], ["skip", 30]]);
    const frame = Buffer.concat([packet(1105, 1, 22, other, false), packet(1501, 1, 22, touchlineMessage(4, true, 1, 22, 10), false)]);
    const { ticks, skipped } = decodeBinaryFrame(frame);
    expect(skipped).toBe(1);
    expect(ticks).toHaveLength(1);
  });

  it("fails a cut-short frame, a garbled deflate or a message about another instrument, never returning a guess", () => {
    const whole = packet(1501, 1, 22, touchlineMessage(4, true, 1, 22, 10), false);
    expect(() => decodeBinaryFrame(whole.subarray(0, whole.length - 9))).toThrow(BinaryFrameError);
    const compressed = packet(1501, 1, 22, touchlineMessage(4, true, 1, 22, 10), true);
    compressed.fill(0xff, 17, 25);
    expect(() => decodeBinaryFrame(compressed)).toThrow(/raw deflate|inflated|needs|instrument/);
    expect(() => decodeBinaryFrame(packet(1501, 1, 22, touchlineMessage(4, true, 1, 23, 10), false))).toThrow(/instrument 1:22/);
    expect(() => decodeBinaryFrame(Buffer.alloc(0))).toThrow(BinaryFrameError);
  });
});
