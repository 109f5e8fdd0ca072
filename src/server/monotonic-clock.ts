/**
 * The clock the server's kept answers (the disk check, plans, the copied-data-folder check) age on: monotonic, so
 * a system clock set back (NTP correcting one that ran ahead) does not keep them for as long as it went back, nor
 * a clock set forward drop them at once. Never a time to show: it counts from this process's start.
 */
export function elapsedNow(): number {
  return performance.now();
}
