/**
 * A run killed (kill -9, power cut) while it rewrote config.json or
 * secrets.json leaves `<file>.<pid>.tmp`. It must not stay for ever (a copy
 * of the secrets among them), and a fresh data folder holding only such a
 * file is still a shelfwise data folder.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateConfig, writeJsonAtomic } from "../../src/config/config-file.js";
import { requireDataFolder } from "../../src/cli/session.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let counter = 0;
/** The pid of a process that has exited: what a killed writer leaves in the name. */
let deadPid: number;
beforeAll(() => {
  tmp = makeTempDir("stale-temps");
  deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;
});
afterAll(() => removeTempDir(tmp));

function folder(files: string[]): string {
  const dir = path.join(tmp, `data-${++counter}`);
  fs.mkdirSync(dir);
  for (const name of files) fs.writeFileSync(path.join(dir, name), '{"library_paths": ["/half-writ');
  return dir;
}

describe("temporary files of killed writers", () => {
  it("are removed when the same file is next written, and only those", () => {
    const alive = process.ppid;
    const dir = folder([
      `config.json.${deadPid}.tmp`,
      `config.json.${alive}.tmp`, // mid-write in a running process
      `secrets.json.${deadPid}.tmp`, // another file's: removed when that one is written
      "config.json.bak",
      `notes.${deadPid}.tmp`,
      `config.json.${deadPid}.tmp.keep`,
    ]);
    updateConfig(dir, (raw) => {
      raw.batch_size = 5;
    });
    expect(fs.readdirSync(dir).sort()).toEqual(
      ["config.json", "config.json.bak", `config.json.${alive}.tmp`, `config.json.${deadPid}.tmp.keep`, `notes.${deadPid}.tmp`, `secrets.json.${deadPid}.tmp`].sort(),
    );
    writeJsonAtomic(path.join(dir, "secrets.json"), {}, 0o600);
    expect(fs.existsSync(path.join(dir, `secrets.json.${deadPid}.tmp`))).toBe(false);
  });

  it("a link with such a name is removed, not followed", () => {
    const dir = folder([]);
    const victim = path.join(tmp, `victim-${counter}`);
    fs.writeFileSync(victim, "keep me");
    fs.symlinkSync(victim, path.join(dir, `config.json.${deadPid}.tmp`));
    updateConfig(dir, () => undefined);
    expect(fs.readdirSync(dir)).toEqual(["config.json"]);
    expect(fs.readFileSync(victim, "utf8")).toBe("keep me");
  });

  it("alone in a data folder still leave it a shelfwise data folder", () => {
    expect(() => requireDataFolder(folder([`config.json.${deadPid}.tmp`]))).not.toThrow();
    expect(() => requireDataFolder(folder([`config.json.${deadPid}.tmp`, `secrets.json.${deadPid}.tmp`, "logs"]))).not.toThrow();
    // Anything else in the folder still makes it someone else's.
    expect(() => requireDataFolder(folder([`config.json.${deadPid}.tmp`, "Mort.m4b"]))).toThrow(/not a shelfwise data folder/);
    expect(() => requireDataFolder(folder([`book.json.${deadPid}.tmp`]))).toThrow(/not a shelfwise data folder/);
  });
});
