/**
 * Isolation as a library owner meets it in `process`: file access follows the
 * manifest's `filesystem` permission, a memory bomb is contained, and a plugin
 * flooding stdout neither stalls the run nor fills the disk.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createHome,
  layerSummary,
  leftoverRunners,
  nodePlugin,
  pythonPlugin,
  requireBuilt,
  type BookDetail,
  type CallLogRow,
  type ListedPlugin,
  type ProcessJson,
  type TestHome,
} from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

const BOOKS = 4;

/** Tries /etc/passwd and the book's first audio file; reports both. */
const SNOOP = `import fs from "node:fs";
const attempt = (file) => {
  try {
    return "read " + fs.readFileSync(file).subarray(0, 3).toString("latin1");
  } catch (error) {
    return "denied " + error.code;
  }
};
${nodePlugin(`
  process(book) {
    const library = attempt(book.files[0].path);
    const passwd = attempt("/etc/passwd");
    if (library.startsWith("denied")) throw new Error("library file " + library);
    return { edition: library, variant: "passwd " + passwd };
  }`)}`;

const HEAP_BOMB = nodePlugin(`
  process() {
    const hoard = [];
    for (;;) hoard.push(new Array(1e5).fill({ x: Math.random() }));
  }`);

const FLOOD = nodePlugin(`
  process(book) {
    const line = "x".repeat(128 * 1024);
    for (let i = 0; i < 32; i++) console.log(line);
    return { year: "1984" };
  }`);

const QUIET = nodePlugin(`process() { return { year: "1984" }; }`);

/** Tries to fill the disk through its data folder: 8 MiB into one file, under max_file_mb 2. */
const DISK_FILLER = `import fs from "node:fs";
${nodePlugin(`
  process() {
    const fd = fs.openSync("fill.bin", "w");
    try {
      for (let i = 0; i < 8; i++) fs.writeSync(fd, Buffer.alloc(1 << 20, 120));
    } finally {
      fs.closeSync(fd);
    }
    return { year: "1984" };
  }`)}`;

/** Keeps every file small (under max_file_mb) but writes many: 2.1 MB per book, under max_data_mb 1; then waits to be stopped. */
const HOARDER = `import fs from "node:fs";
${nodePlugin(`
  async process(book) {
    for (let i = 0; i < 3; i++) fs.writeFileSync("hoard-" + book.book_id + "-" + i, Buffer.alloc(700 * 1024, 1));
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    return { year: "1984" };
  }`)}`;

/** Marks that it was loaded at all: its data folder is over max_data_mb before the run, so it must never be. */
const OVERFULL = `import fs from "node:fs";
fs.writeFileSync("loaded", "");
${nodePlugin(`process() { return { year: "1984" }; }`)}`;

const PY_DISK_FILLER = pythonPlugin(`
    def process(self, book_data):
        with open("fill.bin", "wb") as f:
            for _ in range(8):
                f.write(b"x" * (1 << 20))
        return {"year": "1984"}
`);

beforeAll(requireBuilt);

