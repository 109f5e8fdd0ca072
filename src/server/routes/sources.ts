import type { FastifyInstance } from "fastify";
import { counted } from "../../domain/plural.js";
import { z } from "zod";
import { ConfigError, loadSharedSecrets } from "../../config/config-file.js";
import {
  DefinitionError,
  deleteHttpSource,
  findDefinition,
  HTTP_SOURCE_PRESET_INFO,
  listHttpSources,
  resetHttpSource,
  saveHttpSource,
  SourceEditConflict,
  saveSecret,
  setHttpSourceEnabled,
  SourceListSchema,
  SourceTestSchema,
  testHttpSource,
} from "../../app/http-sources.js";
import { reattachHttpSources } from "../../app/attach-http-sources.js";
import { credentialProblem, credentialScope } from "../../app/source-credential.js";
import type { ShelfService } from "../service.js";
import { CallLogQuery, CallLogView, ErrorBody, HealthRecent, Ok, PluginIdParam } from "../schemas.js";
import { callLogEntryView, SourceListEntrySchema } from "../../app/views/index.js";
import { pluginCallLog } from "../../store/book-queries.js";
import { ApiError } from "../zod-routes.js";

/** A definition as config `http_sources` holds it; checked by the config schema in the route (its messages name each key). */
const Definition = z.record(z.string(), z.unknown()).describe("one entry of config `http_sources` (see docs: the HTTP sources section)");
const SecretValue = z.string().min(1).max(10_000).describe("the value of the secret `auth.credential` names; stored in secrets.json, never returned");

