/**
 * Who may talk to the server, and what a page may do.
 * - Bound to loopback: no token, but the Host header must name the loopback
 *   address (a DNS-rebinding page cannot pose as 127.0.0.1).
 * - Bound to any other address: every page and API call needs the access
 *   token (Authorization: Bearer, X-Shelfwise-Token, or the HttpOnly cookie
 *   the login form sets). Wrong tokens count towards the login form's limit
 *   per client (login-limit.ts); past it, requests with a token get 429.
 * - Every mutating request must come from the same origin (Origin header, or
 *   Sec-Fetch-Site when the browser sends no Origin) and, for the API, carry
 *   JSON: a cross-site form cannot post JSON without a CORS preflight.
 * - A strict CSP: scripts and styles from this server only, nothing inline.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { refuseTooManyGuesses, type LoginLimiter } from "./login-limit.js";

/**
 * The login cookie's name on `port` (the port this server's socket listens on). Cookies know no ports: a
 * browser sends every cookie of 127.0.0.1 to every web server on it. The name keeps two `serve`s apart, and
 * the value (cookieCredential) is not the token, so another local server that receives it learns nothing it
 * could use elsewhere.
 */
export function tokenCookieName(port: number): string {
  return `shelfwise_token_${port}`;
}

/**
 * What the login cookie holds: the token's HMAC bound to this port, never the token itself. It opens this
 * serve only: a second `serve` on another port (of the same data folder, so the same token) expects another
 * value, and it is no token for `Authorization: Bearer`. It stays the same across restarts on the same port
 * (a logged-in page stays logged in), and changes when the token does.
 */
export function cookieCredential(token: string, port: number): string {
  return createHmac("sha256", token).update(`shelfwise login cookie for port ${port}`).digest("base64url");
}

/** The cookie name of earlier versions, whose value was the token. */
const LEGACY_COOKIE = "shelfwise_token";

/** The port the request came in on (0 for an injected request, which has no socket). */
export function servedPort(request: FastifyRequest): number {
  return request.raw.socket?.localPort ?? 0;
}

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface SecurityOptions {
  /** The access token; null when the server is bound to loopback only. */
  token: string | null;
  /** Host names accepted when no token is required (loopback names). */
  loopbackHosts: Set<string>;
  /** Wrong tokens per client, shared with the login form (login-limit.ts). */
  limiter: LoginLimiter;
  /** The methods a path is served for (route-methods.ts): an unserved one is answered 405, not 415. */
  methodsFor?: (path: string) => string[];
}

export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Host names (without port) a loopback-bound server answers to; the port is the socket's business. */
export function loopbackHostNames(host: string): Set<string> {
  return new Set([host.includes(":") && !host.startsWith("[") ? `[${host}]` : host, "127.0.0.1", "localhost", "[::1]"]);
}

