/**
 * One spawned runner process: its own process group, the protocol pipe (fd 3)
 * framed and validated, stdout/stderr into the plugin log, the memory
 * watchdog, and why it ended. The supervisor (supervisor.ts) decides what to
 * do with it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { Readable } from "node:stream";
import type { BoundedLog } from "./bounded-log.js";
import { createLineReader } from "../protocol/line-reader.js";
import type { LaunchSpec } from "../plugin-types.js";
import { specSecretMask } from "../spec-secret-mask.js";
import { stderrTail, type StderrTail } from "./stderr-tail.js";
import { callMarks } from "./call-marks.js";
import { binaryLineBytes, binaryOutputWords } from "./binary-output.js";
import { MAX_MESSAGE_BYTES, tooLargeError, type HostMessage } from "../protocol/protocol.js";
import { parseRunnerLine, seqOf, type RunnerLine } from "../protocol/runner-line.js";
import { spawnCommand, type FinalCommand, type RuntimeLauncher, type SpawnWrapper } from "./launch-command.js";
import { killGroup, stopReaper, trackGroup, untrackGroup } from "./process-group.js";
import { heldDeletedBytes, MAX_TREE_DESCRIPTORS, MAX_TREE_PROCESSES, memoryLimitBytes, TMP_INODE_KB, treeCensus, type TreeLimits } from "../sandbox/process-tree.js";
import { DATA_POLL_MS, dataFolderProblem } from "./data-quota.js";
import { textHead } from "../../domain/utf8-cut.js";
import { CHANNEL_CLOSED_ERROR, CHANNEL_CLOSED_STATUS, INPUT_CLOSED_ERROR, INPUT_CLOSED_STATUS } from "../runner/input-closed.js";

/** A line from the runner (a message, an unusable answer, a violation), or the process's end. */
/** `blameless`: the process ended in a way that names no call at fault (the plugin closed its input, stopped while idle). */
export type ChildEvent = RunnerLine | { kind: "exit"; error: string; blameless?: boolean };

export interface Child {
  proc: ChildProcess;
  pid: number;
  exited: boolean;
  /** Resolves once the process is gone and its pipes are drained. */
  closed: Promise<void>;
  listener: ((event: ChildEvent) => void) | null;
  killReason: string | null;
  /** The kill's reason names no call at fault (killChild's `blameless`): its books go to a fresh process. */
  killBlameless: boolean;
  stderrTail: StderrTail;
  /** Started under a reaping helper (no PID namespace): stopped through it, see process-group.ts. */
  reaper: boolean;
  /**
   * Told of the process's end whether a call is running or not (the listener is not, between batches):
   * a blameless end leaves no call's error behind, so this is where its owner hears of it.
   */
  onEnd: ((event: Extract<ChildEvent, { kind: "exit" }>) => void) | null;
  /** This process's call-mark token (runner/call-mark.ts), sent in its init message. */
  callMark: string;
  /**
   * A batch went to the runner while no call ran and its call mark has not come back yet: no call of the
   * plugin's has started since it was last idle, so a stop seen now began while idle (watchTree).
   */
  awaitingMark: boolean;
}

