/**
 * removeTempDir (test/support/temp-dir.ts), which every file's clean-up calls: it removes what the tests
 * leave, as `chmod -R u+rwx` and `rm -rf` did, without following a link out of the folder.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "./support/temp-dir.js";

/** A FIFO, then 17 folders of 255 bytes one inside the other (4,352 bytes, past PATH_MAX) holding a file. */
const DEEP_TREE = `
import os
os.mkfifo("fifo")
at = os.open(".", os.O_RDONLY)
for _ in range(17):
    os.mkdir("a" * 255, dir_fd=at)
    at = os.open("a" * 255, os.O_RDONLY, dir_fd=at)
os.close(os.open("01.mp3", os.O_CREAT | os.O_WRONLY, dir_fd=at))
`;

const outside = makeTempDir("temp-dir-outside");
afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

it("removes locked folders, names that are not UTF-8, links, FIFOs and a tree past PATH_MAX; a link's target stays", () => {
  const dir = makeTempDir("temp-dir");
  fs.writeFileSync(path.join(outside, "kept.mp3"), "x");
  fs.mkdirSync(path.join(dir, "locked", "inner"), { recursive: true });
  fs.writeFileSync(path.join(dir, "locked", "inner", "01.mp3"), "x");
  fs.chmodSync(path.join(dir, "locked", "inner"), 0o000);
  fs.chmodSync(path.join(dir, "locked"), 0o500);
  fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x6d, 0x70, 0x33])]), "x");
  fs.symlinkSync(outside, path.join(dir, "link-out"));
  fs.symlinkSync(path.join(dir, "nowhere"), path.join(dir, "dangling"));
  // A FIFO is unlinked, never opened (opening one waits for a writer); the deep tree is made folder by
  // folder from inside (a path past PATH_MAX cannot be named whole).
  const made = spawnSync("python3", ["-c", DEEP_TREE], { cwd: dir });
  expect(made.status).toBe(0);
  removeTempDir(dir);
  expect(fs.existsSync(dir)).toBe(false);
  expect(fs.readdirSync(outside)).toEqual(["kept.mp3"]);
  removeTempDir(dir); // gone already: nothing to do, no error
});
