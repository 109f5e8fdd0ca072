/**
 * The server on a real socket, as an attacker talks to it: connections that send their headers slowly,
 * event streams that never read, a header given twice, a request line in absolute form. Each with the
 * bytes on the wire, since node's parser and fastify's router decide what these mean.
 */
import net from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { MAX_WAITING_CONNECTIONS } from "../../src/server/connection-guard.js";
import { MAX_STREAMS, MAX_TOTAL_UNREAD_BYTES } from "../../src/server/events.js";
import { closeApi, openApi } from "./inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  home = createHome({ books: 0 });
  ({ service, app } = await openApi(home, { pages: false }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(() => closeApi({ app, service, home }));

/** Sends `text` as it is and reads the answer until the server closes (every request here says Connection: close). */
function exchange(text: string, onPort = port): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(onPort, "127.0.0.1", () => socket.write(text.replaceAll("PORT", String(onPort))));
    let answer = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

const status = (answer: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);

function connected(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
  });
}

describe("connections", () => {
  it("closes the longest-waiting of the connections still sending headers past the cap, and answers a new user", async () => {
    const slow: net.Socket[] = [];
    let closed = 0;
    try {
      for (let i = 0; i < MAX_WAITING_CONNECTIONS + 20; i++) {
        const socket = await connected();
        socket.on("close", () => closed++).on("error", () => {});
        // Headers begun, never ended: a slowloris client.
        socket.write(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
        slow.push(socket);
      }
      await expect.poll(() => closed).toBeGreaterThanOrEqual(20);
      // The first ones went, the last ones are still open.
      expect(slow[0]!.destroyed).toBe(true);
      expect(slow.at(-1)!.destroyed).toBe(false);
      const answer = await exchange("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n");
      expect(status(answer)).toBe(200);
    } finally {
      for (const socket of slow) socket.destroy();
    }
  });

  it("keeps what all stalled event streams hold under one total, dropping the slowest", async () => {
    const before = service.hub.size;
    const stalled: net.Socket[] = [];
    const streams = 32;
    try {
      for (let i = 0; i < streams; i++) {
        const socket = await connected();
        socket.on("error", () => {});
        socket.pause();
        socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
        stalled.push(socket);
      }
      await expect.poll(() => service.hub.size).toBe(before + streams);
      const big = { note: "x".repeat(256 * 1024) };
      // 6 MB for each: loopback's socket buffers take ~4 MB of a stream that is not read, so some 2 MB wait in
      // the server for each, under one stream's own limit (4 MB) and some 64 MB for all.
      for (let i = 0; i < 24; i++) {
        service.hub.publish("job", big);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(service.hub.unreadBytes()).toBeLessThanOrEqual(MAX_TOTAL_UNREAD_BYTES);
      expect(service.hub.size).toBeLessThan(before + streams);
    } finally {
      for (const socket of stalled) socket.destroy();
    }
    await expect.poll(() => service.hub.size).toBe(before);
  });
});

describe("event streams", () => {
  it("keeps at most MAX_STREAMS open, closing the oldest, so idle streams cannot use up the descriptors", async () => {
    const before = service.hub.size;
    const opened: net.Socket[] = [];
    const closed = new Set<number>();
    const open = async (i: number) => {
      const socket = await connected();
      // Read (and dropped): a socket that reads nothing never sees the server close it.
      socket.on("error", () => {}).on("close", () => closed.add(i)).resume();
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      opened[i] = socket;
    };
    const first = MAX_STREAMS - before;
    try {
      await Promise.all(Array.from({ length: first }, (_, i) => open(i)));
      await expect.poll(() => service.hub.size, { timeout: 10_000 }).toBe(MAX_STREAMS);
      expect(closed.size).toBe(0);
      for (let i = first; i < first + 5; i++) {
        await open(i);
        await expect.poll(() => closed.size).toBe(i - first + 1);
      }
      // The five closed were among the older ones; the newer ones stay open.
      expect([...closed].every((i) => i < first)).toBe(true);
      expect(service.hub.size).toBe(MAX_STREAMS);
    } finally {
      for (const socket of opened) socket?.destroy();
    }
    await expect.poll(() => service.hub.size).toBe(before);
  });
});

describe("headers and request lines", () => {
  const twice: [string, string, string][] = [
    ["host", "Host: 127.0.0.1:PORT", "Host: evil.example"],
    ["origin", "Origin: http://127.0.0.1:PORT", "Origin: http://evil.example"],
    ["cookie", "Cookie: shelfwise_token=a", "Cookie: shelfwise_token=b"],
    ["authorization", "Authorization: Bearer a", "Authorization: Bearer b"],
    ["content-type", "Content-Type: application/json", "Content-Type: text/plain"],
  ];
  // Two Content-Length headers, equal or not, node's parser refuses itself (400) before any check here.
  it.each(twice)("refuses a request giving %s twice (400), whichever comes first", async (name, first, second) => {
    const hostLine = name === "host" ? "" : "Host: 127.0.0.1:PORT\r\n";
    const answer = await exchange(`GET /api/status HTTP/1.1\r\n${hostLine}${first}\r\n${second}\r\nConnection: close\r\n\r\n`);
    expect(status(answer), answer).toBe(400);
    expect(answer).toContain(`the request gives the ${name} header more than once: send it once`);
  });

  it("judges an absolute-form request line by the path the router serves: no-store, and its host checked", async () => {
    const answer = await exchange("GET http://127.0.0.1:PORT/api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n");
    expect(status(answer)).toBe(200);
    expect(answer.toLowerCase()).toContain("cache-control: no-store");
    const foreign = await exchange("GET http://evil.example/api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n");
    expect(status(foreign), foreign).toBe(421);
  });

  it("asks the token of an absolute-form API request as of any other (401, not the login page's redirect)", async () => {
    const guarded = await buildServer(service, { host: "0.0.0.0", token: "t0ken-of-the-test-server", pages: false });
    try {
      await guarded.listen({ host: "127.0.0.1", port: 0 });
      const other = (guarded.server.address() as { port: number }).port;
      const answer = await exchange("GET http://127.0.0.1:PORT/api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n", other);
      expect(status(answer), answer).toBe(401);
      expect(answer.toLowerCase()).toContain("cache-control: no-store");
    } finally {
      await guarded.close();
    }
  });

  it("answers a method a route does not take with 405 and Allow (OPTIONS: 204 with Allow, no CORS), never echoing TRACE", async () => {
    const trace = await exchange("TRACE /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nX-Echo: secret-ish\r\nConnection: close\r\n\r\n");
    expect(status(trace), trace).toBe(405);
    expect(trace.toLowerCase()).toContain("allow: get, head");
    expect(trace).not.toContain("secret-ish");
    expect(trace).toContain('"/api/status is not answered to TRACE: use GET or HEAD"');
    const put = await exchange("PUT /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    expect(status(put), put).toBe(405);
    const options = await exchange("OPTIONS /api/books/12 HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: DELETE\r\nConnection: close\r\n\r\n");
    expect(status(options), options).toBe(204);
    expect(options.toLowerCase()).toMatch(/\r\nallow: get, head\r\n/);
    expect(options.toLowerCase()).not.toContain("access-control-allow");
    // An address served for no method is still a 404.
    expect(status(await exchange("OPTIONS /api/nothing-here HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n"))).toBe(404);
  });

  it("says what is wrong with a request node's parser refuses: an unknown method (501), a body length given two ways, a folded header", async () => {
    const method = await exchange("FOO /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n");
    expect(status(method), method).toBe(501);
    expect(method).toContain("use GET, HEAD, POST, PUT, PATCH or DELETE");
    const smuggled = await exchange("POST /api/process HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n");
    expect(status(smuggled), smuggled).toBe(400);
    expect(smuggled).toContain("send one Content-Length header, or Transfer-Encoding: chunked alone");
    // One answer: the request hidden in the body is never served.
    expect(smuggled.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    const folded = await exchange("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nX-A: a\r\n  b\r\nConnection: close\r\n\r\n");
    expect(status(folded), folded).toBe(400);
    expect(folded).toContain("a header is not folded over two lines");
  });

  it("refuses a body coded in a way it does not decode (Transfer-Encoding: gzip, chunked) with 501, starting nothing", async () => {
    const coded = await exchange("POST /api/process HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    expect(status(coded), coded).toBe(501);
    expect(service.status().job).toBeNull();
  });

  it("refuses a JSON body with a key given twice, or a whole number past 2^53 (read as another id), saying which", async () => {
    const post = (body: string) =>
      exchange(`POST /api/apply HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    const twice = await post('{"dry_run": false, "ids": [1], "dry_run": true}');
    expect(status(twice), twice).toBe(400);
    expect(twice).toContain('body: the key \\"dry_run\\" is given twice in one object (line 1, column 32): send it once');
    const big = await post('{"dry_run": true, "ids": [9007199254740993]}');
    expect(status(big), big).toBe(400);
    expect(big).toContain("past 2^53");
    expect(service.status().job).toBeNull();
  });

  it("takes the token from any of several cookies of its name: one another port of the host set cannot shut the user out", async () => {
    const token = "t0ken-of-the-cookie-test";
    const guarded = await buildServer(service, { host: "0.0.0.0", token, pages: false });
    try {
      await guarded.listen({ host: "127.0.0.1", port: 0 });
      const other = (guarded.server.address() as { port: number }).port;
      const answer = await exchange(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nCookie: shelfwise_token=tossed-by-another-port; shelfwise_token=${token}\r\nConnection: close\r\n\r\n`, other);
      expect(status(answer), answer).toBe(200);
      const wrong = await exchange("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nCookie: shelfwise_token=a; shelfwise_token=b\r\nConnection: close\r\n\r\n", other);
      expect(status(wrong), wrong).toBe(401);
    } finally {
      await guarded.close();
    }
  });

  it("refuses a request with more headers than node keeps (431), rather than acting on it with the rest dropped unread", async () => {
    const many = Array.from({ length: 250 }, (_, i) => `X-Pad-${i}: 1\r\n`).join("");
    const answer = await exchange(`POST /api/scan HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n${many}Origin: http://evil.example\r\nConnection: close\r\n\r\n`);
    expect(status(answer), answer).toBe(431);
    expect(service.status().job).toBeNull();
  });
});
