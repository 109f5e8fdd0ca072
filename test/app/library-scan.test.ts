/**
 * The data folder inside a library folder (the default ./shelfwise-data, with shelfwise run from the
 * library): its plugins (with their test books), logs and database are never scanned as books, by the CLI's
 * scan or the server's.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanLibraryFolders } from "../../src/app/library-scan.js";
import { scanAndRecord } from "../../src/app/scan-library.js";
import { openSession } from "../../src/app/open-session.js";
import type { Session } from "../../src/app/session.js";
import { listBooks } from "../../src/store/books.js";
import { content } from "../organize/library.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let session: Session | undefined;
beforeEach(() => {
  tmp = makeTempDir("library-scan");
});
afterEach(async () => {
  await session?.close();
  session = undefined;
  removeTempDir(tmp);
});

function libraryHoldingData(): { lib: string; data: string } {
  const lib = path.join(tmp, "Audiobooks");
  const data = path.join(lib, "shelfwise-data");
  for (const file of ["Frank Herbert/Dune/01.mp3", "shelfwise-data/plugins/my-plugin/test/book/01.mp3", "shelfwise-data/logs/sample.m4b"]) {
    fs.mkdirSync(path.dirname(path.join(lib, file)), { recursive: true });
    fs.writeFileSync(path.join(lib, file), content(file));
  }
  return { lib, data };
}

describe("a data folder inside the library", () => {
  it.each([
    ["shelfwise scan", (s: Session, lib: string) => scanAndRecord(s, [lib])],
    ["the server's scan", (s: Session, lib: string) => scanLibraryFolders(s, [lib])],
  ])("is not scanned by %s: only the library's own books are recorded", async (_name, scan) => {
    const { lib, data } = libraryHoldingData();
    session = openSession(data);
    await scan(session, lib);
    expect(listBooks(session.db).map((b) => path.relative(lib, b.path))).toEqual([path.join("Frank Herbert", "Dune")]);
  });
});
