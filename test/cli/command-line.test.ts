/**
 * The command line as users and scripts meet it (second CLI audit): output
 * that cannot be written, `help` for any command, `--json` where a command
 * prints none, `~` in paths the shell did not expand, and options that
 * contradict each other.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { CLI_BIN, runCli } from "../support/cli.js";
import { runCliInProcess, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

// Commands run in-process (test/support/cli-in-process.ts) but where the environment, the current folder or a
// full stdout is what is checked.
let tmp: string;
let lib: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("command-line");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  for (const [author, title] of [
    ["Ann Author", "First Book"],
    ["Bob Writer", "Second Book"],
  ]) {
    fs.mkdirSync(path.join(lib, author, title), { recursive: true });
    writeMp3(path.join(lib, author, title, "01.mp3"), { artist: author, album: title });
  }
  await runCliOk(["scan", lib], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

/** Runs the CLI with its stdout on /dev/full: every write there fails with ENOSPC. */
function toFullDisk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = fs.openSync("/dev/full", "w");
  const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ["ignore", full, "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: data } });
  fs.closeSync(full);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe.skipIf(!fs.existsSync("/dev/full"))("output that cannot be written", () => {
  it("a table, --json and --help to a full disk: one line on stderr, no stack trace, exit 1", async () => {
    const runs = await Promise.all([["books"], ["books", "--json"], ["--help"]].map(toFullDisk));
    for (const run of runs) {
      expect(run.stderr).toBe("shelfwise: could not write the output (standard output): the disk is full; the output is incomplete\n");
      expect(run.code).toBe(1);
    }
  });
});

describe("help", () => {
  it("`help GROUP SUB` and `GROUP help SUB` show the subcommand's help on stdout; an unknown word exits 2 with a suggestion", async () => {
    const [deep, inGroup, unknown, unknownSub, plain, dataAfter, pastLeaf, versionExtra] = await Promise.all([
      runCliInProcess(["help", "plugins", "list"]),
      runCliInProcess(["plugins", "help", "list"]),
      runCliInProcess(["help", "boks"]),
      runCliInProcess(["help", "sources", "tset"]),
      runCliInProcess(["--data-dir", data, "help", "books"]),
      // The folder after --data-dir is its value: it was taken for a command word ("unknown command '/tmp/…'").
      runCliInProcess(["help", "apply", "--data-dir", data]),
      // A word past a command without subcommands: it said "`shelfwise books --help` lists the commands", which lists none.
      runCliInProcess(["help", "books", "extra"]),
      // It printed the version and exited 0, the word ignored (help-texts.test.ts checks the other cases in-process).
      runCliInProcess(["--version", "extra"]),
    ]);
    expect([versionExtra.code, versionExtra.stdout, versionExtra.stderr]).toEqual([2, "", "shelfwise: unknown command 'extra'; `shelfwise --help` lists the commands\n"]);
    expect([pastLeaf.code, pastLeaf.stdout, pastLeaf.stderr]).toEqual([2, "", "shelfwise: `shelfwise books` takes no subcommand ('extra'); `shelfwise help books` shows its help\n"]);
    expect([dataAfter.code, dataAfter.stderr]).toEqual([0, ""]);
    expect(dataAfter.stdout).toMatch(/^Usage: shelfwise apply /);
    for (const r of [deep, inGroup]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: shelfwise plugins list /);
      expect(r.stderr).toBe("");
    }
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toBe("shelfwise: unknown command 'boks' (did you mean books?); `shelfwise --help` lists the commands\n");
    expect(unknownSub.code).toBe(2);
    expect(unknownSub.stderr).toMatch(/^shelfwise: unknown command 'tset' \(did you mean test\?\); `shelfwise sources --help`/);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^Usage: shelfwise books /);
  });
  it("bare `shelfwise` and a bare group print their help on stdout (stderr with --json) and exit 2: nothing was done", async () => {
    const [bare, group, groupJson, asked, askedJson, helpWordJson] = await Promise.all([
      runCliInProcess([]),
      runCliInProcess(["--data-dir", data, "plugins"]),
      runCliInProcess(["sources", "--json"]),
      runCliInProcess(["plugins", "--help"]),
      runCliInProcess(["plugins", "--help", "--json"]),
      runCliInProcess(["help", "plugins", "--json"]),
    ]);
    expect([bare.code, bare.stderr]).toEqual([2, ""]);
    expect(bare.stdout).toMatch(/^Usage: shelfwise \[options\] \[command\]/);
    expect([group.code, group.stderr]).toEqual([2, ""]);
    expect(group.stdout).toMatch(/^Usage: shelfwise plugins /);
    expect([groupJson.code, groupJson.stdout]).toEqual([2, ""]);
    expect(groupJson.stderr).toMatch(/^Usage: shelfwise sources /);
    // Asked for: the same help, exit 0.
    expect([asked.code, asked.stdout, asked.stderr]).toEqual([0, group.stdout, ""]);
    // Asked for beside --json: stdout is for JSON only, so the help goes to stderr (it went to stdout).
    for (const run of [askedJson, helpWordJson]) expect([run.code, run.stdout, run.stderr]).toEqual([0, "", group.stdout]);
  });
});

