/**
 * Stop pressed during an apply (the Review page's, the dashboard's): the run stops at its next chunk as Ctrl-C stops
 * the CLI's, the moves made kept and the books not started where they were, and the answer says so. Stop aborted a
 * signal the moves never read: the apply went on to its last book under a "calls in flight are dropped" answer.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openLibrary, type TestLibrary } from "../organize/library.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import type { FastifyInstance } from "fastify";

const BOOKS = 150;
let tmp: string;
let t: TestLibrary;
let service: ShelfService;
let app: FastifyInstance;

beforeAll(async () => {
  tmp = makeTempDir("shelfwise-apply-stop-");
  t = await openLibrary(tmp, Array.from({ length: BOOKS }, (_, i) => ({ at: `inbox/Book ${i}`, author: "Jules Verne", title: `Voyage ${i}`, files: ["01.mp3"] })), { naming_template: "{author}/{title}" });
  t.close();
  fs.writeFileSync(path.join(t.data, "config.json"), JSON.stringify({ library_paths: [t.lib], naming_template: "{author}/{title}" }));
  service = await ShelfService.open(t.data, { autoRun: false, watch: false });
  app = await buildServer(service, { host: "127.0.0.1", token: null });
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  removeTempDir(tmp);
});

const call = async (method: "GET" | "POST", url: string, payload?: object) => {
  const response = await app.inject({ method, url, payload, headers: { host: "127.0.0.1" } });
  return { code: response.statusCode, body: response.json() as any };
};

it("Stop during an apply ends it at its next chunk: moves made kept, the rest where they were, said as such", async () => {
  const started = await call("POST", "/api/apply", { status: "identified" });
  expect(started.code, JSON.stringify(started.body)).toBe(202);
  const stop = await call("POST", "/api/stop");
  expect(stop.body.message).toBe("stopping: the moves made so far are kept (the history lists them); the books not started stay where they are");
  await service.idle();
  const { body: status } = await call("GET", "/api/status");
  expect(status.last_job).toMatchObject({ kind: "apply", state: "stopped" });
  const left = fs.readdirSync(path.join(t.lib, "inbox")).length;
  // The first chunk (64 books) moved; the others stayed.
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThan(BOOKS);
  expect(fs.readdirSync(path.join(t.lib, "Jules Verne")).length).toBe(BOOKS - left);
  expect(status.last_job.message).toBe(`moved ${BOOKS - left}, failed 0, held 0; stopped: ${left} not started, where they were`);
});

it("the apply job's count is of the books that will move: a book held back by the added-files check is not in its \"0 of N\"", async () => {
  // What the first test left where it was, one of them with a file the last scan did not see.
  const left = fs.readdirSync(path.join(t.lib, "inbox")).sort();
  expect(left.length).toBeGreaterThan(1);
  fs.writeFileSync(path.join(t.lib, "inbox", left[0]!, "02.mp3"), "added since the scan");
  const seen: [number, number][] = [];
  const progress = service.progress.bind(service);
  service.progress = (job, done, pending) => {
    if (job.kind === "apply") seen.push([done, pending]);
    progress(job, done, pending);
  };
  try {
    const started = await call("POST", "/api/apply", { status: "identified" });
    expect(started.code, JSON.stringify(started.body)).toBe(202);
    await service.idle();
  } finally {
    service.progress = progress;
  }
  const { body: status } = await call("GET", "/api/status");
  expect(status.last_job).toMatchObject({ kind: "apply", state: "done", message: `moved ${left.length - 1}, failed 0, held 1` });
  // Every count the page was shown is out of the books moved, from "0 of N" on: as the CLI's "N moved, 1 held".
  expect(seen[0]).toEqual([0, left.length - 1]);
  for (const [, pending] of seen) expect(pending).toBe(left.length - 1);
  expect(fs.readdirSync(path.join(t.lib, "inbox"))).toEqual([left[0]]);
});
