/**
 * The fastify app of `shelfwise serve`: security first, then the API (zod
 * schemas in and out, OpenAPI from the routes), then the pages.
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ShelfService } from "./service.js";
import { describeEnvironmentError } from "../app/environment-words.js";
import { ConfigError } from "../config/config-error.js";
import { duplicateKeys } from "../config/json-position.js";
import { installSecurity, loopbackHostNames, MAX_HEADERS, refuseForeignHost, routePath, setSecurityHeaders, type SecurityOptions } from "./security.js";
import { createLoginLimiter } from "./login-limit.js";
import { collectRoutes, installZod, openApiDocument } from "./zod-routes.js";
import { statusRoutes } from "./routes/status.js";
import { bookRoutes } from "./routes/books.js";
import { pipelineRoutes } from "./routes/pipeline.js";
import { pluginRoutes } from "./routes/plugins.js";
import { settingsRoutes } from "./routes/settings.js";
import { sourceRoutes } from "./routes/sources.js";
import { organizeRoutes } from "./routes/organize.js";
import { pageRoutes } from "./pages.js";
import { inPageWords } from "./page-words.js";
import { folderWordsForPages } from "./folder-words.js";
import { guardWaitingConnections } from "./connection-guard.js";
import { isVersionError, looksLikeTls, refusedConnection, refuseOtherVersions, tlsRefusal, VERSION_REFUSAL } from "./protocol-guard.js";
import { refuseUnservedMethod, trackRouteMethods } from "./route-methods.js";

export const VERSION = "0.1.0";

/** Deeper than any request of the API (a plugin's settings nest a few levels): the walks below stay bounded. */
export const MAX_BODY_DEPTH = 64;

/**
 * What is wrong with a parsed body's shape, or null: a key that would reach
 * an object's prototype (prototype pollution), or nesting deeper than
 * MAX_BODY_DEPTH (a "JSON bomb" of a few hundred KB of brackets overflowed the
 * stack of every recursive walk after it: the key check, the schemas, the
 * config writer, and the request ended as a 500). Walked with a list, not
 * recursion, so the walk itself cannot overflow.
 */
function bodyProblem(value: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    // Read as the nearest double, 9007199254740993 is ...992: an id past 2^53 would name another book or move.
    if (typeof current === "number" && Number.isInteger(current) && !Number.isSafeInteger(current)) {
      return `holds a whole number past 2^53 (read as ${current}), which JSON cannot carry exactly and no id, count or setting reaches: send a smaller number`;
    }
    if (!current || typeof current !== "object") continue;
    if (depth >= MAX_BODY_DEPTH) return `is nested more than ${MAX_BODY_DEPTH} levels deep; send a flatter JSON object`;
    for (const [key, inner] of Object.entries(current)) {
      if (key === "__proto__") return `the key ${key} is not allowed`;
      if (key === "constructor" && inner && typeof inner === "object" && Object.hasOwn(inner, "prototype")) return "the key constructor.prototype is not allowed";
      pending.push({ value: inner, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * JSON bodies with a message that says what is wrong (fastify's own says only
 * "not valid JSON", also for valid JSON with a __proto__ key): where the
 * syntax breaks, which key is refused (prototype pollution), or that it nests
 * too deep.
 */
function installJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const fail = (message: string) => done(Object.assign(new Error(message), { statusCode: 400 }), undefined);
    const text = body as string;
    if (text.trim() === "") return fail("body: empty; send a JSON object");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return fail(`body: not valid JSON (${(error as Error).message})`);
    }
    const problem = bodyProblem(value);
    if (problem) return fail(`body: ${problem}`);
    // JSON.parse keeps the last of a key given twice, where a proxy or a check in front may have read the first.
    const twice = text.length <= 1024 * 1024 ? duplicateKeys(text)[0] : undefined;
    if (twice) return fail(`body: the key ${JSON.stringify(twice.key.slice(0, 100))} is given twice in one object (line ${twice.line}, column ${twice.column}): send it once`);
    done(null, value);
  });
}

/**
 * Requests refused before fastify sees them (headers or URL larger than
 * node's limit, a request that took too long to arrive, bytes that are not
 * HTTP) answer in the API's error shape, `{ "error": "..." }`, saying what to
 * change, like every other error (fastify's own names only the status).
 */
const KNOWN_METHODS = "GET, HEAD, POST, PUT, PATCH or DELETE";

/** llhttp's own words for what it refused ("Unexpected whitespace after header value"), when it gave them. */
function parserReason(error: Error & { reason?: unknown }): string {
  return typeof error.reason === "string" && /^[\x20-\x7e]{1,120}$/.test(error.reason) ? ` (${error.reason})` : "";
}

function clientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  // Bytes behind a request that closes the connection (HTTP/1.0, `Connection: close`, a refused protocol): that
  // request's answer is the one answer, and node closes the connection after it; a second answer (400) would
  // follow it or, while it is still being made, come first and cut it off.
  if (error.code === "HPE_CLOSED_CONNECTION" || refusedConnection(socket)) {
    (socket as Socket).pause();
    return;
  }
  // A TLS handshake (https:// given for this port) reads as an unknown method: the client speaks no HTTP.
  if (error.code === "HPE_INVALID_METHOD" && looksLikeTls((error as { rawPacket?: unknown }).rawPacket)) {
    if (socket.writable) socket.write(tlsRefusal(socket as Socket));
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, `the request's headers are larger than ${Math.floor(http.maxHeaderSize / 1024)} KB (the URL with its query counts): shorten the search or query, or clear this site's cookies`]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "the request took too long to arrive: send it again"]
        : isVersionError(error)
          ? [505, `the request line's protocol or version is not one this server speaks${parserReason(error)}: ${VERSION_REFUSAL}`]
          : error.code === "HPE_INVALID_METHOD"
            ? [501, `the request's method is not one this server knows: use ${KNOWN_METHODS}`]
            : error.code === "HPE_INVALID_TRANSFER_ENCODING" || error.code === "HPE_UNEXPECTED_CONTENT_LENGTH"
              ? [400, "the request's body length is given twice or two ways: send one Content-Length header, or Transfer-Encoding: chunked alone"]
              : [400, `not a valid HTTP/1.1 request${parserReason(error)}: lines end with CR LF, header names are single words, a header is not folded over two lines`];
  const body = JSON.stringify({ error: message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * fastify's and its static files' own words for a refused request ("Request body is too large",
 * "Forbidden", "Bad Request") name only the status; these say what was wrong and what to send instead.
 */
function requestErrorWords(error: Error & { code?: string }, status: number, url: string): string | null {
  const path = routePath(url);
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const limit = path === "/login" ? "16 KB (the login form)" : "1 MB";
    return `the request body is larger than ${limit}, the most this server takes: send a smaller one`;
  }
  if (error.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") return "the request body's length is not what its Content-Length header says: send it again";
  if (path.startsWith("/assets/") && (status === 400 || status === 403)) {
    // A path out of the folder (`..`, an encoded slash or backslash), a NUL or a broken %-escape.
    return `no such file of the web app: ${path.length > 200 ? `${path.slice(0, 200)}…` : path} (the pages' files are named in /assets/ only, without .., NUL or encoded slashes)`;
  }
  return null;
}

/**
 * An address fastify refuses before any hook runs (a broken %-escape such as `/api/books/%zz`, an overlong
 * part): the same headers and Host check as every answer, and words that say what to fix, in the API's
 * error shape (fastify's own were `"Bad Request"` with its internal code, and none of the headers).
 */
function badAddress(error: FastifyError, request: FastifyRequest, reply: FastifyReply, options: Pick<SecurityOptions, "token" | "loopbackHosts">): void {
  setSecurityHeaders(request, reply);
  if (refuseForeignHost(request, reply, options)) return;
  if (error.code === "FST_ERR_BAD_URL") {
    void reply.code(400).send({ error: "the address holds a % that does not start a valid escape (%XX of UTF-8): write % as %25" });
    return;
  }
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    void reply.code(414).send({ error: "a part of the address is longer than 2000 characters: no id or name is that long" });
    return;
  }
  void reply.code(error.statusCode ?? 400).send({ error: error.message });
}

export interface ServerOptions {
  /** The address the server binds (decides which Host headers are accepted without a token). */
  host: string;
  /** Required on every request when set (bound beyond loopback). */
  token: string | null;
  /** Mark the cookie Secure (behind an HTTPS proxy). */
  secureCookie?: boolean;
  /** Register the pages (needs dist/web); default true. */
  pages?: boolean;
  /** How long a request may take to arrive (tests shorten them); default HTTP_TIMEOUTS. */
  timeouts?: HttpTimeouts;
}

export interface HttpTimeouts {
  /** From a request's first byte to the end of its headers. */
  headersMs: number;
  /** From a request's first byte to the end of its body (an answer being sent, an event stream, is not counted). */
  requestMs: number;
  /** How often node looks for requests past those (a request is closed at most this much late). */
  checkEveryMs: number;
}

/**
 * A slow client's bound: fastify turns node's request timeout off (0), so a body announced and never sent held
 * its connection open for ever, and headers trickled a byte a second held it 60 s. A browser's request arrives
 * within milliseconds and a body is at most 1 MB: 20 s for headers, 60 s for the whole request are far past
 * any real one on a slow network, and the client is answered 408 with the connection closed.
 */
export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 20_000, requestMs: 60_000, checkEveryMs: 2_000 };

