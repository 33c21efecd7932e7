import type { Logger } from "../logger.js";
import type { SymbolStore } from "../store/symbol-store.js";
import type { Resolver } from "./resolver.js";

/**
 * Keeps this process's index on the contract other processes commit: reloads on a PostgreSQL
 * NOTIFY, and checks the stored contract version every `pollMs` in case a notification was
 * missed (LISTEN connection lost) or the backend cannot notify (SQLite shared by processes).
 * Until the new rows are loaded, lookups keep using the previous index.
 */
export class ContractWatcher {
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: SymbolStore,
    private readonly resolver: Resolver,
    private readonly logger: Logger,
    private readonly pollMs = 5_000,
  ) {}

  async start(): Promise<void> {
    if (this.store.watchContracts !== undefined) {
      try {
        this.unlisten = await this.store.watchContracts((broker, version) => {
          if (broker === this.resolver.broker && version > this.resolver.version) void this.reload(`notified of version ${version}`);
        });
      } catch (error) {
        this.logger.warn({ err: error }, "cannot LISTEN for contract changes; relying on the periodic check");
      }
    }
    this.timer = setInterval(() => void this.check(), this.pollMs);
    this.timer.unref();
  }

  /** Compares the stored version with the loaded one and reloads when it moved. */
  async check(): Promise<void> {
    try {
      const stored = (await this.store.getStatus(this.resolver.broker)).contractVersion;
      if (stored > this.resolver.version) await this.reload(`stored version ${stored} is newer than ${this.resolver.version}`);
    } catch (error) {
      this.logger.warn({ err: error }, "contract version check failed");
    }
  }

  /** One reload at a time; a request that arrives during one triggers one more check after it. */
  private reload(reason: string): Promise<void> {
    if (this.loading !== undefined) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        if (this.stopped) return;
        this.logger.info({ reason }, "reloading the symbol index");
        await this.resolver.load();
      } catch (error) {
        this.logger.error({ err: error }, "reloading the symbol index failed; the previous index keeps serving");
      } finally {
        this.loading = undefined;
      }
      if (this.again && !this.stopped) {
        this.again = false;
        await this.check();
      }
    })();
    return this.loading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.loading;
    await this.unlisten?.();
  }
}
