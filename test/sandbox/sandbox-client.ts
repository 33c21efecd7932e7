import { generateMaster, type GeneratedInstrument, type GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { SandboxOptions } from "../../src/sandbox/sandbox-options.js";

/**
 * A tiny XTS caller for the sandbox tests: real HTTP over loopback with fetch, no client library,
 * so the tests pin the wire format itself.
 */
export interface WireResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<WireResponse> {
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token !== undefined) headers["authorization"] = options.token;
  const response = await fetch(url, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const REFERENCE_DATE = "2025-06-02";

/** One small master per test file: generating it is the slow part of starting a sandbox. */
export function smallMaster(): GeneratedMaster {
  return generateMaster({ seed: 7, instruments: 3000, referenceDate: REFERENCE_DATE });
}

export async function startSandbox(master: GeneratedMaster, options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({ master, ...options });
}

export function interactive(sandbox: Sandbox): string {
  return `${sandbox.url}/interactive`;
}

export function market(sandbox: Sandbox): string {
  return `${sandbox.url}/apibinarymarketdata`;
}

export async function interactiveLogin(sandbox: Sandbox): Promise<string> {
  const response = await call(interactive(sandbox), "POST", "/user/session", {
    body: { appKey: sandbox.options.interactiveKey, secretKey: sandbox.options.interactiveSecret, source: "WEBAPI" },
  });
  if (response.status !== 200) throw new Error(`interactive login failed: ${response.text}`);
  return response.json.result.token as string;
}

export async function marketLogin(sandbox: Sandbox): Promise<string> {
  const response = await call(market(sandbox), "POST", "/auth/login", {
    body: { appKey: sandbox.options.marketKey, secretKey: sandbox.options.marketSecret, source: "WebAPI" },
  });
  if (response.status !== 200) throw new Error(`market login failed: ${response.text}`);
  return response.json.result.token as string;
}

/** The first instrument of a kind in a segment, with a price band wide enough to test both sides. */
export function pick(master: GeneratedMaster, segment: string, kind: GeneratedInstrument["kind"], skip = 0): GeneratedInstrument {
  const found = master.instruments.filter((instrument) => instrument.segment === segment && instrument.kind === kind)[skip];
  if (found === undefined) throw new Error(`no ${kind} #${skip} in ${segment}`);
  return found;
}

