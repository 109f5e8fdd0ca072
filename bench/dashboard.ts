/**
 * The dashboard's disk check at scale: 100,000 books recorded in a real data folder (straight through the store),
 * each a real folder on disk (a few moved away by hand, a few `missing` ones there again), and the real
 * `shelfwise serve` (the built CLI, its own process). Measured from outside, as a user's second tab would feel it:
 * how long a page open (`GET /api/status`, which asks the disk afresh) takes, and how long a cheap request sent
 * while it runs waits for an answer (the server's main thread blocked by the check shows there), against the same
 * request on an idle server.
 *
 *   npm run -s build && npm run -s bench:dashboard [-- --books N --runs N --keep DIR]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/store/database.js";
import { syncBookSearch } from "../src/store/book-queries.js";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const BOOKS = arg("books", 100_000);
const RUNS = arg("runs", 20);
const GONE = 37;
const BACK = 12;

// --keep DIR: the seeded folder kept there and used again by the next run (seeding takes most of a run's time).
const keep = process.argv.includes("--keep") ? path.resolve(process.argv[process.argv.indexOf("--keep") + 1]!) : null;
const tmp = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-dashboard-"));
const dataDir = path.join(tmp, "data");
const library = path.join(tmp, "library");

function seed(): void {
  const started = performance.now();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ library_paths: [library] }));
  const db = openDatabase(path.join(dataDir, "shelfwise.db"));
  const now = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', ?, ?, ?, ?, 90, ?, '[]', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < BOOKS; i++) {
      const author = `Author ${i % 5000}`;
      const p = path.join(library, author, `Book ${i}`);
      // The last BACK books were not found by the last scan, and are there again; GONE others were moved away.
      const status = i >= BOOKS - BACK ? "missing" : "identified";
      insert.run(p, library, status, author, `Book ${i}`, `fp${i}`, now, now, now);
      if (i % Math.floor(BOOKS / GONE) !== 1) fs.mkdirSync(p, { recursive: true });
    }
  })();
  syncBookSearch(db);
  db.close();
  console.log(`seeded ${BOOKS.toLocaleString("en")} books (and their folders) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function serve(): Promise<{ url: string; stop: () => Promise<void> }> {
  const cli = path.join(import.meta.dirname, "..", "bin", "shelfwise.js");
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /at (http:\/\/\S+?)\/ \(Ctrl-C/.exec(text);
      if (match) resolve({ url: match[1]!, stop: () => new Promise((done) => (child.once("exit", () => done()), child.kill("SIGTERM"))) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`serve exited ${code}:\n${text}`)));
  });
}

const timed = async (url: string) => {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${body}`);
  return { ms: performance.now() - started, body };
};
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * p) - 1)]!;
const line = (label: string, values: number[]) => console.log(`${label.padEnd(58)}${pct(values, 0.5).toFixed(1).padStart(9)}${pct(values, 0.95).toFixed(1).padStart(9)}${Math.max(...values).toFixed(1).padStart(9)}`);

if (!keep || !fs.existsSync(dataDir)) seed();
const server = await serve();
try {
  const probe = `${server.url}/api/layers`;
  for (let i = 0; i < 5; i++) await timed(probe);
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) idle.push((await timed(probe)).ms);
  const opens: number[] = [];
  const during: number[] = [];
  let shown = "";
  for (let i = 0; i < RUNS; i++) {
    const open = timed(`${server.url}/api/status`);
    // Probes while the page open is answered: each waits for whatever holds the server's main thread.
    const probes: Promise<{ ms: number }>[] = [];
    let answered = false;
    void open.finally(() => (answered = true));
    for (let k = 0; k < 40 && !answered; k++) {
      probes.push(timed(probe));
      await new Promise((r) => setTimeout(r, 10));
    }
    const result = await open;
    opens.push(result.ms);
    for (const p of await Promise.all(probes)) during.push(p.ms);
    const problems = (JSON.parse(result.body) as { problems: { kind: string; message: string }[] }).problems;
    shown = problems.filter((p) => p.kind === "gone" || p.kind === "back").map((p) => p.message.split(":")[0]).join(" / ");
  }
  console.log(`\ndashboard says: ${shown}`);
  console.log(`\n${"".padEnd(58)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"max ms".padStart(9)}`);
  line(`page open (GET /api/status, the disk asked afresh)`, opens);
  line(`another request, idle server (GET /api/layers)`, idle);
  line(`another request while a page opens (${during.length} sent)`, during);
} finally {
  await server.stop();
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
}
