/**
 * The harness (`shelfwise/testing`) without a dataDir keeps its data in a
 * per-user folder in the shared temp folder. Another local user can create
 * that name first; the plugin's logs, data and staged code must then not go
 * into (or come from) anything they control.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config/package-root.js";
import { harnessFolder } from "../../src/plugins/authoring/harness-folder.js";
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
  const install = createHash("sha256").update(packageRoot()).digest("hex").slice(0, 12);
  kept = path.join(process.env.TMPDIR, `shelfwise-harness-${os.userInfo().uid}-${install}`);
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

  it("is one per installation: another install of shelfwise (a global one, a project's, a throw-away one) keeps its own", async () => {
    await runOnce();
    // The staging cache links the SDK to the installation that staged: two sharing one folder re-pointed each other's link mid-run.
    expect(fs.realpathSync(path.join(kept, "cache", "plugins", "node_modules", "shelfwise"))).toBe(packageRoot());
    const other = harnessFolder(path.join(tmp, "another-install"));
    expect(other.dir).not.toBe(kept);
    expect(path.basename(other.dir)).toMatch(new RegExp(`^shelfwise-harness-${os.userInfo().uid}-[0-9a-f]{12}$`));
    other.dispose();
    expect(sharedEntries()).toEqual([path.basename(kept), path.basename(other.dir)].sort());
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