describe("isolation through the pipeline", () => {
  let home: TestHome;
  let run: ProcessJson;
  let stderr: string;

  beforeAll(async () => {
    home = createHome({
      books: BOOKS,
      config: { auto_disable_after: 100, plugin_configs: { bomb: { memory_mb: 64, timeout: 20 }, filler: { max_file_mb: 2 }, "py-filler": { max_file_mb: 2 }, hoarder: { max_data_mb: 1, timeout: 30 }, overfull: { max_data_mb: 1 }, "deep-hoard": { max_data_mb: 1 } } },
    });
    home.plugin("snoop-none", { code: SNOOP, manifest: { permissions: { filesystem: "none" } } });
    home.plugin("snoop-read", { code: SNOOP, manifest: { permissions: { filesystem: "read" } } });
    home.plugin("bomb", { code: HEAP_BOMB });
    home.plugin("flood", { code: FLOOD });
    home.plugin("quiet", { code: QUIET });
    home.plugin("filler", { code: DISK_FILLER });
    home.plugin("py-filler", { entry: "plugin.py", code: PY_DISK_FILLER });
    home.plugin("hoarder", { code: HOARDER });
    home.plugin("overfull", { code: OVERFULL });
    // Over its bound before anything starts: the order of events is fixed, whatever the machine's load.
    const overfullData = path.join(home.dataDir, "plugin-data", "overfull");
    fs.mkdirSync(overfullData, { recursive: true });
    fs.writeFileSync(path.join(overfullData, "old.bin"), Buffer.alloc(2 * 1024 * 1024, 1));
    // Its 2 MB hidden below folders nested past the longest path the system takes (4096 bytes): a walk by
    // full paths stops there (ENAMETOOLONG), and counted nothing of it. bash makes it one folder at a time.
    home.plugin("deep-hoard", { code: OVERFULL });
    const deepData = path.join(home.dataDir, "plugin-data", "deep-hoard");
    fs.mkdirSync(deepData, { recursive: true });
    execFileSync("bash", ["-c", `cd "$1" && for i in $(seq 25); do mkdir "$2" && cd "$2"; done && head -c 2000000 /dev/zero > hidden.bin`, "-", deepData, "d".repeat(200)]);
    // The scan before and the reads after run in this process; the run of the hostile plugins is a process of its own.
    await inProcess(home).json(["scan"]);
    const result = await home.cli(["process", "--json"]);
    // The bomb and snoop-none fail on every book: the run finishes with layer errors, exit code 3 (docs/cli-json.md).
    expect(result.code, result.stderr).toBe(3);
    run = JSON.parse(result.stdout);
    stderr = result.stderr;
  });
  afterAll(() => {
    // Node's rmSync cannot delete past the longest path (ENAMETOOLONG); rm walks folder by folder.
    if (home) execFileSync("rm", ["-rf", path.join(home.dataDir, "plugin-data", "deep-hoard")]);
    home?.cleanup();
  });

  test("filesystem none: reading a library file is denied, and recorded as the plugin's error", async () => {
    expect(layerSummary(run, "snoop-none")).toMatchObject({ processed: BOOKS, errors: BOOKS, evidence_added: 0 });
    const logs = await inProcess(home).json<CallLogRow[]>(["plugins", "logs", "snoop-none"]);
    expect(logs).toHaveLength(BOOKS);
    for (const call of logs) {
      expect(call.outcome).toBe("error");
      expect(call.error).toMatch(/library file denied ERR_ACCESS_DENIED/);
    }
  });

  test("filesystem read: the library is readable, /etc/passwd still is not", async () => {
    expect(layerSummary(run, "snoop-read")).toMatchObject({ processed: BOOKS, errors: 0 });
    const book = await inProcess(home).json<BookDetail>(["book", "1"]);
    expect(book.profile.edition!.evidence).toEqual([{ source: "plugin:snoop-read", value: "read ID3", weight: 60 }]);
    expect(book.profile.variant!.evidence[0]!.value).toBe("passwd denied ERR_ACCESS_DENIED");
  });

  test("a memory bomb under memory_mb 64 is killed, recorded, and the run finishes", async () => {
    expect(run.interrupted).toBe(false);
    expect(layerSummary(run, "bomb")).toMatchObject({ processed: BOOKS, errors: BOOKS });
    const logs = await inProcess(home).json<CallLogRow[]>(["plugins", "logs", "bomb"]);
    expect(logs[logs.length - 1]!.error).toMatch(/memory limit of 64 MB/);
    // The layers after it still ran on every book.
    expect(layerSummary(run, "flood")).toMatchObject({ processed: BOOKS, errors: 0 });
    expect(layerSummary(run, "quiet")).toMatchObject({ processed: BOOKS, errors: 0 });
    expect(stderr).not.toMatch(/unexpected error/);
  });

  test("a plugin flooding stdout: the run is not held up and its log stays bounded", () => {
    const flood = layerSummary(run, "flood")! as unknown as { seconds: number };
    const quiet = layerSummary(run, "quiet")! as unknown as { seconds: number };
    // 16 MiB of output: reading and dropping it must cost little next to the plugin's own start.
    expect(flood.seconds).toBeLessThan(quiet.seconds + 5);
    const logs = path.join(home.dataDir, "logs", "plugins");
    const size = ["flood.log", "flood.log.1"].reduce((sum, f) => sum + (fs.statSync(path.join(logs, f), { throwIfNoEntry: false })?.size ?? 0), 0);
    expect(size).toBeGreaterThan(100 * 1024);
    expect(size).toBeLessThan(2.5 * 1024 * 1024);
  });

  test.each(["filler", "py-filler"])("%s, writing a file past max_file_mb, fails each call with the reason; its file stays at the bound", async (id) => {
    expect(layerSummary(run, id)).toMatchObject({ processed: BOOKS, errors: BOOKS, evidence_added: 0 });
    const logs = await inProcess(home).json<CallLogRow[]>(["plugins", "logs", id]);
    for (const call of logs) {
      expect(call.outcome).toBe("error");
      expect(call.error).toMatch(/(EFBIG|\[Errno 27\] File too large).*may hold at most plugin_configs\.<id>\.max_file_mb MB each/);
    }
    expect(fs.statSync(path.join(home.dataDir, "plugin-data", id, "fill.bin")).size).toBe(2 * 1024 * 1024);
  });

  test("a plugin filling its data folder with many small files is stopped past max_data_mb, with the reason, and is not started again while over it", async () => {
    const summary = layerSummary(run, "hoarder")!;
    expect(summary.evidence_added).toBe(0);
    expect(summary.errors).toBeGreaterThan(0);
    const logs = await inProcess(home).json<CallLogRow[]>(["plugins", "logs", "hoarder"]);
    expect(logs[logs.length - 1]!.error).toMatch(/its data folder .*hoarder holds more than 1 MB \(plugin_configs\.hoarder\.max_data_mb\); delete files there, or raise that setting/);
    // Stopped within a poll of its writes: one book's files, not the whole run's.
    const held = fs.readdirSync(path.join(home.dataDir, "plugin-data", "hoarder"));
    expect(held.length).toBeLessThanOrEqual(3);
    // Its folder is still over the bound: the start is refused before the process exists, so the list says why.
    const list = await inProcess(home).json<ListedPlugin[]>(["plugins", "list"]);
    expect(list.find((p) => p.id === "hoarder")).toMatchObject({ state: "failed", reason: expect.stringContaining("holds more than 1 MB") });
    expect(list.find((p) => p.id === "overfull")).toMatchObject({ state: "failed", reason: expect.stringContaining("holds more than 1 MB") });
  });

  test("a plugin whose data folder is over max_data_mb before the run is never spawned: failed with the reason, in the run and in `plugins list`", () => {
    expect(layerSummary(run, "overfull")).toBeUndefined();
    expect(run.plugin_problems).toContainEqual({
      plugin_id: "overfull",
      state: "failed",
      reason: expect.stringMatching(/its data folder .*overfull holds more than 1 MB \(plugin_configs\.overfull\.max_data_mb\); delete files there, or raise that setting/),
    });
    // Neither the run nor `plugins list` spawned it (every spawn is noted in the plugin's log), so it never
    // ran a line: a measurement racing the start let a process start and, when `ready` came first, count as active.
    const log = path.join(home.dataDir, "logs", "plugins", "overfull.log");
    expect(fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "").not.toMatch(/started overfull/);
    expect(fs.readdirSync(path.join(home.dataDir, "plugin-data", "overfull"))).toEqual(["old.bin"]);

    // The same for data hidden where the measure cannot reach.
    expect(run.plugin_problems).toContainEqual({
      plugin_id: "deep-hoard",
      state: "failed",
      reason: expect.stringMatching(/its data folder .*deep-hoard holds a folder shelfwise cannot measure against plugin_configs\.deep-hoard\.max_data_mb \(.*: ENAMETOOLONG\); make it readable \(chmod -R u\+rwX\) or delete it/),
    });
    const deepLog = path.join(home.dataDir, "logs", "plugins", "deep-hoard.log");
    expect(fs.existsSync(deepLog) ? fs.readFileSync(deepLog, "utf8") : "").not.toMatch(/started deep-hoard/);
  });

  test("no runner process is left", () => {
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});

describe("max_data_mb and a folder the plugin made unreadable", () => {
  // As root every folder is readable, so the walk runs as an unprivileged user (nobody), the owner of the data
  // folder, as shelfwise and its plugins share one user: the plugin's chmod 000 hid its 2 MB from the measure.
  test.runIf(process.getuid?.() === 0 && fs.existsSync("/usr/bin/setpriv"))("counts the data folder over its bound, saying what to do", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-unreadable-"));
    try {
      fs.chmodSync(root, 0o755);
      fs.copyFileSync(path.join(import.meta.dirname, "../../dist/plugins/process/data-quota.js"), path.join(root, "data-quota.mjs"));
      const hidden = path.join(root, "data", "hidden");
      fs.mkdirSync(hidden, { recursive: true });
      fs.writeFileSync(path.join(hidden, "hoard.bin"), Buffer.alloc(2_000_000, 1));
      execFileSync("chown", ["-R", "65534:65534", path.join(root, "data")]);
      fs.chmodSync(hidden, 0o000);
      const script = `const { dataFolderProblem } = await import(${JSON.stringify(path.join(root, "data-quota.mjs"))});
process.stdout.write(String(await dataFolderProblem({ dataDir: ${JSON.stringify(path.join(root, "data"))}, plugin_id: "hider", maxDataMb: 1 })));`;
      const said = execFileSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(said).toBe(
        `its data folder ${path.join(root, "data")} holds a folder shelfwise cannot measure against plugin_configs.hider.max_data_mb (${hidden}: EACCES); make it readable (chmod -R u+rwX) or delete it`,
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
