/** How long to poll and what to say when time runs out. */
export interface PollOptions {
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Pause between probes (default 20 ms). */
  readonly everyMs?: number;
  /** Text added to the failure, e.g. a child process's output. */
  readonly context?: () => string;
}

/**
 * The one poll-with-deadline of the test suite (STYLE principle 6: no sleeps). Calls `probe`
 * until it returns a value other than undefined and returns that value; after `timeoutMs` it
 * fails naming `what` and the context.
 */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, options: PollOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${options.context === undefined ? "" : `\n${options.context()}`}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}

/** `until` for a yes/no condition. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, options: PollOptions = {}): Promise<void> {
  await until(what, async () => ((await check()) ? true : undefined), options);
}
