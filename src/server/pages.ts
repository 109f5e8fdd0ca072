/**
 * The pages: one HTML shell and its bundled script and stylesheet (built by
 * `npm run build:web` into dist/web at install time), served by shelfwise
 * itself, and the login form (no script at all).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import { clearTokenCookie, servedPort, tokenCookie, tokenMatches } from "./security.js";
import { refuseTooManyGuesses, type LoginLimiter } from "./login-limit.js";

/** dist/web of this shelfwise, found from this file whether it runs from src/ (tests) or dist/. */
export function webAssetsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return path.join(dir, "dist", "web");
    dir = path.dirname(dir);
  }
  throw new Error("cannot find the shelfwise package folder");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(message: string | null, next: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>shelfwise: log in</title><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="login"><h1>shelfwise</h1>
<p>This server is reachable beyond this computer, so it needs its access token (printed when it first started, stored as <code>web_token</code> in secrets.json).</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ""}
<form method="post" action="/login"><input type="hidden" name="next" value="${escapeHtml(next)}">
<label>Access token <input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button></form></main></body></html>`;
}

/**
 * Where to go after logging in: a path on this server only. Read the way a
 * browser reads a Location header (tabs and newlines dropped, backslashes as
 * slashes), so "/\t/evil.example" cannot leave the site, and re-encoded, so no
 * control character reaches the header.
 */
function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  const base = "http://shelfwise.invalid";
  try {
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}

/** Whether the login form was posted from an https page: its Origin, or the proxy's X-Forwarded-Proto. */
function viaHttps(headers: Record<string, string | string[] | undefined>): boolean {
  const origin = headers.origin;
  const proto = headers["x-forwarded-proto"];
  return (typeof origin === "string" && origin.startsWith("https://")) || (typeof proto === "string" && proto.split(",")[0]!.trim().toLowerCase() === "https");
}

export async function pageRoutes(app: FastifyInstance, options: { token: string | null; secureCookie: boolean; limiter: LoginLimiter }): Promise<void> {
  const root = webAssetsDir();
  const index = path.join(root, "index.html");
  if (!fs.existsSync(index)) throw new Error(`the web pages are not built (${index} is missing): run \`npm run build:web\``);
  const shell = fs.readFileSync(index, "utf8");
  await app.register(fastifyStatic, { root, prefix: "/assets/", index: false, cacheControl: false, setHeaders: (res) => res.setHeader("Cache-Control", "no-cache") });

  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").header("Cache-Control", "no-store").send(shell));

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get("/login", async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    if (!options.token) return reply.redirect(next, 303);
    return reply.type("text/html; charset=utf-8").send(loginPage(null, next));
  });

  const limiter = options.limiter;
  app.post("/login", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    if (!options.token) return reply.redirect(next, 303);
    // Per address as the server sees it (behind a reverse proxy: the proxy's, shared by all its clients).
    const wait = limiter.wait(request.ip);
    if (wait > 0) return refuseTooManyGuesses(reply, wait);
    if (typeof body.token !== "string" || !tokenMatches(body.token, options.token)) {
      limiter.failed(request.ip);
      return reply.code(401).type("text/html; charset=utf-8").send(loginPage("That is not the access token.", next));
    }
    // Behind an HTTPS reverse proxy (what the README advises beyond your own network) the page is https: the
    // cookie is marked Secure, so a browser never sends the token over plain http to this host.
    return reply.header("Set-Cookie", tokenCookie(options.token, servedPort(request), options.secureCookie || viaHttps(request.headers))).redirect(next, 303);
  });

  app.post("/api/logout", async (request, reply) => reply.header("Set-Cookie", clearTokenCookie(servedPort(request))).send({ ok: true }));
}
