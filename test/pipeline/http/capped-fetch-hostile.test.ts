/**
 * The capped fetch against servers that misbehave after the part shelfwise
 * reads: a redirect whose body never ends must not keep a connection reading
 * (and the machine's bandwidth) after the request has finished, and bytes
 * beyond an answer's Content-Length must not break the next request on that
 * kept-alive connection.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cappedFetch, createAgents, HttpFailure, type CappedRequest } from "../../../src/pipeline/http/capped-fetch.js";
import { makeTempDir, removeTempDir } from "../../support/temp-dir.js";

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
  const outcome = await Promise.race([redirectClosed.then((bytes) => ({ closed: true, bytes })), new Promise<{ closed: false }>((resolve) => setTimeout(() => resolve({ closed: false }), 20_000))]);
  // Closed by shelfwise long before the server could send much of its endless body.
  expect(outcome).toMatchObject({ closed: true });
  expect((outcome as { bytes: number }).bytes).toBeLessThan(64 * 1024 * 1024);
});

/**
 * A raw TCP server whose answers break HTTP's framing on a kept-alive
 * connection: more bytes than the Content-Length declared (in the same packet,
 * or arriving just as the next request does), a body shorter than declared, a
 * connection closed as it is reused. Each answer names its connection and the
 * request's number on it, so a test can tell a reused connection from a new one.
 */
