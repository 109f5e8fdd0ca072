/**
 * Hostile text from the library: control characters (carriage return, ANSI
 * escape sequences, C1 controls, bidi overrides) never reach a terminal from
 * any command that prints values, while `--json` keeps the exact values; and
 * text from sidecars with entity references or markup never becomes a value.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { runCliInProcess, runCliInProcessJson } from "../support/cli-in-process.js";
import { spawnCli, type CliResult } from "../support/cli.js";
import { createHome, nodePlugin, requireBuilt, type BookDetail, type TestHome } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

// Everything a terminal acts on or that reorders text; only the line feed of our own output may pass.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const HOSTILE_AUTHOR = "Evil\u001b]0;owned\u0007 Author";
const HOSTILE_TITLE = "Title\rFAKE LINE\u001b[2J\u009b31m\u202eeman";

let home: TestHome;
// In-process (test/support/cli-in-process.ts): what the commands write, captured as a pipe would take it; the
// plugins they start are processes all the same.
const cli = (args: string[]): Promise<CliResult> => runCliInProcess(args, { dataDir: home.dataDir });
const json = <T = unknown>(args: string[]) => runCliInProcessJson<T>(args, { dataDir: home.dataDir });
beforeAll(() => requireBuilt());
afterEach(() => home?.cleanup());

function expectSafe(label: string, result: CliResult): void {
  for (const [stream, text] of [["stdout", result.stdout], ["stderr", result.stderr]] as const) {
    const hit = UNSAFE.exec(text);
    expect(hit && `${label} ${stream}: U+${hit[0].charCodeAt(0).toString(16).padStart(4, "0")} in ${JSON.stringify(text.slice(Math.max(0, hit.index - 40), hit.index + 40))}`).toBeNull();
  }
}

describe("terminal safety", () => {
  it("no command prints a control character from folder names, tags or plugin errors; --json keeps them exactly", async () => {
    home = createHome({ books: 1 });
    const folder = path.join(home.library, HOSTILE_AUTHOR, HOSTILE_TITLE);
    fs.mkdirSync(folder, { recursive: true });
    writeMp3(path.join(folder, "01.mp3"), { artist: "Tag\u001b[31mAuthor", album: "Tag\u0085Album\u202e", title: "Chapter 1" });
    home.plugin("noisy", {
      code: nodePlugin(`process(book) { throw new Error("boom\\r\\u001b[31mred\\u009b2J\\u202eflip " + book.path); }`),
      manifest: { name: "Noisy plugin", default_order: 70 },
    });
    // A manifest name with an escape is refused (invalid, its reason naming the character): listed, never run.
    home.plugin("badname", { code: nodePlugin(`process() { return null; }`), manifest: { name: "Noisy\u001b[5m plugin" } });

    const outputs: [string, CliResult][] = [];
    const run = async (args: string[]) => {
      const result = await cli(args);
      outputs.push([args.join(" "), result]);
      return result;
    };
    expect((await run(["scan"])).code).toBe(0);
    await run(["process"]);
    await run(["books"]);
    const hostileId = (JSON.parse((await cli(["books", "--json"])).stdout) as { id: number; path: string }[]).find((b) => b.path === folder)!.id;
    const shown = await run(["book", String(hostileId)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Title\\rFAKE LINE\\e[2J\\x9b31m\\u202eeman");
    await run(["layers"]);
    await run(["plugins", "list"]);
    await run(["plugins", "health"]);
    const logs = await run(["plugins", "logs", "noisy"]);
    expect(logs.stdout).toContain("boom\\r\\e[31mred");
    await run(["plugins", "logs", "no\u001b[31msuch"]);
    await run(["book", "9999"]);
    await run(["scan", path.join(home.root, "gone\u001b[31m")]);
    for (const [label, result] of outputs) expectSafe(label, result);

    // Exact values for scripts.
    const detail = JSON.parse((await cli(["book", String(hostileId), "--json"])).stdout) as BookDetail;
    expect(detail.path).toBe(folder);
    expect(detail.layers.find((l) => l.layer_id === "noisy")?.error).toContain("boom\r\u001b[31mred\u009b2J\u202eflip");

    // Organizing prints the hostile folder as its old (or restored) path: plan, apply, history and undo.
    const moves: [string, CliResult][] = [];
    const move = async (args: string[]) => {
      const result = await cli(args);
      moves.push([args.join(" "), result]);
      return result;
    };
    expect((await move(["book", String(hostileId), "--set", "author=Some Author", "--set", "title=Some Title"])).code).toBe(0);
    await move(["plan", "--status", "identified,needs_attention"]);
    expect((await move(["apply", "--dry-run", String(hostileId)])).stdout).toContain("\\e]0;owned\\x07");
    const applied = await move(["apply", "--yes", String(hostileId)]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/1 moved/);
    await move(["history"]);
    const undone = await move(["undo", "--last", "1"]);
    expect(undone.stdout).toMatch(/1 moved back/);
    expect(fs.existsSync(folder)).toBe(true);
    for (const [label, result] of moves) expectSafe(label, result);
  });
});

describe("sidecar values with entities or markup", () => {
  it("never become evidence; they are rejected with a reason, and plain escapes are decoded", async () => {
    home = createHome({ books: 3 });
    const [opfBook, jsonBook, readerBook] = home.books as [string, string, string];
    fs.writeFileSync(
      path.join(opfBook, "book.opf"),
      `<?xml version="1.0"?>
<!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lollollol">]>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>XXE &xxe; Title</dc:title>
    <dc:creator opf:role="aut">&lol;</dc:creator>
    <dc:creator opf:role="nrt">&amp;xxe;</dc:creator>
    <dc:language>&#x26;xxe;</dc:language>
  </metadata>
</package>`,
    );
    fs.writeFileSync(
      path.join(jsonBook, "metadata.json"),
      JSON.stringify({
        title: "<b>Dune</b>",
        authors: ["Frank &xxe; Herbert"],
        narrators: ["Scott Brick<br/>"],
        series: [{ name: "Tom &amp; Jerry", sequence: "2" }],
      }),
    );
    fs.writeFileSync(path.join(readerBook, "reader.txt"), "&xxe;\n<script>alert(1)</script>\n");
    expect((await cli(["scan"])).code).toBe(0);
    expect((await cli(["process"])).code).not.toBe(null);

    const books = await json<{ id: number; path: string }[]>(["books"]);
    const entityOrMarkup = /&[a-z#][\w.-]*;|<\/?[a-z!]/i;
    const rejectedReasons: string[] = [];
    for (const book of books) {
      const detail = await json<BookDetail & { rejected: { source: string; field: string; value: string; reason: string }[] }>(["book", String(book.id)]);
      for (const [field, state] of Object.entries(detail.profile)) {
        expect(state.value ?? "", `${book.path} ${field}`).not.toMatch(entityOrMarkup);
        for (const e of state.evidence) expect(e.value, `${book.path} ${field} from ${e.source}`).not.toMatch(entityOrMarkup);
      }
      for (const r of detail.rejected) if (r.source === "sidecar") rejectedReasons.push(`${r.field}: ${r.reason}`);
      if (book.path === jsonBook) expect(detail.profile.series?.value).toBe("Tom & Jerry");
    }
    expect(rejectedReasons).toEqual(
      expect.arrayContaining([
        "title: unexpanded entity reference &xxe;, not a value",
        "author: unexpanded entity reference &lol;, not a value",
        "narrator: unexpanded entity reference &xxe;, not a value",
        "title: markup, not a value",
        "author: unexpanded entity reference &xxe;, not a value",
        "narrator: markup, not a value",
      ]),
    );
    // Nothing from /etc/passwd ever got in.
    expect(JSON.stringify(await json(["books"]))).not.toMatch(/root:|\/bin\/(ba)?sh/);
  });
});

describe("a data folder with control characters in its name", () => {
  it("serve names it with the characters escaped: its address line stays one line (a real process: the signal stops it)", async () => {
    const tmp = makeTempDir("hostile-data-dir");
    try {
      const dataDir = path.join(tmp, "data\nFAKE: shelfwise is serving elsewhere\u001b[2J\u202e");
      expect((await runCliInProcess(["init"], { dataDir })).code).toBe(0);
      const child = spawnCli(["serve", "--port", "0"], { dataDir });
      let stderr = "";
      const serving = new Promise<void>((resolve) =>
        child.stderr!.on("data", (chunk: Buffer) => {
          stderr += chunk.toString("utf8");
          if (/is serving[^]* at http:/.test(stderr)) resolve();
        }),
      );
      // 'close', not 'exit': at 'exit' the child's stderr may still hold lines not yet read.
      const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
      await Promise.race([serving, exited]);
      child.kill("SIGTERM");
      expect(await exited, stderr).toBe(0);
      const line = stderr.split("\n").find((l) => l.includes("is serving"));
      expect(line, stderr).toBe(`shelfwise is serving ${tmp}/data\\nFAKE: shelfwise is serving elsewhere\\e[2J\\u202e at http://127.0.0.1:${/:(\d+)\//.exec(line ?? "")?.[1]}/ (Ctrl-C stops it)`);
      expectSafe("serve", { code: 0, signal: null, stdout: "", stderr });
    } finally {
      removeTempDir(tmp);
    }
  });
});
