import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EnvelopeDecodeError, MasterEnvelopeDecoder, type EnvelopeSummary } from "./master-stream.js";

function decode(chunks: readonly string[]): { text: string; pieces: string[]; summary: EnvelopeSummary } {
  const decoder = new MasterEnvelopeDecoder();
  const pieces = chunks.map((chunk) => decoder.push(chunk));
  return { text: pieces.join(""), pieces, summary: decoder.end() };
}

function splitAt(body: string, ...points: number[]): string[] {
  const cuts = [0, ...points, body.length];
  return cuts.slice(1).map((end, index) => body.slice(cuts[index], end));
}

function decodeError(chunks: readonly string[]): EnvelopeDecodeError {
  try {
    decode(chunks);
  } catch (error) {
    if (error instanceof EnvelopeDecodeError) return error;
    throw error;
  }
  throw new Error("expected the body to be refused");
}

const LINES = "NSECM|2885|8|RELIANCE|RELIANCE-EQ\nNSEFO|62329|1|NIFTY|NIFTY26JUNFUT\n";
// Every JSON escape: \" \\ \/ \b \f \n \r \t, \u with BMP, and a surrogate pair (😀 = \ud83d\ude00).
const ESCAPED_RESULT = String.raw`a\"b\\c\/d\be\ff\ng\rh\ti\u00e9j\u0041\ud83d\ude00k|é😀`;
const ESCAPED_BODY = `{"type":"success","code":"s-instrument-0001","description":"ok","result":"${ESCAPED_RESULT}"}`;
const ESCAPED_EXPECTED = (JSON.parse(ESCAPED_BODY) as { result: string }).result;

