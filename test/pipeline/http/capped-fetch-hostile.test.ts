/**
 * The capped fetch against servers that misbehave after the part shelfwise
 * reads: a redirect whose body never ends must not keep a connection reading
 * (and the machine's bandwidth) after the request has finished.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cappedFetch } from "../../../src/pipeline/http/capped-fetch.js";

let server: http.Server;
let url: string;
let redirectClosed: Promise<number>;
beforeAll(async () => {
  let closed!: (bytes: number) => void;
  redirectClosed = new Promise((resolve) => (closed = resolve));
  server = http.createServer((req, res) => {
    if (req.url === "/landed") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"ok":true}');
      return;
    }
    // A redirect followed by a body that never ends.
    res.writeHead(302, { Location: "/landed" });
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once("drain", pump);
    };
    res.on("close", () => closed(sent));
    res.on("error", () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it("drops a redirect's endless body instead of reading it after the request is done", async () => {
  const response = await cappedFetch({ url: `${url}/start`, timeoutMs: 5000, allowPrivate: true });
  expect(JSON.parse(response.body)).toEqual({ ok: true });
  const outcome = await Promise.race([redirectClosed.then((bytes) => ({ closed: true, bytes })), new Promise<{ closed: false }>((resolve) => setTimeout(() => resolve({ closed: false }), 3000))]);
  // Closed by shelfwise long before the server could send much of its endless body.
  expect(outcome).toMatchObject({ closed: true });
  expect((outcome as { bytes: number }).bytes).toBeLessThan(64 * 1024 * 1024);
});
