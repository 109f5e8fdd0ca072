/**
 * Zod schemas as fastify's route schemas: requests are parsed by them (a 400
 * with the first problems on failure), responses are checked by them before
 * they are sent, and the OpenAPI document is generated from the same routes.
 */
import type { FastifyInstance, FastifySchema, RouteOptions } from "fastify";
import { z } from "zod";
import { issueWords } from "../config/issue-words.js";

export class BadRequest extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    /** The refused parameters (no `query.`/`body.` part: a page labels them by name). */
    readonly fields?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

/** A request a user may make but that cannot be done now or here (404, 409...). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Per-field problems of a form's values (the settings form shows each beside its field). */
    readonly fields?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

/** The same first problems as describeIssues, per field: the parameter's own name, or an unknown key's. In config.json's words (issueWords), not zod's. */
/** The value at an issue's path in what was parsed: zod leaves it out of its issues; a "did you mean" needs it. */
function givenAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function issueFields(error: z.ZodError, data: unknown): { field: string; message: string }[] {
  return error.issues.slice(0, 3).map((issue) => {
    const keys = (issue as { keys?: string[] }).keys;
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys" && keys?.length) at.push(keys.join(","));
    return { field: at.join("."), message: issueWords(issue, givenAt(data, issue.path)) };
  });
}

function describeIssues(where: string, error: z.ZodError, data: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const at = [where, ...issue.path.map(String)].join(".");
      return `${at}: ${issueWords(issue, givenAt(data, issue.path))}`;
    })
    .join("; ");
}

const PART_NAMES: Record<string, string> = { body: "body", querystring: "query", params: "path", headers: "header" };

export function installZod(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zodSchema = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const parsed = zodSchema.safeParse(data);
      if (parsed.success) return { value: parsed.data };
      return { error: new BadRequest(describeIssues(PART_NAMES[httpPart ?? "body"] ?? "request", parsed.error, data), issueFields(parsed.error, data)) };
    };
  });
  app.setSerializerCompiler(({ schema }) => {
    const zodSchema = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const parsed = zodSchema.safeParse(data);
      // A response that breaks its schema is a bug here, not the user's: fail loudly in the log.
      if (!parsed.success) throw new Error(`response does not match its schema: ${describeIssues("response", parsed.error, data)}`);
      return JSON.stringify(parsed.data);
    };
  });
}

export interface RouteDoc {
  method: string;
  url: string;
  summary: string;
  schema: FastifySchema;
}

/** Collects every /api route as it is added, for the OpenAPI document. */
export function collectRoutes(app: FastifyInstance): RouteDoc[] {
  const routes: RouteDoc[] = [];
  app.addHook("onRoute", (route: RouteOptions) => {
    if (!route.url.startsWith("/api/") || !route.schema) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD") continue;
      routes.push({ method, url: route.url, summary: (route.config as { summary?: string } | undefined)?.summary ?? "", schema: route.schema });
    }
  });
  return routes;
}

function jsonSchema(schema: unknown, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema as z.ZodType, { io, unrepresentable: "any", target: "openapi-3.0" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export function openApiDocument(routes: RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const url = route.url.replace(/:(\w+)/g, "{$1}");
    const operation: Record<string, unknown> = { summary: route.summary, responses: {} };
    const parameters: unknown[] = [];
    for (const [part, where] of [
      ["params", "path"],
      ["querystring", "query"],
    ] as const) {
      const schema = route.schema[part];
      if (!schema) continue;
      const json = jsonSchema(schema, "input");
      const required = new Set((json.required as string[] | undefined) ?? []);
      for (const [name, property] of Object.entries((json.properties as Record<string, unknown>) ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || required.has(name), schema: property });
      }
    }
    if (parameters.length) operation.parameters = parameters;
    if (route.schema.body) {
      operation.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(route.schema.body, "input") } } };
    }
    const responses = (route.schema.response ?? {}) as Record<string, unknown>;
    for (const [code, schema] of Object.entries(responses)) {
      (operation.responses as Record<string, unknown>)[code] = {
        description: code.startsWith("2") ? "OK" : "Error",
        content: { "application/json": { schema: jsonSchema(schema, "output") } },
      };
    }
    (paths[url] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.0.3",
    info: { title: "shelfwise", version, description: "The JSON API of `shelfwise serve`. Mutating requests need a same-origin Origin header (or none) and, when the server is bound beyond 127.0.0.1, the access token." },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        cookie: { type: "apiKey", in: "cookie", name: "shelfwise_token_PORT", description: "Set by the login form: PORT is the port serve listens on, the value is bound to it (not the token)" },
      },
    },
    paths,
  };
}
