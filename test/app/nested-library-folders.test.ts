/**
 * Two library folders, one inside the other (`~/Audiobooks` and
 * `~/Audiobooks/Inbox`): a book under the inner one belongs to it whichever
 * folders a scan walks, and a book whose library folder changed is identified
 * again (its path relative to the folder says something else). Without
 * output_path such a config.json is refused (config/library-folders.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { scanAndRecord } from "../../src/app/scan-library.js";
import { openSession } from "../../src/app/open-session.js";
import { listBooks } from "../../src/store/books.js";

let tmp: string;
let outer: string;
let inner: string;
let data: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-nested-roots-"));
  outer = path.join(tmp, "Audiobooks");
  inner = path.join(outer, "Inbox");
  data = path.join(tmp, "data");
  for (const [dir, album] of [[path.join(outer, "Frank Herbert", "Dune"), "Dune"], [path.join(inner, "Emma"), "Emma"]] as const) {
    fs.mkdirSync(dir, { recursive: true });
    writeMp3(path.join(dir, "01.mp3"), { album });
  }
  fs.mkdirSync(data);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function scan(libraryPaths: string[], roots: string[]) {
  // With output_path set, as nested library folders are allowed only then (an inbox emptied into the output).
  fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ library_paths: libraryPaths, output_path: path.join(tmp, "Sorted") }));
  const session = openSession(data);
  try {
    const outcome = await scanAndRecord(session, roots);
    if (!outcome.read) throw new Error("not read");
    const rows = listBooks(session.db, {});
    // Books the first scan found get a run each, as if identified; a re-queued book loses its runs.
    const runs = session.db.prepare("SELECT COUNT(*) AS n FROM layer_runs").get() as { n: number };
    if (runs.n === 0) for (const row of rows) session.db.prepare("INSERT INTO layer_runs (book_id, layer_id, status, ran_at) VALUES (?, 'path', 'ok', '2026-01-01')").run(row.id);
    const owners = Object.fromEntries(rows.map((b) => [path.relative(tmp, b.path), path.relative(tmp, b.library_root)]));
    const withRuns = (session.db.prepare("SELECT COUNT(DISTINCT book_id) AS n FROM layer_runs").get() as { n: number }).n;
    return { roots: owners, changed: outcome.summary.changed, unchanged: outcome.summary.unchanged, withRuns };
  } finally {
    await session.close();
  }
}

it("a book under a nested library folder belongs to it, whichever folders a scan walks, and is re-identified when that changes", async () => {
  const first = await scan([outer], [outer]);
  expect(first.roots).toEqual({ "Audiobooks/Frank Herbert/Dune": "Audiobooks", "Audiobooks/Inbox/Emma": "Audiobooks" });

  // The inner folder is added: its book now belongs to it and is identified again (its runs are cleared).
  const added = await scan([outer, inner], [outer, inner]);
  expect(added.roots).toEqual({ "Audiobooks/Frank Herbert/Dune": "Audiobooks", "Audiobooks/Inbox/Emma": "Audiobooks/Inbox" });
  expect([added.changed, added.unchanged]).toEqual([1, 1]);
  expect(added.withRuns).toBe(1);

  // Scanning only the outer folder does not take the book back (no re-identification back and forth).
  const outerOnly = await scan([outer, inner], [outer]);
  expect(outerOnly.roots).toEqual(added.roots);
  expect([outerOnly.changed, outerOnly.unchanged]).toEqual([0, 2]);
});
