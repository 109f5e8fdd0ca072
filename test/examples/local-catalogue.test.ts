import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { makeBook, runPlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { exampleFolder, removeTempDirs, tempDir } from "./example-plugins.js";

afterAll(removeTempDirs);

const folder = exampleFolder("local-catalogue");

describe("local-catalogue (TypeScript)", () => {
  it("answers catalogued books, ignores unknown ones and skips books without an author", async () => {
    const books = [
      makeBook({ book_id: 1, title: "Project Hail Mary", author: "Andy Weir" }),
      makeBook({ book_id: 2, title: "The Well of Ascension", author: "Brandon Sanderson" }),
      makeBook({ book_id: 3, title: "Piranesi", author: "Susanna Clarke" }),
      makeBook({ book_id: 4, title: "Watchers" }),
    ];
    const { calls } = await runPlugin(folder, books, { dataDir: tempDir("catalogue") });
    const fields = calls.map((call) => Object.fromEntries(call.accepted.map((a) => [a.field, a.value])));

    expect(calls.map((c) => c.outcome)).toEqual(["ok", "ok", "no_result", "skipped"]);
    expect(fields[0]).toEqual({ narrator: "Ray Porter", year: "2021", language: "en" });
    expect(fields[1]).toEqual({ narrator: "Michael Kramer", series: "Mistborn", series_num: "2", year: "2007", language: "en" });
    expect(calls.flatMap((c) => c.rejected)).toEqual([]);
  });

  it("its own node --test suite passes, importing shelfwise/testing by the package's self-reference", async () => {
    // Run from the plugin's folder as its author would; vitest's own NODE_OPTIONS stay out.
    const run = spawnSync(process.execPath, ["--test", "plugin.test.mjs"], {
      cwd: folder,
      env: { ...process.env, NODE_OPTIONS: "" },
      encoding: "utf8",
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# pass 5$/m);
    expect(run.stdout).toMatch(/^# fail 0$/m);
  });
});
