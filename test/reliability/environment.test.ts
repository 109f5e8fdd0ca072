/**
 * Clear words when the machine says no: a full disk, a read-only database,
 * folder or file system, a database from a newer shelfwise, a lock held past
 * the timeout. Each gives one line on stderr (what happened, what was kept,
 * what to do), exit 1, no stack trace; nothing is lost; read commands still
 * work where they can.
 */
import Database from "better-sqlite3";
import { registerFold } from "../../src/store/book-queries.js";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { CLI_BIN, runCli, type CliResult } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { nodePlugin, requireBuilt, writeLibrary, writePlugin } from "../support/plugin-fixtures.js";
import { chmodTree, chownTree } from "../support/temp-dir.js";

const NOBODY = 65534;
const BOOKS = 30;
const isRoot = process.getuid?.() === 0;
const hasStrace = process.platform === "linux" && spawnSync("strace", ["-V"]).status === 0;

/**
 * One library of BOOKS books, scanned once into a data folder that each test copies (a scan of 30 books is a
 * CLI run's worth of CPU, and most tests here start from the same scanned home). Readable by everyone, as
 * the tests that run shelfwise as nobody had it: their own copy of the data folder is what they restrict.
 */
let template: { root: string; library: string; dataDir: string };
beforeAll(async () => {
  requireBuilt();
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-env-template-")));
  fs.chmodSync(root, 0o755);
  const library = path.join(root, "library");
  const dataDir = path.join(root, "data");
  writeLibrary(library, BOOKS);
  writePlugin(path.join(dataDir, "plugins"), "quiet", { code: nodePlugin("process() { return null; }") });
  const scan = await runCliInProcess(["scan", library], { dataDir });
  expect(scan.code, scan.stderr).toBe(0);
  chmodTree("a+rX", root);
  template = { root, library, dataDir };
});
afterAll(() => {
  if (template) fs.rmSync(template.root, { recursive: true, force: true });
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // best effort
    }
  }
});

