/**
 * Creating a folder and its missing parents, one mkdir at a time. Node's
 * `mkdirSync(dir, { recursive: true })` reports a read-only file system as
 * ENOENT ("no such file or directory") and loops for ever where mkdir answers
 * ENOENT for a parent that exists (/proc): the data folder made in a
 * read-only current folder must fail with the real reason, at once.
 */
import fs from "node:fs";
import path from "node:path";

export function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (error) {
      // Made meanwhile by another command: as good.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
