/**
 * Incremental rescans through the real CLI: what changed is re-queued, what
 * vanished is marked (never deleted), and nothing in a tree stops a scan.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { ScanSummary } from "../../src/store/books.js";
import { runCli, runCliJson as runCliJsonSpawned } from "../support/cli.js";
import { runCliInProcess, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { runsByPath, storedBooks } from "../support/db.js";
import { chmodTree, makeTempDir, removeTempDir } from "../support/temp-dir.js";

/** `scan --json`: the store's summary plus the problems met. */
interface ScanJson extends ScanSummary {
  problems: { path: string; message: string }[];
}
interface ProcessJson {
  layers: { layer_id: string; processed: number }[];
  interrupted: boolean;
  finalized: number;
}

const BUILTINS = ["embedded_tags", "path", "sidecar"];
// Commands run in-process (test/support/cli-in-process.ts), but the one run as another user.
let tmp: string;
let lib: string;
let data: string;
const bookDir = (name: string) => path.join(lib, "Ann Author", name);

function writeBook(dir: string, title: string, chapters = 1): void {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= chapters; i++) {
    writeMp3(path.join(dir, `0${i}.mp3`), { title, album: title, artist: "Ann Author", track: String(i) });
  }
}

const scan = () => runCliJson<ScanJson>(["scan"], { dataDir: data });
const processed = (result: ProcessJson) => Object.fromEntries(result.layers.map((l) => [l.layer_id, l.processed]));

