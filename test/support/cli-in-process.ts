/**
 * Runs a CLI command in the test's own process, as main() (src/cli/main.ts)
 * does: the same program, its words on stderr and its exit code, for tests
 * whose point is what a command does, not the process around it. A CLI start
 * costs ~0.25 CPU-s (node's start and the bundle's loading); here a command
 * costs its own work only.
 *
 * What main() sets up for a whole process is left out: the stop-signal
 * handlers, the output-stream guard. What it sets for one command is put
 * back when the command ends (the recovery listener, --json's help stream,
 * the exit codes), so runs follow each other in one process (a shared test
 * file, vitest.config.ts). stdout and stderr are captured while the command
 * runs: a command may not be run beside another one in the same process.
 *
 * Use runCli (test/support/cli.ts) where the process is what is tested: an
 * environment of its own (HOME, SHELFWISE_*), a signal, a kill, a terminal,
 * another user, the bundle itself; and for what main() decides before the
 * program parses (help requests, a bare command group, extra words).
 */
import { CommanderError } from "commander";
import { reportError } from "../../src/cli/error-report.js";
import { finishedExitCode, setExitCode } from "../../src/cli/exit-status.js";
import { buildProgram, jsonOnStdout } from "../../src/cli/program.js";
import { recoveryLines } from "../../src/cli/recovery-lines.js";
import { onRecovery } from "../../src/organize/recovery-listeners.js";
import type { CliResult } from "./cli.js";

let running = false;

/** `args` run as `shelfwise ARGS [--data-dir DIR]` would be; the result in runCli's form (never a signal). */
export async function runCliInProcess(args: string[], options: { dataDir?: string } = {}): Promise<CliResult> {
  if (running) throw new Error("runCliInProcess: a command is already running in this process (their output would mix)");
  running = true;
  const argv = options.dataDir ? [...args, "--data-dir", options.dataDir] : args;
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  const exitCodeBefore = process.exitCode;
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (done) queueMicrotask(done);
      return true;
    }) as typeof process.stdout.write;
  const stopListening = onRecovery((recovered) => {
    for (const line of recoveryLines(recovered)) process.stderr.write(line);
  });
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.exitCode = undefined;
  setExitCode(0);
  let code: number;
  try {
    jsonOnStdout(argv);
    await buildProgram().parseAsync(argv, { from: "user" });
    code = finishedExitCode() || (typeof process.exitCode === "number" ? process.exitCode : 0);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    else code = await reportError(error);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    stopListening();
    jsonOnStdout([]);
    setExitCode(0);
    process.exitCode = exitCodeBefore;
    running = false;
  }
  return { code, signal: null, stdout: out.join(""), stderr: err.join("") };
}
