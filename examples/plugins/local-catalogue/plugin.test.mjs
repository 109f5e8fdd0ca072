// Run with: node --test   (from this folder; needs `npm run build` in shelfwise)
// Every test runs the plugin isolated, exactly as the pipeline does: its own
// process, the permission model, the TypeScript transpiled and cached.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeBook, runPlugin } from "shelfwise/testing";

const folder = fileURLToPath(new URL(".", import.meta.url));
// One data folder for the whole file: the transpiled plugin is cached there, so
// only the first test pays for TypeScript.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-catalogue-data-"));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const fields = (call) => Object.fromEntries(call.accepted.map((a) => [a.field, a.value]));

test("a catalogued book gets its narrator, year, series and language", async () => {
  const { calls } = await runPlugin(folder, [makeBook({ title: "Dune", author: "Frank Herbert" })], { dataDir });
  assert.equal(calls[0].outcome, "ok");
  assert.deepEqual(fields(calls[0]), { narrator: "Scott Brick", series: "Dune", series_num: "1", year: "1965", language: "en" });
});

test("matching ignores case, a leading article, punctuation and 'Last, First' authors", async () => {
  const books = [
    makeBook({ book_id: 1, title: "final empire", author: "BRANDON SANDERSON" }),
    makeBook({ book_id: 2, title: "Guards Guards", author: "Terry Pratchett" }),
  ];
  const { calls } = await runPlugin(folder, books, { dataDir });
  assert.equal(fields(calls[0]).narrator, "Michael Kramer");
  assert.equal(fields(calls[0]).series_num, "1");
  assert.deepEqual(fields(calls[1]), { narrator: "Nigel Planer", series: "Discworld", series_num: "8", year: "1989", language: "en" });
});

test("a book not in the catalogue gets no result, one without an author is skipped", async () => {
  const { calls } = await runPlugin(folder, [
    makeBook({ book_id: 1, title: "Dune Messiah", author: "Frank Herbert" }),
    makeBook({ book_id: 2, title: "Dune" }),
  ], { dataDir });
  assert.equal(calls[0].outcome, "no_result");
  assert.deepEqual(calls[0].returned, null);
  assert.equal(calls[1].outcome, "skipped");
});

test("config `file` picks another catalogue in the plugin folder; a path outside it is refused", async (t) => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "local-catalogue-"));
  t.after(() => fs.rmSync(copy, { recursive: true, force: true }));
  fs.cpSync(folder, copy, { recursive: true, filter: (src) => !src.includes("node_modules") });
  fs.writeFileSync(path.join(copy, "mine.csv"), 'Title,Author,Narrator\n"Piranesi","Susanna Clarke","Chiwetel Ejiofor"\n');

  const { calls } = await runPlugin(copy, [makeBook({ title: "Piranesi", author: "Susanna Clarke" })], { config: { file: "mine.csv" }, dataDir });
  assert.deepEqual(fields(calls[0]), { narrator: "Chiwetel Ejiofor" });

  await assert.rejects(runPlugin(copy, [makeBook()], { config: { file: "../secrets.csv" }, dataDir }), /plugin_configs\.local-catalogue\.file/);
});

test("a catalogue without title and author columns fails setup with a clear reason", async (t) => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "local-catalogue-"));
  t.after(() => fs.rmSync(copy, { recursive: true, force: true }));
  fs.cpSync(folder, copy, { recursive: true, filter: (src) => !src.includes("node_modules") });
  fs.writeFileSync(path.join(copy, "catalogue.csv"), "name,writer\nDune,Frank Herbert\n");
  await assert.rejects(runPlugin(copy, [makeBook()], { dataDir }), /setup.*must name a "title" and an "author" column/s);
});
