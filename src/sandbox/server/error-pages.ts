import { errorReply, type Reply } from "./envelope.js";
import type { FaultStatus } from "./faults.js";

/**
 * Non-JSON answers the real servers give: nginx pages for a wrong root or a failing upstream, the
 * Express error page for a crashed route (Jainam's holdings answered HTTP 500 HTML, [LIVE];
 * xts-protocol.md §5.6). Clients must check content-type before parsing.
 */
function nginxPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { kind: "text", status, body, contentType: "text/html; charset=utf-8", headers };
}

/** A root the server does not serve, e.g. `/apimarketdata` on Jainam Prop ([LIVE] nginx 404). */
export function nginxNotFound(): Reply {
  return html(404, nginxPage(404, "Not Found"));
}

/** An unknown route under a served root: Express's default 404. */
export function expressNotFound(method: string, fullPath: string): Reply {
  const escaped = fullPath.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return html(404, `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${escaped}</pre>\n</body>\n</html>\n`);
}

const REASONS: Readonly<Record<FaultStatus, string>> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

/** The answer of a `status` fault: 429 as an XTS error envelope, 5xx as the HTML pages above, unless `body` overrides. */
export function faultStatusReply(status: FaultStatus, retryAfterSeconds: number | undefined, body: "json" | "html" | undefined): Reply {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  const asJson = body === undefined ? status === 429 : body === "json";
  if (asJson) {
    const reply = errorReply(status, `e-sandbox-${status}`, REASONS[status]);
    return reply.kind === "json" ? { ...reply, headers } : reply;
  }
  if (status === 500) {
    return html(500, `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Internal Server Error</pre>\n</body>\n</html>\n`, headers);
  }
  return html(status, nginxPage(status, REASONS[status]), headers);
}
