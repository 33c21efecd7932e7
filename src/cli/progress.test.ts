import { describe, expect, it } from "vitest";
import { bar } from "./progress.js";

describe("a segment's progress bar", () => {
  it("is full only when the segment is done; a failed one shows what it got and x for the rest", () => {
    expect(bar({ phase: "done", lines: 10 }, 10)).toBe(`[${"#".repeat(20)}]`);
    expect(bar({ phase: "failed", lines: 0 }, 100)).toBe(`[${"x".repeat(20)}]`);
    expect(bar({ phase: "failed", lines: 50 }, 100)).toBe(`[${"#".repeat(10)}${"x".repeat(10)}]`);
    expect(bar({ phase: "downloading", lines: 50 }, 100)).toBe(`[${"#".repeat(10)}${".".repeat(10)}]`);
    expect(bar({ phase: "queued", lines: 0 }, 100)).toBe(`[${".".repeat(20)}]`);
  });
});
