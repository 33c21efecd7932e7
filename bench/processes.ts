import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/** A process a benchmark or the load script started, and when it ended. */
export interface Started<T> {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** What `ready` found in the output. */
  readonly found: T;
}

export interface SpawnSpec {
  /** Arguments after `node`: a script and its own arguments, with any node flags first. */
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd?: string;
  /** Restrict the process to these CPUs (`taskset -c`); taskset execs node in place, so the pid is node's. */
  readonly cpus?: string;
  readonly deadlineMs?: number;
}

/**
 * The node flags `npm start` (bin/serve.sh) adds for a server on `cpus` (a taskset list such as
 * "0", "0,1" or "0-3"; this machine's when undefined): V8's collector without helper threads on
 * one CPU. Benchmarks that start the server themselves start it the same way.
 */
export function serveFlags(cpus: string | undefined): string[] {
  const count =
    cpus === undefined
      ? availableParallelism()
      : cpus.split(",").reduce((n, part) => {
          const [from, to] = part.split("-").map(Number);
          return n + (to === undefined ? 1 : to! - from! + 1);
        }, 0);
  return count === 1 ? ["--single-threaded-gc"] : [];
}

/**
 * Spawns node and resolves once `ready` finds what it needs in the output printed so far; the
 * pipes are left flowing (the caller may listen) so a chatty process never blocks on a full one.
 */
export async function startNode<T>(spec: SpawnSpec, ready: (output: string) => T | undefined): Promise<Started<T>> {
  const options = { cwd: spec.cwd, env: { PATH: process.env["PATH"] ?? "", ...spec.env }, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
  const child = spec.cpus === undefined ? spawn(process.execPath, spec.argv, options) : spawn("taskset", ["-c", spec.cpus, process.execPath, ...spec.argv], options);
  const exited = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  const deadlineMs = spec.deadlineMs ?? 180_000;
  let output = "";
  const found = await new Promise<T>((resolveReady, reject) => {
    let done = false;
    const timer = setTimeout(() => reject(new Error(`'${spec.argv.join(" ")}' not ready within ${deadlineMs} ms:\n${output.slice(-4000)}`)), deadlineMs);
    const onData = (chunk: Buffer): void => {
      if (done) return;
      output += chunk.toString("utf8");
      // Keep only what start-up needs.
      if (output.length > 1_000_000) output = output.slice(-100_000);
      const value = ready(output);
      if (value !== undefined) {
        done = true;
        output = "";
        clearTimeout(timer);
        resolveReady(value);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`'${spec.argv.join(" ")}' exited (${code}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
  return { child, exited, found };
}

/** SIGTERM, then SIGKILL after 10 s. */
export async function stopProcess(started: { readonly child: ChildProcess; readonly exited: Promise<number | null> }): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill("SIGTERM");
  const stopped = await Promise.race([started.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000).unref())]);
  if (!stopped) {
    started.child.kill("SIGKILL");
    await started.exited;
  }
}

/** The JAINAM_* settings `xtsbridge sandbox` prints once it listens (a gateway's environment), or undefined before. */
export function sandboxSettings(output: string): Record<string, string> | undefined {
  if (!output.includes("Stop with Ctrl+C.")) return undefined;
  return Object.fromEntries([...output.matchAll(/^(?:export )?(JAINAM_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The API's base URL and first-run API key `xtsbridge serve` prints, or undefined until both are out. */
export function servingAt(output: string): { readonly url: string; readonly apikey: string } | undefined {
  const url = /serving the OpenAlgo API at (http:\/\/\S+)\/api\/v1/.exec(output)?.[1];
  const apikey = /Your API key \(shown once; only its hash is stored\): ([0-9a-f]{64})/.exec(output)?.[1];
  return url === undefined || apikey === undefined ? undefined : { url, apikey };
}

/** A field of /proc/PID/status in kB (VmRSS: resident now; VmHWM: the peak), or null off Linux or once the process is gone. */
export function procStatusKb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}
