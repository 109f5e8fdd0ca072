/**
 * Which methods a path is served for, from the routes as they are registered: a request with another method
 * (OPTIONS, TRACE, a PUT where only GET is) is told so, 405 with `Allow` (RFC 9110 15.5.6), rather than "no such
 * page", which sent a client looking for a typo in an address that exists.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { routePath } from "./security.js";

interface Pattern {
  test: RegExp;
  methods: Set<string>;
}

/** Registers an onRoute hook (before any route): the answer is read once the routes are in. */
export function trackRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const patterns = new Map<string, Pattern>();
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let pattern = patterns.get(route.url);
    if (!pattern) {
      const source = route.url
        .split("/")
        .map((part) => (part.startsWith(":") ? "[^/]+" : part === "*" ? ".*" : part.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")))
        .join("/");
      pattern = { test: new RegExp(`^${source}$`), methods: new Set() };
      patterns.set(route.url, pattern);
    }
    for (const method of methods) pattern.methods.add(method.toUpperCase());
  });
  return (path) => {
    const allowed = new Set<string>();
    for (const pattern of patterns.values()) if (pattern.test.test(path)) for (const method of pattern.methods) allowed.add(method);
    return [...allowed].sort();
  };
}

/**
 * The answer to a method `path` is not served for (405 with `Allow`; OPTIONS 204 with `Allow`), or to a path
 * served for no method (404), or null when the route takes the method. Run as a request hook, before the body
 * is read: a DELETE with `Content-Type: application/json` and no body was answered 400 "body: empty" (and a
 * text body 415), which had the client fix a body for a method that is not served at all.
 */
export function refuseUnservedMethod(request: FastifyRequest, reply: FastifyReply, methodsFor: (path: string) => string[]): FastifyReply | null {
  const path = routePath(request.url);
  const allowed = methodsFor(path);
  if (allowed.includes(request.method)) return null;
  if (allowed.length === 0) return reply.code(404).send({ error: `no such page or API: ${request.method} ${path}` });
  reply.header("Allow", allowed.join(", "));
  // OPTIONS asks only which methods: answered with them (no CORS headers, so another site's preflight fails).
  if (request.method === "OPTIONS") return reply.code(204).send();
  return reply.code(405).send({ error: `${path} is not answered to ${request.method}: use ${allowed.join(" or ")}` });
}
