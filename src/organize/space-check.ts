/**
 * Whether the books a dry run would copy to another disk (output_path on a USB drive, a NAS share) fit there. A real
 * apply finds out by copying: a copy that fills the disk is removed and that book fails, whole where it was
 * (execute.ts); a dry run copies nothing, and said "would move" of every book, the ones past the free space too.
 * Counted in apply's order, a disk at a time: each copy takes its files' sizes rounded up to the disk's blocks (folders
 * and the file system's own records are left out, so a book that only just fits may still fail when tried); a book
 * that would not fit takes nothing, as its removed partial copy takes nothing, and a smaller one after it may fit.
 */
import fs from "node:fs";
import path from "node:path";

export interface CopyToCheck {
  /** The book's recorded place (its folder, or its single file). */
  from: string;
  /** Where its folder goes. */
  to: string;
  /** Its files' sizes in bytes, as the last scan recorded them. */
  sizes: readonly number[];
}

interface Disk {
  free: number;
  block: number;
  taken: number;
}

/** Judges copies one after another, in apply's order: the reason one would not fit, or null. */
export class SpaceCheck {
  readonly #disks = new Map<number, Disk | null>();
  readonly #root = process.geteuid?.() === 0;
  /** Each folder's device (and a target folder's nearest existing one), asked once: books share inboxes and author folders. */
  readonly #devices = new Map<string, number | null>();
  readonly #nearest = new Map<string, string | null>();

  constructor(private readonly forceCopy: boolean) {}

  refusal(move: CopyToCheck): string | null {
    const parent = path.dirname(move.to);
    let into = this.#nearest.get(parent);
    if (into === undefined) this.#nearest.set(parent, (into = nearestExisting(parent)));
    // The folder holding the book: a book folder that is itself a mount point is rare enough to be judged by its folder.
    const source = this.#device(path.dirname(move.from));
    const target = into === null ? null : this.#device(into);
    if (source === null || target === null || into === null) return null;
    // A rename on one disk takes no room: only a copy does.
    if (!this.forceCopy && source === target) return null;
    const disk = this.#disk(target, into);
    if (disk === null) return null;
    const needs = move.sizes.reduce((sum, size) => sum + Math.ceil(size / disk.block) * disk.block, 0);
    if (disk.taken + needs <= disk.free) {
      disk.taken += needs;
      return null;
    }
    const before = disk.taken > 0 ? `, ${bytesText(disk.taken)} of it taken by the books copied there before this one` : "";
    return `the disk holding ${into} would be full: this book needs ${bytesText(needs)} there, and it has ${bytesText(disk.free)} free${before}; free some space there (or apply fewer books at once) and run the command again; the book would stay at ${move.from}`;
  }

  #device(folder: string): number | null {
    let dev = this.#devices.get(folder);
    if (dev === undefined) this.#devices.set(folder, (dev = statOf(folder)?.dev ?? null));
    return dev;
  }

  #disk(dev: number, at: string): Disk | null {
    let disk = this.#disks.get(dev);
    if (disk !== undefined) return disk;
    try {
      const s = fs.statfsSync(at);
      // Root may fill the blocks a file system keeps back for it (ext4's 5 %); any other user stops short of them.
      disk = { free: (this.#root ? s.bfree : s.bavail) * s.bsize, block: s.bsize > 0 ? s.bsize : 4096, taken: 0 };
    } catch {
      disk = null; // not asked (a file system that answers no statfs): the copy finds out
    }
    this.#disks.set(dev, disk);
    return disk;
  }
}

function statOf(at: string): fs.Stats | null {
  try {
    return fs.statSync(at);
  } catch {
    return null;
  }
}

function nearestExisting(dir: string): string | null {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(at)) return at;
    if (path.dirname(at) === at) return null;
  }
}

/** "1.4 GB", "500 KB": decimal units, as file managers and disk makers count. */
function bytesText(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