describe("MasterEnvelopeDecoder", () => {
  it("decodes the result and captures type, code and description", () => {
    const body = JSON.stringify({ type: "success", code: "s-x-0001", description: "Data found", result: LINES });
    const { text, summary } = decode([body]);
    expect(text).toBe(LINES);
    expect(summary).toEqual({ type: "success", code: "s-x-0001", description: "Data found", result: "string", resultLength: LINES.length });
  });

  it("decodes every escape, whatever single point the body is split at", () => {
    for (let at = 0; at <= ESCAPED_BODY.length; at += 1) {
      const { text, summary } = decode(splitAt(ESCAPED_BODY, at));
      expect(text, `split at ${at}`).toBe(ESCAPED_EXPECTED);
      expect(summary.type).toBe("success");
      expect(summary.code).toBe("s-instrument-0001");
    }
  });

  it("decodes every escape when every pair of points splits the body", () => {
    for (let a = 0; a <= ESCAPED_BODY.length; a += 1) {
      for (let b = a; b <= ESCAPED_BODY.length; b += 1) {
        expect(decode(splitAt(ESCAPED_BODY, a, b)).text, `split at ${a},${b}`).toBe(ESCAPED_EXPECTED);
      }
    }
  });

  it("decodes one character at a time", () => {
    expect(decode([...ESCAPED_BODY.split("")]).text).toBe(ESCAPED_EXPECTED);
  });

  it("never emits a chunk ending in half a surrogate pair", () => {
    const body = JSON.stringify({ type: "success", result: "x😀y😀" });
    const escaped = String.raw`{"type":"success","result":"x\ud83d\ude00y"}`;
    for (const source of [body, escaped]) {
      for (let at = 0; at <= source.length; at += 1) {
        const { pieces, text } = decode(splitAt(source, at));
        for (const piece of pieces) {
          if (piece.length > 0) expect(piece.charCodeAt(piece.length - 1) & 0xfc00).not.toBe(0xd800);
        }
        expect(text).toBe((JSON.parse(source) as { result: string }).result);
      }
    }
  });

  it("accepts members in any order, `type` after `result`, whitespace and skipped members of every kind", () => {
    const body = ` \n{ "result" : "L1\\nL2" , "extra": {"a": ["}", "\\"]", {"b": null}], "c": -1.5e3},
      "n": 12, "t": true, "nul": null, "s": "{\\"result\\":\\"no\\"}", "code":"s-1", "type" : "success" } \r\n`;
    const { text, summary } = decode([body]);
    expect(text).toBe("L1\nL2");
    expect(summary).toMatchObject({ type: "success", code: "s-1", description: undefined, result: "string" });
  });

  it("captures the boolean `type` hostlookup-style envelopes use", () => {
    expect(decode(['{"type":true,"result":""}']).summary).toMatchObject({ type: true, result: "string", resultLength: 0 });
  });

  it("reports an error envelope without a result, or with an object result", () => {
    const invalid = decode(['{"type":"error","code":"e-session-0007","description":"Invalid Token"}']);
    expect(invalid.text).toBe("");
    expect(invalid.summary).toEqual({
      type: "error",
      code: "e-session-0007",
      description: "Invalid Token",
      result: "absent",
      resultLength: 0,
    });
    const bad = decode(['{"type":"error","code":"e-app-0005","description":"Bad Request","result":{"errors":[{"m":"x"}]}}']);
    expect(bad.summary).toMatchObject({ type: "error", code: "e-app-0005", result: "other" });
  });

  it("reports an empty object as having no type and no result", () => {
    expect(decode(["{}"]).summary).toMatchObject({ type: undefined, result: "absent" });
  });

  it("throws a truncated error at every position the body can end early, after emitting a prefix", () => {
    for (let end = 0; end < ESCAPED_BODY.length; end += 1) {
      const decoder = new MasterEnvelopeDecoder();
      const emitted = decoder.push(ESCAPED_BODY.slice(0, end));
      expect(ESCAPED_EXPECTED.startsWith(emitted), `prefix ${end}`).toBe(true);
      let error: unknown;
      try {
        decoder.end();
      } catch (caught) {
        error = caught;
      }
      expect(error, `ends at ${end}`).toBeInstanceOf(EnvelopeDecodeError);
      expect((error as EnvelopeDecodeError).truncated).toBe(true);
      expect((error as EnvelopeDecodeError).message).toMatch(/truncated/);
    }
  });

  it.each([
    ["an HTML page", "<html><title>502 Bad Gateway</title></html>", /expected '\{'/],
    ["an unescaped control character", '{"result":"a\u0001b"}', /control character/],
    ["an invalid escape", '{"result":"a\\xb"}', /invalid escape/],
    ["a bad \\u escape", '{"result":"a\\u12G4"}', /invalid \\u escape/],
    ["trailing data", '{"result":""} x', /after the end/],
    ["a duplicate result", '{"result":"a","result":"b"}', /duplicate/],
    ["a missing colon", '{"result" "a"}', /expected ':'/],
    ["a trailing comma", '{"result":"a",}', /member name/],
    ["an invalid literal", '{"type":yes}', /invalid JSON value/],
    ["a missing comma", '{"a":1 "b":2}', /expected ',' or '}'/],
  ])("refuses %s as not truncated", (_name, body, message) => {
    const error = decodeError([body]);
    expect(error.truncated).toBe(false);
    expect(error.message).toMatch(message);
  });

  it("caps captured descriptions instead of growing without bound", () => {
    const long = "d".repeat(5000);
    expect(decode([JSON.stringify({ type: "error", description: long })]).summary.description).toHaveLength(1024);
  });

  it("matches JSON.parse for any string and any chunking (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        (result, cuts, typeFirst) => {
          const body = typeFirst
            ? JSON.stringify({ type: "success", code: "c", result })
            : JSON.stringify({ result, description: "d", type: "success" });
          const points = [...new Set(cuts.map((cut) => cut % (body.length + 1)))].sort((x, y) => x - y);
          const { text, summary } = decode(splitAt(body, ...points));
          expect(text).toBe(result);
          expect(summary.type).toBe("success");
        },
      ),
      { numRuns: 500 },
    );
  });
});
