import type { GeneratedInstrument } from "../master/master-generator.js";

export type StreamMessageCode = 1501 | 1502 | 1510 | 1512;

export interface Subscribed {
  readonly instrument: GeneratedInstrument;
  readonly segmentCode: number;
  readonly codes: Set<StreamMessageCode>;
}

/**
 * Market-data subscriptions, per session token as XTS keeps them: what `POST
 * /instruments/subscription` added and `PUT` has not removed. A token that is logged out or
 * replaced takes its subscriptions with it.
 */
export class Subscriptions {
  private readonly byToken = new Map<string, Map<string, Subscribed>>();

  /** Adds; answers whether the instrument already had this code (XTS then says "Already Subscribed"). */
  add(token: string, instrument: GeneratedInstrument, segmentCode: number, code: StreamMessageCode): boolean {
    let list = this.byToken.get(token);
    if (list === undefined) {
      list = new Map();
      this.byToken.set(token, list);
    }
    const key = `${segmentCode}:${instrument.token}`;
    let entry = list.get(key);
    if (entry === undefined) {
      entry = { instrument, segmentCode, codes: new Set() };
      list.set(key, entry);
    }
    const had = entry.codes.has(code);
    entry.codes.add(code);
    return had;
  }

  remove(token: string, segmentCode: number, instrumentToken: number, code: StreamMessageCode): boolean {
    const list = this.byToken.get(token);
    const key = `${segmentCode}:${instrumentToken}`;
    const entry = list?.get(key);
    if (entry === undefined || !entry.codes.delete(code)) return false;
    if (entry.codes.size === 0) list!.delete(key);
    return true;
  }

  of(token: string): Iterable<Subscribed> {
    return this.byToken.get(token)?.values() ?? [];
  }

  /** Tokens that have this instrument subscribed, with its codes. */
  *watching(instrument: GeneratedInstrument, segmentCode: number): Iterable<[token: string, entry: Subscribed]> {
    const key = `${segmentCode}:${instrument.token}`;
    for (const [token, list] of this.byToken) {
      const entry = list.get(key);
      if (entry !== undefined) yield [token, entry];
    }
  }

  count(token: string): number {
    let n = 0;
    for (const entry of this.of(token)) n += entry.codes.size;
    return n;
  }

  drop(token: string): void {
    this.byToken.delete(token);
  }

  clear(): void {
    this.byToken.clear();
  }
}
