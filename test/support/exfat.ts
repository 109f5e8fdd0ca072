/**
 * A small exFAT image mounted through FUSE on a loop device (root only): a
 * file system that folds case, as the external disks (exFAT, NTFS) and
 * macOS volumes that libraries live on. `.ci/run` installs exfat-fuse and
 * exfatprogs; where the mount cannot be made, `mountExfat` says why and the
 * test skips with that reason.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface ExfatMount {
  /** The mounted folder. */
  at: string;
  /** Unmounts and frees the loop device; safe to call twice, and after a failed test. */
  release(): void;
}

/** Mounts a fresh exFAT image of `megabytes` at `at` (made): the mount, or why it could not be made. */
export function mountExfat(at: string, megabytes = 64): ExfatMount | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: "mounting an exFAT image needs root (a loop device)" };
  const image = `${at}.img`;
  let loop: string | null = null;
  let mounted = false;
  const release = () => {
    if (mounted) execFileSync("umount", [at], { stdio: "ignore" });
    mounted = false;
    if (loop !== null) execFileSync("losetup", ["-d", loop], { stdio: "ignore" });
    loop = null;
    fs.rmSync(image, { force: true });
  };
  try {
    fs.mkdirSync(at, { recursive: true });
    fs.writeFileSync(image, Buffer.alloc(0));
    fs.truncateSync(image, megabytes * 1024 * 1024);
    execFileSync("mkfs.exfat", [image], { stdio: "ignore" });
    loop = execFileSync("losetup", ["-f", "--show", image], { encoding: "utf8" }).trim();
    execFileSync("mount.exfat-fuse", [loop, at], { stdio: "ignore" });
    mounted = true;
  } catch (error) {
    try {
      release();
    } catch {
      // Nothing more to free.
    }
    return { skip: `no exFAT mount here (exfat-fuse, exfatprogs, a loop device or /dev/fuse missing): ${(error as Error).message.split("\n")[0]}` };
  }
  // The mount's own folder is path `at`: a check that the mount is the one made (not the folder below it).
  if (fs.statSync(at).dev === fs.statSync(path.dirname(at)).dev) {
    release();
    return { skip: "the exFAT mount did not take" };
  }
  return { at, release };
}