beforeAll(async () => {
  tmp = makeTempDir("rescan");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  for (const name of ["Alpha", "Bravo", "Charlie", "Delta"]) writeBook(bookDir(name), name, 2);
  await runCliOk(["init", lib], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("incremental rescan", () => {
  it("a first scan finds every book as new; a rescan finds them unchanged", async () => {
    expect(await scan()).toMatchObject({ found: 4, new: 4, changed: 0, unchanged: 0, missing: 0, returned: 0 });
    const done = await runCliJson<ProcessJson>(["process"], { dataDir: data });
    expect(processed(done)).toEqual({ path: 4, embedded_tags: 4, sidecar: 4 });
    expect(await scan()).toMatchObject({ found: 4, new: 0, changed: 0, unchanged: 4, missing: 0 });
  });

  it("touching a file re-queues that book only: its runs are cleared and `process` handles just it", async () => {
    const file = path.join(bookDir("Alpha"), "01.mp3");
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    expect(await scan()).toMatchObject({ changed: 1, unchanged: 3 });
    const runs = runsByPath(data);
    expect(runs[bookDir("Alpha")]).toBeUndefined();
    expect(runs[bookDir("Bravo")]).toEqual(BUILTINS.map((l) => `${l}:ok`));
    const done = await runCliJson<ProcessJson>(["process"], { dataDir: data });
    expect(processed(done)).toEqual({ path: 1, embedded_tags: 1, sidecar: 1 });
    expect(done.finalized).toBe(1);
  });

  it("resizing a file and adding one each re-queue their book", async () => {
    fs.appendFileSync(path.join(bookDir("Bravo"), "02.mp3"), Buffer.alloc(417));
    expect(await scan()).toMatchObject({ changed: 1, unchanged: 3 });
    writeMp3(path.join(bookDir("Charlie"), "03.mp3"), { title: "Charlie", artist: "Ann Author", track: "3" });
    expect(await scan()).toMatchObject({ changed: 1, unchanged: 3 });
    const done = await runCliJson<ProcessJson>(["process"], { dataDir: data });
    expect(processed(done)).toEqual({ path: 2, embedded_tags: 2, sidecar: 2 });
    expect(Object.values(runsByPath(data)).every((runs) => runs.length === 3)).toBe(true);
  });

  it("a deleted book is marked missing and keeps its evidence; when it comes back it is 'back again'", async () => {
    const aside = path.join(tmp, "Delta-aside");
    fs.renameSync(bookDir("Delta"), aside);
    expect(await scan()).toMatchObject({ found: 3, missing: 1, unchanged: 3 });
    const delta = storedBooks(data).find((b) => b.path === bookDir("Delta"))!;
    expect(delta.status).toBe("missing");
    const detail = await runCliJson<{ status: string; title: string; profile: Record<string, { value: string | null; evidence: unknown[] }>; layers: unknown[] }>(
      ["book", String(delta.id)],
      { dataDir: data },
    );
    expect(detail.status).toBe("missing");
    expect(detail.title).toBe("Delta");
    expect(detail.profile.author!.value).toBe("Ann Author");
    expect(detail.profile.title!.evidence.length).toBeGreaterThan(0);
    expect(detail.layers).toHaveLength(3);
    // A missing book is not processed again.
    const idle = await runCliJson<ProcessJson>(["process"], { dataDir: data });
    expect(processed(idle)).toEqual({ path: 0, embedded_tags: 0, sidecar: 0 });

    fs.renameSync(aside, bookDir("Delta"));
    const back = await runCliOk(["scan"], { dataDir: data });
    expect(back.stdout).toMatch(/missing: 0, back again: 1/);
    const revived = storedBooks(data).find((b) => b.path === bookDir("Delta"))!;
    expect(revived.id).toBe(delta.id);
    expect(revived.profile).toBe(delta.profile);
    expect(revived.status).toBe("pending");
    // Its runs still hold (same files): the next `process` only decides its status again.
    const again = await runCliJson<ProcessJson>(["process"], { dataDir: data });
    expect(processed(again)).toEqual({ path: 0, embedded_tags: 0, sidecar: 0 });
    expect(again.finalized).toBe(1);
    expect(storedBooks(data).find((b) => b.path === bookDir("Delta"))!.status).toBe("identified");

    // Moved by hand: the text summary counts it as moved, like --json.
    const elsewhere = `${bookDir("Delta")} (moved)`;
    fs.renameSync(bookDir("Delta"), elsewhere);
    expect((await runCliOk(["scan"], { dataDir: data })).stdout).toMatch(/new: 0, .*missing: 0, back again: 0, moved: 1, /);
    fs.renameSync(elsewhere, bookDir("Delta"));
    expect(await scan()).toMatchObject({ moved: 1, new: 0, missing: 0 });
  });

  it("a library root that vanished (unmounted drive) marks none of its books missing", async () => {
    const external = path.join(tmp, "external");
    writeBook(path.join(external, "Zed Zero", "Far Away"), "Far Away");
    const first = await runCliJson<ScanJson>(["scan", external], { dataDir: data });
    expect(first).toMatchObject({ new: 1 });
    fs.renameSync(external, external + "-unmounted");
    // A partial scan: exit 3.
    const result = await runCliJson<ScanJson>(["scan"], { dataDir: data, exitCodes: [3] });
    expect(result).toMatchObject({ missing: 0, found: 4, unchanged: 4 });
    expect(result.problems.map((p) => p.path)).toContain(external);
    expect(storedBooks(data).find((b) => b.path.startsWith(external))!.status).toBe("new");
    fs.renameSync(external + "-unmounted", external);
  });
});

describe("hostile names and unreadable things never stop a scan", () => {
  it("scans and processes odd names, reports what it cannot read, and goes on", async () => {
    const odd = path.join(tmp, "odd");
    const oddData = path.join(tmp, "odd-data");
    const names = [
      "Åsa Larsson/Solstorm",
      "Ame\u0301lie Nothomb/Stupeur et tremblements", // decomposed accent
      "村上春樹/ノルウェイの森",
      "Emoji 📚 Author/Book 🚀",
      "Line\nBreak Author/Title\nWith Newline",
      `${"Ü".repeat(110)}/${"long title ".repeat(22).trim()}`, // 220-byte and 241-byte names
    ];
    for (const name of names) writeBook(path.join(odd, name), path.basename(name));
    // Things that cannot be read as books: a dangling link, a link loop, a FIFO named like audio, a non-UTF-8 name.
    fs.mkdirSync(path.join(odd, "Links"));
    fs.symlinkSync(path.join(tmp, "nowhere"), path.join(odd, "Links", "dangling"));
    fs.symlinkSync(path.join(odd, "Links"), path.join(odd, "Links", "loop"));
    fs.mkdirSync(path.join(odd, "Pipes"));
    execFileSync("mkfifo", [path.join(odd, "Pipes", "01.mp3")]);
    const badName = Buffer.concat([Buffer.from(odd + "/"), Buffer.from([0x42, 0x61, 0x64, 0xff, 0xfe])]);
    fs.mkdirSync(badName);
    writeMp3(path.join(odd, "Pipes", "02.mp3"), { title: "Beside a pipe" });

    const result = await runCliJson<ScanJson>(["scan", odd], { dataDir: oddData, exitCodes: [3] });
    expect(result.found).toBe(names.length + 1);
    expect(result.problems.length).toBeGreaterThanOrEqual(2);
    expect(result.problems.some((p) => /UTF-8/.test(p.message))).toBe(true);
    const paths = storedBooks(oddData).map((b) => path.relative(odd, b.path));
    for (const name of names) expect(paths).toContain(name);

    const done = await runCliInProcess(["process", "--json"], { dataDir: oddData });
    expect(done.code).toBe(0);
    expect(storedBooks(oddData).every((b) => b.status === "identified" || b.status === "needs_attention")).toBe(true);
    // The table output must survive a newline in a name.
    const table = await runCliOk(["books"], { dataDir: oddData });
    expect(table.stdout.trim().split("\n")).toHaveLength(names.length + 1 + 3);
  });

  // Root reads through chmod 000, so as root the rescan runs as "nobody": the permission check is then real.
  it("a folder that became unreadable is reported and its books are not marked missing", async (ctx) => {
    const asRoot = process.getuid?.() === 0;
    const locked = path.join(tmp, "locked-lib");
    const lockedData = path.join(tmp, "locked-data");
    writeBook(path.join(locked, "Ann Author", "Safe"), "Safe");
    writeBook(path.join(locked, "Ann Author", "Locked"), "Locked");
    await runCliJson<ScanJson>(["scan", locked], { dataDir: lockedData });
    fs.chmodSync(path.join(locked, "Ann Author", "Locked"), 0o000);
    const user = asRoot ? { uid: 65534, gid: 65534, env: { HOME: tmp } } : {};
    if (asRoot) {
      // nobody must reach the temp folders and write the data dir (database, WAL, log).
      fs.chmodSync(tmp, 0o755);
      chmodTree("a+rwX", lockedData);
      const probe = await runCli(["--version"], user);
      if (probe.code !== 0) ctx.skip(); // a checkout out of nobody's reach: nothing to test here
    }
    // A process of its own: as root it runs as another user.
    const result = await runCliJsonSpawned<ScanJson>(["scan"], { dataDir: lockedData, ...user, exitCodes: [3] });
    expect(result.missing).toBe(0);
    expect(result.problems).toEqual([{ path: path.join(locked, "Ann Author", "Locked"), message: expect.stringMatching(/permission denied/) }]);
    expect(storedBooks(lockedData).map((b) => [path.basename(b.path), b.status])).toEqual([
      ["Locked", "new"],
      ["Safe", "new"],
    ]);
  });
});
