/**
 * A folder book's files keep their paths inside it when the folder moves:
 * below a longer target, the deepest one can pass Linux's PATH_MAX (4096
 * bytes). The rename of the folder succeeds, and then that file cannot be
 * opened by its path (ENAMETOOLONG): scans and players fail on it. The plan
 * holds such a book and names the file to shorten.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { buildPlan } from "../../src/organize/plan.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("long-inner");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

// About 1,500 bytes inside the book folder: fine where the book is now.
const DEEP_FILE = [...Array.from({ length: 5 }, (_, i) => `${"d".repeat(240)} - CD${i + 1}`), `${"c".repeat(240)}.mp3`].join("/");

describe("a folder book's deepest file under a long target", () => {
  it("is held as path_too_long naming that file, nothing moved; the other books move", async () => {
    t = await openLibrary(tmp, [
      { at: "Long", author: "Ann Author", title: "Long", files: ["cover.jpg", DEEP_FILE] },
      { at: "Short", author: "Bob Writer", title: "Short" },
    ]);
    // A target root of about 2,700 bytes: the book folder's own target fits well within the 4,000-byte limit,
    // its deepest file would not (about 4,200 bytes).
    const out = path.join(tmp, ...Array.from({ length: 11 }, (_, i) => `${i} ${"o".repeat(240)}`));
    fs.mkdirSync(out, { recursive: true });
    t.ctx.config = { ...t.ctx.config, output_path: out };
    const long = t.byAt("Long");
    const deepBefore = Buffer.byteLength(path.join(long.path, DEEP_FILE));
    expect(deepBefore).toBeLessThan(4000);

    const entry = buildPlan(t.ctx).entries.find((e) => e.book_id === long.id)!;
    expect(entry.action).toBe("held");
    expect(entry.conflict?.kind).toBe("path_too_long");
    expect(entry.conflict?.reason).toContain(DEEP_FILE);
    expect(entry.conflict?.reason).toMatch(/shorten/);

    const before = treeHash(long.path);
    const report = await applyMoves(t.ctx);
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => e.book_id)).toEqual([long.id]);
    expect(report.moved.map((m) => m.to)).toEqual([path.join(out, "Bob Writer", "Short")]);
    expect(treeHash(long.path)).toEqual(before);
    expect(fs.readFileSync(path.join(long.path, DEEP_FILE)).length).toBeGreaterThan(0);
  });

  // Copied (as across file systems), the book passes through a `.shelfwise-partial-N` folder beside its target first.
  it.each([false, true])("renders a shorter title folder within the room its deepest file leaves (copied: %s)", async (forceCopy) => {
    const title = `Long ${"t".repeat(200)}`;
    t = await openLibrary(tmp, [{ at: "Long", author: "Ann Author", title, files: ["cover.jpg", DEEP_FILE] }]);
    // 40 bytes left for "Ann Author/<title>" below this root, the deepest file included.
    const rootBytes = 4000 - 1 - 40 - 1 - Buffer.byteLength(DEEP_FILE);
    const above = path.join(tmp, ...Array.from({ length: Math.floor((rootBytes - Buffer.byteLength(tmp) - 20) / 241) }, () => "o".repeat(240)));
    const out = path.join(above, "p".repeat(rootBytes - Buffer.byteLength(above) - 1));
    expect(Buffer.byteLength(out)).toBe(rootBytes);
    fs.mkdirSync(out, { recursive: true });
    t.ctx.config = { ...t.ctx.config, output_path: out };

    const report = await applyMoves(t.ctx, { forceCopy });
    expect(report.held).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(fs.existsSync(path.join(tmp, "library", "Long"))).toBe(false);
    const to = report.moved[0].to;
    expect(path.dirname(to)).toBe(path.join(out, "Ann Author"));
    expect(path.basename(to).startsWith("Long ttt")).toBe(true);
    const deep = path.join(to, DEEP_FILE);
    expect(Buffer.byteLength(deep)).toBeLessThanOrEqual(4000);
    expect(fs.readFileSync(deep).length).toBeGreaterThan(0);
  });

  it("does not hold a deep book whose files fit under its target", async () => {
    t = await openLibrary(tmp, [{ at: "Long", author: "Ann Author", title: "Long", files: ["cover.jpg", DEEP_FILE] }]);
    t.ctx.config = { ...t.ctx.config, output_path: path.join(tmp, "out") };
    const report = await applyMoves(t.ctx);
    expect(report.held).toEqual([]);
    expect(report.moved.map((m) => m.to)).toEqual([path.join(tmp, "out", "Ann Author", "Long")]);
    expect(fs.existsSync(path.join(tmp, "out", "Ann Author", "Long", DEEP_FILE))).toBe(true);
  });
});
