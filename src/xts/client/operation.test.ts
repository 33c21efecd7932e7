import { describe, expect, it } from "vitest";
import type { ReplyOutcome } from "./classify.js";
import { badResponseError, outcomeError, transportError, TransportFailure, type Operation, type OperationKind } from "./operation.js";

const ORDER: Operation = { name: "placeOrder", kind: "order", timeoutMs: 5000, order: { orderUniqueIdentifier: "ob-1" } };
const MODIFY: Operation = { name: "modifyOrder", kind: "order", timeoutMs: 5000, order: { orderUniqueIdentifier: "ob-2", appOrderID: 77 } };
const op = (kind: OperationKind): Operation => ({ name: kind, kind, timeoutMs: 1000 });

type Failure = Exclude<ReplyOutcome, { kind: "ok" }>;
const envelope = { code: "e-x-0001", description: "Order rejected: price out of band" };

describe("transportError", () => {
  it("reports an order whose request may have been sent as outcome unknown, with its identifiers", () => {
    for (const kind of ["timeout", "maybe-sent"] as const) {
      const error = transportError(MODIFY, new TransportFailure(kind, "request", "x", undefined));
      expect(error.code).toBe("ORDER_OUTCOME_UNKNOWN");
      expect(error.retry).toBe("unsafe");
      expect(error.details).toMatchObject({ orderUniqueIdentifier: "ob-2", appOrderID: 77, operation: "modifyOrder" });
      expect(error.cause).toBeInstanceOf(TransportFailure);
    }
  });

  it("reports an order that never left as unavailable, safe to try again", () => {
    const error = transportError(ORDER, new TransportFailure("not-sent", "request", "ECONNREFUSED", undefined));
    expect([error.code, error.retry]).toEqual(["XTS_UNAVAILABLE", "safe"]);
  });

  it.each([
    ["read", "timeout", "XTS_TIMEOUT", "safe"],
    ["read", "maybe-sent", "XTS_UNAVAILABLE", "safe"],
    ["login", "not-sent", "XTS_UNAVAILABLE", "safe"],
    ["command", "timeout", "XTS_TIMEOUT", "unsafe"],
    ["command", "maybe-sent", "XTS_UNAVAILABLE", "unsafe"],
    ["command", "not-sent", "XTS_UNAVAILABLE", "safe"],
  ] as const)("%s + %s → %s (%s)", (kind, failure, code, retry) => {
    const error = transportError(op(kind), new TransportFailure(failure, "request", "x", undefined));
    expect([error.code, error.retry]).toEqual([code, retry]);
  });
});

describe("outcomeError", () => {
  it.each<[OperationKind | "modify", Failure, string, string]>([
    ["read", { kind: "rejected", status: 400, envelope }, "XTS_REJECTED", "never"],
    ["order", { kind: "rejected", status: 400, envelope }, "XTS_REJECTED", "never"],
    ["login", { kind: "rejected", status: 400, envelope }, "XTS_AUTH_FAILED", "never"],
    ["login", { kind: "invalid-token", status: 400, envelope }, "XTS_AUTH_FAILED", "never"],
    ["read", { kind: "invalid-token", status: 200, envelope }, "XTS_SESSION_EXPIRED", "safe"],
    ["order", { kind: "invalid-token", status: 200, envelope }, "XTS_SESSION_EXPIRED", "safe"],
    ["read", { kind: "rate-limited", status: 429, retryAfterMs: 2000 }, "XTS_RATE_LIMITED", "safe"],
    ["order", { kind: "rate-limited", status: 429, retryAfterMs: null }, "XTS_RATE_LIMITED", "safe"],
    ["read", { kind: "server-error", status: 503, envelope: null, retryAfterMs: null }, "XTS_UNAVAILABLE", "safe"],
    ["command", { kind: "server-error", status: 503, envelope: null, retryAfterMs: null }, "XTS_UNAVAILABLE", "unsafe"],
    ["order", { kind: "server-error", status: 500, envelope: null, retryAfterMs: null }, "ORDER_OUTCOME_UNKNOWN", "unsafe"],
    ["read", { kind: "no-data", status: 400, envelope }, "XTS_REJECTED", "never"],
    ["read", { kind: "bad-response", status: 200, reason: "not JSON" }, "XTS_BAD_RESPONSE", "safe"],
    ["order", { kind: "bad-response", status: 200, reason: "not JSON" }, "ORDER_OUTCOME_UNKNOWN", "unsafe"],
    ["order", { kind: "bad-response", status: 404, reason: "not JSON" }, "XTS_BAD_RESPONSE", "never"],
    ["command", { kind: "bad-response", status: 200, reason: "not JSON" }, "XTS_BAD_RESPONSE", "unsafe"],
  ])("%s + %o → %s", (kind, outcome, code, retry) => {
    const operation = kind === "order" ? ORDER : op(kind as OperationKind);
    const error = outcomeError(operation, outcome);
    expect([error.code, error.retry]).toEqual([code, retry]);
  });

  it("keeps XTS's code and description verbatim on a rejection", () => {
    const error = outcomeError(op("read"), { kind: "rejected", status: 400, envelope });
    expect(error).toMatchObject({ xtsCode: "e-x-0001", description: "Order rejected: price out of band" });
    expect(error.message).toContain("Order rejected: price out of band");
  });

  it("carries Retry-After on a rate limit", () => {
    expect(outcomeError(op("read"), { kind: "rate-limited", status: 429, retryAfterMs: 2000 })).toMatchObject({ retryAfterMs: 2000 });
  });

  it("says an unknown order outcome must be checked, not resent", () => {
    const error = badResponseError(ORDER, 200, "result.AppOrderID is missing");
    expect(error.message).toMatch(/ob-1.*check the order book/);
  });
});