export async function buildServer(service: ShelfService, options: ServerOptions): Promise<FastifyInstance> {
  const loopbackHosts = loopbackHostNames(options.host);
  const timeouts = options.timeouts ?? HTTP_TIMEOUTS;
  const app = Fastify({
    logger: false,
    // node reads these at creation (headersTimeout must not exceed requestTimeout); fastify sets requestTimeout after.
    http: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    requestTimeout: timeouts.requestMs,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    clientErrorHandler: clientError,
    // An id or a folder name in a path is checked by the route's schema (up to 200 letters), not cut at fastify's 100.
    routerOptions: { maxParamLength: 2000 },
    frameworkErrors: (error, request, reply) => badAddress(error, request, reply, { token: options.token, loopbackHosts }),
  });
  // Before the guard's own listener: only fastify's handler is put behind the version check.
  refuseOtherVersions(app.server);
  guardWaitingConnections(app.server);
  app.server.maxHeadersCount = MAX_HEADERS;
  const methodsFor = trackRouteMethods(app);
  installZod(app);
  installJsonBody(app);
  const routes = collectRoutes(app);
  // One count of wrong tokens per client for the login form and every other request.
  const limiter = createLoginLimiter();
  installSecurity(app, { token: options.token, loopbackHosts, limiter, methodsFor });
  // One rule for every route, after the Host, same-site and token checks and before the body is read.
  app.addHook("onRequest", async (request, reply) => {
    // An address served for no method is left to the router (its 404): only its own matching is final there.
    if (methodsFor(routePath(request.url)).length === 0) return;
    const refused = refuseUnservedMethod(request, reply, methodsFor);
    if (refused) return refused;
  });

  // What a CLI command wrote since (a plugin disabled, reset...) is seen before any API call reads or acts.
  app.addHook("preHandler", async (request) => {
    if (routePath(request.url).startsWith("/api/")) await service.syncFromDisk();
  });

  // A page has buttons, not commands: the advice in what is sent is put in its words (page-words.ts).
  app.addHook("preSerialization", async (request, _reply, payload) => (routePath(request.url).startsWith("/api/") && routePath(request.url) !== "/api/openapi.json" ? inPageWords(payload) : payload));

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; fields?: unknown }, _request, reply) => {
    // config.json or secrets.json as the user left it (edited by hand into invalid JSON, a bad value): the file's
    // own words, naming the line, and what to fix; the file is never rewritten over it. Not "internal error".
    if (error instanceof ConfigError) return reply.code(400).send({ error: folderWordsForPages(error.message, service.session.config, service.session.layout.root) });
    const status = error.statusCode ?? 500;
    const words = requestErrorWords(error as Error & { code?: string }, status, _request.url);
    if (words) return reply.code(status).send({ error: words });
    if (status >= 500) {
      service.session.log.error({ event: "serve_error", stack: error.stack }, error.message);
      // The machine said no (config.json read-only, disk full...): the same one line the CLI gives, not "internal error".
      // The data folder removed or replaced while this server ran: whatever failed (reading config.json or the
      // plugin folder before the write's own refusal), that is the reason and the fix, not "see the log" (gone too).
      const gone = service.dataFolderProblem();
      if (gone) return reply.code(503).send({ error: gone });
      const words = describeEnvironmentError(error, service.dataDir, "server");
      if (words) return reply.code(503).send({ error: words });
      return reply.code(500).send({ error: "internal error (details in the data folder's logs/shelfwise.log)" });
    }
    return reply.code(status).send(error.fields ? { error: error.message, fields: error.fields } : { error: error.message });
  });
  // Kept for what no hook saw (a route fastify matched but refused before its handler).
  app.setNotFoundHandler((request, reply) => refuseUnservedMethod(request, reply, methodsFor) ?? reply.code(404).send({ error: `no such page or API: ${request.method} ${routePath(request.url)}` }));

  statusRoutes(app, service);
  bookRoutes(app, service);
  pipelineRoutes(app, service);
  pluginRoutes(app, service);
  settingsRoutes(app, service);
  sourceRoutes(app, service);
  organizeRoutes(app, service);
  if (options.pages !== false) await pageRoutes(app, { token: options.token, secureCookie: Boolean(options.secureCookie), limiter });
  app.get("/api/openapi.json", { config: { summary: "This document" } }, async () => openApiDocument(routes, VERSION));
  app.addHook("onClose", async () => service.hub.closeAll());
  await app.ready();
  return app;
}
