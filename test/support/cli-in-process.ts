/**
 * Runs a CLI command in this process: the same main() as bin/shelfwise.js
 * (src/cli/main.ts), its stdout and stderr collected and its exit code
 * returned, without a Node start and the bundle's load (~0.3 CPU-s a command
 * on this machine). For tests whose subject is what a command does and says,
 * not the process around it: a test of exit codes from a real process,
 * signals, a terminal, kill -9 or the lock between two processes spawns the
 * CLI (test/support/cli.ts, plugin-fixtures' runCli).
 *
 * What one run changes in this process, put back when it ends (so shared
 * files may use it: vitest.config.ts): the stop-signal handlers and the
 * stdout/stderr 'error' listeners main() installs, process.exitCode, the
 * finished exit code of exit-status.ts, and stdout/stderr themselves (their
 * write, and isTTY false as for a pipe). Runs are queued one after another:
 * two commands at once would write into each other's output. main()'s
 * recovery listener (organize/recovery-listeners.ts) is removed by main()
 * itself at its end.
 *
 * Differences from a spawned CLI a test must not depend on: the working
 * folder is this process's (pass absolute paths), and the environment is
 * this process's (runs refuse when SHELFWISE_DATA_DIR is set in it: the
 * spawned CLI runs without it).
 */
import { main } from "../../src/cli/main.js";
import { setExitCode } from "../../src/cli/exit-status.js";
import type { TestHome, CliResult } from "./plugin-fixtures.js";
import { checkCommandJson, finishedCodes } from "./views.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let queue: Promise<unknown> = Promise.resolve();

/** `shelfwise <args> --data-dir <dataDir>` in this process; resolves with what it printed and its exit code. */
export function runCliInProcess(args: string[], dataDir: string): Promise<CliResult> {
  const run = queue.then(() => runNow([...args, "--data-dir", dataDir]));
  queue = run.catch(() => undefined);
  return run;
}

async function runNow(argv: string[]): Promise<CliResult> {
  if (process.env.SHELFWISE_DATA_DIR) throw new Error("runCliInProcess: SHELFWISE_DATA_DIR is set in this process; the spawned CLI runs without it");
  const started = performance.now();
  const signalListeners = SIGNALS.map((signal) => process.listeners(signal));
  const streams = [process.stdout, process.stderr] as const;
  const errorListeners = streams.map((stream) => stream.listeners("error"));
  const writes = streams.map((stream) => stream.write);
  const ttys = streams.map((stream) => Object.getOwnPropertyDescriptor(stream, "isTTY"));
  const exitCodeBefore = process.exitCode;
  const out: string[][] = [[], []];
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => {
      out[i]!.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = typeof encoding === "function" ? encoding : callback;
      if (done) process.nextTick(done);
      return true;
    }) as typeof stream.write;
    Object.defineProperty(stream, "isTTY", { value: false, configurable: true, writable: true });
  });
  process.exitCode = undefined;
  setExitCode(0);
  let code: number;
  try {
    code = await main(argv);
  } finally {
    streams.forEach((stream, i) => {
      stream.write = writes[i]!;
      if (ttys[i]) Object.defineProperty(stream, "isTTY", ttys[i]!);
      else delete (stream as { isTTY?: boolean }).isTTY;
      for (const listener of stream.listeners("error")) if (!errorListeners[i]!.includes(listener)) stream.removeListener("error", listener as (...args: unknown[]) => void);
    });
    SIGNALS.forEach((signal, i) => {
      for (const listener of process.listeners(signal)) if (!signalListeners[i]!.includes(listener)) process.removeListener(signal, listener);
    });
    process.exitCode = exitCodeBefore;
    setExitCode(0);
  }
  return { code, stdout: out[0]!.join(""), stderr: out[1]!.join(""), ms: performance.now() - started };
}

/** The home with its cli() and json() run in this process (its other members unchanged). */
export function inProcess(home: TestHome): TestHome {
  const cli = (args: string[]) => runCliInProcess(args, home.dataDir);
  return {
    ...home,
    cli,
    async json<T = unknown>(args: string[]): Promise<T> {
      const result = await cli([...args, "--json"]);
      if (!finishedCodes(args).includes(result.code ?? -1)) throw new Error(`shelfwise ${args.join(" ")} exited ${result.code}\n${result.stderr}`);
      return checkCommandJson<T>(args, JSON.parse(result.stdout));
    },
  };
}

/** test/support/cli.ts's runCli, runCliJson and runCliOk, run in this process (options: only dataDir, required). */
export async function runCliIn(args: string[], options: { dataDir: string }): Promise<{ code: number | null; signal: null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCliInProcess(args, options.dataDir);
  return { code, signal: null, stdout, stderr };
}

export async function runCliJsonIn<T = unknown>(args: string[], options: { dataDir: string; exitCodes?: number[] }): Promise<T> {
  const result = await runCliInProcess([...args, "--json"], options.dataDir);
  if (!(options.exitCodes ?? finishedCodes(args)).includes(result.code ?? -1)) {
    throw new Error(`shelfwise ${args.join(" ")} exited ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
  }
  return checkCommandJson<T>(args, JSON.parse(result.stdout));
}

export async function runCliOkIn(args: string[], options: { dataDir: string }): Promise<{ code: number | null; signal: null; stdout: string; stderr: string }> {
  const result = await runCliIn(args, options);
  if (!finishedCodes(args).includes(result.code ?? -1)) {
    throw new Error(`shelfwise ${args.join(" ")} exited ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
  }
  return result;
}
