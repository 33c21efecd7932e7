import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets } from "./logger.js";

function capture(): { lines: () => Record<string, unknown>[]; text: () => string; logger: ReturnType<typeof createLogger> } {
  const written: string[] = [];
  const logger = createLogger({ level: "trace", destination: { write: (line: string) => void written.push(line) } });
  return { logger, text: () => written.join(""), lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("log redaction", () => {
  it("replaces every secret-named value at any depth we log, in objects, arrays and errors", () => {
    const { logger, lines, text } = capture();
    const error = Object.assign(new Error("login refused"), { token: "tok-in-error", details: { secretKey: "sec-in-error" } });
    logger.info({ apikey: "k1", body: { appKey: "k2", nested: { secretKey: "k3", deeper: { accessToken: "k4" } } }, list: [{ token: "k5" }, { password: "k6" }] }, "one");
    logger.warn({ headers: { authorization: "k7", Authorization: "k8", cookie: "k9" }, uniqueKey: "k10" }, "two");
    logger.error({ err: error }, "three");
    logger.child({ token: "k11" }).info("four");
    for (const secret of ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "tok-in-error", "sec-in-error"]) expect(text()).not.toContain(`"${secret}"`);
    const [one, two, three, four] = lines();
    expect(one).toMatchObject({ apikey: "[redacted]", body: { appKey: "[redacted]", nested: { secretKey: "[redacted]", deeper: { accessToken: "[redacted]" } } }, list: [{ token: "[redacted]" }, { password: "[redacted]" }] });
    expect(two).toMatchObject({ headers: { authorization: "[redacted]", Authorization: "[redacted]", cookie: "[redacted]" }, uniqueKey: "[redacted]" });
    // The error still says what happened.
    expect(three!["err"]).toMatchObject({ type: "Error", message: "login refused", token: "[redacted]", details: { secretKey: "[redacted]" } });
    expect(String((three!["err"] as { stack: string }).stack)).toContain("login refused");
    expect(four).toMatchObject({ token: "[redacted]", msg: "four" });
  });

  it("leaves everything else as it was, and never changes the caller's object", () => {
    const { logger, lines } = capture();
    const fields = { orderid: 1100000001, symbol: "NIFTY28MAR2420800CE", nested: { apikey: "secret-value", keep: [1, 2] } };
    logger.info(fields, "order placed");
    expect(lines()[0]).toMatchObject({ orderid: 1100000001, symbol: "NIFTY28MAR2420800CE", nested: { apikey: "[redacted]", keep: [1, 2] }, msg: "order placed" });
    expect(fields.nested.apikey).toBe("secret-value");
    const clean = { method: "POST", url: "/api/v1/ping", status: 200 };
    expect(redactSecrets(clean)).toBe(clean);
  });

  it("a cycle in a logged object does not hang the logger", () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: "loop" };
    loop["self"] = loop;
    loop["token"] = "t-loop";
    logger.info({ loop }, "cyclic");
    expect(JSON.stringify(lines()[0])).not.toContain("t-loop");
  });
});

describe("log redaction of error causes", () => {
  it("a secret in an error's cause is replaced, and the cause still logged", () => {
    const { logger, lines, text } = capture();
    const cause = Object.assign(new Error("socket hang up"), { authorization: "auth-in-cause" });
    logger.warn({ err: new Error("xts call failed", { cause }) }, "failed");
    expect(text()).not.toContain("auth-in-cause");
    expect(lines()[0]!["err"]).toMatchObject({ message: expect.stringContaining("xts call failed") });
    expect(text()).toContain("socket hang up");
  });
});
