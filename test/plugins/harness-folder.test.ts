/**
 * The harness (`shelfwise/testing`) without a dataDir keeps its data in a
 * per-user folder in the shared temp folder. Another local user can create
 * that name first; the plugin's logs, data and staged code must then not go
 * into (or come from) anything they control.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeBook, runPlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { exampleFolder } from "../examples/example-plugins.js";

const PLUGIN = exampleFolder("example-logger");
const LOG = path.join("logs", "plugins", "example-logger.log");

let tmp: string;
let savedTmpdir: string | undefined;
let kept: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-harness-test-")));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = path.join(tmp, "shared");
  fs.mkdirSync(process.env.TMPDIR, { mode: 0o1777 });
  kept = path.join(process.env.TMPDIR, `shelfwise-harness-${os.userInfo().uid}`);
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runOnce(): Promise<void> {
  const { calls } = await runPlugin(PLUGIN, [makeBook({ title: "Dune", author: "Frank Herbert" })]);
  expect(calls.map((c) => c.outcome)).toEqual(["no_result"]);
}

/** Everything under `dir`, relative. */
function contents(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** Nothing is left in the shared temp folder but the given names. */
function sharedEntries(): string[] {
  return fs.readdirSync(process.env.TMPDIR!).sort();
}

describe("the harness's default data folder", () => {
  it("is created private (0700) and kept between runs", async () => {
    await runOnce();
    expect(fs.lstatSync(kept).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(path.join(kept, LOG), "utf8")).toContain("Frank Herbert - Dune");
    await runOnce();
    expect(sharedEntries()).toEqual([path.basename(kept)]);
  });

  it("made readable by an older version is made private and used", async () => {
    fs.mkdirSync(kept, { mode: 0o755 });
    fs.chmodSync(kept, 0o755);
    await runOnce();
    expect(fs.lstatSync(kept).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(kept, LOG))).toBe(true);
  });

  it("is never followed through a link another user planted", async () => {
    const theirs = path.join(tmp, "attacker");
    fs.mkdirSync(theirs);
    fs.symlinkSync(theirs, kept);
    await runOnce();
    expect(contents(theirs)).toEqual([]);
    expect(fs.lstatSync(kept).isSymbolicLink()).toBe(true);
    // The run used a folder of its own and removed it.
    expect(sharedEntries()).toEqual([path.basename(kept)]);
  });

  it("is not used when others could write into it", async () => {
    fs.mkdirSync(kept);
    fs.chmodSync(kept, 0o777);
    fs.writeFileSync(path.join(kept, "planted"), "x");
    await runOnce();
    expect(contents(kept)).toEqual(["planted"]);
    expect(sharedEntries()).toEqual([path.basename(kept)]);
  });

  it.runIf(process.getuid?.() === 0)("is not used when another user owns it", async () => {
    fs.mkdirSync(kept, { mode: 0o700 });
    fs.chownSync(kept, 65534, 65534);
    await runOnce();
    expect(contents(kept)).toEqual([]);
    expect(sharedEntries()).toEqual([path.basename(kept)]);
  });
});
