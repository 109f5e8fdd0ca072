/**
 * One reading of a plugin folder for one start. Staging (the mirror's plan), the fingerprint of its files (the
 * layer's "changed during this run" check, the start record) and its identity hash each walked the folder on
 * their own: three or four walks of every plugin folder at each `process`. Each now asks a snapshot, which reads
 * a folder's entries and an entry's status once and answers the later askers from memory, so they still see
 * exactly what they saw before (their own rules, on one reading) but the disk is walked once.
 */
import fs from "node:fs";

export interface FolderReader {
  /** fs.readdirSync(dir, { withFileTypes: true }), sorted by nothing; throws as it would. */
  entries(dir: string): fs.Dirent[];
  /** fs.statSync(file) (symlinks followed); throws as it would. */
  stat(file: string): fs.Stats;
  /** fs.realpathSync(file); throws as it would. */
  realpath(file: string): string;
}

/** The disk itself, read at each question: what a check for later changes must ask. */
export const DISK: FolderReader = {
  entries: (dir) => fs.readdirSync(dir, { withFileTypes: true }),
  stat: (file) => fs.statSync(file),
  realpath: (file) => fs.realpathSync(file),
};

type Answer<T> = { value: T } | { error: unknown };

function remembered<T>(cache: Map<string, Answer<T>>, key: string, ask: (key: string) => T): T {
  let answer = cache.get(key);
  if (!answer) {
    try {
      answer = { value: ask(key) };
    } catch (error) {
      answer = { error };
    }
    cache.set(key, answer);
  }
  if ("error" in answer) throw answer.error;
  return answer.value;
}

/** A reader that asks the disk once per folder and per file, then answers from memory. */
export function folderSnapshot(): FolderReader {
  const entries = new Map<string, Answer<fs.Dirent[]>>();
  const stats = new Map<string, Answer<fs.Stats>>();
  const reals = new Map<string, Answer<string>>();
  return {
    // A copy each time: a caller sorting the list must not reorder another's.
    entries: (dir) => [...remembered(entries, dir, DISK.entries)],
    stat: (file) => remembered(stats, file, DISK.stat),
    realpath: (file) => remembered(reals, file, DISK.realpath),
  };
}

const snapshots = new WeakMap<object, FolderReader>();

/** Keeps `reader` as the reading of the start `owner` (its launch spec) stands for. */
export function keepSnapshot(owner: object, reader: FolderReader): void {
  snapshots.set(owner, reader);
}

/** The reading kept for `owner`'s start, else the disk. */
export function snapshotOf(owner: object | null | undefined): FolderReader {
  return (owner && snapshots.get(owner)) || DISK;
}

/** Forgets the reading kept for `owner`: the start is over, later questions go to the disk. */
export function releaseSnapshot(owner: object | null | undefined): void {
  if (owner) snapshots.delete(owner);
}
