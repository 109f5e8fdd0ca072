/**
 * Pipeline benchmark: 20,000 books of real tagged audio (two mp3 files each,
 * a third of them with a metadata.json sidecar). Prints books/s for each
 * built-in layer (database writes included) and overall, and the time
 * music-metadata alone takes to parse the same files with the same
 * concurrency, as a ratio. Targets: path + sidecar together >= 10,000 books/s;
 * embedded_tags within 1.3x of music-metadata alone.
 *
 *   npm run bench:pipeline [-- --books N] [-- --path-sidecar]
 *
 * --path-sidecar runs only the path and sidecar layers (no tag reading, no
 * music-metadata reference): quicker to profile the part with the 10,000 target.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseFile } from "music-metadata";
import { audioBytes } from "../fixtures/audio.js";
import { openSession } from "../src/app/open-session.js";
import { pipelineSettings } from "../src/app/session.js";
import { attachBuiltinLayers } from "../src/app/attach-plugins.js";
import { scanLibrary } from "../src/library/scan.js";
import { applyScan } from "../src/store/books.js";
import { runPipeline, type LayerSummary } from "../src/pipeline/orchestrator.js";
import { boundedMap } from "../src/library/bounded-map.js";
import { TAG_READ_CONCURRENCY } from "../src/pipeline/layers/embedded-tags-layer.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const books = Number(process.argv[process.argv.indexOf("--books") + 1]) || 20_000;
const pathSidecarOnly = process.argv.includes("--path-sidecar");
const root = path.join(REPO, ".bench", `pipeline-library-${books}`);

const AUTHORS = ["Dean Koontz", "Brandon Sanderson", "Ursula K. Le Guin", "Terry Pratchett", "Octavia E. Butler", "Iain M. Banks"];

function generate(): void {
  if (fs.existsSync(path.join(root, ".done"))) return;
  fs.rmSync(root, { recursive: true, force: true });
  const started = performance.now();
  for (let i = 0; i < books; i++) {
    const author = AUTHORS[i % AUTHORS.length]!;
    const title = `Book Title ${i}`;
    const dir = path.join(root, author, `Series ${i % 97}`, `${String((i % 12) + 1).padStart(2, "0")} - ${title}`);
    fs.mkdirSync(dir, { recursive: true });
    const tags = { artist: author, album: title, composer: `Narrator ${i % 50}`, year: String(1950 + (i % 70)), series: `Series ${i % 97}`, series_part: String((i % 12) + 1) };
    for (let part = 1; part <= 2; part++) fs.writeFileSync(path.join(dir, `${String(part).padStart(2, "0")} - Chapter ${part}.mp3`), audioBytes("mp3", { ...tags, title: `Chapter ${part}` }));
    if (i % 3 === 0) fs.writeFileSync(path.join(dir, "metadata.json"), JSON.stringify({ title, authors: [author], narrators: [`Narrator ${i % 50}`], publishedYear: String(1950 + (i % 70)) }));
  }
  fs.writeFileSync(path.join(root, ".done"), "");
  console.log(`generated ${books} books (${books * 2} audio files) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  generate();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-pipeline-"));
  try {
    const session = openSession(dataDir);
    await attachBuiltinLayers(session);
    // Scan in its own scope so the pipeline runs with the heap a `process` run has.
    const { bookCount, firstFiles } = await (async () => {
      const scan = await scanLibrary([root]);
      applyScan(session.db, scan.books, [root]);
      return { bookCount: scan.books.length, firstFiles: scan.books.map((b) => b.files[0]!.path) };
    })();
    const byId = new Map(session.registry.all().map((l) => [l.info.layer_id, l]));
    const run = async (ids: string[]) => {
      const result = await runPipeline({ ...pipelineSettings(session), layers: ids.map((id) => byId.get(id)!) });
      return result.layers;
    };
    // CPU time as well as wall time: on a shared machine the wall clock also counts other processes' turns.
    const cpu0 = process.cpuUsage();
    const first = await run(["path", "sidecar"]);
    const cpu = process.cpuUsage(cpu0);
    const pathSidecarCpu = (cpu.user + cpu.system) / 1e6;
    const summaries: LayerSummary[] = [...first, ...(pathSidecarOnly ? [] : await run(["embedded_tags"]))];
    await session.close();
    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString("en");
    const pathSidecar = summaries.filter((s) => s.layer_id === "path" || s.layer_id === "sidecar").reduce((t, s) => t + s.seconds, 0);
    if (pathSidecarOnly) {
      console.log(`\npipeline benchmark (path and sidecar only): ${bookCount} books\n`);
      for (const s of summaries) console.log(`  ${s.layer_id.padEnd(14)} ${rate(s.processed, s.seconds).padStart(8)} books/s  (${s.seconds.toFixed(2)} s)`);
      console.log(`  ${"path+sidecar".padEnd(14)} ${rate(bookCount, pathSidecar).padStart(8)} books/s  (target >= 10,000; CPU ${pathSidecarCpu.toFixed(2)} s, ${rate(bookCount, pathSidecarCpu)} books per CPU second)`);
      return;
    }

    // Reference: music-metadata alone on the same first files, same options and concurrency.
    const t0 = performance.now();
    await boundedMap(firstFiles, TAG_READ_CONCURRENCY, (file) => parseFile(file, { duration: false, skipCovers: true }));
    const mmSeconds = (performance.now() - t0) / 1000;

    console.log(`\npipeline benchmark: ${bookCount} books\n`);
    for (const s of summaries) console.log(`  ${s.layer_id.padEnd(14)} ${rate(s.processed, s.seconds).padStart(8)} books/s  (${s.seconds.toFixed(2)} s)`);
    const tags = summaries.find((s) => s.layer_id === "embedded_tags")!;
    const total = summaries.reduce((t, s) => t + s.seconds, 0);
    console.log(`  ${"path+sidecar".padEnd(14)} ${rate(bookCount, pathSidecar).padStart(8)} books/s  (target >= 10,000; CPU ${pathSidecarCpu.toFixed(2)} s, ${rate(bookCount, pathSidecarCpu)} books per CPU second)`);
    console.log(`  ${"overall".padEnd(14)} ${rate(bookCount, total).padStart(8)} books/s  (all three layers)`);
    console.log(`  ${"music-metadata".padEnd(14)} ${rate(firstFiles.length, mmSeconds).padStart(8)} files/s  (parsing alone, reference)`);
    console.log(`\n  embedded_tags / music-metadata alone: ${(tags.seconds / mmSeconds).toFixed(2)}x  (target <= 1.3x)`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