function tempRoot(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-env-")));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

function tryMount(args: string[]): boolean {
  try {
    execFileSync("mount", args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** One line, no stack, exit 1, and the words that matter. */
function expectOneLine(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^shelfwise: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|SqliteError/);
}

function bookCount(dataDir: string): { books: number; runs: number; integrity: string } {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true, fileMustExist: true });
  // integrity_check computes the author and series indexes' keys: the fold they are built on (migration 15).
  registerFold(db);
  try {
    return {
      books: (db.prepare("SELECT count(*) AS n FROM books").get() as { n: number }).n,
      runs: (db.prepare("SELECT count(*) AS n FROM layer_runs").get() as { n: number }).n,
      integrity: db.pragma("integrity_check", { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

/** A copy of the scanned data folder (config.json, database, log, the "quiet" plugin) at `dataDir`; the library is shared. */
function scannedHome(root: string, dataDir = path.join(root, "data")) {
  fs.cpSync(template.dataDir, dataDir, { recursive: true });
  return { library: template.library, dataDir };
}

describe("a full disk", () => {
  it.skipIf(!isRoot)("process on a full tmpfs says so in one line, keeps everything, and finishes after space is freed", async (ctx) => {
    const root = tempRoot();
    const mount = path.join(root, "small");
    fs.mkdirSync(mount);
    if (!tryMount(["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount])) return ctx.skip();
    cleanups.push(() => execFileSync("umount", ["-l", mount]));
    const { dataDir } = scannedHome(root, path.join(mount, "data"));
    const before = bookCount(dataDir);

    // Fill the disk to the last block, so the first write of `process` cannot land.
    const filler = path.join(mount, "filler");
    const fd = fs.openSync(filler, "w");
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
    }
    try {
      for (;;) fs.writeSync(fd, chunk.subarray(0, 512));
    } catch {
      // full to the byte
    }
    fs.closeSync(fd);

    // A reader first: it must make SQLite's shared-memory file on a disk with no room for it. The readers run in this
    // process (~0.3 CPU-s a CLI start: the disk is what is tested); the writers' refusals stay the processes' own.
    const first = await runCliInProcess(["books", "--json"], { dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toHaveLength(BOOKS);
    const full = await runCli(["process"], { dataDir });
    expectOneLine(full, /disk is full.*kept.*free some space/);
    // A write past the lock (a correction) is worded as the full disk too, not as "check the disk (fsck)".
    const edit = await runCli(["book", "1", "--set", "title=Full"], { dataDir });
    expectOneLine(edit, /disk is full.*kept.*free some space/);
    // Readers still work on a full disk (their log lines are dropped, not fatal).
    const list = await runCliInProcess(["books", "--json"], { dataDir });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(BOOKS);

    fs.rmSync(filler);
    const after = bookCount(dataDir);
    expect(after.books).toBe(before.books);
    expect(after.integrity).toBe("ok");
    // After the space is freed (in this process: the full disk's refusals above are the processes' own).
    const rerun = await runCliInProcess(["process"], { dataDir });
    expect(rerun.code, rerun.stderr).toBe(0);
    const done = bookCount(dataDir);
    expect(done.books).toBe(BOOKS);
    expect(done.runs).toBe(BOOKS * 4);
    expect(done.integrity).toBe("ok");
  });
});

describe("read-only storage", () => {
  it.skipIf(!isRoot)("a read-only database and folder: writers get one line, readers still read", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    const before = fs.readFileSync(path.join(dataDir, "shelfwise.db"));
    // The user running shelfwise (nobody) may read but not write the data folder.
    chmodTree("a+rX,a-w", root);
    cleanups.push(() => chmodTree("u+w", root));
    const as = { dataDir, uid: NOBODY, gid: NOBODY };

    for (const args of [["scan"], ["process"], ["plugins", "disable", "quiet"]]) {
      const result = await runCli(args, as);
      expectOneLine(result, /read-only|permission denied/);
      expect(result.stderr).toMatch(/nothing was changed|kept/);
    }
    const list = await runCli(["books", "--json"], as);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(BOOKS);
    const one = await runCli(["book", "1"], as);
    expect(one.code, one.stderr).toBe(0);
    // A TMPDIR that is missing or read-only (a cron job's, a service's environment) must not cost readers their
    // private copy: it goes to another temp folder (before, `books` said the database was read-only, exit 1).
    for (const tmpdir of [path.join(root, "no-such-folder"), "/proc"]) {
      const elsewhere = await runCli(["books", "--json"], { ...as, env: { TMPDIR: tmpdir } });
      expect(elsewhere.code, elsewhere.stderr).toBe(0);
      expect(JSON.parse(elsewhere.stdout)).toHaveLength(BOOKS);
    }
    expect(fs.readFileSync(path.join(dataDir, "shelfwise.db")).equals(before)).toBe(true);
  });

  it.skipIf(!isRoot)("a read-only database file in a writable folder: one line, the database unchanged", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    chmodTree("a+rwX", root);
    const db = path.join(dataDir, "shelfwise.db");
    fs.chmodSync(db, 0o444);
    const before = fs.readFileSync(db);
    const as = { dataDir, uid: NOBODY, gid: NOBODY };
    const result = await runCli(["process"], as);
    expectOneLine(result, /shelfwise\.db.*read-only.*nothing was changed/);
    const list = await runCli(["books"], as);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${BOOKS} books`);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  it.skipIf(!isRoot)("the database's -wal and -shm belong to another user: the line names them (not the database or its folder), and does not say to delete them", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    chmodTree("a+rX", root);
    chownTree(NOBODY, NOBODY, dataDir);
    // Left by another user's run (root here, as `sudo shelfwise` or a copy would leave them).
    for (const side of ["shelfwise.db-wal", "shelfwise.db-shm"]) {
      fs.writeFileSync(path.join(dataDir, side), "");
      fs.chownSync(path.join(dataDir, side), 0, 0);
      fs.chmodSync(path.join(dataDir, side), 0o644);
    }
    const before = fs.readFileSync(path.join(dataDir, "shelfwise.db"));
    const as = { dataDir, uid: NOBODY, gid: NOBODY };
    const result = await runCli(["process"], as);
    expectOneLine(result, /shelfwise\.db-wal is not writable by this user .*nothing was changed; give this user write access to it \(chown or chmod; do not delete it/);
    expect(result.stderr).not.toMatch(/the database \S+ \(or its folder\)/);
    const list = await runCli(["books", "--json"], as);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(BOOKS);
    expect(fs.readFileSync(path.join(dataDir, "shelfwise.db")).equals(before)).toBe(true);
  });

  it.skipIf(!isRoot)("a read-only file system (bind mount): readers work without their log, writers get one line", async (ctx) => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    const view = path.join(root, "ro-view");
    fs.mkdirSync(view);
    if (!tryMount(["--bind", dataDir, view])) return ctx.skip();
    cleanups.push(() => execFileSync("umount", ["-l", view]));
    if (!tryMount(["-o", "remount,bind,ro", view])) return ctx.skip();

    // The readers in this process (~0.3 CPU-s a CLI start): the mount is what is tested, and it is the same for both;
    // the writers' refusals below stay the processes' own.
    const list = await runCliInProcess(["books", "--json"], { dataDir: view });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(BOOKS);
    expect(list.stderr).toBe("");
    const layers = await runCliInProcess(["layers"], { dataDir: view });
    expect(layers.code, layers.stderr).toBe(0);
    // The readers a user checks a library with work there too, --json on stdout and nothing on stderr.
    for (const args of [["status"], ["plan"]]) {
      const read = await runCliInProcess([...args, "--json"], { dataDir: view });
      expect(read.code, `${args.join(" ")}: ${read.stderr}`).toBe(0);
      expect(() => JSON.parse(read.stdout)).not.toThrow();
      expect(read.stderr, args.join(" ")).toBe("");
    }

    const before = { db: fs.readFileSync(path.join(dataDir, "shelfwise.db")), config: fs.readFileSync(path.join(dataDir, "config.json"), "utf8") };
    // Refused at the lock, a writer's first write: it said "everything saved before this point is kept and the step in
    // progress was rolled back", of a command that had not begun; the data folder is named, with what still works.
    for (const args of [["scan"], ["book", "1", "--set", "year=1999"]]) {
      const write = await runCli(args, { dataDir: view });
      expectOneLine(write, new RegExp(`^shelfwise: the data folder ${view} is on a read-only file system \\(its lock shelfwise\\.lock cannot be written\\), so nothing can be recorded there; nothing was changed; commands that only read \\(status, books, plan, history\\) still work; remount it read-write or use a writable --data-dir`));
    }
    // A plugin scaffold: it said "ENOENT: no such file or directory, mkdir …/plugins" (Node's recursive mkdir on a read-only mount).
    fs.rmSync(path.join(dataDir, "plugins"), { recursive: true });
    const scaffold = await runCli(["plugins", "new", "fresh"], { dataDir: view });
    expectOneLine(scaffold, new RegExp(`^shelfwise: ${view}/plugins is on a read-only file system`));
    expect(scaffold.stderr).not.toContain("ENOENT");
    expect(fs.readFileSync(path.join(dataDir, "shelfwise.db")).equals(before.db)).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, "config.json"), "utf8")).toBe(before.config);
    expect(bookCount(dataDir)).toMatchObject({ books: BOOKS, integrity: "ok" });
  });
});

describe("a run as root (sudo) in someone's data folder", () => {
  it.skipIf(!isRoot)("leaves every file it made to the folder's owner, whose next runs write as before", async () => {
    const root = tempRoot();
    const library = path.join(root, "library");
    writeLibrary(library, 3);
    const dataDir = path.join(root, "data");
    fs.mkdirSync(dataDir);
    chmodTree("a+rX", root);
    fs.chownSync(dataDir, NOBODY, NOBODY);
    // The first run of this data folder is root's (this process's user): it makes config.json, the database, the
    // lock and the log.
    const first = await runCliInProcess(["scan", library], { dataDir });
    expect(first.code, first.stderr).toBe(0);
    for (const made of ["config.json", "shelfwise.db", "shelfwise.lock", "logs", "logs/shelfwise.log"]) {
      expect(fs.statSync(path.join(dataDir, made)).uid, made).toBe(NOBODY);
    }
    const log = path.join(dataDir, "logs", "shelfwise.log");
    const logged = fs.statSync(log).size;
    const as = { dataDir, uid: NOBODY, gid: NOBODY };
    for (const args of [["scan"], ["process"], ["book", "1", "--set", "title=Mine"]]) {
      const result = await runCli(args, as);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
    expect(fs.statSync(log).size).toBeGreaterThan(logged);
  });
});

describe("settings files this user may not read", () => {
  it.skipIf(!isRoot)("secrets.json or config.json of another user, or a data folder it may not open: one line naming the file or folder, exit 1 (the machine said no: not 'bad input'), nothing changed", async () => {
    const root = tempRoot();
    const dataDir = path.join(root, "data");
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, "config.json"), "{}\n");
    fs.chmodSync(root, fs.statSync(root).mode | 0o555);
    chownTree(NOBODY, NOBODY, dataDir);
    const as = { dataDir, uid: NOBODY, gid: NOBODY };
    const secrets = path.join(dataDir, "secrets.json");
    fs.writeFileSync(secrets, '{ "api_key": "s3cr3t-value" }\n', { mode: 0o600 });
    fs.chownSync(secrets, 0, 0);
    const result = await runCli(["process"], as);
    expectOneLine(result, new RegExp(`permission denied: ${secrets.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}; nothing was changed there; give this user read and write access to it`));
    expect(result.stderr).not.toContain("s3cr3t");
    expect(fs.readFileSync(secrets, "utf8")).toBe('{ "api_key": "s3cr3t-value" }\n');

    fs.rmSync(secrets);
    const config = path.join(dataDir, "config.json");
    fs.chownSync(config, 0, 0);
    fs.chmodSync(config, 0o600);
    const books = await runCli(["books"], as);
    expectOneLine(books, /permission denied: \S+config\.json; nothing was changed there/);
    expect(fs.readFileSync(config, "utf8")).toBe("{}\n");

    // A data folder this user may not open (or one below such a folder): every file in it is denied, and naming
    // config.json sent the user to a file they could not reach; "no data folder there" (exit 2) was a guess.
    fs.chownSync(config, NOBODY, NOBODY);
    fs.chmodSync(dataDir, 0o000);
    const [closed, below] = await Promise.all([runCli(["books", "--json"], as), runCli(["books", "--json"], { ...as, dataDir: path.join(dataDir, "inner") })]);
    for (const result of [closed, below]) {
      expectOneLine(result, new RegExp(`^shelfwise: permission denied: ${dataDir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is a folder this user may not open; nothing was changed there; give this user read, write and search \\(x\\) permission on it`));
    }
    fs.chmodSync(dataDir, 0o755);
  });
});

// A newer or damaged database is a fault of the file, not of the process or its user: those commands run in
// this process (test/support/cli-in-process.ts); the lock held by another program stays a process of its own.
describe("other faults", () => {
  it("a database from a newer shelfwise is refused in one line and left untouched", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    const file = path.join(dataDir, "shelfwise.db");
    const db = new Database(file);
    db.pragma("user_version = 999");
    db.close();
    const before = fs.readFileSync(file);
    for (const args of [["books"], ["process"]]) {
      const result = await runCliInProcess(args, { dataDir });
      expectOneLine(result, /schema version 999, newer than this shelfwise knows.*left untouched.*upgrade shelfwise/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("another program's SQLite database named shelfwise.db is refused in one line, never given shelfwise's tables or WAL mode", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    const file = path.join(dataDir, "shelfwise.db");
    for (const name of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(name, { force: true });
    const other = new Database(file);
    other.exec("CREATE TABLE notes (x); INSERT INTO notes VALUES ('precious'); CREATE TABLE tags (y)");
    other.close();
    const before = fs.readFileSync(file);
    // A reader migrated it too: `status` alone wrote shelfwise's tables into the other program's file.
    for (const args of [["status"], ["scan"], ["process"]]) {
      const result = await runCliInProcess(args, { dataDir });
      expectOneLine(result, /database \S+shelfwise\.db is not a shelfwise database: it holds another program's tables \(notes, tags\) .*left untouched.*move it out of the data folder/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it("shelfwise's database rebuilt by sqlite3's .dump (no schema version, no fold indexes): one line saying so and how to restore it, the file untouched", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    const file = path.join(dataDir, "shelfwise.db");
    // What `sqlite3 old.db .dump | sqlite3 shelfwise.db` leaves: every row, but neither user_version nor the
    // indexes on shelfwise's own SQL function (sqlite3 has no such function, so it refuses to create them).
    const db = new Database(file);
    db.exec("DROP INDEX books_by_author_fold; DROP INDEX books_by_series_fold");
    db.pragma("user_version = 0");
    db.pragma("journal_mode = DELETE");
    db.close();
    const before = fs.readFileSync(file);
    // Before, it was migrated from 0 again: "not usable: table books already exists", no way out named.
    for (const args of [["status"], ["scan"]]) {
      const result = await runCliInProcess(args, { dataDir });
      expectOneLine(result, /database \S+shelfwise\.db holds shelfwise's tables but no schema version \(sqlite3's \.dump and \.recover leave it out.*left untouched; restore shelfwise\.db from a copy of the file itself .*\.backup\), or move it away and run `shelfwise scan` to start over/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("a truncated or partly overwritten database: one line saying it is damaged, and the file is never written", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    const file = path.join(dataDir, "shelfwise.db");
    const whole = fs.readFileSync(file);
    // Cut in half (a copy that stopped), then junk over pages in the middle (a bad sector, a sync tool).
    for (const damage of [() => fs.truncateSync(file, Math.floor(whole.length / 2)), () => fs.writeFileSync(file, Buffer.concat([whole.subarray(0, 4096 * 2), Buffer.alloc(whole.length - 4096 * 2, 0xa5)]))]) {
      fs.writeFileSync(file, whole);
      damage();
      const before = fs.readFileSync(file);
      for (const args of [["scan"], ["process"], ["book", "1"]]) {
        const result = await runCliInProcess(args, { dataDir });
        expectOneLine(result, /the database \S+shelfwise\.db is damaged .*nothing was changed; restore it from a backup, or move it away and run `shelfwise scan` to start over/);
      }
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    }
  });

  it("a database locked by another program past the timeout: one line, nothing lost", async () => {
    const root = tempRoot();
    const { dataDir } = scannedHome(root);
    // Another program (a sqlite3 shell, say) holds a write transaction open.
    const other = new Database(path.join(dataDir, "shelfwise.db"));
    other.exec("BEGIN IMMEDIATE");
    try {
      // Its wait shortened as a user may (SHELFWISE_BUSY_TIMEOUT_MS; test/store/database.test.ts checks it is applied):
      // the default's 5 s would be waited out whole. No bound on the time here: a CLI start at a high load takes seconds.
      const result = await runCli(["scan"], { dataDir, env: { SHELFWISE_BUSY_TIMEOUT_MS: "300" } });
      expectOneLine(result, /stayed locked by another program past the timeout.*run the command again/);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(bookCount(dataDir).books).toBe(BOOKS);
    // Nothing lost: the next run goes on (in this process: the lock's refusal above is the process's own).
    const again = await runCliInProcess(["scan"], { dataDir });
    expect(again.code, again.stderr).toBe(0);
  });
});

describe("a data folder that cannot be made", () => {
  it.skipIf(!isRoot)("init and scan in a read-only current folder say it is read-only (Node's recursive mkdir says ENOENT)", async (ctx) => {
    const root = tempRoot();
    const library = path.join(root, "library");
    writeLibrary(library, 1);
    const readOnly = path.join(root, "ro");
    fs.mkdirSync(readOnly);
    if (!tryMount(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly])) return ctx.skip();
    cleanups.push(() => execFileSync("umount", ["-l", readOnly]));
    const runs = await Promise.all([runCli(["init", library], { cwd: readOnly }), runCli(["scan", library], { cwd: readOnly })]);
    for (const run of runs) expectOneLine(run, /^shelfwise: \S+\/ro\/shelfwise-data is on a read-only file system; .* writable --data-dir/);
  });
});

describe("a settings file the disk fails to write", () => {
  /** The real CLI under strace, every fsync refused with `errno` (a dying disk: EIO; a full one: ENOSPC). */
  function fsyncFailing(errno: string, dataDir: string, args: string[], input?: string, syscall = "fsync"): CliResult {
    // --seccomp-bpf: only the traced call stops the command, not its every system call.
    const run = spawnSync("strace", ["-f", "-qq", "--seccomp-bpf", "-o", "/dev/null", "-e", `trace=${syscall}`, "-e", `inject=${syscall}:error=${errno}`, process.execPath, CLI_BIN, ...args, "--data-dir", dataDir], {
      encoding: "utf8",
      input,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr } as CliResult;
  }

  it.skipIf(!hasStrace)("config set and secrets set name config.json or secrets.json (not the data folder) and say nothing was changed; the files are as they were", async () => {
    const root = tempRoot();
    const dataDir = path.join(root, "data");
    expect((await runCliInProcess(["init"], { dataDir })).code).toBe(0);
    const config = path.join(dataDir, "config.json");
    const before = fs.readFileSync(config);
    for (const [errno, words] of [["EIO", "the disk reported an input/output error"], ["ENOSPC", "the disk is full"]] as const) {
      const set = fsyncFailing(errno, dataDir, ["config", "set", "batch_size", "40"]);
      expectOneLine(set, new RegExp(`^shelfwise: ${words} \\(writing \\S+/data/config\\.json\\); nothing was changed: config\\.json is as it was; `));
      expect(set.stderr).not.toMatch(/rolled back|\.tmp/);
      expect(fs.readFileSync(config).equals(before)).toBe(true);
      // secrets.json is made by the write: it was not.
      const secret = fsyncFailing(errno, dataDir, ["secrets", "set", "api_key"], "s3cret\n");
      expectOneLine(secret, new RegExp(`^shelfwise: ${words} \\(writing \\S+/data/secrets\\.json\\); nothing was changed: secrets\\.json was not created; `));
      expect(secret.stderr).not.toContain("s3cret");
      expect(fs.readdirSync(dataDir).filter((name) => name.startsWith("secrets.json") || name.endsWith(".tmp"))).toEqual([]);
    }
    // The rename failing names the temporary file in Node's words: the user's file is still the one to name.
    const renamed = fsyncFailing("EIO", dataDir, ["config", "set", "batch_size", "40"], undefined, "rename");
    expectOneLine(renamed, /input\/output error \(writing \S+\/data\/config\.json\); nothing was changed: config\.json is as it was; /);
    expect(fs.readFileSync(config).equals(before)).toBe(true);
  });
});

describe("a 0-byte shelfwise.db beside config.json", () => {
  it("is made a new database (never refused: a kill -9 of init leaves it), said once in a warning --quiet does not hide", async () => {
    const root = tempRoot();
    const dataDir = path.join(root, "data");
    expect((await runCliInProcess(["init"], { dataDir })).code).toBe(0);
    const database = path.join(dataDir, "shelfwise.db");
    for (const name of fs.readdirSync(dataDir)) if (name.startsWith("shelfwise.db")) fs.rmSync(path.join(dataDir, name));
    fs.writeFileSync(database, "");
    const first = await runCliInProcess(["status", "--quiet"], { dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^shelfwise: warning: \S+\/data\/shelfwise\.db was empty \(0 bytes\), so a new, empty database was made in it\..*restore shelfwise\.db from a backup/)]);
    expect(fs.statSync(database).size).toBeGreaterThan(0);
    const second = await runCliInProcess(["status"], { dataDir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/was empty/);
  });
});
