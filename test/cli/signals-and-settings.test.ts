/**
 * Audit of issues 10 and 12 through the built CLI:
 * - Ctrl-C / SIGTERM stop every command with exit code 130 and a word on
 *   stderr, not only `process` (scan, book edits, apply... died by the signal:
 *   no message, no documented code);
 * - every writer, `book --set` included, says that it waits for the lock;
 * - rewriting config.json (scan LIBRARY adds the folder) keeps what the user
 *   chose about the file: its permissions and a symlink to where it lives.
 * Commands whose process is what is tested (signals, the lock held by this
 * process, a working folder, a terminal) run as processes of their own; the
 * rest run in this process (test/support/cli-in-process.ts).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { acquireDataLock, type DataLock } from "../../src/store/data-lock.js";
import { CLI_BIN, runCli, spawnCli } from "../support/cli.js";
import { runCliInProcess as runIn, runCliInProcessOk as runOkIn } from "../support/cli-in-process.js";
import Database from "better-sqlite3";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
let data: string;

function addBook(root: string, author: string, title: string): void {
  fs.mkdirSync(path.join(root, author, title), { recursive: true });
  writeMp3(path.join(root, author, title, "01.mp3"), { artist: author, album: title, title: "Chapter 1" });
}

beforeAll(async () => {
  tmp = makeTempDir("signals");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  addBook(lib, "Ann Author", "A Plain Title");
  await runOkIn(["scan", lib], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

/** Runs a command until its stderr says it waits for the lock, then sends `signal`. */
async function interruptWhileWaiting(args: string[], signal: NodeJS.Signals) {
  const child = spawnCli([...args, "--wait", "60"], { dataDir: data });
  let stderr = "";
  let sent = false;
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; waited: boolean }>((resolve) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /waiting up to 60 s for `holder`/.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    // A writer that never says it waits is stopped by the test's timeout, and fails the check on `waited`.
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("close", (code, killedBy) => {
      clearTimeout(timer);
      resolve({ code, signal: killedBy, stderr, waited: sent });
    });
  });
}

describe("bad input while another command holds the lock", () => {
  it("every writer refuses bad input (exit 2) before it waits for the lock, not \"the lock is busy\" (exit 1) after", async () => {
    const lock = await acquireDataLock(data, { command: "holder" });
    try {
      const cases: [string[], RegExp][] = [
        [["plugins", "enable", "ghost"], /^shelfwise: no plugin with id "ghost"/m],
        [["plugins", "reset", "ghost"], /^shelfwise: no plugin with id "ghost"/m],
        [["sources", "disable", "ghost"], /^shelfwise: no HTTP source with id "ghost"/m],
        [["process", "--layer", "ghost"], /^shelfwise: unknown layer "ghost"; known layers: path, embedded_tags, sidecar, openlibrary/m],
        [["book", "999", "--lock"], /^shelfwise: no book with id 999/m],
        [["apply", "999", "--yes"], /^shelfwise: no book with id 999/m],
        [["undo", "999"], /^shelfwise: no move with id 999/m],
        [["scan", path.join(lib, "Ann Author")], /^shelfwise: library folder .* is inside the library folder/m],
        [["init", path.join(lib, "Ann Author")], /^shelfwise: library folder .* is inside the library folder/m],
      ];
      const runs = await Promise.all(cases.map(([args]) => runCli([...args, "--wait", "0"], { dataDir: data })));
      runs.forEach((run, i) => {
        const [args, message] = cases[i]!;
        expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 2, stderr: expect.stringMatching(message) });
        expect(run.stderr).not.toMatch(/waiting|busy|holder/);
      });
    } finally {
      lock.release();
    }
  });
});

describe("interrupts and the lock", () => {
  let lock: DataLock;
  beforeAll(async () => {
    lock = await acquireDataLock(data, { command: "holder" });
  });
  afterAll(() => lock.release());

  it("a writer waiting for the lock says so, and Ctrl-C or SIGTERM stops it with exit 130 and a message", async () => {
    const [scan, edit, apply] = await Promise.all([
      interruptWhileWaiting(["scan"], "SIGTERM"),
      interruptWhileWaiting(["book", "1", "--set", "title=Mine"], "SIGINT"),
      interruptWhileWaiting(["apply", "--yes"], "SIGINT"),
    ]);
    for (const [run, code] of [[scan, 130], [edit, 130], [apply, 130]] as const) {
      expect(run.waited, run.stderr).toBe(true);
      expect({ code: run.code, signal: run.signal }).toEqual({ code, signal: null });
      expect(run.stderr).toMatch(/^shelfwise: interrupted \(SIG(INT|TERM)\); .*run the command again/m);
    }
    lock.release();
    // Nothing was half-done: the book keeps its values and the next writer runs.
    const book = await runIn(["book", "1", "--json"], { dataDir: data });
    expect(JSON.parse(book.stdout).title).not.toBe("Mine");
  });
});

