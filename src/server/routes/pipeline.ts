import type { FastifyInstance } from "fastify";
import { changeConfig } from "../../app/settings-writes.js";
import { layerRunCounts } from "../../store/book-queries.js";
import { setPluginState } from "../../store/plugin-health.js";
import type { ShelfService } from "../service.js";
import { EnabledRequest, ErrorBody, JobView, LayersView, OrderRequest, PluginIdParam } from "../schemas.js";
import { ApiError } from "../zod-routes.js";
import { ADVICE } from "../../domain/command-advice.js";

export function layersView(service: ShelfService) {
  const counts = new Map(layerRunCounts(service.session.db).map((c) => [c.layer_id, c]));
  const { rows, warnings } = service.layerRows();
  return {
    layers: rows.map((row) => {
      const c = counts.get(row.layer_id);
      return { ...row, ok: c?.ok ?? 0, error: c?.error ?? 0, skipped: c?.skipped ?? 0 };
    }),
    warnings,
    pipeline_order: [...service.session.config.pipeline_order],
  };
}

export function pipelineRoutes(app: FastifyInstance, service: ShelfService): void {
  app.get("/api/layers", { schema: { response: { 200: LayersView } }, config: { summary: "Layers in execution order with enable state and counts" } }, async () => layersView(service));

  app.put(
    "/api/pipeline/order",
    { schema: { body: OrderRequest, response: { 200: LayersView, 400: ErrorBody, 409: ErrorBody } }, config: { summary: "Save the execution order (pipeline_order)" } },
    async (request) => {
      const { order } = request.body as { order: string[] };
      const duplicate = order.find((id, i) => order.indexOf(id) !== i);
      if (duplicate) throw new ApiError(400, `order: "${duplicate}" is listed twice`);
      const known = new Set(service.layerRows().rows.map((l) => l.layer_id));
      const unknown = order.filter((id) => !known.has(id));
      if (unknown.length) throw new ApiError(400, `order: unknown layer${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
      service.withDataLock("pipeline order", () =>
        changeConfig(service.dataDir, (raw) => {
          raw.pipeline_order = order;
        }),
      );
      service.reloadConfig();
      service.note("info", `pipeline order saved: ${order.join(", ")}`);
      return layersView(service);
    },
  );

  app.post(
    "/api/layers/:id/enabled",
    { schema: { params: PluginIdParam, body: EnabledRequest, response: { 200: LayersView, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Switch a layer on or off" } },
    async (request) => {
      const { id } = request.params as { id: string };
      const { enabled } = request.body as { enabled: boolean };
      const row = service.layerRows().rows.find((l) => l.layer_id === id);
      if (!row) throw new ApiError(404, `no layer "${id}"`);
      const key = row.config_enable_key;
      const config = service.session.config as Record<string, unknown>;
      if (row.kind === "plugin") {
        service.withDataLock(`layer ${id}`, () => {
          setPluginState(service.session.db, id, enabled ? "enabled" : "disabled", enabled ? null : `disabled by the user in the web app (${ADVICE.pluginEnable.cli()})`, { resetFailures: enabled });
          if (enabled && config[key] === false) changeConfig(service.dataDir, (raw) => void delete raw[key]);
        });
        await service.pluginsChanged();
      } else {
        service.withDataLock(`layer ${id}`, () =>
          changeConfig(service.dataDir, (raw) => {
            raw[key] = enabled;
          }),
        );
        service.reloadConfig();
        if (enabled) service.requestRun();
      }
      service.note("info", `layer ${id} ${enabled ? "enabled" : "disabled"}`);
      return layersView(service);
    },
  );

  // A layer named in the address that does not exist is a 404; one that exists but cannot run now, a 400.
  const knownLayer = (id: string): string => {
    if (!service.layerRows().rows.some((l) => l.layer_id === id)) throw new ApiError(404, `no layer "${id}"`);
    return id;
  };

  app.post(
    "/api/layers/:id/run",
    { schema: { params: PluginIdParam, response: { 202: JobView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Run one layer (for books it has not passed)" } },
    async (request, reply) => reply.code(202).send(service.startProcess({ layer: knownLayer((request.params as { id: string }).id) })),
  );

  app.post("/api/layers/:id/rerun", { schema: { params: PluginIdParam, response: { 202: JobView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Run one layer again for every book" } }, async (request, reply) =>
    reply.code(202).send(service.startProcess({ layer: knownLayer((request.params as { id: string }).id), rerun: true })),
  );

}
