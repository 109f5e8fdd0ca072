/**
 * The only way out of a plugin's network namespace: an HTTP proxy that
 * shelfwise runs for one plugin process. It takes
 *  - CONNECT host:port (HTTPS, and any TCP stream the runners tunnel),
 *  - plain-HTTP requests with an absolute URL (what HTTP_PROXY clients send),
 * allows only the hosts the manifest declares, resolves the name itself and
 * connects to the address it resolved (no rebinding between check and use),
 * and refuses loopback, private, link-local and other non-public addresses
 * unless the user allowed them for this plugin (allow_private_network).
 *
 * A CONNECT carrying `x-shelfwise-silent: 1` gets no reply on success: the
 * runners use it to hand plugin code a plain byte stream (see runner/egress.ts).
 */
import dns from "node:dns/promises";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import ipaddr from "ipaddr.js";
import { SILENT_REFUSAL_MARK } from "../runner/egress-mark.js";
import { hostAllowed, normalizeHost } from "../runner/net-guard.js";
import { utf8Head } from "../../domain/utf8-cut.js";

export interface EgressProxyOptions {
  pluginId: string;
  allowedHosts: readonly string[];
  allowPrivate: boolean;
  /** Listen on this unix socket path (reached from inside the namespace through a bind mount). */
  socketPath?: string;
  /** Also listen on 127.0.0.1 (when there is no namespace, only Landlock's port rules). */
  tcp?: boolean;
  /** One line per refusal, for the plugin's log. */
  onRefuse?: (message: string) => void;
  /** Ports of shelfwise's own servers: refused on every address of this machine, whatever is allowed. */
  refusedLocalPorts?: () => number[];
  /** Test seam: name resolution. */
  lookup?: (host: string) => Promise<string[]>;
}

export interface EgressProxy {
  socketPath: string | null;
  port: number | null;
  close(): Promise<void>;
}


/** Only ordinary public unicast addresses are "public"; everything else needs the user's consent. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}

class Refusal extends Error {}

/** Loopback, unspecified, or an address of one of this machine's interfaces. */
function isThisMachine(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.range() === "loopback" || parsed.range() === "unspecified") return true;
  const normal = parsed.toNormalizedString();
  return Object.values(os.networkInterfaces()).some((list) =>
    (list ?? []).some((i) => ipaddr.isValid(i.address.split("%")[0]!) && ipaddr.parse(i.address.split("%")[0]!).toNormalizedString() === normal),
  );
}

/**
 * Connections one plugin process may hold open to its proxy at once. Each costs shelfwise's own
 * process a descriptor (two for an open tunnel): uncapped, a plugin opening thousands (its child
 * processes each have their own descriptor limit) exhausted shelfwise's, and its database, web
 * server and other plugins failed with EMFILE. Far above what a plugin's concurrent requests need.
 */
export const MAX_PROXY_CONNECTIONS = 64;
/** Refusals written to the plugin's log per start of the plugin, each cut to a length. */
export const MAX_REFUSALS_LOGGED = 50;
const MAX_REFUSAL_CHARS = 500;

/** How long a silent tunnel that is refused waits for its client to speak before closing anyway. */
const SILENT_CLOSE_GRACE_MS = 1000;

const MAX_SILENT_REASON_BYTES = 2000;

/** What a client may send past its CONNECT while the name is resolved before it is no longer read (then paused). */
const MAX_EARLY_BYTES = 64 * 1024;

/**
 * Ends a silent tunnel the client must notice, with the reason (SILENT_REFUSAL_MARK,
 * the reason, a newline: the node runner fails the plugin's socket with it; without
 * it the plugin saw only "fetch failed" / "other side closed"). Closing at once
 * can land in the same tick as the client's 'connect': undici (Node's fetch)
 * only attaches its 'end'/'close' handlers a tick after 'connect', misses the
 * close and waits for the plugin's timeout. So close once the client has
 * written past its CONNECT (its handlers are in place then) or after a grace
 * period, for protocols where the server speaks first.
 */
function closeSilentTunnel(client: net.Socket, head: Buffer, reason: string): void {
  let closed = false;
  const close = () => {
    clearTimeout(timer);
    if (closed || client.destroyed) return;
    closed = true;
    const text = utf8Head(Buffer.from(reason.replace(/[\r\n]+/g, " "), "utf8"), MAX_SILENT_REASON_BYTES).toString("utf8");
    client.end(`${SILENT_REFUSAL_MARK}${text}\n`);
    // Half-open until the client closes its side: a client that never does is not kept.
    setTimeout(() => client.destroy(), SILENT_CLOSE_GRACE_MS).unref();
  };
  const timer = setTimeout(close, head.length > 0 || client.destroyed ? 0 : SILENT_CLOSE_GRACE_MS);
  timer.unref();
  client.once("data", close);
}

