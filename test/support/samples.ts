import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The real XTS master lines, kept in the repository (test/fixtures; public broker data, see its README). */
export const SAMPLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/xts-master-sample");

export function sampleFiles(): string[] {
  return readdirSync(SAMPLE_DIR)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => join(SAMPLE_DIR, f));
}

export function sampleFile(name: string): string {
  return join(SAMPLE_DIR, name);
}
