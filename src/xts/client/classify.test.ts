import { describe, expect, it } from "vitest";
import { classifyFetchFailure, classifyReply, describeFetchFailure, parseEnvelope, type XtsReply } from "./classify.js";

function reply(status: number, body: unknown, extra: Partial<XtsReply> = {}): XtsReply {
  return {
    status,
    contentType: "application/json",
    retryAfter: null,
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...extra,
  };
}

const INVALID_TOKEN = { type: "error", code: "e-session-0007", description: "Invalid Token" };

describe("classifyReply", () => {
  it("returns the result of a success envelope", () => {
    expect(classifyReply(reply(200, { type: "success", code: "s-orders-0001", description: "Request sent", result: { AppOrderID: 1 } }), 0)).toEqual({
      kind: "ok",
      status: 200,
      code: "s-orders-0001",
      description: "Request sent",
      result: { AppOrderID: 1 },
    });
  });

  it("accepts hostlookup's boolean type", () => {
    expect(classifyReply(reply(200, { type: true, code: "s-hostlookup-0001", description: "ok", result: {} }), 0).kind).toBe("ok");
  });

  it.each([200, 400, 401, 500])("recognises Invalid Token with HTTP %i", (status) => {
    expect(classifyReply(reply(status, INVALID_TOKEN), 0)).toMatchObject({ kind: "invalid-token", status });
  });

  it("recognises Invalid Token by description alone", () => {
    expect(classifyReply(reply(400, { type: "error", code: "e-x-1", description: "Invalid Token" }), 0).kind).toBe("invalid-token");
  });

  it.each(["e-orders-0005", "e-tradeBook-0005", "e-portfolio-0005", "e-holdings-0005"])("reads %s as no data", (code) => {
    expect(classifyReply(reply(400, { type: "error", code, description: "Data Not Available" }), 0)).toMatchObject({
      kind: "no-data",
      envelope: { code, description: "Data Not Available" },
    });
  });

  it("does not read another -0005 code as no data", () => {
    expect(classifyReply(reply(400, { type: "error", code: "e-user-0005", description: "Invalid uniqueKey" }), 0).kind).toBe("rejected");
  });

  it("keeps an error envelope's code, description and result verbatim", () => {
    const body = { type: "error", code: "e-trade-00002", description: "Supplied client not mapped under dealer", result: { x: 1 } };
    expect(classifyReply(reply(400, body), 0)).toEqual({
      kind: "rejected",
      status: 400,
      envelope: { code: "e-trade-00002", description: "Supplied client not mapped under dealer", result: { x: 1 } },
    });
  });

  it("reads 429 as rate limited, with Retry-After in seconds or as a date", () => {
    expect(classifyReply(reply(429, "", { retryAfter: "3" }), 0)).toEqual({ kind: "rate-limited", status: 429, retryAfterMs: 3000 });
    expect(classifyReply(reply(429, INVALID_TOKEN.description, { retryAfter: null }), 0)).toEqual({
      kind: "rate-limited",
      status: 429,
      retryAfterMs: null,
    });
  });

  it("reads 5xx as a server error whatever the body, keeping an envelope when there is one", () => {
    expect(classifyReply(reply(502, "<html><title>502 Bad Gateway</title></html>", { contentType: "text/html" }), 0)).toEqual({
      kind: "server-error",
      status: 502,
      envelope: null,
      retryAfterMs: null,
      detail: "not JSON (content-type text/html): 502 Bad Gateway",
    });
    expect(classifyReply(reply(503, "", { retryAfter: "4" }), 0)).toMatchObject({ kind: "server-error", retryAfterMs: 4000 });
    expect(classifyReply(reply(500, { type: "error", code: "e-x", description: "boom" }), 0)).toMatchObject({
      kind: "server-error",
      envelope: { code: "e-x", description: "boom" },
    });
  });

  it.each([
    ["an HTML page", reply(404, "<html><head><title>404 Not Found</title></head></html>", { contentType: "text/html" }), /not JSON \(content-type text\/html\): 404 Not Found/],
    ["an empty body", reply(200, ""), /empty body/],
    ["truncated JSON", reply(200, '{"type":"success","result":{"a"'), /malformed or truncated/],
    ["JSON that is not an envelope", reply(200, { ok: true }), /no XTS envelope 'type'/],
    ["a JSON array", reply(200, "[1]", { contentType: null }), /not JSON \(no content-type\)/],
    ["a success envelope with an error status", reply(400, { type: "success", result: 1 }), /success envelope with HTTP 400/],
    ["a non-string description", reply(200, { type: "error", code: "e", description: 5 }), /not a string/],
  ])("reads %s as a bad response", (_name, input, reason) => {
    const outcome = classifyReply(input, 0);
    expect(outcome.kind).toBe("bad-response");
    expect(outcome.kind === "bad-response" ? outcome.reason : "").toMatch(reason);
  });
});

describe("parseEnvelope", () => {
  it("never puts more than a clipped title of an error page in the reason", () => {
    const parsed = parseEnvelope(`<html><title>${"x".repeat(500)}</title></html>`, "text/html");
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason.length).toBeLessThan(200);
  });
});

function errorWithCause(code: string): Error {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

describe("classifyFetchFailure", () => {
  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT"])(
    "knows %s happens before sending",
    (code) => {
      expect(classifyFetchFailure(errorWithCause(code))).toBe("not-sent");
    },
  );

  it("finds a refusal inside an AggregateError (several addresses tried)", () => {
    const aggregate = new AggregateError([Object.assign(new Error("a"), { code: "ECONNREFUSED" })], "all failed");
    expect(classifyFetchFailure(new TypeError("fetch failed", { cause: aggregate }))).toBe("not-sent");
  });

  it("treats fetch's bad-port refusal as not sent", () => {
    expect(classifyFetchFailure(new TypeError("fetch failed", { cause: new Error("bad port") }))).toBe("not-sent");
  });

  it.each(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE", "UND_ERR_CLOSED"])("cannot rule out that %s came after sending", (code) => {
    expect(classifyFetchFailure(errorWithCause(code))).toBe("maybe-sent");
  });

  it("treats an unknown failure as maybe sent", () => {
    expect(classifyFetchFailure(new Error("terminated"))).toBe("maybe-sent");
    expect(classifyFetchFailure("weird")).toBe("maybe-sent");
  });

  it("describes a failure by its codes", () => {
    expect(describeFetchFailure(errorWithCause("ECONNRESET"))).toBe("ECONNRESET");
    expect(describeFetchFailure(undefined)).toBe("network error");
  });
});
