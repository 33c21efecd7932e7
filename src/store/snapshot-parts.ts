import type { SqlRunner } from "./sql-dialect.js";

/** The snapshot is written in parts of this size, so the database never copies it whole (migration 8). */
export const SNAPSHOT_PART_BYTES = 1 << 20;

/** A broker's stored snapshot and the contract version part 0 carries. */
export interface StoredSnapshot {
  readonly contractVersion: number;
  readonly bytes: Uint8Array;
}

/**
 * Replaces the broker's snapshot with `snapshot` in parts (none: the broker is left without one),
 * inside the caller's transaction; "unchanged" keeps the stored bytes and moves them to
 * `contractVersion`.
 */
export async function writeSnapshot(tx: SqlRunner, broker: string, contractVersion: number, snapshot: Uint8Array | "unchanged" | undefined): Promise<void> {
  if (snapshot === "unchanged") {
    // readSnapshot takes the version off part 0: only that part is rewritten, not the whole blob.
    await tx.run("UPDATE contract_snapshot SET contract_version = ? WHERE broker = ? AND part = 0", [contractVersion, broker]);
    return;
  }
  await tx.run("DELETE FROM contract_snapshot WHERE broker = ?", [broker]);
  if (snapshot === undefined) return;
  const bytes = Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength);
  for (let part = 0, at = 0; at < bytes.byteLength || part === 0; part += 1, at += SNAPSHOT_PART_BYTES) {
    await tx.run("INSERT INTO contract_snapshot (broker, contract_version, part, bytes) VALUES (?, ?, ?, ?)", [broker, contractVersion, part, bytes.subarray(at, at + SNAPSHOT_PART_BYTES)]);
  }
}

/**
 * Whether the broker's stored snapshot is `base`, byte for byte. Read part by part, so the check
 * never holds a second copy of the whole snapshot; no snapshot is never a match.
 */
export async function storedSnapshotIs(tx: SqlRunner, broker: string, base: Uint8Array): Promise<boolean> {
  const parts = await tx.all<{ part: number }>("SELECT part FROM contract_snapshot WHERE broker = ? ORDER BY part", [broker]);
  if (parts.length === 0) return false;
  let at = 0;
  for (const { part } of parts) {
    const [stored] = await tx.all<{ bytes: Uint8Array }>("SELECT bytes FROM contract_snapshot WHERE broker = ? AND part = ?", [broker, part]);
    const bytes = stored!.bytes;
    if (at + bytes.byteLength > base.byteLength || Buffer.compare(bytes, base.subarray(at, at + bytes.byteLength)) !== 0) return false;
    at += bytes.byteLength;
  }
  return at === base.byteLength;
}

/** The broker's snapshot, its parts joined, or null when it has none. */
export async function readSnapshot(reader: SqlRunner, broker: string): Promise<StoredSnapshot | null> {
  const parted = await readParts(reader, broker);
  if (parted !== null) return parted;
  // One statement: the parts of one snapshot, never some of an older one.
  const rows = await reader.all<{ contract_version: number | string; bytes: Uint8Array }>("SELECT contract_version, bytes FROM contract_snapshot WHERE broker = ? ORDER BY part", [broker]);
  if (rows.length === 0) return null;
  // A part missing or changed (a damaged table) fails the snapshot's own length and CRC-32 checks
  // when it is decoded: the caller logs it and reads the rows.
  return { contractVersion: Number(rows[0]!.contract_version), bytes: rows.length === 1 ? rows[0]!.bytes : Buffer.concat(rows.map((row) => row.bytes)) };
}

/**
 * A snapshot of several parts, copied part by part into one buffer of the size read just before,
 * so the parts and their concatenation are never all held at once (21 MB each for 150,000 rows).
 * One statement still reads all the parts, so they are of one snapshot; a replace committed
 * between the two statements shows as a size that does not add up, and null sends the caller to
 * the one-statement read. Null too for no snapshot or a single part.
 */
async function readParts(reader: SqlRunner, broker: string): Promise<StoredSnapshot | null> {
  const [size] = await reader.all<{ parts: number | string; bytes: number | string | null }>("SELECT COUNT(*) AS parts, SUM(LENGTH(bytes)) AS bytes FROM contract_snapshot WHERE broker = ?", [broker]);
  const total = Number(size?.bytes ?? 0);
  if (Number(size?.parts ?? 0) < 2 || !Number.isSafeInteger(total) || total <= 0) return null;
  const out = Buffer.allocUnsafeSlow(total);
  let at = 0;
  // Part 0 carries the version (a replace that keeps the stored snapshot moves only its number).
  let version: number | null = null;
  let fits = true;
  await reader.each<{ contract_version: number | string; bytes: Uint8Array }>("SELECT contract_version, bytes FROM contract_snapshot WHERE broker = ? ORDER BY part", [broker], (row) => {
    if (!fits || at + row.bytes.byteLength > total) {
      fits = false;
      return;
    }
    out.set(row.bytes, at);
    at += row.bytes.byteLength;
    version ??= Number(row.contract_version);
  });
  return fits && at === total && version !== null ? { contractVersion: version, bytes: out } : null;
}