describe("--json", () => {
  it("a command that prints no JSON refuses --json (exit 2, nothing done, stdout empty), before or after the command", async () => {
    const fresh = path.join(tmp, "never-made");
    const runs = await Promise.all([
      runCliInProcess(["--json", "init", lib], { dataDir: fresh }),
      runCliInProcess(["init", lib, "--json"], { dataDir: fresh }),
      runCliInProcess(["plugins", "new", "scaffold-x", "--json"], { dataDir: data }),
      runCliInProcess(["--json", "sources", "enable", "nothing"], { dataDir: data }),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^shelfwise: `(init|plugins new|sources enable)` prints no JSON \(docs\/cli-json\.md lists the commands that do\); leave --json out\n$/);
    }
    expect(fs.existsSync(fresh)).toBe(false);
    expect(fs.existsSync(path.join(data, "plugins", "scaffold-x"))).toBe(false);
  });
});

describe("~ the shell did not expand", () => {
  it("--data-dir=~/x, SHELFWISE_DATA_DIR=\"~/x\" and library_paths [\"~/lib\"] mean the home folder, never a folder named ~", async () => {
    const home = path.join(tmp, "home");
    fs.mkdirSync(home);
    fs.cpSync(lib, path.join(home, "lib"), { recursive: true });
    const cwd = path.join(tmp, "cwd");
    fs.mkdirSync(cwd);
    const env = { HOME: home };
    const scan = await runCli(["scan", "--data-dir=~/sw", "--json", "~/lib"], { cwd, env });
    expect(scan.stderr).toBe("");
    expect(JSON.parse(scan.stdout).new).toBe(2);
    expect(fs.existsSync(path.join(home, "sw", "shelfwise.db"))).toBe(true);
    fs.writeFileSync(path.join(home, "sw", "config.json"), JSON.stringify({ library_paths: ["~/lib"] }));
    const [books, rescan] = await Promise.all([
      runCli(["books", "--json"], { cwd, env: { ...env, SHELFWISE_DATA_DIR: "~/sw" } }),
      runCli(["scan", "--json"], { cwd, env: { ...env, SHELFWISE_DATA_DIR: "~/sw" } }),
    ]);
    expect(JSON.parse(books.stdout)).toHaveLength(2);
    expect(JSON.parse(rescan.stdout)).toMatchObject({ found: 2, missing: 0 });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("an empty or relative HOME is no home folder: ~ is the one the system's user list gives, never the root or the current folder", async () => {
    const name = `shelfwise-no-such-${process.pid}`;
    const listed = os.userInfo().homedir;
    const results = await Promise.all(["", "relative"].map((HOME) => runCli(["books", `--data-dir=~/${name}`], { cwd: tmp, env: { HOME } })));
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`no shelfwise data folder at ${path.join(listed, name)} (given with --data-dir)`);
    }
  });
});

describe("options that contradict each other", () => {
  it("undo with move ids and --last is refused before anything moves", async () => {
    const run = await runCliInProcess(["undo", "1", "--last", "1"], { dataDir: data });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("shelfwise: give move ids or --last N, not both (nothing was done)\n");
  });
});

describe("a folder whose name starts with a dash", () => {
  it("given as an argument, the unknown-option error says it is a folder here and how to give it (--); a word that names nothing gets no such hint", async () => {
    fs.mkdirSync(path.join(tmp, "-dash books", "Ann Author", "A Book"), { recursive: true });
    writeMp3(path.join(tmp, "-dash books", "Ann Author", "A Book", "01.mp3"), { artist: "Ann Author", album: "A Book" });
    // It said only "unknown option '-dash books' (library add takes --data-dir, --json, --wait)": the folder is there.
    const dashed = await runCli(["library", "add", "-dash books", "-nothing"], { dataDir: data, cwd: tmp });
    expect(dashed.code).toBe(2);
    expect(dashed.stderr).toBe(
      "shelfwise: unknown option '-dash books' (library add takes --data-dir, --json, --wait, --quiet, --no-color; -dash books is also a folder here: to mean it, put -- before it: `shelfwise library add -- -dash books`); run with --help for usage\n",
    );
    const nothing = await runCli(["books", "-nothing"], { dataDir: data, cwd: tmp });
    expect(nothing.stderr).toBe("shelfwise: unknown option '-nothing' (books takes --data-dir, --status, --author, --series, --wide, --json, --quiet, --no-color); run with --help for usage\n");
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).not.toContain("-dash");
  });
});

