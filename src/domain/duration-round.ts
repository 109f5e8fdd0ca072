/**
 * How durations are given in `--json` and the API: a time measured with performance.now() and summed
 * over batches carried float noise (`"seconds": 0.06814690500000006`) that no reader can use and that
 * made two runs' outputs differ in digits nobody measured.
 */

/** Seconds to the millisecond. */
export function roundedSeconds(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** Milliseconds to a tenth of a millisecond. */
export function roundedMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
