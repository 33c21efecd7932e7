import type { Logger } from "../logger.js";
import type { PaperStore } from "../store/paper-store.js";
import type { PaperEngine } from "./paper-engine.js";

export interface AnalyzerStatus {
  readonly analyze_mode: boolean;
  readonly mode: "analyze" | "live";
  readonly total_logs: number;
}

/**
 * OpenAlgo's analyzer switch: one per deployment (not per key, as OpenAlgo), stored with the
 * books so a restart keeps the mode it was left in. While it is on, every order and account
 * route is answered by the paper engine; the broker's books are not touched, and neither side's
 * books are ever cleared by a toggle.
 */
export class Analyzer {
  private on = false;

  constructor(
    private readonly store: PaperStore,
    private readonly broker: string,
    readonly engine: PaperEngine,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    await this.engine.load();
    this.on = (await this.store.analyzerMode(this.broker)) === true;
    if (this.on) {
      this.engine.start();
      this.logger.warn("analyzer mode is on: orders go to the paper engine, not the broker");
    }
  }

  get active(): boolean {
    return this.on;
  }

  status(): AnalyzerStatus {
    return { analyze_mode: this.on, mode: this.on ? "analyze" : "live", total_logs: this.engine.count };
  }

  /** Switches and stores the mode; the switch is written before it takes effect. */
  async toggle(on: boolean): Promise<AnalyzerStatus & { message: string }> {
    await this.store.setAnalyzerMode(this.broker, on);
    this.on = on;
    if (on) this.engine.start();
    else this.engine.stop();
    this.logger.warn({ mode: on ? "analyze" : "live" }, on ? "analyzer mode switched on: orders go to the paper engine" : "analyzer mode switched off: orders go to the broker");
    return { ...this.status(), message: `Analyzer mode switched to ${on ? "analyze" : "live"}` };
  }

  stop(): void {
    this.engine.stop();
  }
}
