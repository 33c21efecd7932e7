import { crc32 } from "node:zlib";
import { NUMBERS, RECORD, textEncodingOf, type ContractColumns, type ContractDictionaries } from "./contract-columns.js";

/**
 * The columnar index as one blob, stored with the rows in the replace transaction (so it is
 * always of the contract the rows are), so that start-up reads one value instead of 150,000
 * rows: a header (JSON: the dictionaries, the section lengths, a CRC-32 of the body), then each
 * typed array's bytes at an 8-byte-aligned offset, then the text (Latin-1 when every character
 * fits, else UTF-16).
 */
const MAGIC = "XBCONTRACT2\n";

type ArrayName = (typeof ARRAYS)[number];
const ARRAYS = ["records", "numbers", "symbolSlots", "tokenSlots"] as const satisfies readonly (keyof ContractColumns)[];

const TYPES: Record<ArrayName, { new (buffer: ArrayBuffer, offset: number, length: number): ArrayBufferView & { length: number }; BYTES_PER_ELEMENT: number }> = {
  records: Uint32Array,
  numbers: Float64Array,
  symbolSlots: Int32Array,
  tokenSlots: Int32Array,
};

interface Header {
  readonly broker: string;
  readonly count: number;
  readonly dictionaries: ContractDictionaries;
  readonly lengths: Record<ArrayName, number>;
  readonly textEncoding: "latin1" | "utf16le";
  readonly textBytes: number;
  readonly bodyBytes: number;
  /** CRC-32 of the body, eight hex digits. */
  readonly crc: string;
}

export class SnapshotError extends Error {}

const align = (n: number): number => (n + 7) & ~7;

export function encodeSnapshot(columns: ContractColumns): Buffer {
  const textEncoding = textEncodingOf(columns.text);
  const textBytes = Buffer.byteLength(columns.text, textEncoding);
  let size = 0;
  for (const name of ARRAYS) size = align(size) + columns[name].byteLength;
  const bodyBytes = align(size) + textBytes;
  const header = (crc: number): string =>
    `${MAGIC}${JSON.stringify({
      broker: columns.broker,
      count: columns.count,
      dictionaries: columns.dictionaries,
      lengths: Object.fromEntries(ARRAYS.map((name) => [name, columns[name].length])) as Record<ArrayName, number>,
      textEncoding,
      textBytes,
      bodyBytes,
      crc: crc.toString(16).padStart(8, "0"),
    } satisfies Header)}\n`;
  // One buffer, the body written in place: the header's length does not depend on the CRC (eight
  // hex digits), so room for it is known before the body is written and checked.
  const headBytes = Buffer.byteLength(header(0));
  // The body starts 8-aligned within the blob, so a reader may view it in place.
  const bodyStart = align(headBytes);
  const out = Buffer.alloc(bodyStart + bodyBytes, 0x20);
  const body = out.subarray(bodyStart);
  let at = 0;
  for (const name of ARRAYS) {
    at = align(at);
    const array = columns[name];
    body.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += array.byteLength;
  }
  body.fill(0, at, align(at));
  body.write(columns.text, align(at), textEncoding);
  out.write(header(crc32(body)), 0, "utf8");
  return out;
}

/** Columns from a snapshot; a SnapshotError when the blob is not one, is cut short, or fails its CRC. */
export function decodeSnapshot(blob: Uint8Array): ContractColumns {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) throw new SnapshotError("not a contract snapshot (bad magic)");
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new SnapshotError("contract snapshot header is cut short");
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, end).toString("utf8")) as Header;
  } catch (error) {
    throw new SnapshotError(`contract snapshot header is not JSON: ${(error as Error).message}`);
  }
  const bodyStart = align(end + 1);
  if (bytes.byteLength !== bodyStart + header.bodyBytes) throw new SnapshotError(`contract snapshot is ${bytes.byteLength} bytes, its header says ${bodyStart + header.bodyBytes}`);
  // The typed arrays below are views of the body: of the blob itself when it is a buffer of its
  // own (as read from the database; the body starts 8-aligned), else of one aligned copy. A blob
  // that shares its buffer (a pooled Buffer) is copied, so moving the columns to another thread
  // never takes anyone else's bytes with them.
  const ownsBuffer = blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength && blob.buffer instanceof ArrayBuffer;
  const body = ownsBuffer ? bytes.subarray(bodyStart) : new Uint8Array(header.bodyBytes);
  if (!ownsBuffer) body.set(bytes.subarray(bodyStart));
  if (crc32(body).toString(16).padStart(8, "0") !== header.crc) throw new SnapshotError("contract snapshot fails its CRC-32 check");
  const arrays: Partial<Record<ArrayName, ArrayBufferView>> = {};
  let at = 0;
  for (const name of ARRAYS) {
    at = align(at);
    const Type = TYPES[name];
    const length = header.lengths[name];
    arrays[name] = new Type(body.buffer as ArrayBuffer, body.byteOffset + at, length);
    at += length * Type.BYTES_PER_ELEMENT;
  }
  const slots = header.lengths.symbolSlots;
  const rowsFit = header.lengths.records === header.count * RECORD && header.lengths.numbers === header.count * NUMBERS;
  if (!rowsFit || slots < header.count || (slots & (slots - 1)) !== 0 || header.lengths.tokenSlots !== slots) {
    throw new SnapshotError("contract snapshot column lengths do not match its row count");
  }
  const textStart = align(at);
  if (textStart + header.textBytes !== body.byteLength) throw new SnapshotError("contract snapshot sections do not add up");
  const text = Buffer.from(body.buffer, body.byteOffset + textStart, header.textBytes).toString(header.textEncoding);
  return { broker: header.broker, count: header.count, text, dictionaries: header.dictionaries, ...arrays } as ContractColumns;
}
