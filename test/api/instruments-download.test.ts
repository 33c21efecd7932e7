import { request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { eventually } from "../support/poll.js";
import { apiFixture } from "./harness.js";

/** GET /instruments over a real socket, by a client that does not read its answer. */
function stalledDownload(port: number, apikey: string): Promise<{ res: IncomingMessage; destroy: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: `/api/v1/instruments?apikey=${apikey}` }, (res) => {
      res.pause();
      resolve({ res, destroy: () => req.destroy() });
    });
    req.on("error", reject);
    req.end();
  });
}

async function readAll(port: number, apikey: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/instruments?apikey=${apikey}`);
  return { status: res.status, body: await res.text() };
}

/** Large answers must not multiply: bounded per key, streamed from one serialised copy. */
describe("GET /instruments with clients that do not read", () => {
  let port: number;
  // Large enough (~14 MB of JSON) that a paused client cannot take it all into socket buffers.
  const h = apiFixture({ gateway: { sandbox: { instruments: 60_000 } } }, async (started) => {
    await started.app.listen({ host: "127.0.0.1", port: 0 });
    port = (started.app.server.address() as AddressInfo).port;
  });

  it("a key may have two downloads in flight; a third is 429, and one may start again when one ends", async () => {
    const first = await stalledDownload(port, h.key);
    const second = await stalledDownload(port, h.key);
    expect([first.res.statusCode, second.res.statusCode]).toEqual([200, 200]);
    const third = await readAll(port, h.key);
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/at most 2 instrument downloads at a time/) });
    // Another key is not affected.
    const { key: other } = await new ApiKeys(h.gw.store).create("other");
    expect((await readAll(port, other)).status).toBe(200);
    first.destroy();
    await eventually("a slot frees when a download ends", async () => (await readAll(port, h.key)).status === 200);
    second.destroy();
  });

  it("the streamed answer is the whole list, the same bytes for every download of one contract version", async () => {
    const [a, b] = [await readAll(port, h.key), await readAll(port, h.key)];
    expect(a.status).toBe(200);
    expect(a.body).toBe(b.body);
    const parsed = JSON.parse(a.body) as { status: string; data: unknown[] };
    expect(parsed.status).toBe("success");
    expect(parsed.data).toHaveLength(h.gw.resolver.current.size);
  });
});
