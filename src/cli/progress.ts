/**
 * Live progress on a terminal (stderr): one line, redrawn in place, with the
 * layer, a bar, the count and what is being worked on now. Lines logged while
 * the bar shows are printed above it, and stop() ends the line, so a summary
 * or a Ctrl-C message never overprints the bar. Off a terminal it prints
 * nothing but logged lines (the command prints a plain summary at the end).
 */
import { isQuiet } from "./output.js";

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  /** What is being worked on now ("book 17", "waiting 12 s on book 17"); null clears it. */
  status(text: string | null): void;
  /** A message line; on a terminal it goes above the bar, which is redrawn under it. */
  log(line: string): void;
  stop(): void;
}

const MIN_REDRAW_MS = 80;

/** The line being drawn now, so that an interrupt can end it before its message. */
let live: (() => void) | null = null;

/** Ends the live progress line, if any (its message then starts on a line of its own). */
export function stopLiveProgress(): void {
  live?.();
}
const BAR_WIDTH = 20;

/**
 * Whether a line may be redrawn in place on `stream`: a terminal that obeys
 * `\r` and `ESC [K`. Not a pipe or a file, and not TERM=dumb (Emacs shells,
 * some CI logs), which would show the escapes as text.
 */
export function canRedraw(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

export function createProgress(enabled = canRedraw(), stream: NodeJS.WriteStream = process.stderr): Progress {
  // --quiet drops the line that only says how far it got; what is logged through it (a layer's warning) stays.
  if (!enabled || isQuiet()) {
    return { start() {}, update() {}, status() {}, log: (line) => void stream.write(line.endsWith("\n") ? line : `${line}\n`), stop() {} };
  }
  let active = false;
  let label = "";
  let total = 0;
  let done = 0;
  let statusText: string | null = null;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;

  const line = (): string => {
    const count = total > 0 ? `${done}/${total}` : `${done} found`;
    const bar = total > 0 ? `[${"#".repeat(Math.round((Math.min(done, total) / total) * BAR_WIDTH)).padEnd(BAR_WIDTH, "-")}] ` : "";
    const text = `${label.padEnd(16)} ${bar}${count}${statusText ? `  ${statusText}` : ""}`;
    // Never as wide as the terminal: a line that wraps cannot be redrawn in place.
    const width = Math.max(1, (stream.columns || 80) - 1);
    return text.length > width ? text.slice(0, width - 1) + "…" : text;
  };
  const draw = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!active) return;
    lastDraw = performance.now();
    stream.write(`\r\x1b[K${line()}`);
  };
  const schedule = () => {
    if (!active) return;
    // The monotonic clock: by the wall clock, one set back an hour put the next draw an hour away (a frozen line).
    const wait = MIN_REDRAW_MS - (performance.now() - lastDraw);
    // Drawn now when due, also with a timer pending: a layer that works without yielding to the event
    // loop (a built-in layer's batches over 20,000 books) never lets the timer fire, and the line froze.
    if (wait <= 0) draw();
    else timer ??= setTimeout(draw, wait);
  };
  const finish = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!active) return;
    active = false;
    if (live === finish) live = null;
    statusText = null;
    stream.write(`\r\x1b[K${line()}\n\x1b[?25h`);
    process.off("exit", showCursor);
  };
  // The cursor is hidden while a line is live, and shown again however shelfwise ends.
  const showCursor = () => stream.write("\x1b[?25h");

  return {
    start(newTotal, newLabel) {
      finish();
      label = newLabel;
      total = newTotal;
      done = 0;
      statusText = null;
      active = true;
      live = finish;
      stream.write("\x1b[?25l");
      process.once("exit", showCursor);
      draw();
    },
    update(value) {
      done = value;
      schedule();
    },
    status(text) {
      statusText = text;
      schedule();
    },
    log(text) {
      const body = text.endsWith("\n") ? text : `${text}\n`;
      if (!active) return void stream.write(body);
      stream.write(`\r\x1b[K${body}`);
      draw();
    },
    stop() {
      finish();
    },
  };
}
