/**
 * Plugins written the way Library Manager's authors write them (its example
 * plugin and README: logging.getLogger(__name__), print debugging, the
 * database row's `profile` JSON text, extra keys in the result dict, helper
 * files next to layer.py) run unchanged in the python runner.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanupRunners, lmPlugin, makeBook, startReady, writePlugin } from "./python-harness.js";
import { makeBook as makeLayerBook } from "../../src/plugins/authoring/plugin-harness.js";
import { toPluginBook } from "../../src/plugins/protocol/plugin-book.js";

afterEach(cleanupRunners);

describe("python runner: Library Manager plugins as their authors write them", () => {
  it("imports helper files relatively (from .x import y, from . import x, a package using ..) and reads a data file next to layer.py", async () => {
    const dir = writePlugin({
      "util.py": "import re\ndef normalize(s):\n    return re.sub(r'\\W+', ' ', s).strip().lower()\n",
      "matching/__init__.py": "from ..util import normalize\nfrom .scoring import score\n",
      "matching/scoring.py": "def score(a, b):\n    return 1.0 if a == b else 0.0\n",
      "catalogue.csv": "title,narrator,year\nDune,Scott Brick,1965\n",
      "layer.py": lmPlugin(
        `
    def setup(self, config, secrets):
        with open(HERE / "catalogue.csv", newline="", encoding="utf-8") as fh:
            self.rows = list(csv.DictReader(fh))

    def process(self, book_data):
        title = normalize(book_data.get("current_title") or "")
        for row in self.rows:
            if matching.score(util.normalize(row["title"]), title) > 0.5:
                return {"narrator": row["narrator"], "year": int(row["year"])}
        return {}
`,
        "import csv\nfrom pathlib import Path\nfrom .util import normalize\nfrom . import util\nfrom . import matching\nHERE = Path(__file__).parent",
      ),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1, { current_title: "DUNE" }), makeBook(2)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { narrator: "Scott Brick", year: 1965 } });
    expect(await runner.next()).toEqual({ type: "result", seq: 2, outcome: "ok", data: {} });
  });

  it("json.loads(book_data['profile']) works as on Library Manager's database row, and the profile is still a dict", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        raw = book_data.get("profile")
        profile = json.loads(raw) if raw else {}
        profile["author"]["value"] = "changed"  # a fresh copy, as from text
        again = json.loads(book_data["profile"])
        return {
            "title": again["title"]["value"],
            "author": book_data["profile"]["author"]["value"],
            "narrator": "dict" if isinstance(book_data["profile"], dict) else "not a dict",
            "year": json.loads('{"y": 1999}')["y"],
        }
`,
        "import json",
      ),
    });
    const runner = await startReady(dir);
    const profile = {
      author: { value: "Frank Herbert", confidence: 55, sources: ["path"] },
      title: { value: "Dune", confidence: 55, sources: ["path"] },
    };
    runner.batch([makeBook(1, { profile })]);
    expect(await runner.next()).toEqual({
      type: "result",
      seq: 1,
      outcome: "ok",
      data: { title: "Dune", author: "Frank Herbert", narrator: "dict", year: 1999 },
    });
  });

  // Library Manager's book_data is its queue row (queue_id, reason): code reading those keys runs, told the truth.
  it("book_data has Library Manager's queue keys: queue_id None (no queue), reason why the book is asked about", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        return {"title": repr(book_data["queue_id"]), "author": book_data["reason"]}
`),
    });
    const runner = await startReady(dir);
    const doubtful = { ...makeLayerBook({ book_id: 1, title: "Dune" }), status: "needs_attention", status_reason: "no author" };
    const identified = { ...makeLayerBook({ book_id: 2, author: "Frank Herbert", title: "Dune" }), status: "identified", status_reason: "author and title from tags" };
    runner.batch([toPluginBook(doubtful, 35), toPluginBook(makeLayerBook({ book_id: 3 }), 35), toPluginBook(identified, 35)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { title: "None", author: "no author" } });
    expect(await runner.next()).toEqual({ type: "result", seq: 2, outcome: "ok", data: { title: "None", author: "not identified yet: new, or changed since it was last identified" } });
    expect(await runner.next()).toEqual({ type: "result", seq: 3, outcome: "ok", data: { title: "None", author: "no current answer from this plugin (the book is identified)" } });
  });

  it("keeps logging to the plugin log after the plugin closes sys.stdout or sys.stderr", async () => {
    for (const closed of ["sys.stdout", "sys.stderr"]) {
      const dir = writePlugin({
        "layer.py": lmPlugin(
          `
    def setup(self, config, secrets):
        ${closed}.close()

    def process(self, book_data):
        logger.info("[Closer] book %s", book_data["book_id"])
        return {"narrator": "Still Here"}
`,
          "import logging, sys\nlogger = logging.getLogger(__name__)",
        ),
      });
      const runner = await startReady(dir);
      runner.batch([makeBook(1), makeBook(2)]);
      expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { narrator: "Still Here" } });
      expect(await runner.next()).toEqual({ type: "result", seq: 2, outcome: "ok", data: { narrator: "Still Here" } });
      runner.send({ type: "teardown" });
      expect(await runner.next()).toEqual({ type: "teardown_done" });
      await runner.exited;
      expect(runner.stderr()).toContain("[Closer] book 2");
    }
  });

  it("ignores extra result keys Python's json cannot encode (as Library Manager ignores unknown keys), turns Decimal into numbers and NaN into no value", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        k = book_data["book_id"]
        if k == 1:
            return {"title": "Dune", "fetched_at": datetime.datetime(2024, 1, 2), "raw": {"ids": {1, 2}}, "source": "catalogue"}
        if k == 2:
            return {"year": decimal.Decimal("1965"), "series_num": decimal.Decimal("2.5"), "language": float("nan")}
        if k == 3:
            return {"narrator": {"Scott Brick", "Euan Morton"}}
        return {"year": datetime.date(1965, 8, 1)}
`,
        "import datetime, decimal",
      ),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1), makeBook(2), makeBook(3), makeBook(4)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { title: "Dune", source: "catalogue" } });
    expect(await runner.next()).toEqual({ type: "result", seq: 2, outcome: "ok", data: { year: 1965, series_num: 2.5, language: null } });
    expect(await runner.next()).toEqual({
      type: "result",
      seq: 3,
      outcome: "error",
      error: 'process() returned a value that is not JSON: field "narrator" holds a set, not a string or a number',
    });
    expect(await runner.next()).toEqual({
      type: "result",
      seq: 4,
      outcome: "error",
      error: 'process() returned a value that is not JSON: field "year" holds a datetime.date, not a string or a number',
    });
  });

  it("a BasePlugin subclass that does not override process() has no opinion (Library Manager's default), and its log says so", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def can_process(self, book_data):
        return True

    def proces(self, book_data):
        return {"narrator": "never asked"}
`),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: {} });
    // A misspelt method answers nothing without an error: the warning is what `plugins test` shows.
    expect(runner.stderr()).toMatch(/shelfwise_runner: warning: class \w+ does not define process\(\): BasePlugin's own process\(\) answers nothing for every book \(is proces\(\) meant as process\(\)\?\)/);
  });
});

describe("python runner: hostile plugins", () => {
  it("a copy of the runner made by os.fork() in process() never answers for the parent nor reads its batches", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        if book_data["book_id"] == 1 and os.fork() == 0:
            return {"title": "From The Child"}
        time.sleep(0.2)
        return {"title": "From The Parent %d" % book_data["book_id"]}
`,
        "import os, time",
      ),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { title: "From The Parent 1" } });
    runner.batch([makeBook(2), makeBook(3)], 2);
    expect(await runner.next()).toEqual({ type: "result", seq: 2, outcome: "ok", data: { title: "From The Parent 2" } });
    expect(await runner.next()).toEqual({ type: "result", seq: 3, outcome: "ok", data: { title: "From The Parent 3" } });
  });
});

describe("python runner: library_manager.plugin_loader.BasePlugin", () => {
  it("has Library Manager's defaults: name 'unnamed', description '', version '0.0.1', can_process True", async () => {
    const dir = writePlugin({
      "layer.py": `from library_manager.plugin_loader import BasePlugin\n\nclass Bare(BasePlugin):\n    def process(self, book_data):\n        return {"title": "%s|%s|%s|%s" % (self.name, self.description, self.version, self.can_process(book_data))}\n`,
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { title: "unnamed||0.0.1|True" } });
  });

  it("takes the manifest's name, description and version over the class's, as Library Manager does; those the manifest leaves out stay", async () => {
    const dir = writePlugin({
      "layer.py": `from library_manager.plugin_loader import BasePlugin

class Named(BasePlugin):
    name = "class name"
    version = "9.9"
    def process(self, book_data):
        return {"title": "%s|%s|%s" % (self.name, self.description, self.version)}
`,
    });
    const runner = await startReady(dir, { about: { name: "Audible Narrators", description: "Narrators from a catalogue" } });
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { title: "Audible Narrators|Narrators from a catalogue|9.9" } });
  });
});
