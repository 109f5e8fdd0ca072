/**
 * Requests through fastify's inject as a same-host browser would send them,
 * with the checks every API test makes: the status, the response schema, a
 * message and never a stack on errors, and (optionally) a secret that must
 * never appear in any body.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { z } from "zod";
import * as S from "../../src/server/schemas.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer, type ServerOptions } from "../../src/server/server.js";
import type { TestHome } from "../support/plugin-fixtures.js";

export const HOST = "127.0.0.1:8790";

export type Request = InjectOptions & { json?: unknown };

export function apiClient(app: () => FastifyInstance, options: { forbidden?: string } = {}) {
  const clean = (body: string) => {
    if (options.forbidden) expect(body).not.toContain(options.forbidden);
  };
  function call(request: Request): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { host: HOST, ...(request.headers as Record<string, string>) };
    const { json, ...rest } = request;
    if (json !== undefined) {
      headers["content-type"] = "application/json";
      return app().inject({ ...rest, headers, payload: JSON.stringify(json) });
    }
    return app().inject({ ...rest, headers });
  }
  // zod's core schema type, not z.ZodType: relating each schema's class to z.ZodType is the typecheck's dearest
  // kind of check (atests36, docs/performance-log.md).
  async function ok<T extends z.core.$ZodType>(schema: T, request: Request, status = 200): Promise<z.infer<T>> {
    const response = await call(request);
    expect(response.statusCode, response.body).toBe(status);
    clean(response.body);
    return z.parse(schema, response.json());
  }
  async function bad(request: Request, status: number, message: RegExp): Promise<void> {
    const response = await call(request);
    expect(response.statusCode, response.body).toBe(status);
    expect(S.ErrorBody.parse(response.json()).error).toMatch(message);
    expect(response.body).not.toMatch(/\n\s+at /);
    clean(response.body);
  }
  return { call, ok, bad };
}

/**
 * The web service over a test home's data folder, as `serve` opens it but for the plugin folder's watch and (unless
 * `autoRun`) its own jobs: a test starts what it needs; and its server on loopback without a token (requests by
 * inject, not a port, until the test listens).
 */
export async function openApi(home: TestHome, options: Partial<ServerOptions> = {}, jobs: { autoRun?: boolean } = {}): Promise<{ service: ShelfService; app: FastifyInstance }> {
  const service = await ShelfService.open(home.dataDir, { autoRun: jobs.autoRun ?? false, watch: false });
  const app = await buildServer(service, { host: "127.0.0.1", token: null, ...options });
  return { service, app };
}

/** Closes what openApi opened and removes the home, each part only if it was made (a failed setup closes the rest). */
export async function closeApi({ app, service, home }: { app?: FastifyInstance; service?: ShelfService; home?: TestHome }): Promise<void> {
  await app?.close();
  await service?.close();
  home?.cleanup();
}