describe("kept-alive connections a server broke", () => {
  let raw: net.Server;
  let base: string;
  let connections = 0;
  const open = new Set<net.Socket>();
  beforeAll(async () => {
    raw = net.createServer((socket) => {
      open.add(socket);
      const conn = ++connections;
      let served = 0;
      let buffered = Buffer.alloc(0);
      // What this connection does when its next request arrives (set by the answer before).
      let next: "junk" | "hang_up" | null = null;
      const answer = (text: string, declared = Buffer.byteLength(text)) =>
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n${text}`;
      socket.on("error", () => undefined);
      socket.on("data", (data) => {
        buffered = Buffer.concat([buffered, data]);
        for (;;) {
          const end = buffered.indexOf("\r\n\r\n");
          if (end < 0) return;
          const head = buffered.subarray(0, end).toString("latin1");
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffered.length < end + 4 + length) return;
          const sent = buffered.subarray(end + 4, end + 4 + length).toString();
          buffered = buffered.subarray(end + 4 + length);
          const path = head.split(" ")[1];
          served++;
          if (next === "hang_up") return void socket.destroy();
          const prefix = next === "junk" ? "JUNK" : "";
          next = null;
          const body = JSON.stringify({ conn, served, sent });
          if (path === "/extra") socket.write(answer(body) + '{"stray":true}');
          else if (path === "/short") socket.write(answer(body, Buffer.byteLength(body) + 10));
          else {
            if (path === "/junk-later") next = "junk";
            if (path === "/hang-up-later") next = "hang_up";
            socket.write(prefix + answer(body));
          }
        }
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => raw.close(resolve));
  });

  const fetchJson = async (agents: ReturnType<typeof createAgents>, path: string, extra: Partial<CappedRequest> = {}) =>
    JSON.parse((await cappedFetch({ url: `${base}${path}`, timeoutMs: 5000, allowPrivate: true, agents, ...extra })).body) as { conn: number; served: number; sent: string };

  const withAgents = async (work: (agents: ReturnType<typeof createAgents>) => Promise<void>) => {
    const agents = createAgents(1);
    try {
      await work(agents);
    } finally {
      agents.http.destroy();
    }
  };

  it("takes an answer followed by stray bytes in the same packet, and never uses its connection again", () =>
    withAgents(async (agents) => {
      const first = await fetchJson(agents, "/extra");
      expect(first.served).toBe(1);
      const second = await fetchJson(agents, "/plain");
      expect(second.conn).not.toBe(first.conn);
      expect(second.served).toBe(1);
    }));

  it("sends a request again on a new connection when stray bytes of the last answer arrive with it", () =>
    withAgents(async (agents) => {
      const first = await fetchJson(agents, "/junk-later");
      // Kept alive: the next request reuses this connection, and the stray bytes arrive before its answer.
      const resends: number[] = [];
      const second = await fetchJson(agents, "/plain", { beforeResend: async () => (resends.push(Date.now()), true) });
      expect(second.conn).not.toBe(first.conn);
      expect(resends).toHaveLength(1);
      // The agent's pool is clean: the next request is answered too.
      expect((await fetchJson(agents, "/plain")).served).toBeGreaterThanOrEqual(1);
    }));

  it("sends a request (body included) again when the server closes the kept-alive connection as it is reused", () =>
    withAgents(async (agents) => {
      const first = await fetchJson(agents, "/hang-up-later");
      const second = await fetchJson(agents, "/plain", { method: "POST", body: '{"q":"Dune"}', headers: { "Content-Type": "application/json" } });
      expect(second.conn).not.toBe(first.conn);
      expect(second.sent).toBe('{"q":"Dune"}');
    }));

  it("is cancelled, not sent again, when the rate limit's wait before the resend gives up", () =>
    withAgents(async (agents) => {
      await fetchJson(agents, "/junk-later");
      const error = await cappedFetch({ url: `${base}/plain`, timeoutMs: 5000, allowPrivate: true, agents, beforeResend: async () => false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpFailure);
      expect((error as HttpFailure).kind).toBe("aborted");
    }));

  it("drops the connection of a body shorter than its Content-Length; the next request is answered", () =>
    withAgents(async (agents) => {
      const error = await cappedFetch({ url: `${base}/short`, timeoutMs: 300, allowPrivate: true, agents }).catch((e: unknown) => e);
      expect((error as HttpFailure).kind).toBe("timeout");
      expect((await fetchJson(agents, "/plain")).served).toBe(1);
    }));

  it("says an https URL to a port that answers plain http does not speak TLS, not OpenSSL's words", async () => {
    // It was "write EPROTO 80FC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…".
    const port = new URL(url).port;
    const error = await cappedFetch({ url: `https://127.0.0.1:${port}/landed`, timeoutMs: 5000, allowPrivate: true }).catch((e: unknown) => e);
    expect((error as HttpFailure).kind).toBe("network");
    expect((error as HttpFailure).message).toBe(
      `request to https://127.0.0.1:${port} failed: the server on port ${port} does not speak TLS (https): it probably answers plain http:// there; use the URL's http:// form, or the port its https listens on`,
    );
  });

  // A certificate made here (no key kept in the repository); skipped where openssl is missing.
  const openssl = (() => {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!openssl)("says a self-signed certificate is not trusted and what to do, not only node's code", async () => {
    const dir = makeTempDir("self-signed");
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost"], { stdio: "ignore" });
    const tls = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const port = (tls.address() as AddressInfo).port;
      const error = await cappedFetch({ url: `https://127.0.0.1:${port}/`, timeoutMs: 5000, allowPrivate: true }).catch((e: unknown) => e);
      expect((error as HttpFailure).message).toBe(
        `request to https://127.0.0.1:${port} failed: its TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate); shelfwise checks certificates and has no switch to skip it: give the service a certificate from a public authority (or its real host name), or, on your own network, use http:// with allow_private: true`,
      );
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      removeTempDir(dir);
    }
  });

  it("says a fresh connection's answer that is not HTTP is not HTTP", async () => {
    const sockets = new Set<net.Socket>();
    const junk = net.createServer((socket) => (sockets.add(socket), socket.on("error", () => undefined), socket.end("JUNK\r\n\r\n")));
    await new Promise<void>((resolve) => junk.listen(0, "127.0.0.1", resolve));
    try {
      const error = await cappedFetch({ url: `http://127.0.0.1:${(junk.address() as AddressInfo).port}/`, timeoutMs: 5000, allowPrivate: true }).catch((e: unknown) => e);
      expect((error as HttpFailure).kind).toBe("network");
      expect((error as HttpFailure).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+ sent an answer that is not valid HTTP \(HPE_/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => junk.close(resolve));
    }
  });
});
