/**
 * What a root run hands to the data folder's owner (config/folder-owner.ts):
 * its own files, and never a file reached through a link the folder's owner
 * could have planted (logs -> /etc would hand them a file of root's there).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptIntoFolder } from "../../src/config/folder-owner.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
let tmp: string;
beforeAll(() => {
  tmp = makeTempDir("folder-owner");
});
afterAll(() => removeTempDir(tmp));

describe("adoptIntoFolder", () => {
  it.skipIf(!isRoot)("hands root's files in someone's folder to them, but nothing reached through a link", () => {
    const data = path.join(tmp, "data");
    const elsewhere = path.join(tmp, "elsewhere");
    fs.mkdirSync(data);
    fs.mkdirSync(elsewhere);
    fs.chownSync(data, NOBODY, NOBODY);
    fs.writeFileSync(path.join(data, "shelfwise.lock"), "");
    fs.writeFileSync(path.join(elsewhere, "shelfwise.log"), "root's own\n");
    fs.writeFileSync(path.join(elsewhere, "secret"), "root's own\n");
    fs.symlinkSync(elsewhere, path.join(data, "logs"));
    fs.symlinkSync(path.join(elsewhere, "secret"), path.join(data, "secrets.json"));

    adoptIntoFolder(data, ["shelfwise.lock", "logs", "logs/shelfwise.log", "secrets.json", "shelfwise.db"]);

    expect(fs.statSync(path.join(data, "shelfwise.lock")).uid).toBe(NOBODY);
    expect(fs.statSync(path.join(elsewhere, "shelfwise.log")).uid).toBe(0);
    expect(fs.statSync(path.join(elsewhere, "secret")).uid).toBe(0);
    expect(fs.lstatSync(path.join(data, "logs")).uid).toBe(0);
    expect(fs.statSync(elsewhere).uid).toBe(0);
  });

  it.skipIf(!isRoot)("leaves a folder that is root's own alone", () => {
    const data = path.join(tmp, "root-data");
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, "shelfwise.lock"), "");
    adoptIntoFolder(data, ["shelfwise.lock"]);
    expect(fs.statSync(path.join(data, "shelfwise.lock")).uid).toBe(0);
  });
});
