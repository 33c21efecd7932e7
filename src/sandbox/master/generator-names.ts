import type { Prng } from "./prng.js";
import { BOND_ISSUERS, MF_HOUSES, NAME_HEADS, NAME_SUFFIXES, NAME_TAILS, STATE_CODES } from "./generator-universe.js";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const ROMAN = ["I", "II", "III", "IV", "V", "VI"] as const;
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Makes names that are unique within one exchange's cash segment (the store's key is the
 * symbol, and on BSE the symbol is the bare Name). Names are drawn from realistic shapes:
 * company tickers, state development loans (`771KL43`), G-secs (`761GS2030`), T-bills
 * (`364D271125`), gold bonds (`SGBOCT25IV`), NCDs (`965SCL25C`), mutual-fund codes.
 */
export class NameFactory {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Prng) {}

  /** Records a name taken from a table, so no synthetic name repeats it. */
  reserve(name: string): void {
    this.used.add(name);
  }

  has(name: string): boolean {
    return this.used.has(name);
  }

  /** Tries `candidate`, then the same with a distinguishing letter suffix, until unused. */
  private unique(candidate: () => string, suffixLetters: boolean): string {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const name = candidate();
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
    const base = candidate();
    for (let n = 0; ; n += 1) {
      const name = suffixLetters ? `${base}${letters(n)}` : `${base}${n + 2}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }

  company(): string {
    const rng = this.rng;
    return this.unique(() => `${rng.pick(NAME_HEADS)}${rng.pick(NAME_TAILS)}${rng.pick(NAME_SUFFIXES)}`, true);
  }

  /** InvITs and REITs: `INDIGRID`-like, ending in INVIT. */
  trust(): string {
    return this.unique(() => `${this.rng.pick(NAME_HEADS)}INVIT`, true);
  }

  stateLoan(): string {
    const rng = this.rng;
    return this.unique(() => `${rng.int(600, 799)}${rng.pick(STATE_CODES)}${rng.int(26, 55)}`, true);
  }

  governmentSecurity(): string {
    const rng = this.rng;
    return this.unique(() => `${rng.int(560, 799)}GS${rng.int(2026, 2065)}`, true);
  }

  treasuryBill(): string {
    const rng = this.rng;
    return this.unique(() => `${rng.pick(["91", "182", "364"])}D${pad2(rng.int(1, 28))}${pad2(rng.int(1, 12))}${pad2(rng.int(26, 27))}`, true);
  }

  goldBond(): string {
    const rng = this.rng;
    return this.unique(() => `SGB${rng.pick(MONTHS)}${rng.int(26, 32)}${rng.pick(ROMAN)}`, true);
  }

  /** NSE NCD (`965SCL25C`) or BSE private placement (`84PGCIL30`). */
  debenture(short: boolean): string {
    const rng = this.rng;
    const coupon = short ? String(rng.int(60, 125)) : String(rng.int(600, 1250));
    return this.unique(() => `${coupon}${rng.pick(BOND_ISSUERS)}${rng.int(26, 40)}`, true);
  }

  /** BSE G-sec as `GS06NOV64`. */
  bseGovernmentSecurity(): string {
    const rng = this.rng;
    return this.unique(() => `GS${pad2(rng.int(1, 28))}${rng.pick(MONTHS)}${pad2(rng.int(26, 75))}`, true);
  }

  mutualFund(): string {
    const rng = this.rng;
    return this.unique(() => Array.from({ length: 10 }, () => LETTERS[rng.int(0, 25)]).join(""), true);
  }

  fundHouse(): string {
    return this.rng.pick(MF_HOUSES);
  }

  /** 12-character ISIN-shaped code with the given 3-letter prefix (`INE`, `INF`, `IN0`…). */
  isin(prefix: string): string {
    const rng = this.rng;
    let body = "";
    for (let i = 0; i < 7; i += 1) body += ALNUM[rng.int(0, 35)];
    return `${prefix}${body}${rng.int(10, 99)}`;
  }
}

/** 0 → A, 25 → Z, 26 → AA: a letter suffix keeps names letter-only at the end. */
function letters(n: number): string {
  let out = "";
  let k = n;
  do {
    out = LETTERS[k % 26]! + out;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return out;
}
