import { createReadStream, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ContractBuilder } from "../../src/mastercontract/contract-builder.js";
import type { SymbolRow } from "../../src/store/types.js";
import { parseMasterStream } from "../../src/xts/master-parser.js";

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

/** Every real sample line through the parser and the contract builder: the rows a refresh would store. */
export async function sampleContractRows(broker = "jainam_prop"): Promise<SymbolRow[]> {
  const builder = new ContractBuilder(broker);
  for (const file of sampleFiles()) {
    for await (const batch of parseMasterStream(createReadStream(file, { encoding: "utf8" }))) for (const parsed of batch) builder.addParsed(parsed);
  }
  return builder.finish().rows;
}
