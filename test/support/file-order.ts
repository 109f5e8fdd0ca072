/**
 * The order test/support/sequencer.ts gives the suite's files, apart from
 * vitest (importing vitest/node in a test would load vite itself).
 */
export interface OrderedFile {
  /** Seconds the file took in its last full run (Infinity when unknown: new files go first). */
  seconds: number;
  /** Whether its project shares worker processes (`isolate: false`). */
  shared: boolean;
}

/**
 * Files of isolated projects first, then the shared ones; each group slowest
 * first. Stable, so files of equal duration keep the order given.
 */
export function slowestFirst<T extends OrderedFile>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => Number(a.shared) - Number(b.shared) || b.seconds - a.seconds);
}