export class PluginStartError extends Error {
  constructor(
    readonly stage: StartStage,
    message: string,
    /** Loading and class lookup fail the same way every time: no point retrying. */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export type StartStage = "spawn" | "load" | "class" | "setup" | "timeout" | "crash";

const EXIT_WAIT_MS = 2000;

export async function spawnChild(spec: LaunchSpec, launcher: RuntimeLauncher, log: BoundedLog, wrap?: SpawnWrapper): Promise<Child> {
  let command: FinalCommand;
  try {
    fs.mkdirSync(spec.dataDir, { recursive: true });
    // The wall (sandbox/wall.ts): namespaces, Landlock, egress proxy; dispose() once the process is gone.
    command = await spawnCommand(spec, launcher, wrap, (line) => log.refusal(line));
  } catch (error) {
    throw new PluginStartError("spawn", `cannot start ${spec.plugin_id}: ${(error as Error).message}`, true);
  }
  log.note(`sandbox: ${command.report.level}${command.report.lacks.length ? ` (lacks ${command.report.lacks.join("; ")})` : ""}`);
  let proc: ChildProcess;
  const stdio = pluginStdio();
  try {
    proc = spawn(command.file, command.args, {
      stdio: stdio.fds,
      env: command.env,
      cwd: command.cwd,
      detached: true,
    });
  } catch (error) {
    command.dispose();
    throw new PluginStartError("spawn", `cannot start ${command.file}: ${(error as Error).message}`, true);
  } finally {
    stdio.close();
  }
  proc.once("close", command.dispose);
  return new Promise((resolve, reject) => {
    proc.once("error", (error) => {
      command.dispose();
      if (proc.pid === undefined) reject(new PluginStartError("spawn", `cannot start ${command.file}: ${error.message}`, true));
    });
    proc.once("spawn", () => resolve(wireChild(proc, spec, log, command)));
  });
}

const O_CLOEXEC = 0o2000000;

/**
 * The plugin's descriptors: stdio and the protocol pipe (3), nothing else. A
 * descriptor shelfwise inherited without close-on-exec (a wrapper script's
 * `exec 9>>file`, a service manager's socket) would pass on to the plugin,
 * and no wall checks a descriptor already open: each is replaced by /dev/null
 * in the child. (Node opens its own descriptors close-on-exec.)
 */
function pluginStdio(): { fds: ("pipe" | "ignore" | number)[]; close(): void } {
  const fds: ("pipe" | "ignore" | number)[] = ["pipe", "pipe", "pipe", "pipe"];
  const inherited = inheritedDescriptors().filter((fd) => fd > 3);
  if (inherited.length === 0) return { fds, close() {} };
  const devNull = fs.openSync("/dev/null", "r+");
  for (const fd of inherited) {
    while (fds.length < fd) fds.push("ignore");
    fds[fd] = devNull;
  }
  return { fds, close: () => fs.closeSync(devNull) };
}

function inheritedDescriptors(): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync("/proc/self/fd");
  } catch {
    return out; // not Linux: nothing to check
  }
  for (const name of names) {
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${name}`, "latin1"));
      if (flags && (parseInt(flags[1]!, 8) & O_CLOEXEC) === 0) out.push(Number(name));
    } catch {
      // closed meanwhile (the descriptor of the listing itself)
    }
  }
  return out;
}

function wireChild(proc: ChildProcess, spec: LaunchSpec, log: BoundedLog, command: FinalCommand): Child {
  const { exitStatus, reaper } = command;
  const pid = proc.pid!;
  trackGroup(pid, reaper, command.cgroup);
  log.note(`started ${spec.plugin_id} (pid ${pid})`);
  let markClosed!: () => void;
  const child: Child = {
    proc,
    pid,
    exited: false,
    closed: new Promise((resolve) => (markClosed = resolve)),
    listener: null,
    killReason: null,
    killBlameless: false,
    stderrTail: stderrTail(() => specSecretMask(spec)),
    reaper,
    onEnd: null,
    callMark: randomBytes(16).toString("hex"),
    awaitingMark: false,
  };
  const emit = (event: ChildEvent) => {
    // The runner's word that a call began (protocol.ts): only the stop watch needs it. Sent while idle, it is
    // no runner's: killed as any other output then.
    if (event.kind === "message" && event.message.type === "started" && child.listener) {
      child.awaitingMark = false;
      return;
    }
    if (child.listener) child.listener(event);
    else if (event.kind !== "exit") killChild(child, `unexpected output while idle (${describeEvent(event)})`);
  };
  const reader = createLineReader(
    MAX_MESSAGE_BYTES,
    (line) => emit(parseRunnerLine(line)),
    (head) => emit({ kind: "unusable", seq: seqOf(head), error: tooLargeError() }),
    (description) => emit({ kind: "violation", error: description }),
  );
  const protocol = proc.stdio[3] as Readable;
  protocol.on("data", (chunk: Buffer) => reader.push(chunk));
  proc.stdout!.on("data", (chunk: Buffer) => log.write(chunk, "stdout"));
  const stderr = callMarks(
    child.callMark,
    (chunk) => {
      log.write(chunk, "stderr");
      child.stderrTail.push(chunk);
    },
    // Only where the quoted stderr starts: whether a call began is told by the runner's `started` on the protocol
    // channel, ordered with its answers. The mark comes down another pipe: the last call's mark, read after its
    // answer and after the next book was sent, passed for the next call's start, and a stop made between the two
    // calls was blamed on that book.
    () => child.stderrTail.mark(),
  );
  proc.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk));
  proc.stderr!.once("end", () => stderr.end());
  for (const stream of [proc.stdin!, proc.stdout!, proc.stderr!, protocol]) {
    stream.on("error", () => {});
    // An idle plugin must not keep the host alive (the exit hook kills it); every
    // wait on a plugin holds its own timer, which keeps the host up meanwhile.
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  proc.unref();
  proc.once("close", (code, signal) => {
    child.exited = true;
    untrackGroup(pid);
    // Inside the wall the runtime is bwrap's child: bwrap reports its death by a signal as 128 + signal.
    const status = exitStatus(code, signal);
    const error = exitMessage(child, spec, status.code, status.signal, command.memoryKilled?.() ?? false);
    log.note(`process ${pid} ended: ${error}`);
    markClosed();
    const closedInput = !child.killReason && spec.runtime === "node" && status.code === INPUT_CLOSED_STATUS;
    const end = { kind: "exit" as const, error, blameless: closedInput || child.killBlameless };
    child.onEnd?.(end);
    emit(end);
  });
  return child;
}

export function sendMessage(child: Child, message: HostMessage): void {
  child.proc.stdin!.write(JSON.stringify(message) + "\n");
}

export function describeEvent(event: ChildEvent): string {
  if (event.kind === "message") return `${event.message.type} message`;
  if (event.kind === "unusable") return `unusable message (${event.error})`;
  return event.kind === "violation" ? event.error : event.kind;
}

export const NODE_ABORT_HINT =
  "Node aborted without a message, most often because the plugin (or a native module of its) closed a file descriptor it did not open, Node's own or shelfwise's channel (a loop closing descriptors 3 and up, a daemonizing library): a plugin may close only the files it opened";

function exitMessage(child: Child, spec: LaunchSpec, code: number | null, signal: NodeJS.Signals | null, memoryKilled: boolean): string {
  if (child.killReason) return child.killReason;
  if (spec.runtime === "node" && code === INPUT_CLOSED_STATUS) return INPUT_CLOSED_ERROR;
  if (code === CHANNEL_CLOSED_STATUS) return CHANNEL_CLOSED_ERROR;
  // The kernel's OOM killer in the plugin's memory cgroup (sandbox/wall.ts): a SIGKILL that is the limit.
  if (memoryKilled) return `exceeded memory limit of ${spec.memoryMb} MB`;
  // Masked whole before a line is taken from it: a secret split across two lines is only found whole.
  const tail = specSecretMask(spec).text(child.stderrTail.text());
  if (tail.includes("JavaScript heap out of memory")) return `exceeded memory limit of ${spec.memoryMb} MB (heap exhausted)`;
  if (spec.runtime === "python" && diedOfMemoryError(tail)) {
    // Python has no heap limit of its own: RLIMIT_AS (address space) is what ran out, so say how to get more.
    return `exceeded memory limit of ${spec.memoryMb} MB (MemoryError: use less memory, or raise plugin_configs.${spec.plugin_id}.memory_mb)`;
  }
  // The kernel's answer to a write past RLIMIT_FSIZE (Node does not ignore it; Python does, and gets EFBIG).
  if (signal === "SIGXFSZ") return `wrote a file larger than ${spec.maxFileMb ?? "its"} MB, the most a plugin's file may hold (plugin_configs.${spec.plugin_id}.max_file_mb)`;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const lastLine = tail.trim().split("\n").pop()?.trim();
  // Node's own abort leaves nothing on stderr when the plugin closed descriptors of its event loop by a way
  // the runner does not see (fs.close is: channel-guard.ts): the bare signal named nothing to look for.
  if (!lastLine && spec.runtime === "node" && signal === "SIGABRT") return `plugin process ${how}: ${NODE_ABORT_HINT}`;
  // The runners end with a status of their own only after saying why (a fatal message, a traceback): an exit
  // without a word is the plugin's code ending its process, which "exited with code 0" left to guess.
  if (!lastLine && !signal) return `plugin process ${how}: ${SELF_EXIT_HINT[spec.runtime === "python" ? "python" : "node"]}`;
  const binary = lastLine ? binaryLineBytes(lastLine) : null;
  if (binary !== null) return `plugin process ${how}: its last line on stderr was ${binaryOutputWords(binary)}`;
  return `plugin process ${how}${lastLine ? `: ${shownLine(textHead(lastLine, 300))}` : ""}`;
}

/** Lines at the tail's end where Python's own last words are: a traceback's last line, or a fatal error's stack dump. */
const PYTHON_LAST_WORDS_LINES = 40;

/**
 * Python ran out of memory as it ended: its last words say so, at the start of a line (a traceback's last line
 * `MemoryError`, or `Fatal Python error: ... MemoryError ...` followed by its stack dump). The word anywhere in
 * the tail was taken for it, also in a line the plugin printed ("caught MemoryError, retrying with less").
 */
function diedOfMemoryError(tail: string): boolean {
  const lines = tail.trimEnd().split("\n").slice(-PYTHON_LAST_WORDS_LINES);
  return lines.some((line) => /^(?:MemoryError\b|Fatal Python error: .*MemoryError)/.test(line));
}

export const SELF_EXIT_HINT = {
  python: "nothing was printed, so the plugin's code probably ended its own process (os._exit(), or sys.exit() in a thread); raise an exception saying what went wrong instead",
  node: "nothing was printed, so the plugin's code probably ended its own process (process.exit(), process.kill(process.pid)); throw an Error saying what went wrong instead",
};

/**
 * A line of the plugin's quoted in a message, with its control characters, and the invisible direction controls,
 * written as escapes as its log writes them: the message is stored and shown on pages and in terminals, where a
 * terminal escape or a right-to-left override let the plugin make its error read as something else.
 */
function shownLine(line: string): string {
  return line.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** How long a reaping helper gets to kill the plugin's processes before its group is killed outright. */
const REAPER_GRACE_MS = 1500;

export function killChild(child: Child, reason: string, blameless = false): void {
  if (child.exited) return;
  if (child.killReason === null) {
    child.killReason = reason;
    child.killBlameless = blameless;
  }
  if (!child.reaper) {
    killGroup(child.pid);
    return;
  }
  stopReaper(child.pid);
  // A helper that does not end (stopped again and again by a plugin on a kernel without signal
  // scoping) still loses its own group: the plugin's main process at least is gone.
  const fallback = setTimeout(() => {
    if (!child.exited) killGroup(child.pid);
  }, REAPER_GRACE_MS);
  fallback.unref();
  void child.closed.then(() => clearTimeout(fallback));
}

/**
 * A plugin whose code stops its own process (SIGSTOP, SIGTSTP: `process.kill(process.pid, "SIGSTOP")`, `os.kill(os.getpid(),
 * signal.SIGSTOP)`) answers nothing until killed: each of its books held the run for the whole call timeout (30 s by
 * default), and its reason named only the time. Stopped this long while a start or call waits on it, it is killed, saying so.
 */
const STOPPED_LIMIT_MS = 1000;
export const STOPPED_ERROR =
  "the plugin's process was stopped (SIGSTOP or SIGTSTP, sent by its own code) while shelfwise waited for its answer: a stopped plugin answers nothing; a plugin must not stop its processes";
/**
 * The same stop begun between calls (a timer or thread of the plugin's, after its last answer): it was blamed on
 * the next book sent, whose call never started. Ended with no book blamed; the next book goes to a fresh process.
 * Any process of the plugin's tree counts, a child it started too: job control is no plugin's business, and a
 * stopped child holds whatever the plugin waits on it for.
 */
export const STOPPED_IDLE_ERROR =
  "the plugin's process (or one it started) was stopped (SIGSTOP or SIGTSTP, sent by its own code) between calls, while no book of its was running: shelfwise ended it, blamed no book, and starts a fresh process for the next one; a plugin must not stop its processes";

/** While no call or start is under way, the tree is looked at every this many polls. */
const IDLE_POLL_FACTOR = 5;

/**
 * Polls the child's whole process tree, for its life: resident memory (heap
 * limits miss Buffers and native memory), the number of processes (a fork
 * bomb) and of open descriptors. Idle (between calls) less often: a plugin
 * may leave a thread running, and a memory or fork bomb there is no better.
 */
export function watchTree(
  child: Child,
  spec: LaunchSpec,
  everyMs: number,
  limits: TreeLimits = { processes: MAX_TREE_PROCESSES, descriptors: MAX_TREE_DESCRIPTORS },
): () => void {
  const limitKb = memoryLimitBytes(spec.memoryMb) / 1024;
  let tick = 0;
  /** Since when a process of the tree has been seen stopped while a start or call waited on it. */
  let stoppedSince: number | null = null;
  const timer = setInterval(() => {
    if (child.listener === null && ++tick % IDLE_POLL_FACTOR !== 0) return;
    // The whole tree: inside the wall the runtime is a child of bwrap, not the spawned process.
    const census = treeCensus(child.pid, limits);
    stoppedSince = census.stopped ? (stoppedSince ?? performance.now()) : null;
    // Idle, or sent a batch whose first call never began (its mark did not come): the stop is no book's doing.
    const idle = child.listener === null || child.awaitingMark;
    if (stoppedSince !== null && performance.now() - stoppedSince >= STOPPED_LIMIT_MS) killChild(child, idle ? STOPPED_IDLE_ERROR : STOPPED_ERROR, idle);
    else if (census.over === "processes") killChild(child, `started more than ${limits.processes} processes at once (a plugin may run at most that many)`);
    else if (census.over === "descriptors") killChild(child, `held more than ${limits.descriptors} open files and connections at once (a plugin may hold at most that many)`);
    else if (census.rssKb !== null && census.rssKb > limitKb) {
      // The files' own bytes are under the tmpfs's size cap; what is named here is their kernel memory, which nothing else bounds.
      const files = census.tmpFiles >= 1000 ? ` (counting the ${census.tmpFiles} files and folders in its /tmp, ${TMP_INODE_KB} KB of kernel memory each: delete the ones it no longer needs)` : "";
      killChild(child, `exceeded memory limit of ${spec.memoryMb} MB${files}`);
    }
  }, everyMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  void child.closed.then(stop);
  return stop;
}

/**
 * Measures the child's data folder every DATA_POLL_MS while it lives (data-quota.ts): over its bound, the
 * plugin is stopped with the reason, as a memory bomb is. Not at once: the start measured it just before
 * spawning (supervisor.ts), and refuses to start a plugin over its bound.
 */
export function watchDataFolder(child: Child, spec: LaunchSpec, everyMs = DATA_POLL_MS): () => void {
  let walking = false;
  let stopped = false;
  const check = () => {
    if (walking || stopped || child.exited) return;
    walking = true;
    void dataFolderProblem(spec, heldOnDataDisk(child.pid, spec.dataDir))
      .then((problem) => {
        if (problem && !stopped) killChild(child, problem);
      })
      .finally(() => (walking = false));
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  void child.closed.then(stop);
  return stop;
}

/** What the child's tree holds in deleted files on its data folder's disk; 0 when that cannot be told. */
function heldOnDataDisk(pid: number, dataDir: string): number {
  try {
    return heldDeletedBytes(pid, fs.statSync(dataDir).dev);
  } catch {
    return 0;
  }
}

/** Resolves when the child is gone, or after a bound (a process stuck in the kernel must not hang the host). */
export async function waitGone(child: Child): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([child.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)))]);
  clearTimeout(timer);
}
