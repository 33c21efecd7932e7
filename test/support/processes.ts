import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { until } from "./poll.js";

export { until } from "./poll.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const KEY_LINE = /Your API key \(shown once; only its hash is stored\): ([0-9a-f]{64})/;
export const SERVING_LINE = /serving the OpenAlgo API at (http:\/\/\S+)\/api\/v1/;

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** A child `node bin/xtsbridge.js …` with its output collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs the CLI from dist/ (built by the global setup) with exactly `env` plus PATH and HOME. */
export function startCli(args: readonly string[], env: Record<string, string>, cwd: string): CliProcess {
  const child = spawn(process.execPath, [join(ROOT, "bin", "xtsbridge.js"), ...args], {
    cwd,
    // WEBSOCKET_PORT 0: test processes run side by side, and 8765 can be held by only one of them.
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", WEBSOCKET_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.stdout!.setEncoding("utf8").on("data", (t: string) => (text += t));
  child.stderr!.setEncoding("utf8").on("data", (t: string) => (text += t));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveDone) =>
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      resolveDone(exit);
    }),
  );
  return {
    child,
    output: () => text,
    exited: () => exit,
    done,
    kill: (signal = "SIGTERM") => {
      if (exit === undefined) child.kill(signal);
    },
  };
}

/** Starts `serve` and waits for its banner; returns the base URL. */
export async function startServe(env: Record<string, string>, cwd: string): Promise<{ proc: CliProcess; url: string; apikey: string | null }> {
  const proc = startCli(["serve"], env, cwd);
  const url = await until("the serving banner", () => {
    if (proc.exited() !== undefined) throw new Error(`serve exited early:\n${proc.output()}`);
    // The banner is followed by the key line or the "use the key you have" line: wait for that too.
    const text = proc.output();
    return KEY_LINE.test(text) || text.includes("Use an API key you created before") ? SERVING_LINE.exec(text)?.[1] : undefined;
  }, { context: proc.output, timeoutMs: 90_000 });
  return { proc, url, apikey: KEY_LINE.exec(proc.output())?.[1] ?? null };
}

export async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/v1${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
