import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import type { Env } from "../config.js";

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Env;
  readonly isTTY: boolean;
}

export function processIo(): CliIo {
  // A reader that goes away (`xtsbridge profiles | head -3`) ends the output, as for any Unix
  // tool: exit quietly with the command's code so far instead of a stack trace about EPIPE.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: withDotEnv(process.env, process.cwd()),
    isTTY: process.stdout.isTTY === true,
  };
}

/**
 * The environment with a `.env` file of the current directory under it, as OpenAlgo users keep
 * their settings: `NAME=value` lines (`export ` and quotes allowed, `#` comments). A variable set
 * in the real environment wins over the file.
 */
export function withDotEnv(env: Env, directory: string): Env {
  let text: string;
  try {
    text = readFileSync(join(directory, ".env"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw error;
  }
  return Object.freeze({ ...parseEnv(text), ...env });
}

/** Exit codes: 0 ok, 1 the operation failed (unknown symbol, failed import), 2 bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class CliExit extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
