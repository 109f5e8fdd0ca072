/**
 * One rule for a method a route does not take, on every route the API registers (read from the OpenAPI
 * document, so a route added later is probed too): 405 with `Allow`, whatever body or Content-Type the
 * request carries. A DELETE sent with `Content-Type: application/json` and no body was answered 400
 * "body: empty", which sent the client fixing a body for a method that is not served at all.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { closeApi, HOST, openApi } from "./inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;

beforeAll(async () => {
  home = createHome({ books: 0 });
  ({ service, app } = await openApi(home, { pages: false }));
});

afterAll(() => closeApi({ app, service, home }));

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Every API path with the methods it is served for, `{id}` filled with a value: a literal path
 * (`/api/sources/presets`) is also served by a route with a parameter in its place (`PUT /api/sources/{id}`).
 */
async function apiRoutes(): Promise<{ path: string; methods: Set<string> }[]> {
  const document = (await app.inject({ method: "GET", url: "/api/openapi.json", headers: { host: HOST } })).json() as { paths: Record<string, Record<string, unknown>> };
  const templates = Object.entries(document.paths).map(([template, operations]) => ({
    test: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    methods: Object.keys(operations).map((method) => method.toUpperCase()),
  }));
  return Object.keys(document.paths).map((template) => {
    const path = template.replace(/\{[^}]+\}/g, "1");
    return { path, methods: new Set(templates.filter((t) => t.test.test(path)).flatMap((t) => t.methods)) };
  });
}

describe("a method a route does not take", () => {
  it("is 405 with Allow on every API route, with no body, an empty JSON body, a broken one or a valid one", async () => {
    const routes = await apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const bodies: { headers: Record<string, string>; payload?: string }[] = [
      { headers: {} },
      { headers: { "content-type": "application/json" } },
      { headers: { "content-type": "application/json" }, payload: "{" },
      { headers: { "content-type": "application/json" }, payload: "{}" },
      { headers: { "content-type": "text/plain" }, payload: "x" },
    ];
    const wrong: string[] = [];
    for (const route of routes) {
      for (const method of METHODS) {
        if (route.methods.has(method)) continue;
        for (const body of bodies) {
          const answer = await app.inject({ method, url: route.path, headers: { host: HOST, ...body.headers }, payload: body.payload });
          const allow = String(answer.headers.allow ?? "");
          const listed = allow.split(", ");
          const ok =
            answer.statusCode === 405 &&
            [...route.methods].every((m) => listed.includes(m)) &&
            !listed.includes(method) &&
            (answer.json() as { error: string }).error.includes(`is not answered to ${method}`);
          if (!ok) wrong.push(`${method} ${route.path} ${JSON.stringify(body)}: ${answer.statusCode} allow=${allow} ${answer.body.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("still reads the body of a method the route takes (an empty JSON body is still said to be empty)", async () => {
    const answer = await app.inject({ method: "POST", url: "/api/scan", headers: { host: HOST, "content-type": "application/json" } });
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json()).toEqual({ error: expect.stringContaining("body: empty") });
  });
});
