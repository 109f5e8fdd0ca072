import type { FastifyInstance } from "fastify";
import type { ShelfService } from "../service.js";
import { ErrorBody, JobView, Ok, ProcessRequest, StatusView } from "../schemas.js";

export function statusRoutes(app: FastifyInstance, service: ShelfService): void {
  app.get("/api/status", { schema: { response: { 200: StatusView } }, config: { summary: "Totals, the job in progress, per-layer counts, recent activity, problems" } }, async () => service.freshStatus());

  app.get("/api/events", { config: { summary: "Server-sent events: status, job, plugin, plugins" } }, (request, reply) => {
    // A page opened (or reloaded) asks the disk again: a folder moved by hand shows without waiting for a job (in a
    // large library, by a status event when the check off the main thread is done).
    service.hub.attach(request, reply, () => service.status({ freshDisk: true }));
  });

  app.post(
    "/api/scan",
    { schema: { response: { 202: JobView, 409: ErrorBody } }, config: { summary: "Scan the library folders (a process run follows)" } },
    async (_request, reply) => reply.code(202).send(service.startScan()),
  );

  app.post(
    "/api/process",
    { schema: { body: ProcessRequest, response: { 202: JobView, 400: ErrorBody, 409: ErrorBody } }, config: { summary: "Run the pipeline (or one layer)" } },
    async (request, reply) => reply.code(202).send(service.startProcess(request.body as { layer?: string; rerun?: boolean })),
  );

  app.post(
    "/api/stop",
    { schema: { response: { 200: Ok } }, config: { summary: "Stop the job in progress after its current batch" } },
    async () => ({ ok: true as const, message: service.stop() ? "stopping: calls in flight are dropped and their books stay pending; answers already in are kept" : "nothing is running" }),
  );
}