async function defaultLookup(host: string): Promise<string[]> {
  const found = await dns.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/**
 * Name lookups run on libuv's thread pool (four threads, shared with shelfwise's
 * own file and crypto work): 64 tunnels to a declared host whose name server
 * answers slowly tied it up for minutes. One lookup at a time per plugin
 * process, and an answer serves that name for a while.
 */
const LOOKUP_CACHE_MS = 30_000;

function limitedLookup(lookup: (host: string) => Promise<string[]>): (host: string) => Promise<string[]> {
  const known = new Map<string, { addresses: string[]; until: number }>();
  let queue: Promise<unknown> = Promise.resolve();
  return (host) => {
    const run = queue.then(() => {
      const cached = known.get(host);
      // The monotonic clock: by the wall clock, one set back an hour kept a stale answer that hour.
      if (cached && cached.until > performance.now()) return cached.addresses;
      return lookup(host).then((addresses) => {
        known.set(host, { addresses, until: performance.now() + LOOKUP_CACHE_MS });
        return addresses;
      });
    });
    queue = run.catch(() => {});
    return run;
  };
}

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const lookup = limitedLookup(options.lookup ?? defaultLookup);
  const sockets = new Set<net.Socket>();

  /** The address to connect to, or a Refusal saying why not. */
  async function resolve(rawHost: string, port: number): Promise<string> {
    const address = await resolveHost(rawHost);
    if (options.refusedLocalPorts?.().includes(port) && isThisMachine(address)) {
      throw new Refusal(`${normalizeHost(rawHost)}:${port} is shelfwise's own web server, which no plugin may reach`);
    }
    return address;
  }

  async function resolveHost(rawHost: string): Promise<string> {
    const host = normalizeHost(rawHost);
    if (!hostAllowed(host, options.allowedHosts)) throw new Refusal(`host ${host} is not in permissions.network of plugin ${options.pluginId}`);
    const addresses = net.isIP(host) ? [host] : await lookup(host).catch((error: Error) => {
      throw new Refusal(`cannot resolve ${host}: ${error.message}`);
    });
    const usable = options.allowPrivate ? addresses : addresses.filter(isPublicAddress);
    if (usable.length === 0) {
      throw new Refusal(
        `${host} resolves to a private or local address (${addresses.join(", ")}); ` +
          `set plugin_configs.${options.pluginId}.allow_private_network to true to allow it`,
      );
    }
    return usable[0]!;
  }

  // Each refusal is a line in the plugin's log, written outside its bounded output: a plugin asking
  // 10,000 times a second for a host it may not reach (a 16 KB name each time) filled the disk.
  let refusals = 0;
  const refuse = (message: string) => {
    refusals++;
    if (refusals <= MAX_REFUSALS_LOGGED) {
      const shown = message.length > MAX_REFUSAL_CHARS ? `${message.slice(0, MAX_REFUSAL_CHARS - 1)}…` : message;
      options.onRefuse?.(`network: refused ${shown}`);
    } else if (refusals === MAX_REFUSALS_LOGGED + 1) {
      options.onRefuse?.(`network: more refusals are not logged (${MAX_REFUSALS_LOGGED} were, for this start of the plugin)`);
    }
  };

  const server = http.createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? "");
      if (target.protocol !== "http:") throw new Error("only http:// URLs are forwarded; use CONNECT for https");
    } catch (error) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`shelfwise proxy: ${(error as Error).message}\n`);
      return;
    }
    // The plugin hung up (or was killed) before the answer was through: drop the server's side too. Left
    // open, each such request kept a connection of shelfwise's own process open for good (paused on a
    // server that streams, or waiting on one that never answers): a plugin asking in a loop ran shelfwise
    // out of descriptors. Watched from the start: it may hang up while the name is being resolved.
    let hungUp = false;
    let upstream: http.ClientRequest | null = null;
    res.on("close", () => {
      if (res.writableFinished) return;
      hungUp = true;
      upstream?.destroy();
    });
    resolve(target.hostname, Number(target.port || 80)).then(
      (address) => {
        if (hungUp) return;
        const headers = { ...req.headers };
        delete headers["proxy-connection"];
        delete headers["proxy-authorization"];
        upstream = http.request(
          {
            host: address,
            port: Number(target.port || 80),
            method: req.method,
            path: target.pathname + target.search,
            headers: { ...headers, host: target.host },
            // A connection of its own, as a CONNECT tunnel has: node's global agent keeps connections alive
            // and shares them across every proxy of this process, so one plugin's request could ride a
            // connection another plugin's request (its credentials) had used, or would use next.
            agent: false,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("socket", (socket) => {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
        });
        upstream.on("error", (error) => {
          if (res.destroyed) return;
          if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
          res.end(`shelfwise proxy: ${error.message}\n`);
        });
        req.pipe(upstream);
      },
      (error: Error) => {
        refuse(error.message);
        res.writeHead(403, { "content-type": "text/plain" }).end(`shelfwise proxy: ${error.message}\n`);
      },
    );
  });

  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    const silent = req.headers["x-shelfwise-silent"] === "1";
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(req.url ?? "");
    if (!match || Number(match[2]) > 65535) {
      if (silent) closeSilentTunnel(client, head, `bad CONNECT target ${JSON.stringify(String(req.url ?? "").slice(0, 300))}`);
      else client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return;
    }
    const port = Number(match[2]);
    // Read while the name is resolved, so that a plugin hanging up meanwhile is seen (a paused socket does
    // not notice its peer's end): it gets no server connection, which a server that never closes its side
    // held open for good, a descriptor of shelfwise's own each. What it sent first is kept (bounded).
    const early: Buffer[] = head.length > 0 ? [head] : [];
    let earlyBytes = head.length;
    let gone = false;
    const onEarly = (chunk: Buffer) => {
      early.push(chunk);
      earlyBytes += chunk.length;
      if (earlyBytes > MAX_EARLY_BYTES) client.pause();
    };
    const onGone = () => (gone = true);
    client.on("data", onEarly);
    client.once("end", onGone);
    client.once("close", onGone);
    const sent = () => {
      client.off("data", onEarly);
      client.off("end", onGone);
      client.pause();
      return early.length === 1 ? early[0]! : Buffer.concat(early);
    };
    resolve(match[1]!, port).then(
      (address) => {
        head = sent();
        if (gone || client.destroyed) {
          client.destroy();
          return;
        }
        const upstream = net.connect({ host: address, port });
        sockets.add(upstream);
        upstream.on("close", () => sockets.delete(upstream));
        let established = false;
        upstream.once("connect", () => {
          established = true;
          if (!silent) client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          if (head.length) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on("error", (error: Error) => {
          if (established) client.destroy();
          else if (silent) closeSilentTunnel(client, head, `cannot connect to ${normalizeHost(match[1]!)}:${port}: ${error.message}`);
          else client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
        });
        client.on("close", () => upstream.destroy());
      },
      (error: Error) => {
        head = sent();
        refuse(error.message);
        if (silent) closeSilentTunnel(client, head, error.message);
        else client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nshelfwise proxy: ${error.message}\n`);
      },
    );
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  let dropped = false;
  const capConnections = (s: net.Server) => {
    s.maxConnections = MAX_PROXY_CONNECTIONS;
    s.on("drop", () => {
      if (dropped) return;
      dropped = true;
      refuse(`connections beyond ${MAX_PROXY_CONNECTIONS} open at once (closed at once; logged once per process)`);
    });
  };
  capConnections(server);

  const listening: Promise<void>[] = [];
  const servers: net.Server[] = [];
  let port: number | null = null;
  if (options.socketPath) {
    fs.rmSync(options.socketPath, { force: true });
    listening.push(new Promise((ok, fail) => server.once("error", fail).listen(options.socketPath, () => ok())));
    servers.push(server);
  }
  if (options.tcp) {
    // A second listener sharing the handlers: unix and TCP clients behave the same.
    const tcp = http.createServer(server.listeners("request")[0] as http.RequestListener);
    tcp.on("connect", server.listeners("connect")[0] as (...a: unknown[]) => void);
    tcp.on("clientError", (_error, socket) => socket.destroy());
    capConnections(tcp);
    listening.push(
      new Promise((ok, fail) =>
        tcp.once("error", fail).listen(0, "127.0.0.1", () => {
          port = (tcp.address() as net.AddressInfo).port;
          ok();
        }),
      ),
    );
    servers.push(tcp);
  }
  await Promise.all(listening);
  for (const s of servers) s.unref();
  return {
    socketPath: options.socketPath ?? null,
    get port() {
      return port;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
      if (options.socketPath) fs.rmSync(options.socketPath, { force: true });
    },
  };
}
