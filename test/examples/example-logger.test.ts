import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeBook, runPlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { exampleFolder, removeTempDirs, tempDir } from "./example-plugins.js";

afterAll(removeTempDirs);

describe("example-logger", () => {
  it("claims nothing and writes one log line per book, plus one at teardown", async () => {
    const dataDir = tempDir("logger");
    const books = [
      makeBook({ book_id: 7, title: "Dune", author: "Frank Herbert", path: "/library/Frank Herbert/Dune" }),
      makeBook({ book_id: 8, path: "/library/Unknown/Track 01" }),
    ];
    const { calls } = await runPlugin(exampleFolder("example-logger"), books, { dataDir });

    expect(calls.map((c) => c.outcome)).toEqual(["no_result", "no_result"]);
    expect(calls.every((c) => c.accepted.length === 0 && c.returned === null)).toBe(true);
    const log = fs.readFileSync(path.join(dataDir, "logs", "plugins", "example-logger.log"), "utf8");
    expect(log).toContain("book 7: /library/Frank Herbert/Dune -> Frank Herbert - Dune [confidence 0]");
    expect(log).toContain("book 8: /library/Unknown/Track 01 -> (not identified yet)");
    expect(log).toContain("example-logger saw 2 book(s)");
  });
});
