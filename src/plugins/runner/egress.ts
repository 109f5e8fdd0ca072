/**
 * The node runner's way out of the plugin's network namespace: every TCP
 * connection to a declared host (net, http, https, tls, fetch) is carried
 * through shelfwise's egress proxy, which allows only the declared hosts and
 * refuses private addresses (src/plugins/sandbox/egress-proxy.ts).
 *
 * Installed before the net guard, so the guard still checks (and explains)
 * first; the connection then goes to the proxy's unix socket (inside the
 * namespace) or its loopback port (Landlock only) with a silent CONNECT, so
 * plugin code sees a plain stream. Node 20's fetch ignores HTTP_PROXY: this
 * works below it, at the socket, which fetch (undici) uses like everyone else.
 */
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import { SILENT_REFUSAL_MARK } from "./egress-mark.js";
import { hostAllowed } from "./net-guard.js";
import { utf8Head } from "../../domain/utf8-cut.js";

type Endpoint = { path: string } | { host: string; port: number };

export function egressEndpoint(env: NodeJS.ProcessEnv = process.env): Endpoint | null {
  if (env.SHELFWISE_EGRESS_SOCKET) return { path: env.SHELFWISE_EGRESS_SOCKET };
  const port = Number(env.SHELFWISE_EGRESS_PORT);
  return Number.isInteger(port) && port > 0 ? { host: "127.0.0.1", port } : null;
}

function preamble(host: string, port: number): string {
  const shown = host.includes(":") ? `[${host}]` : host;
  return `CONNECT ${shown}:${port} HTTP/1.1\r\nhost: ${shown}:${port}\r\nx-shelfwise-silent: 1\r\n\r\n`;
}

/** Socket#connect's target: (options), (port, host), (path), or node's normalized [options, cb]. */
function tcpTarget(args: unknown[]): { host: string; port: number } | null {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object") {
    const o = first as { host?: unknown; port?: unknown; path?: unknown };
    if (typeof o.path === "string" && o.path !== "") return null;
    return { host: typeof o.host === "string" && o.host ? o.host : "localhost", port: Number(o.port) };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return null;
  return { host: typeof args[1] === "string" && args[1] ? args[1] : "localhost", port: Number(first) };
}

function callbackOf(args: unknown[]): (() => void) | undefined {
  if (Array.isArray(args[0])) return (args[0] as unknown[])[1] as (() => void) | undefined;
  const last = args[args.length - 1];
  return typeof last === "function" ? (last as () => void) : undefined;
}

export function installEgress(allowedHosts: readonly string[], endpoint: Endpoint | null = egressEndpoint()): void {
  if (!endpoint) return;
  const rawConnect = net.Socket.prototype.connect as (this: net.Socket, ...a: unknown[]) => net.Socket;
  const isProxy = (t: { host: string; port: number }) => "port" in endpoint && t.port === endpoint.port && t.host === endpoint.host;

  net.Socket.prototype.connect = function tunnelledConnect(this: net.Socket, ...args: unknown[]) {
    const target = tcpTarget(args);
    if (!target || isProxy(target)) return rawConnect.apply(this, args);
    const callback = callbackOf(args);
    rawConnect.call(this, endpoint, ...(callback ? [callback] : []));
    failOnRefusal(this, target.host, target.port);
    this.write(preamble(target.host, target.port));
    return this;
  } as typeof net.Socket.prototype.connect;

  const rawTls = tls.connect as (...a: unknown[]) => tls.TLSSocket;
  tls.connect = function tunnelledTls(...args: unknown[]) {
    const { options, callback } = tlsArgs(args);
    const host = typeof options.host === "string" && options.host ? options.host : "localhost";
    // Undeclared: the plain path, where the guarded Socket#connect refuses it with the usual message.
    if (options.socket || options.path || !hostAllowed(host, allowedHosts)) return rawTls(...args);
    const port = Number(options.port ?? 443);
    const raw = new net.Socket();
    rawConnect.call(raw, endpoint);
    failOnRefusal(raw, host, port);
    raw.write(preamble(host, port));
    // A plain stream, not a net.Socket: TLS then writes through it, after the preamble.
    const stream = asStream(raw);
    const servername = options.servername ?? (net.isIP(host) ? undefined : host);
    return rawTls({ ...options, socket: stream, servername }, ...(callback ? [callback] : []));
  } as typeof tls.connect;
}

export class NetworkRefusedError extends Error {
  code = "ERR_SHELFWISE_NETWORK_REFUSED";
}

const MARK = Buffer.from(SILENT_REFUSAL_MARK, "latin1");
const MAX_REASON_BYTES = 4096;

/**
 * Reads the proxy's refusal off the tunnel's first bytes, before anything of the
 * plugin sees them, and fails the socket with the proxy's reason (fetch gives it
 * as the cause of "fetch failed"). Every stream read of a net.Socket goes
 * through its push(); the instance's own push is replaced until the first bytes
 * are known not to be a refusal, so a tunnel that is not refused costs one
 * comparison.
 */
function failOnRefusal(socket: net.Socket, host: string, port: number): void {
  const push = socket.push;
  let held: Buffer | null = null;
  const restore = () => {
    socket.push = push;
  };
  socket.push = function watchedPush(this: net.Socket, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk === null || !Buffer.isBuffer(chunk)) {
      restore();
      if (held) push.call(this, held);
      return push.call(this, chunk, encoding);
    }
    const bytes = held ? Buffer.concat([held, chunk]) : chunk;
    const n = Math.min(bytes.length, MARK.length);
    if (!bytes.subarray(0, n).equals(MARK.subarray(0, n))) {
      restore();
      held = null;
      return push.call(this, bytes);
    }
    const end = bytes.indexOf(10, MARK.length);
    if (end < 0 && bytes.length < MAX_REASON_BYTES) {
      held = bytes;
      return true;
    }
    restore();
    held = null;
    // Cut where a character starts: a byte cut ended the reason in U+FFFD.
    const reason = (end < 0 ? utf8Head(bytes, MAX_REASON_BYTES) : bytes.subarray(0, end)).subarray(MARK.length).toString("utf8");
    this.destroy(new NetworkRefusedError(`shelfwise refused the connection to ${host}:${port}: ${reason}`));
    return false;
  } as typeof socket.push;
}

function tlsArgs(args: unknown[]): { options: tls.ConnectionOptions; callback?: () => void } {
  let options: tls.ConnectionOptions = {};
  let callback: (() => void) | undefined;
  const rest = [...args];
  if (typeof rest[rest.length - 1] === "function") callback = rest.pop() as () => void;
  if (typeof rest[0] === "number") {
    options = { port: rest[0], ...(typeof rest[1] === "string" ? { host: rest[1] } : {}) };
    const last = rest[rest.length - 1];
    if (last && typeof last === "object") options = { ...(last as tls.ConnectionOptions), ...options };
  } else if (rest[0] && typeof rest[0] === "object") options = rest[0] as tls.ConnectionOptions;
  return { options, callback };
}

function asStream(raw: net.Socket): Duplex {
  const stream = new Duplex({
    write(chunk, _encoding, done) {
      raw.write(chunk, () => done());
    },
    final(done) {
      raw.end(() => done());
    },
    read() {
      raw.resume();
    },
    destroy(error, done) {
      raw.destroy();
      done(error);
    },
  });
  raw.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) raw.pause();
  });
  raw.on("end", () => stream.push(null));
  raw.on("error", (error) => stream.destroy(error));
  raw.on("close", () => stream.destroy());
  return stream;
}
