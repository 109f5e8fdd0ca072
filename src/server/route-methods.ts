/**
 * Which methods a path is served for, from the routes as they are registered: a request with another method
 * (OPTIONS, TRACE, a PUT where only GET is) is told so, 405 with `Allow` (RFC 9110 15.5.6), rather than "no such
 * page", which sent a client looking for a typo in an address that exists.
 */
import type { FastifyInstance, RouteOptions } from "fastify";

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
