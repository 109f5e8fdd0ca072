/**
 * Tables on a terminal (src/cli/table.ts): a line wider than the terminal
 * wraps and every column after the break lands under the wrong header, so on
 * a terminal of known width the free-text columns are cut to fit and a last
 * column that does not fit continues on lines of its own. Ids, numbers and
 * states are never cut; off a terminal nothing is fitted. Drawn on a stream
 * that says it is a terminal of a given width, and once on a real
 * pseudo-terminal through the built CLI.
 */
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { printTable } from "../../src/cli/table.js";
import { runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { cliOnTerminal, hasScript } from "../support/terminal.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

function stream(columns: number | undefined, isTTY = true) {
  const out = Object.assign(new PassThrough(), { columns, isTTY });
  let written = "";
  out.on("data", (chunk: Buffer) => (written += chunk.toString("utf8")));
  return { stream: out as unknown as NodeJS.WriteStream, lines: () => written.replace(/\n$/, "").split("\n") };
}

const LONG = "The Extraordinarily Long Title of a Book Whose Name Goes On and On Without End";
const HEADERS = ["ID", "STATUS", "CONF", "AUTHOR", "TITLE", "PROPOSED PATH"];
const ROWS = [
  [1234, "needs_attention", 87, "Bartholomew Featherstonehaugh", LONG, `Bartholomew Featherstonehaugh/${LONG}`],
  [7, "identified", 100, "村上春樹", "ノルウェイの森 ノルウェイの森 ノルウェイの森 ノルウェイの森", "村上春樹/ノルウェイの森"],
];
const CUT = ["AUTHOR", "TITLE", "PROPOSED PATH"];

describe("a table on a terminal", () => {
  it.each([80, 60])("on a %i-column terminal no line is wider than the terminal; ids, numbers and states are whole", async (columns) => {
    const term = stream(columns);
    await printTable(HEADERS, ROWS, { cut: CUT }, term.stream);
    const lines = term.lines();
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
    expect(lines[2]).toMatch(/^1234 +needs_attention +87 +Bart[^…]*… +The[^…]*… +Bart[^…]*…$/);
    expect(lines[3]).toMatch(/^7 +identified +100 +村上/);
    // Still aligned: TITLE starts at the same cell in every row.
    const at = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    expect(at(lines[2]!, "The Ex")).toBe(at(lines[0]!, "TITLE"));
    expect(at(lines[3]!, "ノ")).toBe(at(lines[0]!, "TITLE"));
  });

  it("a last column that does not fit continues under itself, every word of it; on a very narrow terminal on lines of its own", async () => {
    const reason = "switched off in config.json (openlibrary_enabled: false), and every word of this reason is read";
    const rows = [[4, "openlibrary", "disabled", "Open Library lookups by title and author", reason]];
    for (const columns of [80, 40]) {
      const term = stream(columns);
      await printTable(["#", "LAYER", "STATE", "NAME", "REASON"], rows, { cut: ["NAME"] }, term.stream);
      const lines = term.lines();
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
      expect(lines[2]).toMatch(/^4 +openlibrary +disabled +Open/);
      expect(lines.slice(2).join("").replace(/\s+/g, "")).toContain(reason.replace(/\s+/g, ""));
      const rest = lines.slice(3);
      expect(rest.length).toBeGreaterThan(0);
      const indent = columns === 80 ? stringWidth(lines[0]!.slice(0, lines[0]!.indexOf("REASON"))) : 4;
      for (const line of rest) expect(line.match(/^ */)![0].length, line).toBe(indent);
    }
  });

  it("with more columns that may not be cut than the terminal holds, one block per row: every header and value, nothing wider than the terminal", async () => {
    const headers = ["ID", "STATE", "SUCCESS", "AVG MS", "P95 MS", "PROCESSED", "RESOLVED", "SKIPPED", "FAILS", "LAST RUN"];
    const rows = [
      ["local-catalogue", "auto-disabled", "95%", 123, 456, 10000, 9000, 12, 0, "2030-01-01T00:00:00.000Z"],
      ["other", "enabled", "-", "-", "-", 0, 0, 0, 0, "never"],
    ];
    const term = stream(60);
    await printTable(headers, rows, {}, term.stream);
    const lines = term.lines();
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
    expect(lines.slice(0, 3)).toEqual(["ID         local-catalogue", "STATE      auto-disabled", "SUCCESS    95%"]);
    expect(lines).toContain("LAST RUN   2030-01-01T00:00:00.000Z");
    expect(lines[headers.length]).toBe("");
    expect(lines[headers.length + 1]).toBe("ID         other");
    expect(lines).toHaveLength(headers.length * 2 + 1);
  });

  it("off a terminal, and with --wide (maxColumn Infinity), nothing is fitted: the last column whole, others cut at 48 only off --wide", async () => {
    const pipe = stream(undefined, false);
    await printTable(HEADERS, ROWS, { cut: CUT }, pipe.stream);
    expect(pipe.lines()[2]).toContain(`Bartholomew Featherstonehaugh/${LONG}`);
    expect(pipe.lines()[2]).toContain(`${LONG.slice(0, 47)}…`);
    const wide = stream(80);
    await printTable(HEADERS, ROWS, { cut: CUT, maxColumn: Infinity }, wide.stream);
    expect(wide.lines()[2]).toContain(`${LONG}  Bartholomew`);
  });
});

describe.skipIf(!hasScript)("`books` on a real 80-column terminal", () => {
  let tmp: string;
  let data: string;
  beforeAll(async () => {
    tmp = makeTempDir("table-width");
    const lib = path.join(tmp, "library");
    data = path.join(tmp, "data");
    const folder = path.join(lib, "Bartholomew Featherstonehaugh", LONG);
    fs.mkdirSync(folder, { recursive: true });
    writeMp3(path.join(folder, "01.mp3"), { artist: "Bartholomew Featherstonehaugh", album: LONG });
    await runCliOk(["scan", lib], { dataDir: data });
    await runCliOk(["process"], { dataDir: data });
  });
  afterAll(() => removeTempDir(tmp));

  it("fits the table to the terminal; --wide prints it whole", async () => {
    const [fitted, wide] = await Promise.all(
      [["books"], ["books", "--wide"]].map(async (args) => {
        const term = cliOnTerminal([...args, "--data-dir", data], {}, { columns: 80, rows: 24 });
        expect(await term.exited).toBe(0);
        return term.output().replace(/\r/g, "").trimEnd().split("\n");
      }),
    );
    for (const line of fitted!) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    expect(fitted!.join("\n")).toMatch(/\n1 +identified +\d+ +Bart[^…]*… +The[^…]*… /);
    expect(wide!.join("\n")).toContain(LONG);
  });
});
