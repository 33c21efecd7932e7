import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodySink, Reply } from "./envelope.js";

/** Request bodies are small JSON objects; anything past this is refused rather than buffered. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * JSON normally; the official Python SDK sends the login form-encoded (xts-protocol.md §1.3),
 * so that is understood too.
 */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw.trim() === "") return { ok: true, value: null };
  if ((contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function streamSink(res: ServerResponse): BodySink {
  return {
    write(chunk) {
      if (res.destroyed || res.writableEnded) return Promise.resolve(false);
      if (res.write(chunk)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (alive: boolean) => {
          res.off("drain", onDrain);
          res.off("close", onClose);
          resolve(alive);
        };
        const onDrain = () => done(true);
        const onClose = () => done(false);
        res.on("drain", onDrain);
        res.on("close", onClose);
      });
    },
    end() {
      if (!res.destroyed && !res.writableEnded) res.end();
    },
  };
}

/** Sends a reply; resolves when it has been handed to the socket (or the client went away). */
export async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  if (res.destroyed) return;
  switch (reply.kind) {
    case "json": {
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...reply.headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case "text":
      res.writeHead(reply.status, { ...reply.headers, "content-type": reply.contentType, "content-length": Buffer.byteLength(reply.body) });
      res.end(reply.body);
      return;
    case "stream": {
      res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
      const sink = streamSink(res);
      await reply.write(sink);
      sink.end();
      return;
    }
    default: {
      const unknown: never = reply;
      throw new Error(`unknown reply ${JSON.stringify(unknown)}`);
    }
  }
}
