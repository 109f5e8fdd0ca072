/**
 * Runs a CLI command in this process: runCommand of the built CLI
 * (dist/bundle/cli.js, src/cli/main.ts: what bin/shelfwise.js runs after
 * installing its process-wide handlers), with stdout and stderr captured. The
 * same code, words and exit code as runCli (test/support/cli.ts) without a
 * process start (~0.24 CPU-s each); the bundle loads once per worker, by
 * Node as the CLI loads it (through vitest, src/ transformed module by
 * module cost more than the processes it saved). For tests of what a command says and does, not of the process
 * boundary: exit codes of a real process, signals, a terminal, the lock
 * between two processes, the environment, the working folder or another
 * user stay with runCli.
 *
 * Commands run one after another (a call made while one runs waits for it):
 * stdout, stderr and the exit code are the process's own. Each starts as a
 * fresh process would (process.exitCode unset; runCommand resets the rest:
 * src/cli/command-state.ts) and leaves process.exitCode unset. It follows the rules of a shared file in
 * vitest.config.ts: no process handler, environment or working folder is
 * changed.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { finished, jsonOfFinished, type CliResult } from "./cli.js";
import type { CliResult as FixtureResult, TestHome } from "./plugin-fixtures.js";

const BUNDLE = new URL("../../dist/bundle/cli.js", import.meta.url);
/** Node's own import(), not vitest's: the bundle loads as bin/shelfwise.js loads it, not transformed module by module. */
const nativeImport = new vm.Script("(url) => import(url)", { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }).runInThisContext() as (
  url: string,
) => Promise<{ runCommand: (argv: string[]) => Promise<number> }>;
let bundle: Promise<{ runCommand: (argv: string[]) => Promise<number> }> | undefined;

function loadBundle() {
  if (!fs.existsSync(fileURLToPath(BUNDLE))) throw new Error("dist/ is missing: run `npm run build` before the CLI tests");
  return (bundle ??= nativeImport(BUNDLE.href));
}

export interface InProcessOptions {
  /** Passed as `--data-dir` after the arguments when given (as runCli's dataDir). */
  dataDir?: string;
}

let queue: Promise<unknown> = Promise.resolve();

export function runCliInProcess(args: string[], options: InProcessOptions = {}): Promise<CliResult> {
  const run = queue.then(() => runOne(options.dataDir ? [...args, "--data-dir", options.dataDir] : args));
  queue = run.catch(() => undefined);
  return run;
}

async function runOne(argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), done?: (error?: Error | null) => void): boolean => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = typeof encoding === "function" ? encoding : done;
      if (callback) process.nextTick(callback);
      return true;
    };
  const { runCommand } = await loadBundle();
  process.exitCode = undefined;
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  // Piped, as runCli's child's are (no progress line, no table fitted to a terminal), whatever runs the tests.
  const tty = { out: Object.getOwnPropertyDescriptor(process.stdout, "isTTY"), err: Object.getOwnPropertyDescriptor(process.stderr, "isTTY") };
  Object.defineProperty(process.stdout, "isTTY", { value: undefined, configurable: true, writable: true });
  Object.defineProperty(process.stderr, "isTTY", { value: undefined, configurable: true, writable: true });
  let code: number;
  try {
    code = await runCommand(argv);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    restore(process.stdout, tty.out);
    restore(process.stderr, tty.err);
    process.exitCode = undefined;
  }
  return { code, signal: null, stdout: out.join(""), stderr: err.join("") };
}

function restore(stream: NodeJS.WriteStream, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(stream, "isTTY", descriptor);
  else delete (stream as { isTTY?: boolean }).isTTY;
}

/** runCliJson (test/support/cli.ts) in this process: the command must finish; its stdout parsed and checked against its view schema. */
export async function runCliInProcessJson<T = unknown>(args: string[], options: InProcessOptions & { exitCodes?: number[] } = {}): Promise<T> {
  return jsonOfFinished<T>(args, await runCliInProcess([...args, "--json"], options), options.exitCodes);
}

/** runCliOk (test/support/cli.ts) in this process: a command that must finish; its output for further checks. */
export async function runCliInProcessOk(args: string[], options: InProcessOptions = {}): Promise<CliResult> {
  return finished(args, await runCliInProcess(args, options));
}

/**
 * A plugin-fixtures home whose cli() and json() run in this process (its other members unchanged). The
 * environment is this process's: runs refuse when SHELFWISE_DATA_DIR is set in it (the spawned CLI runs without it).
 */
export function inProcess(home: TestHome): TestHome {
  const cli = async (args: string[]): Promise<FixtureResult> => {
    if (process.env.SHELFWISE_DATA_DIR) throw new Error("inProcess: SHELFWISE_DATA_DIR is set in this process; the spawned CLI runs without it");
    const started = performance.now();
    const { code, stdout, stderr } = await runCliInProcess(args, { dataDir: home.dataDir });
    return { code, stdout, stderr, ms: performance.now() - started };
  };
  return {
    ...home,
    cli,
    async json<T = unknown>(args: string[]): Promise<T> {
      return jsonOfFinished<T>(args, await cli([...args, "--json"]));
    },
  };
}

/** runCli, runCliJson and runCliOk (test/support/cli.ts) with a required data folder, run in this process. */
export const runCliIn = (args: string[], options: { dataDir: string }) => runCliInProcess(args, options);
export const runCliJsonIn = <T = unknown>(args: string[], options: { dataDir: string; exitCodes?: number[] }) => runCliInProcessJson<T>(args, options);
export const runCliOkIn = (args: string[], options: { dataDir: string }) => runCliInProcessOk(args, options);