describe("a stop signal while the CLI loads", () => {
  it("a hang-up (or Ctrl-C, SIGTERM) before the command's own handlers exist says so and exits 130, not killed silently (129); nothing is made", async () => {
    // Sent by a preloaded module the moment the launcher's handler is in place, while the bundle still loads.
    const preload = path.join(tmp, "hup-while-loading.mjs");
    fs.writeFileSync(
      preload,
      `const t = setInterval(() => { const l = process.listeners("SIGHUP"); if (l.length === 1 && l[0].name === "early") { clearInterval(t); process.kill(process.pid, "SIGHUP"); } }, 0); t.unref();\n`,
    );
    const fresh = path.join(tmp, "fresh-data");
    const run = spawnSync(process.execPath, ["--import", preload, CLI_BIN, "--data-dir", fresh, "init"], { encoding: "utf8" });
    expect([run.status, run.signal, run.stderr, run.stdout]).toEqual([130, null, "shelfwise: interrupted (SIGHUP) while starting: nothing was done\n", ""]);
    expect(fs.existsSync(fresh)).toBe(false);
  });
});

describe("config.json rewritten by a command", () => {
  it("keeps its permissions, a symlink to it and its unknown keys", async () => {
    const dotfiles = path.join(tmp, "dotfiles");
    fs.mkdirSync(dotfiles);
    const real = path.join(dotfiles, "shelfwise-config.json");
    const config = path.join(data, "config.json");
    const before = JSON.parse(fs.readFileSync(config, "utf8"));
    fs.writeFileSync(real, JSON.stringify({ ...before, my_note: "keep me" }, null, 2));
    fs.chmodSync(real, 0o600);
    fs.rmSync(config);
    fs.symlinkSync(real, config);
    const other = path.join(tmp, "second-library");
    addBook(other, "Bo Writer", "Second Book");

    const scan = await runIn(["scan", other], { dataDir: data });
    expect(scan.code, scan.stderr).toBe(0);

    expect(fs.lstatSync(config).isSymbolicLink()).toBe(true);
    expect(fs.statSync(real).mode & 0o777).toBe(0o600);
    const after = JSON.parse(fs.readFileSync(real, "utf8"));
    expect(after.library_paths).toEqual([...before.library_paths, other]);
    expect(after.my_note).toBe("keep me");
    expect(fs.readdirSync(dotfiles).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("a scan the database refuses", () => {
  it("leaves config.json as it was: the library folder given is not remembered", async () => {
    const newer = path.join(tmp, "newer-data");
    await runOkIn(["scan", lib], { dataDir: newer });
    const db = new Database(path.join(newer, "shelfwise.db"));
    db.pragma("user_version = 9999");
    db.close();
    const config = fs.readFileSync(path.join(newer, "config.json"), "utf8");
    const other = path.join(tmp, "third-library");
    addBook(other, "Cy Teller", "Third Book");
    const scan = await runIn(["scan", other], { dataDir: newer });
    expect(scan.code).toBe(1);
    expect(scan.stderr).toMatch(/newer than this shelfwise/);
    expect(fs.readFileSync(path.join(newer, "config.json"), "utf8")).toBe(config);
  });
});

describe("the data folder, in every command", () => {
  it("a missing data folder is refused with exit 2 by every command but init and scan LIBRARY, and nothing is created", async () => {
    const missing = path.join(tmp, "no-such-data");
    const commands = [["plan"], ["history"], ["undo", "--last", "1"], ["apply", "--yes"], ["book", "1", "--set", "title=x"], ["sources", "list"], ["sources", "enable", "x"], ["serve", "--port", "0"]];
    const runs = await Promise.all(commands.map((args) => runIn(args, { dataDir: missing })));
    runs.forEach((run, i) => {
      expect({ args: commands[i], code: run.code }).toEqual({ args: commands[i], code: 2 });
      expect(run.stderr).toContain(`no shelfwise data folder at ${missing} (given with --data-dir)`);
    });
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("a folder that is not a data folder (the library given by mistake) is refused, and nothing is written into it", async () => {
    const before = fs.readdirSync(lib).sort();
    const [books, plan] = await Promise.all([runIn(["books"], { dataDir: lib }), runIn(["plan"], { dataDir: lib })]);
    for (const run of [books, plan]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${lib} is not a shelfwise data folder`);
    }
    expect(fs.readdirSync(lib).sort()).toEqual(before);
  });

  it("config.json's unknown keys are warned about by plan and history too", async () => {
    const config = path.join(data, "config.json");
    const saved = fs.readFileSync(config, "utf8");
    fs.writeFileSync(config, JSON.stringify({ ...JSON.parse(saved), confidence_treshold: 80 }));
    try {
      const runs = await Promise.all([runIn(["plan"], { dataDir: data }), runIn(["history"], { dataDir: data })]);
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect(run.stderr).toMatch(/unknown key "confidence_treshold" \(did you mean "confidence_threshold"\?\)/);
      }
    } finally {
      fs.writeFileSync(config, saved);
    }
  });
});

describe("bad input in the words of every other error", () => {
  it("numbers in other notations (1e3, 0x2) are typos; an empty --data-dir is refused (not the default folder); commander's errors start with `shelfwise:`", async () => {
    const cwd = makeTempDir("signals-cwd");
    try {
      const numbers = [
        ["undo", "--last", "1e3"],
        ["undo", "--last", "0x2"],
        ["history", "--limit", "1e3"],
        ["history", "--book", "0x1"],
        ["plan", "--min-confidence", "5e1"],
        ["process", "--wait", "1e3"],
      ];
      const typos = await Promise.all(numbers.map((args) => runIn(args, { dataDir: data })));
      typos.forEach((run, i) => {
        expect({ args: numbers[i], code: run.code }).toEqual({ args: numbers[i], code: 2 });
        expect(run.stderr).toMatch(/^shelfwise: --\S+ must be /);
      });
      const [empty, unknownOption, missingArgument] = await Promise.all([
        runCli(["books", "--data-dir", ""], { cwd }),
        runIn(["books", "--bogus"], { dataDir: data }),
        runIn(["book"], { dataDir: data }),
      ]);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/^shelfwise: --data-dir is empty/);
      expect(unknownOption.code).toBe(2);
      expect(unknownOption.stderr).toMatch(/^shelfwise: unknown option '--bogus'/);
      expect(missingArgument.code).toBe(2);
      expect(missingArgument.stderr).toMatch(/^shelfwise: missing required argument 'id'/);
      expect(fs.readdirSync(cwd)).toEqual([]);
    } finally {
      removeTempDir(cwd);
    }
  });
});

describe("apply's question on a terminal", () => {
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("Ctrl-C at the question exits 130 saying nothing was moved (not an unexpected error)", async () => {
    const dataP = path.join(tmp, "prompt-data");
    await runOkIn(["scan", lib], { dataDir: dataP });
    await runOkIn(["book", "1", "--set", "author=Ann Author", "--set", "title=Renamed"], { dataDir: dataP });
    const before = fs.readdirSync(path.join(lib, "Ann Author"));
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, CLI_BIN, "apply", "--status", "identified,needs_attention,new,pending", "--data-dir", dataP].map(quote).join(" ");
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let sent = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const code = await new Promise<number | null>((resolve) => {
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        if (!sent && /\[y\/N\]/.test(output)) {
          sent = true;
          child.stdin!.write("\x03");
        }
      });
      child.once("close", (exit) => resolve(exit));
    });
    clearTimeout(timer);
    expect(sent, output).toBe(true);
    expect(code, output).toBe(130);
    expect(output).toMatch(/shelfwise: interrupted at the question: nothing was moved/);
    expect(output).not.toMatch(/unexpected error/);
    expect(fs.readdirSync(path.join(lib, "Ann Author"))).toEqual(before);
  });
});

describe("plugins new on a full disk", () => {
  const isRoot = process.getuid?.() === 0;
  it.skipIf(!isRoot)("leaves no half-written plugin folder behind", async (ctx) => {
    const small = path.join(tmp, "small-plugins");
    fs.mkdirSync(small);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small], { stdio: "ignore" });
    } catch {
      return ctx.skip();
    }
    try {
      const dataN = path.join(tmp, "plugin-data-folder");
      fs.mkdirSync(dataN);
      fs.writeFileSync(path.join(dataN, "config.json"), JSON.stringify({ plugin_dir: small }));
      // Fill the disk to the last byte.
      const fd = fs.openSync(path.join(small, "filler"), "w");
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(4096));
      } catch {
        // ENOSPC: full.
      } finally {
        fs.closeSync(fd);
      }
      const made = await runIn(["plugins", "new", "half-plugin"], { dataDir: dataN });
      expect(made.code).toBe(1);
      expect(made.stderr).toMatch(/^shelfwise: the disk is full/m);
      expect(fs.readdirSync(small)).toEqual(["filler"]);
    } finally {
      execFileSync("umount", ["-l", small]);
    }
  });
});
