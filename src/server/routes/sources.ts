import type { FastifyInstance } from "fastify";
import { ConfigError } from "../../config/config-file.js";
import { listHttpSources, resetHttpSource, setHttpSourceEnabled, SourceListSchema } from "../../app/http-sources.js";
import { reattachHttpSources } from "../../app/attach-http-sources.js";
import type { ShelfService } from "../service.js";
import { ErrorBody, Ok, PluginIdParam } from "../schemas.js";
import { ApiError } from "../zod-routes.js";

/** No-code HTTP sources (config `http_sources`): listed and switched like plugins. */
export function sourceRoutes(app: FastifyInstance, service: ShelfService): void {
  const session = service.session;
  app.get("/api/sources", { schema: { response: { 200: SourceListSchema } }, config: { summary: "Every HTTP source with its state and health" } }, async () => listHttpSources(session));

  for (const action of ["enable", "disable", "reset"] as const) {
    app.post(
      `/api/sources/:id/${action}`,
      { schema: { params: PluginIdParam, response: { 200: Ok, 404: ErrorBody } }, config: { summary: `${action[0]!.toUpperCase()}${action.slice(1)} an HTTP source` } },
      async (request) => {
        const { id } = request.params as { id: string };
        let message: string;
        try {
          if (action === "reset") {
            const retried = resetHttpSource(session, id);
            message = `source ${id} reset: ${retried} failed book${retried === 1 ? "" : "s"} will be retried`;
          } else {
            setHttpSourceEnabled(session, id, action === "enable");
            message = `source ${id} ${action}d`;
          }
        } catch (error) {
          if (error instanceof ConfigError) throw new ApiError(404, error.message);
          throw error;
        }
        service.reloadConfig();
        await reattachHttpSources(session, service.live.entries().map((e) => e.id));
        service.note("info", message);
        if (action !== "disable") service.requestRun();
        service.changed();
        return { ok: true as const, message };
      },
    );
  }
}
