/**
 * A data folder inside the library (`cd ~/Audiobooks && shelfwise scan .`
 * puts ./shelfwise-data there): shelfwise's own files are never books, so a
 * plugin's sample audio is not identified or moved by a plan.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { scanLibraryFolders } from "../../src/app/library-scan.js";
import { scanAndRecord } from "../../src/app/scan-library.js";
import { openSession } from "../../src/app/open-session.js";
import { listBooks } from "../../src/store/books.js";

let tmp: string;
let lib: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-data-in-lib-"));
  lib = path.join(tmp, "Audiobooks");
  fs.mkdirSync(path.join(lib, "Frank Herbert", "Dune"), { recursive: true });
  writeMp3(path.join(lib, "Frank Herbert", "Dune", "01.mp3"), { album: "Dune", artist: "Frank Herbert" });
  // A plugin shipping a sample file for its own tests, and a plugin folder configured elsewhere inside the library.
  fs.mkdirSync(path.join(lib, "shelfwise-data", "plugins", "demo", "test"), { recursive: true });
  writeMp3(path.join(lib, "shelfwise-data", "plugins", "demo", "test", "sample.mp3"), { album: "Sample" });
  fs.mkdirSync(path.join(lib, "my-plugins", "other"), { recursive: true });
  writeMp3(path.join(lib, "my-plugins", "other", "sample.mp3"), { album: "Other sample" });
  fs.writeFileSync(path.join(lib, "shelfwise-data", "config.json"), JSON.stringify({ plugin_dir: "../my-plugins" }));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("neither `scan` nor the server's scan records the data folder or the plugin folder as books", async () => {
  const session = openSession(path.join(lib, "shelfwise-data"));
  try {
    const outcome = await scanAndRecord(session, [lib]);
    expect(outcome.read).toBe(true);
    const paths = () => listBooks(session.db, {}).map((b) => path.relative(lib, b.path));
    expect(paths()).toEqual(["Frank Herbert/Dune"]);
    await scanLibraryFolders(session, [lib]);
    expect(paths()).toEqual(["Frank Herbert/Dune"]);
  } finally {
    await session.close();
  }
});
