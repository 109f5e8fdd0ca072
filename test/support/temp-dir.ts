import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh folder under the OS temp dir, named for the test that uses it. */
export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `shelfwise-${label}-`));
}

/**
 * Removes a temp folder whatever a test did to it: locked folders (tests chmod them), names that are not
 * valid UTF-8, links (removed, never followed). Walked in this process: `chmod -R` and `rm -rf` as two
 * children of a test worker (hundreds of MB to fork) cost ~30 ms of CPU a call (~170 ms of wall at a load of
 * 15), and the suite calls this a few hundred times. Whatever the walk cannot remove (a path past PATH_MAX,
 * which rm(1) reaches through folder descriptors; a mount) goes to those two children as before.
 */
export function removeTempDir(dir: string): void {
  if (removeTree(Buffer.from(dir))) return;
  spawnSync("chmod", ["-R", "u+rwx", dir]);
  spawnSync("rm", ["-rf", dir]);
}

const SLASH = Buffer.from("/");

/** True when `at` is gone. Buffer paths: a name that is not UTF-8 round-trips as its bytes. */
function removeTree(at: Buffer): boolean {
  try {
    const stat = fs.lstatSync(at);
    if (stat.isDirectory()) {
      if ((stat.mode & 0o700) !== 0o700) fs.chmodSync(at, (stat.mode & 0o7777) | 0o700);
      let gone = true;
      for (const name of fs.readdirSync(at, { encoding: "buffer" })) gone = removeTree(Buffer.concat([at, SLASH, name])) && gone;
      if (!gone) return false;
      fs.rmdirSync(at);
    } else {
      fs.unlinkSync(at);
    }
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/**
 * `chmod -R MODE PATH...` in this process, for the symbolic modes tests use (`a+rwX`, `u+w`, `a+rX,a-w`: who,
 * `+` or `-`, and r, w, x or X): forked from a test worker of hundreds of MB, each call cost as much CPU as
 * removeTempDir's children did. As chmod(1): a folder is changed before it is read (a locked one opens), X
 * adds execute to folders and to files that have it for someone, links inside are left as they are, and an
 * error throws.
 */
export function chmodTree(mode: string, ...roots: string[]): void {
  const clauses = mode.split(",").map((clause) => {
    const match = /^([ugoa]+)([+-])([rwxX]+)$/.exec(clause);
    if (!match) throw new Error(`chmodTree: unsupported mode ${JSON.stringify(clause)}`);
    const who = match[1]!;
    const mask = (who.includes("a") || who.includes("u") ? 0o700 : 0) | (who.includes("a") || who.includes("g") ? 0o070 : 0) | (who.includes("a") || who.includes("o") ? 0o007 : 0);
    return { add: match[2] === "+", mask, perms: match[3]! };
  });
  const apply = (mode: number, folder: boolean): number => {
    for (const { add, mask, perms } of clauses) {
      let bits = 0;
      if (perms.includes("r")) bits |= 0o444;
      if (perms.includes("w")) bits |= 0o222;
      if (perms.includes("x") || (perms.includes("X") && (folder || (mode & 0o111) !== 0))) bits |= 0o111;
      mode = add ? mode | (bits & mask) : mode & ~(bits & mask);
    }
    return mode;
  };
  const walk = (at: Buffer, top: boolean): void => {
    const stat = top ? fs.statSync(at) : fs.lstatSync(at);
    if (stat.isSymbolicLink()) return;
    const before = stat.mode & 0o7777;
    const after = apply(before, stat.isDirectory());
    if (after !== before) fs.chmodSync(at, after);
    if (stat.isDirectory()) for (const name of fs.readdirSync(at, { encoding: "buffer" })) walk(Buffer.concat([at, SLASH, name]), false);
  };
  for (const root of roots) walk(Buffer.from(root), true);
}

/** `chown -R UID:GID PATH...` in this process (lchown: a link inside is changed, never followed). */
export function chownTree(uid: number, gid: number, ...roots: string[]): void {
  const walk = (at: Buffer, top: boolean): void => {
    const stat = top ? fs.statSync(at) : fs.lstatSync(at);
    if (top) fs.chownSync(at, uid, gid);
    else fs.lchownSync(at, uid, gid);
    if (stat.isDirectory()) for (const name of fs.readdirSync(at, { encoding: "buffer" })) walk(Buffer.concat([at, SLASH, name]), false);
  };
  for (const root of roots) walk(Buffer.from(root), true);
}
