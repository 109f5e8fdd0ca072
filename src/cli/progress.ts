import cliProgress from "cli-progress";

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** A bar on a terminal; nothing otherwise (the command prints a plain summary at the end). */
export function createProgress(enabled = Boolean(process.stderr.isTTY)): Progress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total, label) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          // Unknown total (a scan): a running count instead of a bar.
          format: total > 0 ? `${label.padEnd(16)} {bar} {value}/{total} {eta_formatted}` : `${label.padEnd(16)} {value} found`,
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