function hostName(header: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(header);
  return match ? match[1]!.toLowerCase() : "";
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Every value of the cookie `name`, in the order sent (at most 8). A page on another port of the same host (cookies
 * know no ports) can set one of the same name, sent first when its Path is longer: taking only the first, such a
 * cookie shut the user out, each request counted as a wrong token until the login form itself was refused.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      values.push(decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      continue;
    }
    if (values.length === 8) break;
  }
  return values;
}

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** The credentials a request gives and what each must equal: the token itself, or this port's cookie value. */
function requestTokens(request: FastifyRequest, token: string): { given: string[]; expected: string } {
  // The scheme is case-insensitive (RFC 9110 11.1): `bearer TOKEN`, as some clients send it, is the token too.
  const bearer = BEARER.exec(request.headers.authorization ?? "");
  if (bearer) return { given: [bearer[1]!], expected: token };
  const header = request.headers["x-shelfwise-token"];
  if (typeof header === "string") return { given: [header], expected: token };
  // Only this port's cookie: one another serve (or an older shelfwise, whose cookie held the token) set is not ours.
  const port = servedPort(request);
  return { given: cookieValues(request.headers.cookie, tokenCookieName(port)), expected: cookieCredential(token, port) };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Reachable without the token: the login form and the assets it needs. */
const PUBLIC = [/^\/login$/, /^\/assets\//];

export function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  // "null": what a browser sends as the Origin of a form posted from a page whose Referrer-Policy is
  // no-referrer (ours: the login form), and also what a sandboxed frame or a data: page sends. The
  // browser's own Sec-Fetch-Site (no page can set it) tells them apart.
  if (origin === "null") return request.headers["sec-fetch-site"] === "same-origin";
  if (origin !== undefined) {
    if (!host) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  }
  // No Origin: a same-origin GET-like navigation or a non-browser client.
  const site = request.headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none";
}

/**
 * The path the router serves for a request's URL, without its query. A request line may give the URL in
 * absolute form (`GET http://127.0.0.1:8790/api/status HTTP/1.1`, as sent to a proxy): the router (find-my-way)
 * serves it as `/api/status`, so every check that asks "is this the API?" asks it of that path, the same way.
 */
export function routePath(url: string): string {
  const path = url.charCodeAt(0) === 47 ? url : url.replace(ABSOLUTE_FORM, "/");
  const query = path.indexOf("?");
  return query < 0 ? path : path.slice(0, query);
}

/** find-my-way's own rule for an absolute-form URL (its FULL_PATH_REGEXP). */
const ABSOLUTE_FORM = /^https?:\/\/.*?\//;

/** The authority of an absolute-form URL (`127.0.0.1:8790` of `http://127.0.0.1:8790/api/status`), else null. */
function absoluteAuthority(url: string): string | null {
  if (url.charCodeAt(0) === 47) return null;
  const match = /^https?:\/\/([^/?#]*)/i.exec(url);
  return match ? match[1]! : null;
}

/**
 * Headers the checks here read, refused when given twice: node keeps the first Host, Authorization or
 * Content-Type and joins two Cookie headers, while a proxy in front may have judged the other one, so the
 * server and the proxy would not agree on which host, token or body this is (request smuggling's shape).
 */
const SINGLE_HEADERS = new Set(["host", "origin", "cookie", "authorization", "x-shelfwise-token", "content-length", "content-type", "transfer-encoding", "sec-fetch-site"]);

/** Headers per request node keeps (server.maxHeadersCount; a browser sends 10-30): a request reaching it is refused. */
export const MAX_HEADERS = 200;

/** The name of a header the request gives twice among SINGLE_HEADERS, or null. */
export function repeatedHeader(rawHeaders: string[]): string | null {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type("application/json").send({ error: message });
}

/** The headers of every answer, the ones refused before routing (a malformed URL) included. */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header("Content-Security-Policy", CSP);
  reply.header("X-Content-Type-Options", "nosniff");
  reply.header("Referrer-Policy", "no-referrer");
  reply.header("X-Frame-Options", "DENY");
  reply.header("Cross-Origin-Opener-Policy", "same-origin");
  reply.header("Cross-Origin-Resource-Policy", "same-origin");
  // The API's answers are the library's current state (and a plugin's settings): never kept in a browser's
  // or a proxy's cache, where a later visit would be shown them (or another user of the computer read them).
  if (routePath(request.url).startsWith("/api/")) reply.header("Cache-Control", "no-store");
}

/** The 421 of a loopback server asked under another host name (DNS rebinding), or null when the Host is ours. */
export function refuseForeignHost(request: FastifyRequest, reply: FastifyReply, options: Pick<SecurityOptions, "token" | "loopbackHosts">): FastifyReply | null {
  // Past node's count the rest are dropped unread (an Origin or Host among them unseen): refused whole instead.
  if (request.raw.rawHeaders.length >= 2 * MAX_HEADERS) {
    return refuse(reply, 431, `the request has ${MAX_HEADERS} headers or more, more than any browser sends: send fewer (clear this site's cookies if they are many)`);
  }
  const repeated = repeatedHeader(request.raw.rawHeaders);
  if (repeated) return refuse(reply, 400, `the request gives the ${repeated} header more than once: send it once`);
  // node takes `gzip, chunked` as chunked and hands on the bytes still coded: no body here is compressed.
  const coding = request.headers["transfer-encoding"];
  if (coding !== undefined && coding.trim().toLowerCase() !== "chunked") {
    return refuse(reply, 501, `the request's Transfer-Encoding "${coding.slice(0, 100)}" is not one this server decodes: send the body uncompressed, with a Content-Length or Transfer-Encoding: chunked`);
  }
  if (options.token) return null;
  // An absolute-form URL names the host itself (RFC 9112 3.2.2: it, not the Host header, says which): both are ours.
  const authority = absoluteAuthority(request.url);
  if (authority !== null && !options.loopbackHosts.has(hostName(authority))) {
    return refuse(reply, 421, `this server answers only as ${[...options.loopbackHosts][0]} (the address's host "${authority}" refused)`);
  }
  if (options.loopbackHosts.has(hostName(request.headers.host ?? ""))) return null;
  return refuse(reply, 421, `this server answers only as ${[...options.loopbackHosts][0]} (Host header "${request.headers.host ?? ""}" refused)`);
}

export function installSecurity(app: FastifyInstance, options: SecurityOptions): void {
  app.addHook("onRequest", async (request, reply) => {
    setSecurityHeaders(request, reply);
    const url = routePath(request.url);
    const foreign = refuseForeignHost(request, reply, options);
    if (foreign) return foreign;
    if (MUTATING.has(request.method)) {
      if (!isSameOrigin(request)) return refuse(reply, 403, "cross-site request refused: send it from the shelfwise page itself");
      const type = request.headers["content-type"] ?? "";
      const hasBody = (request.headers["content-length"] ?? "0") !== "0" || request.headers["transfer-encoding"] !== undefined;
      // A method the route does not take is told so (405, route-methods.ts), not how to send its body.
      const served = options.methodsFor?.(url).includes(request.method) ?? true;
      if (url.startsWith("/api/") && served && hasBody && !type.startsWith("application/json")) {
        return refuse(reply, 415, "send the request body as application/json");
      }
    }
    // The port-less cookie of earlier versions held the token itself, sent to every port of the host: expired
    // wherever it still comes in (it opens nothing now).
    if (cookieValues(request.headers.cookie, LEGACY_COOKIE).length > 0) reply.header("Set-Cookie", `${LEGACY_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    if (!options.token || PUBLIC.some((re) => re.test(url))) return;
    const { given, expected } = requestTokens(request, options.token);
    if (given.length > 0) {
      // Checked before the token: a limited client learns nothing from the answer, the right token included.
      // Per address as the server sees it (behind a reverse proxy: the proxy's, shared by all its clients).
      const wait = options.limiter.wait(request.ip);
      if (wait > 0) return refuseTooManyGuesses(reply, wait);
      // One wrong count per request, however many cookies it carried.
      if (given.some((value) => tokenMatches(value, expected))) return;
      options.limiter.failed(request.ip);
    }
    if (url.startsWith("/api/")) return refuse(reply, 401, "access token required: send `Authorization: Bearer <token>` or log in at /login");
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  });
}

/** The Set-Cookie value of a successful login on `port`: this port's credential (not the token), HttpOnly, SameSite=Strict. */
export function tokenCookie(token: string, port: number, secure: boolean): string {
  return `${tokenCookieName(port)}=${cookieCredential(token, port)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000${secure ? "; Secure" : ""}`;
}

/** The Set-Cookie value that logs out on `port`. */
export function clearTokenCookie(port: number): string {
  return `${tokenCookieName(port)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
