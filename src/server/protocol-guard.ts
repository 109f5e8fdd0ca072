/**
 * Requests in a protocol this server does not speak, refused with words
 * rather than answered as something else.
 *
 * HTTP versions: node's parser takes any `HTTP/d.d` and hands `HTTP/2.0` and
 * `HTTP/0.9` (or a bare `GET /`) on as if they were HTTP/1.1, which fastify
 * then answered; other versions (`HTTP/3`, `HTTP/1.2`, `HTTP/1.1x`) it refuses
 * as a parse error, which read "not a valid HTTP/1.1 request". Both are 505 now
 * (RFC 9110 15.6.6), saying which versions are spoken.
 *
 * Other protocols: llhttp also parses RTSP (`DESCRIBE / RTSP/1.0`, and RTSP's
 * `GET / RTSP/1.0`) and Icecast's `SOURCE / ICE/1.0`, and hands them on with
 * httpVersion "1.0" and nothing that says the protocol was not HTTP, so they
 * were answered as HTTP/1.0 requests. The request line is read off the bytes
 * before the parser takes them (foreignRequestLines) and such a request is
 * refused like another version.
 *
 * TLS: a browser or curl given https:// for this plain-HTTP port opens with a
 * TLS record (0x16, "handshake", then version 0x03 0x0X), which the parser
 * read as an unknown method (501). The client does not speak HTTP, so no
 * status line helps it: it is sent one plain-text line saying to use
 * http:// (tools that show what came back, `openssl s_client`, `nc`, show it;
 * a browser shows its own TLS error either way), and the connection is closed.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export const SPOKEN_VERSIONS = "HTTP/1.1 (or HTTP/1.0)";

export const VERSION_REFUSAL = `this server speaks ${SPOKEN_VERSIONS} only: send the request line as \`GET /path HTTP/1.1\` (an HTTP/2 or HTTP/3 client: let it fall back to HTTP/1.1)`;

/** llhttp's refusals that are about the request line's protocol or version, not the rest of the request. */
export function isVersionError(error: Error & { code?: string; reason?: unknown }): boolean {
  if (error.code === "HPE_INVALID_VERSION") return true;
  return error.code === "HPE_INVALID_CONSTANT" && typeof error.reason === "string" && /HTTP\/|RTSP\/|ICE\//.test(error.reason);
}

/** Whether the bytes a connection opened with are a TLS record header: handshake (22), version 3.x. */
export function looksLikeTls(bytes: unknown): boolean {
  if (!Buffer.isBuffer(bytes) || bytes.length === 0 || bytes[0] !== 0x16) return false;
  return bytes.length === 1 || bytes[1] === 0x03;
}

/** The line sent back to a TLS handshake: the address to open instead. */
export function tlsRefusal(socket: Socket): string {
  const local = (socket.localAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  const address = local === "" ? "http://" : `http://${local.includes(":") ? `[${local}]` : local}:${socket.localPort}/`;
  return `shelfwise serves plain HTTP on this port, not HTTPS: open ${address} (http://, not https://), or put an HTTPS proxy in front of it\n`;
}

/** A request line whose protocol is not HTTP (what llhttp lets through: RTSP/x.y, ICE/x.y), read off the bytes. */
interface ForeignLine {
  method: string;
  url: string;
  protocol: string;
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) ([A-Za-z][A-Za-z0-9+.-]*)\/(\d+(?:\.\d+)?)\r?$/;

/** No request line is longer than node's header limit: a longer unfinished line is not kept. */
const MAX_LINE = 64 * 1024;

/** Lines of a body that look like foreign request lines are forgotten past this many: the queue stays bounded. */
const MAX_REMEMBERED = 16;

/**
 * Notes, per connection, the request lines in another protocol than HTTP as the bytes arrive (a listener in front
 * of node's parser, which runs on the same bytes right after it), so the request node then emits can be matched to
 * its line by method and target. A body line that merely looks like one is skipped: the request that follows it has
 * another method or target, or is refused as the protocol it says it is.
 */
function foreignRequestLines(server: Server): WeakMap<Socket, ForeignLine[]> {
  const lines = new WeakMap<Socket, ForeignLine[]>();
  server.on("connection", (socket: Socket) => {
    let carry = "";
    socket.prependListener("data", (chunk: Buffer | string) => {
      const text = carry + (typeof chunk === "string" ? chunk : chunk.toString("latin1"));
      const end = text.lastIndexOf("\n");
      carry = text.length - end - 1 > MAX_LINE ? "" : text.slice(end + 1);
      // The parser refuses every other protocol itself; most connections hold neither word, and no line is split for them.
      if (end < 0 || (!text.includes("RTSP/") && !text.includes("ICE/"))) return;
      for (const line of text.slice(0, end).split("\n")) {
        const found = REQUEST_LINE.exec(line);
        if (!found || found[3] === "HTTP") continue;
        const queue = lines.get(socket) ?? [];
        queue.push({ method: found[1]!, url: found[2]!, protocol: `${found[3]}/${found[4]}` });
        if (queue.length > MAX_REMEMBERED) queue.shift();
        lines.set(socket, queue);
      }
    });
  });
  return lines;
}

/** The foreign line the request was read from, taken off its connection's queue, or null for an HTTP request. */
function takeForeignLine(lines: WeakMap<Socket, ForeignLine[]>, request: IncomingMessage): ForeignLine | null {
  const queue = lines.get(request.socket as Socket);
  if (!queue) return null;
  const at = queue.findIndex((line) => line.method === request.method && line.url === request.url);
  if (at < 0) return null;
  return queue.splice(0, at + 1)[at]!;
}

/** Connections answered with a 505: what the client sent behind the refused request is neither served nor refused (one answer, then close). */
const refused = new WeakSet<object>();

/** Whether the connection's last answer was a 505, after which node closes it: nothing more is sent on it. */
export function refusedConnection(socket: object): boolean {
  return refused.has(socket);
}

/**
 * Puts the version check in front of the server's own request handler (fastify's), so a request of another
 * version reaches no route, hook or body parser. The handler is taken off and called from here: node emits
 * "request" to every listener, and a listener in front cannot stop the others.
 */
export function refuseOtherVersions(server: Server): void {
  const handlers = server.listeners("request") as ((request: IncomingMessage, response: ServerResponse) => void)[];
  for (const handler of handlers) server.removeListener("request", handler);
  const foreign = foreignRequestLines(server);
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const line = takeForeignLine(foreign, request);
    if (refused.has(request.socket)) {
      // Node already queued this answer behind the 505; sending none lets the connection close after the 505.
      request.socket.pause();
      return;
    }
    if (!line && request.httpVersionMajor === 1) {
      for (const handler of handlers) handler(request, response);
      return;
    }
    const said = line ? `${line.protocol}, not HTTP` : `HTTP/${request.httpVersion}`;
    const body = JSON.stringify({ error: `the request line says ${said}: ${VERSION_REFUSAL}` });
    refused.add(request.socket);
    response.shouldKeepAlive = false;
    response.writeHead(505, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body), "X-Content-Type-Options": "nosniff", Connection: "close" });
    response.end(body);
  });
}
