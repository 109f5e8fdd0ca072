/**
 * The CLI on a real pseudo-terminal (`script` from util-linux), so that it
 * sees a TTY on stdin, stdout and stderr: progress lines, questions, Ctrl-C
 * typed at the keyboard.
 */
import { spawn, spawnSync } from "node:child_process";
import { CLI_BIN } from "./cli.js";

export const hasScript = spawnSync("script", ["--version"]).status === 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `shelfwise ARGS` on a pseudo-terminal; `sees` resolves once the output matches, `exited` at exit.
 * `size` sets the terminal's size (`script` gives it none when the test runs without a terminal).
 */
export function cliOnTerminal(args: string[], env: Record<string, string> = {}, size?: { columns: number; rows: number }) {
  const cli = [process.execPath, CLI_BIN, ...args].map(quote).join(" ");
  const command = size ? `stty cols ${size.columns} rows ${size.rows} && exec ${cli}` : cli;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    env: { ...process.env, NO_COLOR: "1", COLUMNS: "160", LINES: "40", SHELFWISE_DATA_DIR: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const proc = child;
  let output = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(output)) w.resolve();
      else waiters.push(w);
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on("close", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    sees(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
      if (pattern.test(output)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${JSON.stringify(output)}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    /** Ctrl-C typed on the terminal: the line discipline turns it into SIGINT for the foreground job. */
    ctrlC() {
      proc.stdin!.write("\x03");
    },
    /** Keys typed on the terminal ("n\r", "\x04" for Ctrl-D). */
    type(keys: string) {
      proc.stdin!.write(keys);
    },
  };
}

