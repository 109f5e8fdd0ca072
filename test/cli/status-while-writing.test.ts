/**
 * `status` while another command writes to the data folder (a `scan` or `process` in another terminal, a `serve`
 * job): it said "next: `shelfwise process` identifies the N books" as if nothing ran, so the user started a second
 * run that only waited on the lock, and took counts of a moment for the outcome. The test holds the lock as another
 * process would (SQLite's lock excludes a second connection of the same process too).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { tryAcquireDataLock } from "../../src/store/data-lock.js";
import { runCliInProcess, runCliInProcessOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { LibraryStatusView } from "../../src/app/views/library-status.js";
import { checkView } from "../support/views.js";

let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("status-while-writing");
  data = path.join(tmp, "data");
  const book = path.join(tmp, "library", "Ann Author", "First Book");
  fs.mkdirSync(book, { recursive: true });
  writeMp3(path.join(book, "01.mp3"), { artist: "Ann Author", album: "First Book" });
  await runCliInProcessOk(["scan", path.join(tmp, "library")], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

describe("status while another command writes", () => {
  it("names the writer, says the counts are of the moment, and says to wait rather than to run `process`", async () => {
    const lock = tryAcquireDataLock(data, "process")!;
    let text: Awaited<ReturnType<typeof runCliInProcess>>;
    let json: Awaited<ReturnType<typeof runCliInProcess>>;
    try {
      text = await runCliInProcess(["status"], { dataDir: data });
      json = await runCliInProcess(["status", "--json"], { dataDir: data });
    } finally {
      lock.release();
    }
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`\`process\` (pid ${process.pid}, since `);
    expect(text.stdout).toContain("is writing to this data folder now: these counts are of this moment and change while it runs");
    expect(text.stdout).toContain(`next: wait for \`process\` (pid ${process.pid}) to end, then \`shelfwise status\` again\n`);
    expect(text.stdout).not.toContain("next: `shelfwise process`");
    expect(json.code).toBe(0);
    const parsed = checkView(LibraryStatusView, JSON.parse(json.stdout));
    expect(parsed.writing).toEqual({ pid: process.pid, command: "process", since: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });

    // Once it ended: nothing is said, and the next step is the library's own.
    const after = await runCliInProcess(["status", "--json"], { dataDir: data });
    expect(checkView(LibraryStatusView, JSON.parse(after.stdout)).writing).toBeNull();
    const afterText = await runCliInProcess(["status"], { dataDir: data });
    expect(afterText.stdout).not.toContain("writing to this data folder");
    expect(afterText.stdout).toContain("next: `shelfwise process` identifies the 1 book waiting for it");
  });
});
