/**
 * Streaming decoder for the master-download envelope
 * `{"type":"success","code":"…","description":"…","result":"<whole segment>"}` (xts-protocol.md §2.1).
 * A segment is up to ~30 MB, so the body is never held whole: text chunks are pushed in, and the
 * decoded content of the top-level `result` string comes out chunk by chunk. `type`, `code` and
 * `description` are captured wherever they appear (before or after `result`); any other member
 * is skipped. Pure: no I/O, no timers.
 */

/** Why the body could not be decoded; `truncated` when it ended before the JSON was complete. */
export class EnvelopeDecodeError extends Error {
  readonly truncated: boolean;
  constructor(message: string, truncated: boolean) {
    super(message);
    this.name = "EnvelopeDecodeError";
    this.truncated = truncated;
  }
}

/** What the envelope said besides `result`, known once the body has ended. */
export interface EnvelopeSummary {
  /** The `type` member: a string, a boolean or null; undefined when absent. */
  readonly type: string | boolean | null | undefined;
  readonly code: string | undefined;
  readonly description: string | undefined;
  /** "string" when `result` was a string (its text was emitted), "other" for any other JSON value. */
  readonly result: "string" | "other" | "absent";
  /** UTF-16 code units of `result` text emitted. */
  readonly resultLength: number;
}

type State =
  | "before-object"
  | "key-or-end"
  | "key"
  | "in-key"
  | "after-key"
  | "value"
  | "in-result"
  | "in-capture"
  | "in-skip-string"
  | "in-nested"
  | "in-scalar"
  | "after-value"
  | "done";

type CapturedKey = "type" | "code" | "description";

