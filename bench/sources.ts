/**
 * HTTP source benchmark: books through a configured HTTP source (a local API
 * that answers after 50 ms), through the real orchestrator with database
 * writes and call recording, against the same requests made one after another
 * with nothing in between (a bare keep-alive http.request loop: its floor is
 * the server's latency). Then the same source with max_requests_per_minute
 * set, counting what the server saw.
 * Targets: concurrency 4 (the default) >= 3x sequential; the rate limit holds exactly.
 *
 *   npm run bench:sources [-- --books N] [-- --sequential N]
 *
 * The sequential reference runs the first 300 books, before and after the main
 * run, unless --sequential says otherwise (2,000 one after another is 100 s of
 * waiting for the same figure).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { openSession } from "../src/app/open-session.js";
import { pipelineSettings, type Session } from "../src/app/session.js";
import { attachHttpSources } from "../src/app/attach-http-sources.js";
import { applyScan } from "../src/store/books.js";
import { clearRuns } from "../src/store/layer-runs.js";
import { runPipeline } from "../src/pipeline/orchestrator.js";
import { createPathLayer } from "../src/pipeline/layers/path-layer.js";

const LATENCY_MS = 50;

/** The API runs in its own process, as a real service would: the client's work cannot delay its answers. */
const SERVER_CODE = `
const http = require("node:http");
const times = [];
const server = http.createServer((req, res) => {
  if (req.url === "/__times") { res.end(JSON.stringify(times.splice(0))); return; }
  times.push(performance.now() + performance.timeOrigin);
  const title = new URL(req.url, "http://x").searchParams.get("title") || "";
  setTimeout(() => { res.setHeader("Content-Type", "application/json"); res.end(JSON.stringify({ title, narrator: "Bench Narrator" })); }, ${LATENCY_MS});
});
server.keepAliveTimeout = 10000;
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

interface JsonApiServer {
  url: string;
  /** Arrival times (epoch ms) since the last call. */
  takeTimes(): Promise<number[]>;
  close(): void;
}

async function startServer(): Promise<JsonApiServer> {
  const child: ChildProcess = spawn(process.execPath, ["-e", SERVER_CODE], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once("exit", (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    takeTimes: async () => (await (await fetch(`${url}/__times`)).json()) as number[],
    close: () => void child.kill(),
  };
}

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) || fallback : fallback;
};
const books = arg("--books", 2000);
const sequentialBooks = Math.min(books, arg("--sequential", 300));
const RATE_RPM = 1200;
const RATE_BOOKS = 200;

function titleOf(i: number): string {
  return `Title ${i}`;
}

function seedBooks(session: Session): void {
  const root = "/library";
  applyScan(
    session.db,
    Array.from({ length: books }, (_, i) => ({
      path: `${root}/Author ${i % 300}/${titleOf(i)}`,
      kind: "folder" as const,
      library_root: root,
      files: [{ path: `${root}/Author ${i % 300}/${titleOf(i)}/01.mp3`, size: 1000 }],
      fingerprint: String(i),
    })),
    [],
  );
}

async function sequentialRate(api: JsonApiServer): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (url: string) =>
    new Promise<void>((resolve, reject) => {
      http.get(url, { agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      }).on("error", reject);
    });
  const started = performance.now();
  for (let i = 0; i < sequentialBooks; i++) await get(`${api.url}/search?title=${encodeURIComponent(titleOf(i))}`);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return sequentialBooks / seconds;
}

function writeConfig(dataDir: string, api: JsonApiServer, extra: Record<string, unknown>): void {
  fs.writeFileSync(
    path.join(dataDir, "config.json"),
    JSON.stringify({
      http_sources: [
        {
          id: "bench-source",
          url_template: `${api.url}/search?title={{title}}`,
          response_mapping: { title: "$.title", narrator: "$.narrator" },
          allow_private: true,
          // Every book in the benchmark is looked up, whatever the path layer would have said.
          only_below_confidence: 100,
          ...extra,
        },
      ],
    }),
  );
}

async function pipelineRate(api: JsonApiServer, extra: Record<string, unknown>, limit?: number): Promise<{ rate: number; seconds: number; processed: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-sources-"));
  try {
    writeConfig(dataDir, api, extra);
    const session = openSession(dataDir);
    seedBooks(session);
    if (limit !== undefined) {
      // Only the first `limit` books are pending for this layer: the rest count as already run.
      session.db.prepare("DELETE FROM books WHERE id > ?").run(limit);
    }
    attachHttpSources(session, []);
    const layer = session.registry.get("bench-source")!;
    clearRuns(session.db, "bench-source");
    // The path layer gives every book its title first (untimed here); only the source's summary counts.
    const result = await runPipeline({ ...pipelineSettings(session), layers: [createPathLayer(), layer] });
    await session.close();
    const summary = result.layers[1]!;
    if (summary.errors !== 0) throw new Error(`bench-source: ${summary.errors} errors`);
    return { rate: summary.processed / summary.seconds, seconds: summary.seconds, processed: summary.processed };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const api = await startServer();
  try {
    // The reference is measured before and after the main run and averaged: on a shared machine the
    // load drifts during a run, and the ratio should not depend on which side caught the quiet minute.
    const sequentialBefore = await sequentialRate(api);
    const concurrent = await pipelineRate(api, {});
    const sequential = (sequentialBefore + (await sequentialRate(api))) / 2;
    const wider = await pipelineRate(api, { concurrency: 8 });

    await api.takeTimes();
    const limited = await pipelineRate(api, { max_requests_per_minute: RATE_RPM }, RATE_BOOKS);
    const times = await api.takeTimes();
    const perSecond = RATE_RPM / 60;
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    const observed = ((times.length - 1) / (times.at(-1)! - times[0]!)) * 60_000;

    const fmt = (n: number) => n.toFixed(1).padStart(7);
    console.log(`\nHTTP source benchmark: local API answering after ${LATENCY_MS} ms, orchestrator with database writes and call recording\n`);
    console.log(`  sequential, bare http.request  ${fmt(sequential)} books/s  (reference: ${sequentialBooks} calls one after another, before and after, averaged)`);
    console.log(`  source, concurrency 4 (default) ${fmt(concurrent.rate)} books/s  = ${(concurrent.rate / sequential).toFixed(2)}x  (${concurrent.processed} books, target >= 3x)`);
    console.log(`  source, concurrency 8          ${fmt(wider.rate)} books/s  = ${(wider.rate / sequential).toFixed(2)}x`);
    console.log(
      `  max_requests_per_minute ${RATE_RPM}: ${times.length} requests, ${observed.toFixed(1)}/min observed, ` +
        `at most ${most} in any 1 s window (limit ${perSecond}/s) -> ${most <= perSecond && observed <= RATE_RPM ? "holds" : "EXCEEDED"}`,
    );
    console.log(`  (rate-limited run: ${limited.processed} books in ${limited.seconds.toFixed(2)} s)`);
  } finally {
    api.close();
  }
}

await main();
