/**
 * Small file-system rules staging needs in both of its ways (SDK link, mirror).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export class StagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StagingError";
  }
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

/** Points `link` at `target` (atomically replacing a stale symlink); never replaces anything else. */
export function ensureSymlink(link: string, target: string): void {
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (existing) {
    if (!existing.isSymbolicLink()) {
      throw new StagingError(`${link} exists and is not a symlink; remove it so shelfwise can link its plugin SDK there`);
    }
    try {
      if (fs.realpathSync(link) === fs.realpathSync(target)) return;
    } catch {
      // broken link: replace it
    }
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  const temporary = `${link}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  fs.symlinkSync(target, temporary, "junction");
  try {
    fs.renameSync(temporary, link);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
