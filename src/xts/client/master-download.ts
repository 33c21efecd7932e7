import type { XtsSegment } from "../segments.js";
import { classifyEnvelope, classifyReply, envelopeType, type ParsedEnvelope, type ReplyOutcome } from "./classify.js";
import { XtsBadResponseError, XtsSessionExpiredError, XtsTimeoutError } from "./errors.js";
import type { OpenResponse, XtsHttp } from "./http.js";
import type { MarketSession } from "./login.js";
import { EnvelopeDecodeError, MasterEnvelopeDecoder, type EnvelopeSummary } from "../master-stream.js";
import { isRetryableOutcome, outcomeError, transportError, TransportFailure, type Operation } from "./operation.js";
import type { SessionOwner } from "./session.js";

export interface MasterProgress {
  /** Body bytes received so far. */
  readonly bytes: number;
  /** From Content-Length, when the server sent one. */
  readonly totalBytes: number | null;
}

export interface DownloadMasterOptions {
  readonly onProgress?: (progress: MasterProgress) => void;
}

export interface MasterDownloadRequest {
  readonly http: XtsHttp;
  readonly session: SessionOwner<MarketSession>;
  readonly url: string;
  readonly segment: XtsSegment;
  readonly timeoutMs: number;
  readonly options: DownloadMasterOptions;
}

/** How one attempt ended, when it neither finished nor threw. */
type Step =
  | { readonly kind: "done" }
  | { readonly kind: "renew"; readonly outcome: ReplyOutcome & { kind: "invalid-token" } }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterMs: number | null; readonly error: Error };

interface Progress {
  yielded: boolean;
  bytes: number;
}

/**
 * `POST {md-root}/instruments/master` for one segment, streamed: the text of `result` is yielded
 * in chunks as the body arrives (xts-protocol.md §2.1; it is sent with the market token). Until
 * the first chunk is yielded a download may be repeated (429/5xx/network with backoff, one
 * re-login on "Invalid Token"); after that a failure is thrown and the caller drops the partial
 * segment.
 */
export async function* downloadMaster(request: MasterDownloadRequest): AsyncGenerator<string, void, undefined> {
  // e-*-0005 "Data Not Available" is an empty segment, like the empty NSECD/MCXFO masters Jainam serves (§2.1, §4.5 f).
  const operation: Operation = { name: `downloadMaster ${request.segment}`, kind: "read", timeoutMs: request.timeoutMs, emptyOnNoData: true };
  let session = await request.session.get();
  let renewed = false;
  for (let attempt = 1; ; attempt += 1) {
    const step = yield* attemptDownload(request, operation, session.token, attempt);
    switch (step.kind) {
      case "done":
        return;
      case "renew":
        if (renewed) throw outcomeError(operation, step.outcome);
        request.http.logger.info({ op: operation.name }, "xts session refused (Invalid Token); logging in again");
        session = await request.session.renew(session);
        renewed = true;
        break;
      case "retry":
        if (!(await request.http.backoff(operation, attempt, step.retryAfterMs, step.reason))) throw step.error;
        break;
      default: {
        const unknownStep: never = step;
        throw new Error(`unknown download step ${JSON.stringify(unknownStep)}`);
      }
    }
  }
}

async function* attemptDownload(
  request: MasterDownloadRequest,
  operation: Operation,
  token: string,
  attempt: number,
): AsyncGenerator<string, Step, undefined> {
  const { http } = request;
  let response: OpenResponse;
  try {
    response = await http.open(operation, { method: "POST", url: request.url, body: { exchangeSegmentList: [request.segment] }, token }, attempt);
  } catch (error) {
    if (!(error instanceof TransportFailure)) throw error;
    const final = transportError(operation, error);
    if (error.kind === "timeout") throw final;
    return { kind: "retry", reason: error.message, retryAfterMs: null, error: final };
  }
  const progress: Progress = { yielded: false, bytes: 0 };
  try {
    if (response.status < 200 || response.status > 299) {
      // Error answers are small envelopes (or error pages): read whole and classify as any other call.
      return nextStep(operation, classifyReply({ ...response, body: await response.text() }, http.now()), false);
    }
    const summary = yield* streamResult(operation, response, request.options, progress);
    const outcome = classifyEnvelope(response.status, summaryEnvelope(summary), null);
    if (outcome.kind === "ok" && summary.result !== "string") {
      throw new XtsBadResponseError(
        { operation: operation.name, httpStatus: response.status },
        summary.result === "absent" ? "success envelope without a result" : "result is not a string",
      );
    }
    return nextStep(operation, outcome, progress.yielded);
  } catch (error) {
    if (!(error instanceof TransportFailure)) throw error;
    const final = bodyError(operation, response.status, error, progress.bytes);
    if (progress.yielded || error.kind === "timeout") throw final;
    return { kind: "retry", reason: error.message, retryAfterMs: null, error: final };
  } finally {
    response.close();
  }
}

async function* streamResult(
  operation: Operation,
  response: OpenResponse,
  options: DownloadMasterOptions,
  progress: Progress,
): AsyncGenerator<string, EnvelopeSummary, undefined> {
  const decoder = new MasterEnvelopeDecoder();
  const utf8 = new TextDecoder();
  try {
    for await (const chunk of response.chunks) {
      progress.bytes += chunk.byteLength;
      options.onProgress?.({ bytes: progress.bytes, totalBytes: response.contentLength });
      const text = decoder.push(utf8.decode(chunk, { stream: true }));
      if (text !== "") {
        progress.yielded = true;
        yield text;
      }
    }
    const last = decoder.push(utf8.decode());
    if (last !== "") {
      progress.yielded = true;
      yield last;
    }
    return decoder.end();
  } catch (error) {
    if (!(error instanceof EnvelopeDecodeError)) throw error;
    throw new XtsBadResponseError({ operation: operation.name, httpStatus: response.status }, `master ${error.message}`, { cause: error });
  }
}

function summaryEnvelope(summary: EnvelopeSummary): ParsedEnvelope {
  const success = envelopeType(summary.type);
  if (success === null) return { ok: false, reason: "JSON body has no XTS envelope 'type'" };
  return { ok: true, success, code: summary.code ?? "", description: summary.description ?? "", result: undefined };
}

function nextStep(operation: Operation, outcome: ReplyOutcome, yielded: boolean): Step {
  switch (outcome.kind) {
    case "ok":
    case "no-data":
      return { kind: "done" };
    case "invalid-token":
      if (yielded) {
        throw new XtsSessionExpiredError({ operation: operation.name, httpStatus: outcome.status }, "session refused after part of the master was sent");
      }
      return { kind: "renew", outcome };
    case "rate-limited":
    case "server-error":
    case "rejected":
    case "bad-response": {
      const error = outcomeError(operation, outcome);
      if (yielded || !isRetryableOutcome(outcome)) throw error;
      return { kind: "retry", reason: `HTTP ${outcome.status}`, retryAfterMs: outcome.retryAfterMs, error };
    }
    default: {
      const unknownOutcome: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknownOutcome)}`);
    }
  }
}

/** The body stopped coming: our deadline, or the connection closed mid-body — a truncated master. */
function bodyError(operation: Operation, status: number, failure: TransportFailure, bytes: number): Error {
  if (failure.kind === "timeout") return new XtsTimeoutError({ operation: operation.name, httpStatus: status }, operation.timeoutMs, { cause: failure });
  return new XtsBadResponseError(
    { operation: operation.name, httpStatus: status },
    `master body truncated after ${bytes} bytes: the connection closed (${failure.message})`,
    { cause: failure },
  );
}