export const SourceSaveRequest = z
  .object({
    definition: Definition,
    secret: SecretValue.optional(),
    // The definition as the edit form loaded it: given, only the fields changed on the form are saved over the
    // stored one (another tab's edit, a switch made since, stay); a field changed in both is a 409.
    base: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export const SourceTestRequest = z
  .object({
    definition: Definition,
    secret: SecretValue.optional().describe("used for this test only (not saved)"),
    book: z
      .object({
        title: z.string().trim().min(1, { error: "a test needs a book title" }).max(500),
        author: z.string().max(500).optional(),
        narrator: z.string().max(500).optional(),
        series: z.string().max(500).optional(),
        year: z.string().max(20).optional(),
        isbn: z.string().max(40).optional(),
        asin: z.string().max(40).optional(),
      })
      .strict(),
  })
  .strict();
export const SourcePresets = z.record(
  z.string(),
  z.object({ name: z.string(), needs: z.array(z.string()), auth: z.record(z.string(), z.string()), fills: z.record(z.string(), z.unknown()) }),
);
/** A source's health for its page on the health dashboard: what `sources list` says of it, and its last calls (the chart). */
export const SourceHealthDetail = SourceListEntrySchema.extend({ recent: HealthRecent });

export const SourceDefinitionView = z.object({
  definition: Definition,
  secret_set: z
    .boolean()
    .describe("whether secrets.json has the key auth.credential names and it would be sent: false for a credential refused (not this source's to use, unfit for a header), see credential_problem (the value is never shown)"),
  credential_problem: z.string().nullable().describe("why the credential would not be sent, in the words `sources list` gives as the reason (null: it would be, or there is none)"),
});

function credentialOf(definition: Record<string, unknown>): string | null {
  const auth = definition.auth as { credential?: unknown } | undefined;
  return typeof auth?.credential === "string" ? auth.credential : null;
}

function asApiError(error: unknown): never {
  if (error instanceof SourceEditConflict) throw new ApiError(409, error.message);
  // A definition's problems by key, as the form names its fields (`definition.url_template`).
  if (error instanceof DefinitionError) throw new ApiError(400, error.message, error.fields.map((f) => ({ field: f.field ? `definition.${f.field}` : "definition", message: f.message })));
  if (error instanceof ConfigError) throw new ApiError(/^no HTTP source with id/.test(error.message) ? 404 : 400, error.message);
  throw error;
}

/** No-code HTTP sources (config `http_sources`): listed, tested, added, edited, deleted and switched like plugins. */
export function sourceRoutes(app: FastifyInstance, service: ShelfService): void {
  const session = service.session;
  const reattach = async () => {
    service.reloadConfig();
    await reattachHttpSources(session, service.live.entries().map((e) => e.id));
  };

  app.get("/api/sources", { schema: { response: { 200: SourceListSchema } }, config: { summary: "Every HTTP source with its state and health" } }, async () => listHttpSources(session));

  app.get("/api/sources/presets", { schema: { response: { 200: SourcePresets } }, config: { summary: "The presets the form offers, with what each fills in" } }, async () =>
    JSON.parse(JSON.stringify(HTTP_SOURCE_PRESET_INFO)),
  );

  app.get(
    "/api/sources/:id/health",
    { schema: { params: PluginIdParam, response: { 200: SourceHealthDetail, 404: ErrorBody } }, config: { summary: "One HTTP source's health with its last 300 calls (the chart), as a plugin's" } },
    async (request) => {
      const { id } = request.params as { id: string };
      const source = listHttpSources(session).find((entry) => entry.id === id);
      if (!source) {
        try {
          findDefinition(session, id);
        } catch (error) {
          asApiError(error);
        }
        throw new ApiError(404, `no HTTP source with id "${id}"`);
      }
      const recent = pluginCallLog(session.db, id, { limit: 300 }).reverse();
      return { ...source, recent: recent.map((c) => ({ at: c.at, outcome: c.outcome, duration_ms: c.duration_ms })) };
    },
  );

  app.get(
    "/api/sources/:id/calls",
    { schema: { params: PluginIdParam, querystring: CallLogQuery, response: { 200: CallLogView, 400: ErrorBody, 404: ErrorBody } }, config: { summary: "An HTTP source's call log, newest first, filterable by outcome (kept after the source is deleted)" } },
    async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as z.infer<typeof CallLogQuery>;
      const calls = pluginCallLog(session.db, id, { outcome: q.outcome, beforeId: q.before, limit: q.limit ?? 100 });
      if (calls.length === 0 && !session.config.http_sources.some((source) => source.id === id)) {
        try {
          findDefinition(session, id);
        } catch (error) {
          asApiError(error);
        }
      }
      return { calls: calls.map((c) => callLogEntryView({ ...c, plugin_id: id, resolved: c.resolved === 1 })) };
    },
  );

  app.get(
    "/api/sources/:id/definition",
    { schema: { params: PluginIdParam, response: { 200: SourceDefinitionView, 404: ErrorBody } }, config: { summary: "A source's definition for the edit form (secrets: only whether one is set)" } },
    async (request) => {
      const { id } = request.params as { id: string };
      let definition;
      try {
        definition = findDefinition(session, id);
      } catch (error) {
        asApiError(error);
      }
      const raw = JSON.parse(JSON.stringify(definition)) as Record<string, unknown>;
      const name = credentialOf(raw);
      const secrets = loadSharedSecrets(session.layout.root);
      // The one check loading the source makes: a key set under a name it may not use is not "set" for it.
      const problem = name === null ? null : credentialProblem(definition!, secrets, credentialScope(session));
      return { definition: raw, secret_set: name !== null && Object.hasOwn(secrets, name) && problem === null, credential_problem: problem };
    },
  );

  app.post(
    "/api/sources/test",
    { schema: { body: SourceTestRequest, response: { 200: SourceTestSchema, 400: ErrorBody } }, config: { summary: "One real call with a definition, saved or not: masked URL, status, time, mapped fields" } },
    async (request) => {
      const body = request.body as z.infer<typeof SourceTestRequest>;
      const name = credentialOf(body.definition);
      const unsaved = body.secret !== undefined && name !== null ? { [name]: body.secret } : {};
      try {
        return await testHttpSource(session, body.definition, body.book, AbortSignal.timeout(65_000), unsaved);
      } catch (error) {
        asApiError(error);
      }
    },
  );

  const save = async (definition: Record<string, unknown>, secret: string | undefined, replaceId?: string, base?: Record<string, unknown>) => {
    const name = credentialOf(definition);
    if (secret !== undefined && name === null) throw new ApiError(400, "body.secret: this definition has no auth.credential to store it under; choose an auth type first", [
        { field: "secret", message: "this definition has no auth.credential to store it under; choose an auth type first" },
      ]);
    const saved = await service.withLock(`HTTP source ${String(definition.id ?? "")}`, async () => {
      try {
        // The definition first: a refused one stores no secret either.
        const result = saveHttpSource(session, definition, replaceId, base);
        if (secret !== undefined) saveSecret(session, name!, secret);
        return result;
      } catch (error) {
        asApiError(error);
      }
    });
    await reattach();
    service.note("info", `source ${saved.id} ${replaceId === undefined ? "added" : "saved"}`);
    if (saved.enabled) service.requestRun();
    service.changed();
    return saved;
  };

  app.post(
    "/api/sources",
    { schema: { body: SourceSaveRequest, response: { 201: Ok, 400: ErrorBody, 409: ErrorBody } }, config: { summary: "Add an HTTP source (its secret goes to secrets.json only)" } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof SourceSaveRequest>;
      const saved = await save(body.definition, body.secret);
      return reply.code(201).send({ ok: true as const, message: `source ${saved.id} added` });
    },
  );

  app.put(
    "/api/sources/:id",
    { schema: { params: PluginIdParam, body: SourceSaveRequest, response: { 200: Ok, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Replace an HTTP source's definition (it may be renamed); a secret left out stays as it is" } },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as z.infer<typeof SourceSaveRequest>;
      const saved = await save(body.definition, body.secret, id, body.base);
      return { ok: true as const, message: `source ${saved.id} saved` };
    },
  );

  app.delete(
    "/api/sources/:id",
    { schema: { params: PluginIdParam, response: { 200: Ok, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Delete an HTTP source (its secret stays in secrets.json; its health history is kept)" } },
    async (request) => {
      const { id } = request.params as { id: string };
      await service.withLock(`HTTP source ${id}`, () => {
        try {
          deleteHttpSource(session, id);
        } catch (error) {
          asApiError(error);
        }
      });
      await reattach();
      service.note("info", `source ${id} deleted`);
      service.changed();
      return { ok: true as const, message: `source ${id} deleted` };
    },
  );

  for (const action of ["enable", "disable", "reset"] as const) {
    app.post(
      `/api/sources/:id/${action}`,
      { schema: { params: PluginIdParam, response: { 200: Ok, 404: ErrorBody, 409: ErrorBody } }, config: { summary: `${action[0]!.toUpperCase()}${action.slice(1)} an HTTP source` } },
      async (request) => {
        const { id } = request.params as { id: string };
        const message = await service.withLock(`HTTP source ${id}`, () => {
          try {
            if (action === "reset") {
              const retried = resetHttpSource(session, id);
              return `source ${id} reset: ${counted(retried, "failed book")} will be retried`;
            }
            setHttpSourceEnabled(session, id, action === "enable");
            return `source ${id} ${action}d`;
          } catch (error) {
            asApiError(error);
          }
        });
        await reattach();
        service.note("info", message);
        if (action !== "disable") service.requestRun();
        service.changed();
        return { ok: true as const, message };
      },
    );
  }
}
