/** Names that are not valid UTF-8 inside a book: the book moves whole or not at all, on every path. */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { finishCopy } from "../../src/organize/disk.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("invalid-names");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

/** Every name under `dir` as raw bytes (hex), with file contents, so non-UTF-8 names are compared exactly. */
function rawTree(dir: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: Buffer, rel: string) => {
    for (const name of fs.readdirSync(at, { encoding: "buffer" })) {
      const full = Buffer.concat([at, Buffer.from("/"), name]);
      const key = rel + "/" + name.toString("hex");
      if (fs.lstatSync(full).isDirectory()) {
        out[key] = "dir";
        walk(full, key);
      } else out[key] = fs.readFileSync(full).toString("base64");
    }
  };
  walk(dir, "");
  return out;
}

const BAD = Buffer.from([0x4e, 0x6f, 0x74, 0x65, 0x73, 0xff, 0x2e, 0x74, 0x78, 0x74]); // "Notes\xff.txt"
const BAD_AUDIO = Buffer.from([0x30, 0x33, 0xe9, 0x2e, 0x6d, 0x70, 0x33]); // "03\xe9.mp3" (Latin-1 é)

describe.each([
  ["rename", false],
  ["copy", true],
])("a book folder holding a name that is not valid UTF-8 (%s path)", (_name, forceCopy) => {
  it.each([
    ["a file", (book: string) => fs.writeFileSync(Buffer.concat([Buffer.from(book + "/"), BAD_AUDIO]), "chapter three")],
    ["a folder", (book: string) => {
      const sub = Buffer.concat([Buffer.from(book + "/"), BAD]);
      fs.mkdirSync(sub);
      fs.writeFileSync(Buffer.concat([sub, Buffer.from("/inside.txt")]), "inside");
    }],
  ])("with %s moves with everything in it, or not at all, and undo brings it back", async (_what, addBad) => {
    t = await openLibrary(tmp, [{ at: "misc/Watchers", author: "Dean Koontz", title: "Watchers" }]);
    const book = path.join(t.lib, "misc", "Watchers");
    addBad(book);
    const before = rawTree(Buffer.from(t.lib));
    const report = await applyMoves(t.ctx, { forceCopy });
    const after = rawTree(Buffer.from(t.lib));
    const moved = (tree: Record<string, string>, from: string) =>
      Object.entries(tree).filter(([k]) => k.startsWith(from)).map(([k, v]) => [k.slice(from.length), v]).sort();
    const oldKey = "/" + Buffer.from("misc").toString("hex") + "/" + Buffer.from("Watchers").toString("hex");
    const newKey = "/" + Buffer.from("Dean Koontz").toString("hex") + "/" + Buffer.from("Watchers").toString("hex");
    expect(report.failed).toEqual([]);
    expect(report.moved).toHaveLength(1);
    expect(moved(after, newKey)).toEqual(moved(before, oldKey));
    expect(moved(after, oldKey)).toEqual([]);
    const undo = await undoMoves(t.ctx, { last: 1 });
    expect(undo.refused).toEqual([]);
    expect(rawTree(Buffer.from(t.lib))).toEqual(before);
  });
});

it("finishing an interrupted copy removes the source's files whose names are not valid UTF-8 once they match the copy", () => {
  const from = path.join(tmp, "from");
  const to = path.join(tmp, "to");
  for (const root of [from, to]) {
    fs.mkdirSync(path.join(root, "CD1"), { recursive: true });
    fs.writeFileSync(path.join(root, "CD1", "01.mp3"), "one");
    fs.writeFileSync(Buffer.concat([Buffer.from(root + "/"), BAD_AUDIO]), "three");
  }
  // A file that differs from its copy stays: only what was copied is removed.
  fs.writeFileSync(Buffer.concat([Buffer.from(from + "/"), BAD]), "source only");
  finishCopy(from, to, "folder");
  expect(fs.readdirSync(from, { encoding: "buffer" }).map((n) => n.toString("hex"))).toEqual([BAD.toString("hex")]);
});
