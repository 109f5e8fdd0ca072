/**
 * Input that would otherwise be read silently as something else (third CLI
 * audit): an option given an empty value (read as not given), an option that
 * takes one value given twice with different values (commander kept the
 * last), one field `--set` twice, and a set but empty SHELFWISE_DATA_DIR (read
 * as unset: ./shelfwise-data wherever the script happened to run).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { CLI_BIN, runCli } from "../support/cli.js";
import { runCliInProcess, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

// Commands run in-process (test/support/cli-in-process.ts) but where the environment or the current folder
// is what is checked (runCli: a process of their own).
let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("strict-input");
  const lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  fs.mkdirSync(path.join(lib, "Ann Author", "First Book"), { recursive: true });
  writeMp3(path.join(lib, "Ann Author", "First Book", "01.mp3"), { artist: "Ann Author", album: "First Book" });
  await runCliOk(["scan", lib], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("an option that takes one value, given twice", () => {
  it("is refused (exit 2) naming the option and both values, before anything is done, wherever the two are on the line", async () => {
    const other = path.join(tmp, "other-data");
    const cases: [string[], string][] = [
      [["plan", "--min-confidence", "50", "--min-confidence", "90", "--data-dir", data], `--min-confidence given twice ("50", then "90")`],
      [["--data-dir", data, "books", "--data-dir", other], `--data-dir given twice ("${data}", then "${other}")`],
      [["books", `--data-dir=${data}`, "--data-dir", other], `--data-dir given twice ("${data}", then "${other}")`],
      [["books", "--status", "new", "--status=identified", "--data-dir", data], `--status given twice ("new", then "identified")`],
      [["apply", "--yes", "--status", "identified", "--status", "new", "--data-dir", data], `--status given twice ("identified", then "new")`],
      [["history", "--limit", "1", "--limit", "2", "--data-dir", data], `--limit given twice ("1", then "2")`],
      [["serve", "--port", "0", "--port", "1", "--data-dir", data], `--port given twice ("0", then "1")`],
    ];
    const results = await Promise.all(cases.map(([args]) => runCliInProcess(args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i]![0].join(" ")).toBe(2);
      expect(result.stderr).toBe(`shelfwise: ${cases[i]![1]}: it takes one value, give it once\n`);
      expect(result.stdout).toBe("");
    });
    expect(fs.existsSync(other)).toBe(false);
  });

  it("the same value twice loses nothing and is accepted; repeatable options (--set, --unset) take every value", async () => {
    const same = await runCliInProcess(["books", "--status", "new", "--status", "new", "--data-dir", data, "--data-dir", data]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^1 +new /m);
    // The same value in another spelling: a number with a leading zero, the data folder by another path (both were refused).
    const respelled = await runCliInProcess(["history", "--limit", "5", "--limit", "05", "--data-dir", data, "--data-dir", `${data}/../${path.basename(data)}/`]);
    expect([respelled.code, respelled.stderr]).toEqual([0, ""]);
    const edited = await runCliInProcess(["book", "1", "--set", "title=Der Titel", "--set", "year=1999", "--json", "--data-dir", data]);
    expect(edited.code, edited.stderr).toBe(0);
    const profile = (JSON.parse(edited.stdout) as { profile: Record<string, { value: string | null }> }).profile;
    expect([profile.title!.value, profile.year!.value]).toEqual(["Der Titel", "1999"]);
  });

  it("`book ID --set` one field twice with different values is refused and nothing is recorded", async () => {
    const result = await runCliInProcess(["book", "1", "--set", "narrator=Ann", "--set", "narrator=Bob", "--data-dir", data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("shelfwise: --set narrator=... given twice with different values; give each field once\n");
    const book = JSON.parse((await runCliOk(["book", "1", "--json"], { dataDir: data })).stdout) as { profile: { narrator: { evidence: { source: string }[] } } };
    expect(book.profile.narrator.evidence.filter((e) => e.source === "user")).toEqual([]);
  });
});

describe("an option given an empty value", () => {
  it("is refused (exit 2) naming the option, before anything is done: `process --layer \"\" --rerun` reran every layer", async () => {
    const before = JSON.parse((await runCliOk(["book", "1", "--json"], { dataDir: data })).stdout) as { layers: unknown[] };
    const cases = [
      ["process", "--layer", "", "--rerun"],
      ["books", "--status", ""],
      ["plan", "--status", " "],
      ["serve", "--host", "", "--port", "0"],
      ["sources", "test", "x", "--title", ""],
      ["book", "1", "--set", ""],
      ["history", "--limit="],
    ];
    const results = await Promise.all(cases.map((args) => runCliInProcess([...args, "--data-dir", data])));
    results.forEach((result, i) => {
      const flag = cases[i]!.find((a) => a.startsWith("--"))!.replace(/=$/, "");
      expect(result.code, cases[i]!.join(" ")).toBe(2);
      expect(result.stderr).toBe(`shelfwise: ${flag} is empty: give a value (or leave the option out)\n`);
      expect(result.stdout).toBe("");
    });
    const after = JSON.parse((await runCliOk(["book", "1", "--json"], { dataDir: data })).stdout) as { layers: unknown[] };
    expect(after.layers).toEqual(before.layers);
  });
});

describe("an empty argument", () => {
  it("is refused (exit 2) naming it: `scan \"$LIBRARY\"` with LIBRARY unset scanned the current folder and remembered it", async () => {
    const cwd = path.join(tmp, "library");
    const config = fs.readFileSync(path.join(data, "config.json"), "utf8");
    const cases: [string[], string][] = [
      [["scan", ""], "an empty path was given to `scan`"],
      [["init", " "], "an empty library was given to `init`"],
      // A required argument left out is a missing argument: "leave it out" is no way to fix it.
      [["plugins", "validate", ""], "an empty dir was given to `plugins validate`: give one"],
      [["apply", "1", "", "--yes"], "an empty id was given to `apply`"],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli([...args, "--data-dir", data], { cwd })));
    results.forEach((result, i) => {
      expect(result.code, cases[i]![0].join(" ")).toBe(2);
      expect(result.stderr).toBe(`shelfwise: ${cases[i]![1].endsWith(": give one") ? cases[i]![1] : `${cases[i]![1]}: give a value (or leave it out)`}\n`);
    });
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(config);
  });
});

describe("SHELFWISE_DATA_DIR set but empty", () => {
  it("is refused (exit 2) saying so, and no ./shelfwise-data is made; blank counts as empty; --data-dir overrides it", async () => {
    const cwd = makeTempDir("strict-input-cwd");
    try {
      const runs = ["", "  "].flatMap((value) => [["books"], ["scan", path.join(tmp, "library")], ["init"]].map((args) => ({ value, args })));
      const results = await Promise.all(runs.map(({ value, args }) => runCli(args, { cwd, env: { SHELFWISE_DATA_DIR: value } })));
      results.forEach((result, i) => {
        expect(result.code, `${runs[i]!.args.join(" ")} with "${runs[i]!.value}"`).toBe(2);
        expect(result.stderr).toMatch(/^shelfwise: SHELFWISE_DATA_DIR is set but empty: set it to your data folder, or unset it/);
        expect(result.stdout).toBe("");
      });
      expect(fs.readdirSync(cwd)).toEqual([]);
      const overridden = await runCli(["books", "--data-dir", data], { cwd, env: { SHELFWISE_DATA_DIR: "" } });
      expect(overridden.code, overridden.stderr).toBe(0);
    } finally {
      removeTempDir(cwd);
    }
  });
});

describe("a current folder that no longer exists", () => {
  it("is said in words, with what to do, not as `ENOENT ... uv_cwd` (exit 1); absolute paths still work", async () => {
    const run = (args: string[]) => {
      const cwd = fs.mkdtempSync(path.join(tmp, "gone-"));
      const env = { ...process.env };
      delete env.SHELFWISE_DATA_DIR;
      const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      // spawn returns once the child runs in `cwd`; removed now, the folder is gone under it.
      fs.rmdirSync(cwd);
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.stdout!.resume();
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
    };
    const [relative, absolute] = await Promise.all([run(["books"]), run(["books", "--data-dir", data])]);
    expect(relative.code).toBe(1);
    expect(relative.stderr).toBe(
      "shelfwise: the current folder no longer exists (deleted or moved since this shell entered it): `cd` to a folder that exists, or give absolute paths (--data-dir /path/to/data)\n",
    );
    expect(absolute.code, absolute.stderr).toBe(0);
  });
});

describe("fourth audit: input an adversarial user gives", () => {
  it("a data folder path that is a file, or lies below one, is bad input (exit 2) for `init` too, and nothing is made", async () => {
    const file = path.join(tmp, "notes.txt");
    fs.writeFileSync(file, "not a data folder");
    // A named pipe is no file either (it read "is a file, not a folder"; /dev/null too).
    const pipe = path.join(tmp, "pipe");
    execFileSync("mkfifo", [pipe]);
    const [init, below, piped] = await Promise.all([
      runCliInProcess(["init"], { dataDir: file }),
      runCliInProcess(["scan", path.join(tmp, "library"), "--json"], { dataDir: path.join(file, "data") }),
      runCliInProcess(["books", "--json"], { dataDir: pipe }),
    ]);
    expect([piped.code, piped.stdout, piped.stderr]).toEqual([2, "", `shelfwise: the data folder ${pipe} (given with --data-dir) is a named pipe, not a folder; choose a folder with --data-dir DIR or SHELFWISE_DATA_DIR=DIR\n`]);
    // init read it as a broken config.json ("config.json: cannot read: ENOTDIR"); scan said "ENOTDIR: mkdir" (exit 1).
    expect([init.code, init.stdout, init.stderr]).toEqual([2, "", `shelfwise: the data folder ${file} (given with --data-dir) is a file, not a folder; choose a folder with --data-dir DIR or SHELFWISE_DATA_DIR=DIR\n`]);
    expect([below.code, below.stdout]).toEqual([2, ""]);
    expect(below.stderr).toBe(`shelfwise: the data folder ${path.join(file, "data")} (given with --data-dir) cannot be there: ${file} is a file, not a folder; choose a folder with --data-dir DIR or SHELFWISE_DATA_DIR=DIR\n`);
    expect(fs.readFileSync(file, "utf8")).toBe("not a data folder");
  });

  it("`scan LIBRARY --data-dir LIBRARY` (the library given as the data folder) is refused: nothing is written among the books", async () => {
    const lib = path.join(tmp, "library");
    const before = fs.readdirSync(lib).sort();
    const result = await runCliInProcess(["scan", lib], { dataDir: lib });
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toContain(`shelfwise: ${lib} is not a shelfwise data folder (it holds other files, and no config.json or shelfwise.db)`);
    expect(result.stderr).toContain("or a new or empty folder for `shelfwise init [LIBRARY...]` or `shelfwise scan LIBRARY` to create one in");
    // It wrote config.json, shelfwise.db, shelfwise.lock and logs/ into the library.
    expect(fs.readdirSync(lib).sort()).toEqual(before);
  });

  it("a library PATH inside the data folder is refused by `scan` and `init` as `library add` refuses it: not listed by a first scan and then refused by every later command", async () => {
    const home = path.join(tmp, "data-with-library");
    await runCliOk(["init"], { dataDir: home });
    const inner = path.join(home, "library", "Frank Herbert", "Dune");
    fs.mkdirSync(inner, { recursive: true });
    writeMp3(path.join(inner, "01.mp3"), { album: "Dune" });
    const config = fs.readFileSync(path.join(home, "config.json"), "utf8");
    const library = path.join(home, "library");
    for (const command of ["scan", "init"]) {
      const result = await runCliInProcess([command, library], { dataDir: home });
      expect([command, result.code, result.stdout]).toEqual([command, 2, ""]);
      expect(result.stderr).toBe(`shelfwise: library folder ${library} is inside shelfwise's data folder ${home}, whose own files are never books (and removing or copying the data folder would take the books along): keep your audiobooks in a folder of their own and give that one (nothing was done)\n`);
    }
    expect(fs.readFileSync(path.join(home, "config.json"), "utf8")).toBe(config);
    expect((await runCliOk(["books", "--json"], { dataDir: home })).stdout).toBe("[]\n");
  });

  it("the root or the home folder as a library PATH is refused (`scan ~` for `scan ~/Audiobooks`): nothing is read or made", async () => {
    const fresh = path.join(tmp, "never-made");
    const home = path.join(tmp, "library");
    const [root, own] = await Promise.all([runCliInProcess(["scan", "/", "--json"], { dataDir: fresh }), runCli(["init", "~"], { dataDir: fresh, env: { HOME: home } })]);
    expect([root.code, root.stdout, root.stderr]).toEqual([2, "", "shelfwise: library folder / is the root of the file system: all of it would be scanned for audiobooks; give the folder that holds them (`~/Audiobooks`) (nothing was done)\n"]);
    expect([own.code, own.stderr]).toEqual([2, `shelfwise: library folder ${home} is your home folder: all of it would be scanned for audiobooks; give the folder that holds them (\`~/Audiobooks\`) (nothing was done)\n`]);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it("a library PATH whose name is not UTF-8 is said to be there but unreadable as typed, not to not exist", async () => {
    // Node reads argv as UTF-8: the byte 0xff arrives as U+FFFD. Only a shell can pass the raw byte.
    fs.mkdirSync(Buffer.concat([Buffer.from(`${tmp}/Bj`), Buffer.from([0xf6]), Buffer.from("rk")]));
    // A data folder so named, too: `init` made another folder, named with U+FFFD, and said it initialized it.
    const script = '"$0" "$1" init --data-dir "$2/Dat"$\'\\xe4\'"a"; echo "init: $?" >&2; exec "$0" "$1" scan "$2/Bj"$\'\\xf6\'"rk" --data-dir "$3"';
    const child = spawn("bash", ["-c", script, process.execPath, CLI_BIN, tmp, data], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect([code, stderr]).toEqual([2, expect.stringContaining(`library folder ${tmp}/Bj\ufffdrk cannot be opened as typed: its name holds bytes that are not UTF-8`)]);
    expect(stderr).toContain(`shelfwise: the data folder ${tmp}/Dat\ufffda (--data-dir) cannot be used as typed: its name holds bytes that are not UTF-8 (shown as \ufffd)`);
    expect(stderr).toContain("init: 2\n");
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith("Dat"))).toEqual([]);
    // One advice wherever such a name is met (scan's problems gave cp1252, these gave latin1 without -r).
    expect(stderr.match(/convmv [^`]*/g)).toEqual(["convmv -r -f cp1252 -t utf8 --notest FOLDER", "convmv -r -f cp1252 -t utf8 --notest FOLDER"]);
  });

  it("a library PATH inside another library folder (configured or given beside it) is refused: its books would look loose", async () => {
    const lib = path.join(tmp, "library");
    const book = path.join(lib, "Ann Author", "First Book");
    const fresh = path.join(tmp, "nested-data");
    const config = fs.readFileSync(path.join(data, "config.json"), "utf8");
    // Both were scanned: the book folder became a library folder, its 01.mp3 a loose book planned into a folder inside it.
    const [beside, configured] = await Promise.all([runCliInProcess(["scan", lib, book], { dataDir: fresh }), runCliInProcess(["scan", book, "--json"], { dataDir: data })]);
    const words = `shelfwise: library folder ${book} is inside the library folder ${lib}, which is scanned whole: give ${lib} (\`shelfwise scan\` rescans every library folder); a library folder inside another would make the books in it look loose (nothing was done)\n`;
    expect([beside.code, beside.stderr]).toEqual([2, words]);
    expect([configured.code, configured.stdout, configured.stderr]).toEqual([2, "", words]);
    expect(fs.existsSync(fresh)).toBe(false);
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(config);
  });

  it("library_paths written by hand with one folder inside another (through a link too), or the data folder, is refused by scan and plan, named by status, and undone by `library remove`", async () => {
    const lib = path.join(tmp, "library");
    const author = path.join(lib, "Ann Author");
    const link = path.join(tmp, "library-by-link");
    fs.symlinkSync(lib, link);
    const hand = path.join(tmp, "hand-data");
    fs.mkdirSync(hand);
    const before = fs.readdirSync(author, { recursive: true }).sort();
    // Both were read: the author folder, listed, became a library's top, so First Book lost its author and was planned to Ann Author/Ann Author/First Book.
    for (const listed of [[lib, author], [path.join(link, "Ann Author"), lib], [lib, "."]]) {
      fs.writeFileSync(path.join(hand, "config.json"), JSON.stringify({ library_paths: listed }));
      const inner = listed[1] === "." ? hand : listed[1] === lib ? listed[0] : listed[1];
      const words = listed[1] === "." ? `library_paths lists ${hand}, which is shelfwise's data folder ${hand}` : `library_paths lists ${inner} inside the library folder ${lib === inner ? listed[0] : lib}, which is scanned whole`;
      for (const args of [["scan"], ["plan", "--json"], ["apply", "--dry-run"]]) {
        const run = await runCliInProcess(args, { dataDir: hand });
        expect([run.code, run.stdout, run.stderr], args.join(" ")).toEqual([2, "", expect.stringContaining(`shelfwise: config.json: ${words}`)]);
        expect(run.stderr).toContain(`take ${listed[1] === "." ? "it" : "one"} out`);
      }
      const status = await runCliInProcess(["status", "--json"], { dataDir: hand });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stderr).toContain(`shelfwise: warning: config.json: ${words}`);
    }
    expect(fs.readdirSync(author, { recursive: true }).sort()).toEqual(before);
    // The way out it names works, and output_path set makes an inbox inside the library (emptied into the output) fine.
    fs.writeFileSync(path.join(hand, "config.json"), JSON.stringify({ library_paths: [lib, author] }));
    await runCliOk(["library", "remove", author], { dataDir: hand });
    await runCliOk(["scan"], { dataDir: hand });
    fs.writeFileSync(path.join(hand, "config.json"), JSON.stringify({ library_paths: [lib, author], output_path: lib }));
    await runCliOk(["plan"], { dataDir: hand });
  });

  it("a PATH holding a configured library folder is refused saying what to run; the library folder by another name (a link) is scanned as itself", async () => {
    const lib = path.join(tmp, "library");
    const config = fs.readFileSync(path.join(data, "config.json"), "utf8");
    // tmp holds the library: it was added to library_paths beside it, and every other audio file in tmp became a book.
    const parent = await runCliInProcess(["scan", tmp, "--json"], { dataDir: data });
    expect([parent.code, parent.stdout]).toEqual([2, ""]);
    expect(parent.stderr).toBe(
      `shelfwise: library folder ${tmp} holds the library folder ${lib}: its books would belong to two library folders, and every other audio file in ${tmp} would become a book. ` +
        `To scan the library folders: \`shelfwise scan\`; to make the larger folder the library: \`shelfwise library remove ${lib}\` (its books are kept, and keep their ids once found under the larger one), then \`shelfwise scan ${tmp}\` (nothing was done)\n`,
    );
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(config);
    // Through a link, the same books were recorded a second time as new ones, and the link listed as a second library.
    const link = path.join(tmp, "library-link");
    fs.symlinkSync(lib, link);
    const linked = await runCliInProcess(["scan", link, `${link}/`, "--json"], { dataDir: data });
    expect(linked.code, linked.stderr).toBe(0);
    expect(JSON.parse(linked.stdout)).toMatchObject({ found: 1, new: 0, unchanged: 1 });
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(config);
    fs.unlinkSync(link);
  });

  it("an id past the exact integers names nothing (not \"not a whole number\"), a count that large is too large; an unknown id is named once", async () => {
    const huge = "99999999999999999999";
    const [book, limit, apply] = await Promise.all([
      runCliInProcess(["book", huge], { dataDir: data }),
      runCliInProcess(["history", "--limit", huge], { dataDir: data }),
      runCliInProcess(["apply", "7", "7", "--dry-run"], { dataDir: data }),
    ]);
    expect([book.code, book.stderr]).toEqual([2, `shelfwise: book id "${huge}" names nothing: it is larger than any id shelfwise gives\n`]);
    expect([limit.code, limit.stderr]).toEqual([2, `shelfwise: --limit is too large (got "${huge}"; at most 9007199254740991)\n`]);
    expect([apply.code, apply.stderr]).toEqual([2, "shelfwise: no book with id 7; `shelfwise books` lists them (nothing was done)\n"]);
  });

  it("`apply ID --status S` is refused: the given books are applied whatever their status, so --status was silently ignored", async () => {
    const result = await runCliInProcess(["apply", "1", "--status", "needs_attention", "--dry-run", "--json"], { dataDir: data });
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toBe("shelfwise: --status selects the books to apply, and book ids were given too: give ids or --status, not both (nothing was done)\n");
  });

  it("a refused word shows its invisible and control characters as escapes, on one line", async () => {
    const [field, source, plugin] = await Promise.all([
      runCliInProcess(["book", "1", "--set", "ti\u200btle=x"], { dataDir: data }),
      runCliInProcess(["sources", "test", "a\nb", "--title", "x"], { dataDir: data }),
      runCliInProcess(["plugins", "new", "bad\nid"], { dataDir: data }),
    ]);
    // The zero-width space made it `unknown field "title"`; the line breaks split the message in two.
    expect([field.code, field.stderr]).toEqual([2, expect.stringMatching(/^shelfwise: unknown field "ti\\u200btle" \(did you mean "title"\?\); fields are: [^\n]+\n$/)]);
    expect([source.code, source.stderr]).toEqual([2, expect.stringMatching(/^shelfwise: no HTTP source with id "a\\nb"[^\n]*\n$/)]);
    expect([plugin.code, plugin.stderr]).toEqual([2, expect.stringMatching(/^shelfwise: plugin id "bad\\nid" must be [^\n]+\n$/)]);
  });
});