/** Longest `type`/`code`/`description` kept; longer values are cut, not rejected. */
const MAX_CAPTURE = 1024;
const MAX_KEY = 32;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings (RFC 8259 §7)
const SPECIAL_IN_STRING = /["\\\u0000-\u001f]/g;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

function isWhitespace(char: string): boolean {
  return char === " " || char === "\n" || char === "\r" || char === "\t";
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export class MasterEnvelopeDecoder {
  private state: State = "before-object";
  private position = 0;
  private key = "";
  private currentKey = "";
  private capture = "";
  private scalar = "";
  private nestedDepth = 0;
  private nestedInString = false;
  /** 0: not in an escape; 1: after a backslash; 2: collecting the four hex digits of \u. */
  private escape: 0 | 1 | 2 = 0;
  private hex = "";
  /** A high surrogate held back at a chunk boundary so no emitted chunk ends in half a pair. */
  private heldSurrogate = "";
  private output: string[] = [];
  private type: string | boolean | null | undefined = undefined;
  private code: string | undefined = undefined;
  private description: string | undefined = undefined;
  private resultKind: "string" | "other" | "absent" = "absent";
  private resultLength = 0;

  /** Feeds the next piece of body text; returns the `result` text it completed (possibly ""). */
  push(text: string): string {
    this.output = this.heldSurrogate === "" ? [] : [this.heldSurrogate];
    this.heldSurrogate = "";
    let i = 0;
    while (i < text.length) i = this.step(text, i);
    this.position += text.length;
    let out = this.output.join("");
    this.output = [];
    if (this.state === "in-result" && out.length > 0 && isHighSurrogate(out.charCodeAt(out.length - 1))) {
      this.heldSurrogate = out.slice(-1);
      out = out.slice(0, -1);
    }
    this.resultLength += out.length;
    return out;
  }

  /** Declares the body complete; throws EnvelopeDecodeError (truncated) if the JSON is not. */
  end(): EnvelopeSummary {
    if (this.state !== "done") {
      const where = this.state === "in-result" ? "inside the result string" : `in state ${this.state}`;
      throw new EnvelopeDecodeError(`body truncated after ${this.position} characters (${where})`, true);
    }
    return {
      type: this.type,
      code: this.code,
      description: this.description,
      result: this.resultKind,
      resultLength: this.resultLength,
    };
  }

  private fail(message: string, at: number): never {
    throw new EnvelopeDecodeError(`${message} at character ${this.position + at}`, false);
  }

  /** Processes text from index i and returns where to continue. */
  private step(text: string, i: number): number {
    switch (this.state) {
      case "in-result":
        return this.scanString(text, i, (piece) => this.output.push(piece), () => (this.state = "after-value"));
      case "in-capture":
        return this.scanString(
          text,
          i,
          (piece) => {
            if (this.capture.length < MAX_CAPTURE) this.capture += piece.slice(0, MAX_CAPTURE - this.capture.length);
          },
          () => {
            this.store(this.currentKey as CapturedKey, this.capture);
            this.state = "after-value";
          },
        );
      case "in-key":
        return this.scanString(
          text,
          i,
          (piece) => {
            if (this.key.length <= MAX_KEY) this.key += piece.slice(0, MAX_KEY + 1 - this.key.length);
          },
          () => {
            this.currentKey = this.key;
            this.state = "after-key";
          },
        );
      case "in-skip-string":
        return this.scanString(text, i, null, () => (this.state = "after-value"));
      case "in-nested":
        return this.stepNested(text, i);
      case "in-scalar":
        return this.stepScalar(text, i);
      default:
        return this.stepStructure(text, i);
    }
  }

  private stepStructure(text: string, i: number): number {
    const char = text[i]!;
    if (isWhitespace(char)) return i + 1;
    switch (this.state) {
      case "before-object":
        if (char !== "{") this.fail(`expected '{' but found '${char}'`, i);
        this.state = "key-or-end";
        return i + 1;
      case "key-or-end":
        if (char === "}") {
          this.state = "done";
          return i + 1;
        }
        return this.startKey(char, i);
      case "key":
        return this.startKey(char, i);
      case "after-key":
        if (char !== ":") this.fail(`expected ':' but found '${char}'`, i);
        this.state = "value";
        return i + 1;
      case "value":
        return this.startValue(char, i);
      case "after-value":
        if (char === ",") this.state = "key";
        else if (char === "}") this.state = "done";
        else this.fail(`expected ',' or '}' but found '${char}'`, i);
        return i + 1;
      case "done":
        return this.fail(`unexpected '${char}' after the end of the JSON object`, i);
      case "in-result":
      case "in-capture":
      case "in-key":
      case "in-skip-string":
      case "in-nested":
      case "in-scalar":
        throw new Error(`unreachable: ${this.state} handled by step()`);
      default: {
        const unknownState: never = this.state;
        throw new Error(`unknown decoder state ${String(unknownState)}`);
      }
    }
  }

  private startKey(char: string, i: number): number {
    if (char !== '"') this.fail(`expected a member name but found '${char}'`, i);
    this.key = "";
    this.state = "in-key";
    return i + 1;
  }

  private startValue(char: string, i: number): number {
    const key = this.currentKey;
    if (key === "result") {
      if (this.resultKind !== "absent") this.fail("duplicate 'result' member", i);
      this.resultKind = char === '"' ? "string" : "other";
    }
    if (char === '"') {
      if (key === "result") this.state = "in-result";
      else if (key === "type" || key === "code" || key === "description") {
        this.capture = "";
        this.state = "in-capture";
      } else this.state = "in-skip-string";
      return i + 1;
    }
    if (char === "{" || char === "[") {
      this.nestedDepth = 1;
      this.nestedInString = false;
      this.state = "in-nested";
      return i + 1;
    }
    this.scalar = "";
    this.state = "in-scalar";
    return i;
  }

  private stepScalar(text: string, i: number): number {
    const char = text[i]!;
    if (char === "," || char === "}" || isWhitespace(char)) {
      this.finishScalar(i);
      this.state = "after-value";
      return i;
    }
    if (this.scalar.length >= 64) this.fail("JSON literal too long", i);
    this.scalar += char;
    return i + 1;
  }

  private finishScalar(at: number): void {
    const literal = this.scalar;
    let value: boolean | null | number;
    if (literal === "true") value = true;
    else if (literal === "false") value = false;
    else if (literal === "null") value = null;
    else if (NUMBER.test(literal)) value = Number(literal);
    else return this.fail(`invalid JSON value '${literal.slice(0, 16)}'`, at);
    if (this.currentKey === "type") this.type = typeof value === "number" ? String(value) : value;
  }

  private stepNested(text: string, i: number): number {
    if (this.nestedInString) {
      return this.scanString(text, i, null, () => (this.nestedInString = false));
    }
    const char = text[i]!;
    if (char === '"') this.nestedInString = true;
    else if (char === "{" || char === "[") this.nestedDepth += 1;
    else if (char === "}" || char === "]") {
      this.nestedDepth -= 1;
      if (this.nestedDepth === 0) this.state = "after-value";
    }
    return i + 1;
  }

  private store(key: CapturedKey, value: string): void {
    switch (key) {
      case "type":
        this.type = value;
        return;
      case "code":
        this.code = value;
        return;
      case "description":
        this.description = value;
        return;
      default: {
        const unknownKey: never = key;
        throw new Error(`not a captured key: ${String(unknownKey)}`);
      }
    }
  }

  /**
   * Reads string content from i: unescaped runs go to `sink` in bulk (found with one regex
   * search, so a 30 MB result is not walked character by character), escapes are decoded even
   * when split across chunks. Calls `close` at the closing quote and returns the index after it.
   */
  private scanString(text: string, start: number, sink: ((piece: string) => void) | null, close: () => void): number {
    let i = start;
    while (i < text.length) {
      if (this.escape === 1) {
        const char = text[i]!;
        if (char === "u") {
          this.escape = 2;
          this.hex = "";
        } else {
          const decoded = SIMPLE_ESCAPES[char];
          if (decoded === undefined) this.fail(`invalid escape '\\${char}'`, i);
          this.escape = 0;
          sink?.(decoded);
        }
        i += 1;
        continue;
      }
      if (this.escape === 2) {
        const take = Math.min(4 - this.hex.length, text.length - i);
        this.hex += text.slice(i, i + take);
        i += take;
        if (this.hex.length === 4) {
          if (!HEX4.test(this.hex)) this.fail(`invalid \\u escape '\\u${this.hex}'`, i - 4);
          sink?.(String.fromCharCode(Number.parseInt(this.hex, 16)));
          this.escape = 0;
        }
        continue;
      }
      SPECIAL_IN_STRING.lastIndex = i;
      const match = SPECIAL_IN_STRING.exec(text);
      if (match === null) {
        sink?.(text.slice(i));
        return text.length;
      }
      const at = match.index;
      if (at > i) sink?.(text.slice(i, at));
      const char = text[at]!;
      if (char === '"') {
        close();
        return at + 1;
      }
      if (char === "\\") {
        this.escape = 1;
        i = at + 1;
        continue;
      }
      this.fail(`unescaped control character U+${char.charCodeAt(0).toString(16).padStart(4, "0")} in a string`, at);
    }
    return i;
  }
}
