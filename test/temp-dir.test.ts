/**
 * removeTempDir (test/support/temp-dir.ts), which every file's clean-up calls: it removes what the tests
 * leave, as `chmod -R u+rwx` and `rm -rf` did, without following a link out of the folder; chmodTree and
 * chownTree, which stand for `chmod -R` and `chown -R`, leave the modes and owners those programs do.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { chmodTree, chownTree, makeTempDir, removeTempDir } from "./support/temp-dir.js";

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

/** Every entry's mode, owner and kind under `dir` (links not followed), by its path inside it. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, rel: string): void => {
    const stat = fs.lstatSync(at);
    out[rel] = `${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid} ${stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "dir" : "file"}`;
    if (stat.isDirectory()) for (const name of fs.readdirSync(at)) walk(path.join(at, name), `${rel}/${name}`);
  };
  walk(dir, ".");
  return out;
}

/** Two copies of a tree of locked, executable, sticky and plain entries, with links in and out. */
function twoTrees(): [string, string] {
  return [makeTempDir("chmod-mine"), makeTempDir("chmod-theirs")].map((dir) => {
    fs.mkdirSync(path.join(dir, "locked", "inner"), { recursive: true });
    fs.writeFileSync(path.join(dir, "locked", "inner", "01.mp3"), "x");
    fs.writeFileSync(path.join(dir, "run.sh"), "x", { mode: 0o710 });
    fs.writeFileSync(path.join(dir, "plain.txt"), "x", { mode: 0o600 });
    fs.mkdirSync(path.join(dir, "sticky"), { mode: 0o1700 });
    fs.chmodSync(path.join(dir, "sticky"), 0o1700);
    fs.chmodSync(path.join(dir, "run.sh"), 0o710);
    fs.chmodSync(path.join(dir, "plain.txt"), 0o600);
    fs.symlinkSync(outside, path.join(dir, "link-out"));
    fs.symlinkSync("plain.txt", path.join(dir, "link-in"));
    fs.chmodSync(path.join(dir, "locked", "inner"), 0o000);
    fs.chmodSync(path.join(dir, "locked"), 0o500);
    return dir;
  }) as [string, string];
}

it.each(["a+rwX", "u+rwX", "a+rX", "a+rX,a-w", "u+w", "go-rwx", "a+x"])("chmodTree(%s) leaves the modes chmod -R does, links and their targets untouched", (mode) => {
  const [mine, theirs] = twoTrees();
  try {
    fs.chmodSync(outside, 0o700);
    chmodTree(mode, path.join(mine, "locked"), mine);
    expect(spawnSync("chmod", ["-R", mode, path.join(theirs, "locked"), theirs]).status).toBe(0);
    expect(modes(mine)).toEqual(modes(theirs));
    expect((fs.statSync(outside).mode & 0o777).toString(8)).toBe("700");
  } finally {
    removeTempDir(mine);
    removeTempDir(theirs);
  }
});

it("chownTree leaves the owners chown -R does (run as root)", (ctx) => {
  if (process.getuid?.() !== 0) ctx.skip();
  const [mine, theirs] = twoTrees();
  try {
    chownTree(65534, 65534, mine);
    expect(spawnSync("chown", ["-R", "65534:65534", theirs]).status).toBe(0);
    expect(modes(mine)).toEqual(modes(theirs));
    expect(fs.statSync(outside).uid).toBe(0);
  } finally {
    removeTempDir(mine);
    removeTempDir(theirs);
  }
});

it("chmodTree refuses a mode it does not read rather than guess", () => {
  expect(() => chmodTree("755", outside)).toThrow(/unsupported mode "755"/);
  expect(() => chmodTree("+w", outside)).toThrow(/unsupported mode/);
});
