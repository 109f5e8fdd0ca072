/**
 * A database an older shelfwise left, whose undo locked each book it moved back as 1 (the user's `book --lock`):
 * opened by this one, apply given such a book (its dry run too) holds it saying undo locked it, naming the undo, not "locked by the user"; a book
 * the user locked keeps the user's words. Real apply and undo on real folders; the old lock value and schema (26) put
 * back as that shelfwise wrote them.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { ApplyReport } from "../../src/organize/types.js";
import { openDatabase } from "../../src/store/database.js";
import { runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { rewriteAtVersion } from "../support/old-schema.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("cli-undo-lock-old");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  for (const [dir, artist, album] of [
    ["incoming/Frank Herbert - Dune", "Frank Herbert", "Dune"],
    ["incoming/Jane Austen - Emma", "Jane Austen", "Emma"],
  ]) {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    writeMp3(path.join(lib, dir, "01.mp3"), { artist, album, title: album, track: "1" });
  }
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("a database written before undo's lock was told apart", () => {
  it("a book undo moved back and locked reads as locked by undo, naming it; one the user locked, by the user", async () => {
    const applied = await runCliJson<ApplyReport>(["apply", "--yes"], { dataDir: data });
    const dune = applied.moved.find((m) => m.from.endsWith("Frank Herbert - Dune"))!;
    const emma = applied.moved.find((m) => m.from.endsWith("Jane Austen - Emma"))!;
    await runCliOk(["undo", String(dune.move_id)], { dataDir: data });
    await runCliOk(["book", String(emma.book_id), "--lock"], { dataDir: data });
    const file = path.join(data, "shelfwise.db");
    const db = openDatabase(file);
    let undoId: number;
    try {
      undoId = db.prepare("SELECT id FROM moves WHERE kind = 'undo' AND book_id = ?").pluck().get(dune.book_id) as number;
      // What that shelfwise wrote for undo's lock.
      db.prepare("UPDATE books SET locked = 1 WHERE id = ?").run(dune.book_id);
    } finally {
      db.close();
    }
    rewriteAtVersion(file, 26);

    // Given by id (a dry run of apply): the only way a locked book is listed, with who locked it.
    const asked = await runCliJson<ApplyReport>(["apply", String(dune.book_id), String(emma.book_id), "--dry-run"], { dataDir: data });
    expect(new Map(asked.held.map((e) => [e.book_id, [e.conflict?.kind, e.conflict?.reason]]))).toEqual(new Map([
      [
        dune.book_id,
        ["locked",
        `locked by undo, not by you: move ${undoId} undoing move ${dune.move_id} moved it back and locked it so that apply would not move it again (\`shelfwise book ${dune.book_id} --unlock\` lets apply propose it again)`],
      ],
      [emma.book_id, ["locked", `locked by the user (\`shelfwise book ${emma.book_id} --unlock\`)`]],
    ]));
    // Taken over by the user's --lock, it is the user's from then on.
    await runCliOk(["book", String(dune.book_id), "--lock"], { dataDir: data });
    const mine = await runCliJson<ApplyReport>(["apply", String(dune.book_id), "--dry-run"], { dataDir: data });
    expect(mine.held[0]?.conflict?.reason).toBe(`locked by the user (\`shelfwise book ${dune.book_id} --unlock\`)`);
  });
});
