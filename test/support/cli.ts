/**
 * Runs the real CLI (bin/shelfwise.js, which loads dist/) as a child process.
 * Asynchronous on purpose: a test may serve HTTP (the Open Library fixture)
 * from its own event loop while the CLI talks to it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { checkCommandJson, finishedCodes } from "./views.js";

export const CLI_BIN = fileURLToPath(new URL("../../bin/shelfwise.js", import.meta.url));
const DIST_MAIN = fileURLToPath(new URL("../../dist/bundle/cli.js", import.meta.url));

export interface CliOptions {
  /** Passed as `--data-dir` after the arguments when given. */
  dataDir?: string;
  /** Added to a clean environment (SHELFWISE_DATA_DIR removed unless set here). */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Run as this user and group (tests running as root use 65534, nobody, to meet real permission checks). */
  uid?: number;
  gid?: number;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess {
  if (!fs.existsSync(DIST_MAIN)) throw new Error("dist/ is missing: run `npm run build` before the CLI tests");
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...options.env };
  if (!options.env || !("SHELFWISE_DATA_DIR" in options.env)) delete env.SHELFWISE_DATA_DIR;
  const full = options.dataDir ? [...args, "--data-dir", options.dataDir] : args;
  return spawn(process.execPath, [CLI_BIN, ...full], { env, cwd: options.cwd, uid: options.uid, gid: options.gid, stdio: ["ignore", "pipe", "pipe"] });
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr!.on("data", (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 150_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/**
 * Runs a command that must succeed and returns its stdout parsed as JSON,
 * checked against the command's view schema (test/support/views.ts).
 */
export async function runCliJson<T = unknown>(args: string[], options: CliOptions & { exitCodes?: number[] } = {}): Promise<T> {
  return jsonOfFinished<T>(args, await runCli([...args, "--json"], options), options.exitCodes);
}

/** A command's result that must have finished (finishedCodes, or exitCodes), its stdout parsed and checked against its view schema. */
export function jsonOfFinished<T>(args: string[], result: { code: number | null; stdout: string; stderr: string }, exitCodes?: number[]): T {
  return checkCommandJson<T>(args, JSON.parse(finished(args, result, exitCodes).stdout));
}

/** The result of a command that must have finished (finishedCodes, or exitCodes); throws with its output otherwise. */
export function finished<R extends { code: number | null; stdout: string; stderr: string }>(args: string[], result: R, exitCodes?: number[]): R {
  if (!(exitCodes ?? finishedCodes(args)).includes(result.code ?? -1)) {
    throw new Error(`shelfwise ${args.join(" ")} exited ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
  }
  return result;
}

/** Runs a command that must finish (finishedCodes); returns its output for further checks. */
export async function runCliOk(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return finished(args, await runCli(args, options));
}
