import { describe, expect, it } from "vitest";
import { interactiveBaseFromConnectionString } from "./login.js";

describe("interactiveBaseFromConnectionString", () => {
  const lookup = "https://smpb.jainam.in:4143/hostlookup";

  it.each([
    ["http://ctrade.jainam.in:4202", "http://ctrade.jainam.in:4202"],
    ["http://127.0.0.1:8710/5interactive", "http://127.0.0.1:8710/5interactive"],
    ["https://smpa.jainam.in:6543/1hostlookup", "https://smpa.jainam.in:6543/1interactive"],
    ["https://smpb.jainam.in:4143/5hostlookup/", "https://smpb.jainam.in:4143/5interactive"],
    ["https://smpb.jainam.in:4143/5HostLookup", "https://smpb.jainam.in:4143/5interactive"],
    ["/5interactive", "https://smpb.jainam.in:4143/5interactive"],
    ["https://x.test/hostlookup", "https://x.test/hostlookup"],
  ])("%s → %s", (connectionString, base) => {
    expect(interactiveBaseFromConnectionString(connectionString, lookup)).toBe(base);
  });

  it("refuses what is not an http(s) URL", () => {
    expect(interactiveBaseFromConnectionString("ftp://x/1", lookup)).toBeNull();
    expect(interactiveBaseFromConnectionString("http://[bad", lookup)).toBeNull();
  });
});
