import type { FastifyInstance } from "fastify";
import type { ShelfService } from "../service.js";
import { ErrorBody, JobView, Ok, ProcessRequest, StatusView } from "../schemas.js";

export function statusRoutes(app: FastifyInstance, service: ShelfService): void {
  app.get("/api/status", { schema: { response: { 200: StatusView } }, config: { summary: "Totals, the job in progress, per-layer counts, recent activity, problems" } }, async () => service.freshStatus());

  app.get("/api/events", { config: { summary: "Server-sent events: status, job, plugin, plugins" } }, (request, reply) => {
    // A HEAD (a monitor, a link checker) gets the stream's headers and an end: as a stream it was held open, with
    // no body to send, until the client gave up; and it asked the disk again each time.
    if (request.method === "HEAD") return void reply.type("text/event-stream; charset=utf-8").send();
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
    "/api/jobs/cut-short/dismiss",
    {
      schema: { response: { 200: Ok, 409: ErrorBody, 503: ErrorBody } },
      config: { summary: "Acknowledge the job a killed server cut short (removes the data folder's notice, for every tab and the next server; running it again to its end does too, here or by the CLI); 409 while another command holds the data folder's lock" },
    },
    async () => ({ ok: true as const, message: service.dismissCutShort() ? "the job cut short is acknowledged" : "no job cut short to acknowledge" }),
  );

  app.post(
    "/api/stop",
    { schema: { response: { 200: Ok } }, config: { summary: "Stop the job in progress after its current batch" } },
    async () => {
      const kind = service.jobKind();
      if (!service.stop()) return { ok: true as const, message: "nothing is running" };
      // An apply or undo stops at its next chunk (the moves made are kept and in the history); a run drops its calls.
      const message =
        kind === "apply" || kind === "undo"
          ? `stopping: the moves made so far are kept (the history lists them); the books not started stay where they are`
          : "stopping: calls in flight are dropped and their books stay pending; answers already in are kept";
      return { ok: true as const, message };
    },
  );
}
