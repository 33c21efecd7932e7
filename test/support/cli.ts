import { main } from "../../src/cli/main.js";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process with captured output and the given environment. */
export async function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await main(["node", "xtsbridge", ...args], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env,
    isTTY: false,
  });
  return { code, out, err };
}
