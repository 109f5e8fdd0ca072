/**
 * The fastify app of `shelfwise serve`: security first, then the API (zod
 * schemas in and out, OpenAPI from the routes), then the pages.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { ShelfService } from "./service.js";
import { installSecurity, loopbackHostNames } from "./security.js";
import { collectRoutes, installZod, openApiDocument } from "./zod-routes.js";
import { statusRoutes } from "./routes/status.js";
import { bookRoutes } from "./routes/books.js";
import { pipelineRoutes } from "./routes/pipeline.js";
import { pluginRoutes } from "./routes/plugins.js";
import { settingsRoutes } from "./routes/settings.js";
import { sourceRoutes } from "./routes/sources.js";
import { organizeRoutes } from "./routes/organize.js";
import { pageRoutes } from "./pages.js";

export const VERSION = "0.1.0";

export interface ServerOptions {
  /** The address the server binds (decides which Host headers are accepted without a token). */
  host: string;
  /** Required on every request when set (bound beyond loopback). */
  token: string | null;
  /** Mark the cookie Secure (behind an HTTPS proxy). */
  secureCookie?: boolean;
  /** Register the pages (needs dist/web); default true. */
  pages?: boolean;
}

export async function buildServer(service: ShelfService, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true, forceCloseConnections: true });
  installZod(app);
  const routes = collectRoutes(app);
  installSecurity(app, { token: options.token, loopbackHosts: loopbackHostNames(options.host) });

  // What a CLI command wrote since (a plugin disabled, reset...) is seen before any API call reads or acts.
  app.addHook("preHandler", async (request) => {
    if (request.url.startsWith("/api/")) await service.syncFromDisk();
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      service.session.log.error({ event: "serve_error", stack: error.stack }, error.message);
      return reply.code(500).send({ error: "internal error (details in the data folder's logs/shelfwise.log)" });
    }
    return reply.code(status).send({ error: error.message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no such page or API: ${request.method} ${request.url.split("?")[0]}` }));

  statusRoutes(app, service);
  bookRoutes(app, service);
  pipelineRoutes(app, service);
  pluginRoutes(app, service);
  settingsRoutes(app, service);
  sourceRoutes(app, service);
  organizeRoutes(app, service);
  if (options.pages !== false) await pageRoutes(app, { token: options.token, secureCookie: Boolean(options.secureCookie) });
  app.get("/api/openapi.json", { config: { summary: "This document" } }, async () => openApiDocument(routes, VERSION));
  app.addHook("onClose", async () => service.hub.closeAll());
  await app.ready();
  return app;
}