describe("--quiet and --no-color", () => {
  it("are taken before or after any command; --quiet drops notes (not the output, warnings or errors); --no-color changes nothing", async () => {
    await runCliOk(["book", "1", "--lock", "--json"], { dataDir: data });
    const noisy = await runCliInProcess(["book", "1", "--lock", "--json"], { dataDir: data });
    expect(noisy.stderr).toBe("shelfwise: note: book 1 was already locked\n");
    for (const args of [["-q", "book", "1", "--lock", "--json"], ["book", "1", "--lock", "--json", "--quiet"]]) {
      const quiet = await runCliInProcess(args, { dataDir: data });
      expect(quiet.code, args.join(" ")).toBe(0);
      expect(quiet.stderr, args.join(" ")).toBe("");
      expect(quiet.stdout).toBe(noisy.stdout);
    }
    // An error is still said with --quiet.
    const refused = await runCliInProcess(["book", "999", "--quiet"], { dataDir: data });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^shelfwise: .*999/);
    const plain = await runCliInProcess(["books"], { dataDir: data });
    for (const args of [["--no-color", "books"], ["books", "--no-color"], ["status", "--no-color", "-q"], ["init", "--no-color"]]) {
      const result = await runCliInProcess(args, { dataDir: data });
      expect(result.stderr, args.join(" ")).not.toMatch(/unknown option/);
      if (args[1] === "books") expect(result.stdout).toBe(plain.stdout);
    }
    await runCliOk(["book", "1", "--unlock"], { dataDir: data });
  });
});

describe("values too long for any file system", () => {
  it("a pasted 100 KB argument is not echoed whole: the word is cut, the reason kept (one short line, exit 2)", async () => {
    const huge = "a".repeat(100_000);
    for (const args of [["library", "add", huge], ["plugins", "validate", huge], ["process", "--layer", huge], [huge]]) {
      const result = await runCliInProcess(args, { dataDir: data });
      expect(result.code, args[0]).toBe(2);
      expect(result.stderr.length, args[0]).toBeLessThan(1000);
      expect(result.stderr, args[0]).toMatch(/^shelfwise: \S.*\n$/);
    }
    const added = await runCliInProcess(["library", "add", huge], { dataDir: data });
    expect(added.stderr).toMatch(/a… \(\d{3},\d{3} characters\) is not an existing folder; give the folder/);
  });

  it("a name longer than the file system takes is a path that is not there (exit 2), or said in words (name too long), never in Node's", async () => {
    const long = "n".repeat(300);
    const plugin = await runCliInProcess(["plugins", "validate", path.join(tmp, long)], { dataDir: data });
    expect(plugin.code).toBe(2);
    expect(plugin.stderr).toMatch(/plugin folder .* does not exist/);
    const book = await runCliInProcess(["plugins", "test", tmp, "--book", path.join(tmp, long)], { dataDir: data });
    expect(book.code).toBe(2);
    expect(book.stderr).toMatch(/--book .* does not exist/);
    const init = await runCliInProcess(["init", "--data-dir", path.join(tmp, long)]);
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/^shelfwise: name too long: .* holds a name longer than the file system allows \(255 bytes for one name, 4096 for a whole path\): shorten it/);
    expect(init.stderr).not.toContain("ENAMETOOLONG");
  });
});

describe("an unknown option", () => {
  it("lists the global options the command takes too (they work after it), and --json only where the command prints JSON", async () => {
    const [init, scan] = await Promise.all([runCliInProcess(["init", "--bogus"], { dataDir: data }), runCliInProcess(["scan", "--bogus"], { dataDir: data })]);
    expect(init.code).toBe(2);
    expect(init.stderr).toBe("shelfwise: unknown option '--bogus' (init takes --data-dir, --wait, --quiet, --no-color); run with --help for usage\n");
    expect(scan.stderr).toBe("shelfwise: unknown option '--bogus' (scan takes --data-dir, --json, --wait, --quiet, --no-color); run with --help for usage\n");
  });
});
