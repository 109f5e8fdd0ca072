/**
 * One running plugin, seen from the host: spawns the runner in its own process
 * group, frames and validates the protocol, enforces the per-call timeout and
 * the memory limit, and restarts the plugin after a timeout or crash so the
 * rest of the batch still runs. Nothing a plugin does can reach the host's
 * output, and no plugin process outlives the host (see killAll).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { openBoundedLog, type BoundedLog, type BoundedLogOptions } from "./bounded-log.js";
import { withDeathSignal } from "./death-signal.js";
import { createLineReader } from "./line-reader.js";
import type { LaunchSpec } from "./plugin-types.js";
import {
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  RunnerMessage,
  type InitMessage,
  type PluginBook,
  type ResultMessage,
} from "./protocol.js";
import type { RuntimeLauncher } from "./runtime-launcher.js";
import { treeRssKb } from "./sandbox/process-tree.js";
import { wallCommand, type WalledCommand } from "./sandbox/wall.js";

/** What happened to one book, before the host looks at the returned data. */
export type ProcessOutcome = "ok" | "skipped" | "error" | "timeout" | "crash" | "invalid_output";

export interface CallResult {
  outcome: ProcessOutcome;
  /** process()'s return value (outcome ok), still unchecked. */
  data?: unknown;
  error?: string;
  duration_ms: number;
}

/** Return "stop" to end the batch now: the remaining books get no result. */
export type ResultListener = (index: number, result: CallResult) => void | "stop";

export interface PluginProcessOptions {
  /** Restarts allowed within one batch before its remaining books are given up (crash). */
  maxRestartsPerBatch?: number;
  /** Wait before the n-th restart within a batch (last value repeats). */
  backoffMs?: readonly number[];
  /** How long teardown() may take at shutdown. */
  teardownMs?: number;
  memoryPollMs?: number;
  log?: BoundedLogOptions;
}

export interface PluginProcess {
  readonly pluginId: string;
  /** pid (= process group id) of the running child, null when none runs. */
  pid(): number | null;
  /** Spawn and set up the plugin if it is not running; rejects with PluginStartError. */
  start(): Promise<void>;
  /** One result per book, in order; undefined for books not run (stopped or aborted). */
  runBatch(books: PluginBook[], onResult?: ResultListener, signal?: AbortSignal): Promise<(CallResult | undefined)[]>;
  /** teardown(), bounded, then the process group is killed. */
  close(): Promise<void>;
}

export type StartStage = "spawn" | "load" | "class" | "setup" | "timeout" | "crash";

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

const DEFAULT_BACKOFF_MS = [0, 100, 500, 2000];
const EXIT_WAIT_MS = 2000;

// ---- every live child, so none outlives the host ----------------------------------

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** SIGKILL every plugin process group still alive. Synchronous: safe in signal and exit handlers. */
export function killAll(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function track(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", killAll);
  }
}

// ---- one spawned child ---------------------------------------------------------------

type ChildEvent =
  | { kind: "message"; message: RunnerMessage }
  | { kind: "oversize" }
  | { kind: "violation"; error: string }
  | { kind: "exit"; error: string };

interface Child {
  proc: ChildProcess;
  pid: number;
  exited: boolean;
  /** Resolves once the process is gone and its pipes are drained. */
  closed: Promise<void>;
  listener: ((event: ChildEvent) => void) | null;
  killReason: string | null;
  stderrTail: string;
}

async function spawnChild(spec: LaunchSpec, launcher: RuntimeLauncher, log: BoundedLog): Promise<Child> {
  let command: WalledCommand;
  try {
    fs.mkdirSync(spec.data_dir, { recursive: true });
    // The wall (sandbox/wall.ts): namespaces, Landlock, egress proxy; dispose() when the process is gone.
    command = await wallCommand(spec, launcher.command(spec));
  } catch (error) {
    throw new PluginStartError("spawn", `cannot start ${spec.plugin_id}: ${(error as Error).message}`, true);
  }
  log.note(`sandbox: ${command.report.level}${command.report.lacks.length ? ` (lacks ${command.report.lacks.join("; ")})` : ""}`);
  const launch = withDeathSignal(command.file, command.args);
  const proc = spawn(launch.file, launch.args, {
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    env: command.env,
    cwd: spec.data_dir,
    detached: true,
  });
  proc.once("close", command.dispose);
  return new Promise((resolve, reject) => {
    proc.once("error", (error) => {
      command.dispose();
      if (proc.pid === undefined) reject(new PluginStartError("spawn", `cannot start ${command.file}: ${error.message}`, true));
    });
    proc.once("spawn", () => resolve(wireChild(proc, spec, log, command.exitStatus)));
  });
}

function wireChild(proc: ChildProcess, spec: LaunchSpec, log: BoundedLog, exitStatus: WalledCommand["exitStatus"]): Child {
  const pid = proc.pid!;
  track(pid);
  log.note(`started ${spec.plugin_id} (pid ${pid})`);
  let markClosed!: () => void;
  const child: Child = {
    proc,
    pid,
    exited: false,
    closed: new Promise((resolve) => (markClosed = resolve)),
    listener: null,
    killReason: null,
    stderrTail: "",
  };
  const emit = (event: ChildEvent) => {
    if (child.listener) child.listener(event);
    else if (event.kind !== "exit") kill(child, `unexpected output while idle (${describeEvent(event)})`);
  };
  const reader = createLineReader(MAX_MESSAGE_BYTES, (line) => emit(parseLine(line)), () => emit({ kind: "oversize" }));
  const protocol = proc.stdio[3] as Readable;
  protocol.on("data", (chunk: Buffer) => reader.push(chunk));
  proc.stdout!.on("data", (chunk: Buffer) => log.write(chunk));
  proc.stderr!.on("data", (chunk: Buffer) => {
    log.write(chunk);
    child.stderrTail = (child.stderrTail + chunk.subarray(-2048).toString("utf8")).slice(-2048);
  });
  for (const stream of [proc.stdin!, proc.stdout!, proc.stderr!, protocol]) {
    stream.on("error", () => {});
    // An idle plugin must not keep the host alive (the exit hook kills it); every
    // wait on a plugin holds its own timer, which keeps the host up meanwhile.
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  proc.unref();
  proc.once("close", (code, signal) => {
    child.exited = true;
    liveGroups.delete(pid);
    // Inside the wall the runtime is bwrap's child: bwrap reports its death by a signal as 128 + signal.
    const status = exitStatus(code, signal);
    const error = exitMessage(child, spec, status.code, status.signal);
    log.note(`process ${pid} ended: ${error}`);
    markClosed();
    emit({ kind: "exit", error });
  });
  return child;
}

function parseLine(line: string): ChildEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { kind: "violation", error: `not JSON: ${line.slice(0, 80)}` };
  }
  const parsed = RunnerMessage.safeParse(raw);
  if (!parsed.success) return { kind: "violation", error: `malformed message: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  return { kind: "message", message: parsed.data };
}

function describeEvent(event: ChildEvent): string {
  if (event.kind === "message") return `${event.message.type} message`;
  if (event.kind === "oversize") return "oversized message";
  return event.kind === "violation" ? event.error : event.kind;
}

function exitMessage(child: Child, spec: LaunchSpec, code: number | null, signal: NodeJS.Signals | null): string {
  if (child.killReason) return child.killReason;
  const tail = child.stderrTail;
  if (tail.includes("JavaScript heap out of memory") || tail.includes("MemoryError")) {
    return `exceeded memory limit of ${spec.memory_mb} MB (heap exhausted)`;
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const lastLine = tail.trim().split("\n").pop()?.trim();
  return `plugin process ${how}${lastLine ? `: ${lastLine.slice(0, 300)}` : ""}`;
}

function kill(child: Child, reason: string): void {
  if (child.exited) return;
  child.killReason ??= reason;
  killGroup(child.pid);
}

/** Polls the child's resident memory; heap limits miss Buffers and native memory. */
function watchMemory(child: Child, spec: LaunchSpec, everyMs: number): () => void {
  const limitKb = (spec.memory_mb * 1.5 + 64) * 1024;
  const timer = setInterval(() => {
    // The whole tree: inside the wall the runtime is a child of bwrap, not the spawned process.
    const rss = treeRssKb(child.pid);
    if (rss !== null && rss > limitKb) kill(child, `exceeded memory limit of ${spec.memory_mb} MB`);
  }, everyMs);
  return () => clearInterval(timer);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitGone(child: Child): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([child.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)))]);
  clearTimeout(timer);
}

/** The first message a runner gets: what to load, with what, and its limits. */
export function initMessage(spec: LaunchSpec): InitMessage {
  return {
    type: "init",
    protocol: PROTOCOL_VERSION,
    plugin_id: spec.plugin_id,
    entry: spec.entry,
    class_name: spec.class_name,
    config: spec.config,
    secrets: spec.secrets,
    allowed_hosts: spec.allowed_hosts,
    memory_bytes: spec.memory_mb * 1024 * 1024,
  };
}

// ---- the plugin process ---------------------------------------------------------------

export function createPluginProcess(spec: LaunchSpec, launcher: RuntimeLauncher, options: PluginProcessOptions = {}): PluginProcess {
  const maxRestarts = options.maxRestartsPerBatch ?? 3;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const teardownMs = options.teardownMs ?? 5000;
  const memoryPollMs = options.memoryPollMs ?? 200;
  let log: BoundedLog | null = null;
  let child: Child | null = null;
  let starting: Promise<void> | null = null;
  let permanentError: string | null = null;
  let nextSeq = 1;
  /**
   * Bumped by close(): a batch that was running then stops instead of
   * restarting the process it just lost; a batch asked for later starts afresh.
   */
  let closes = 0;
  let closing = false;

  const openLog = (): BoundedLog => {
    if (!log) {
      try {
        fs.mkdirSync(path.dirname(spec.log_file), { recursive: true });
      } catch {
        // The log then stays silent (bounded-log swallows write errors); the plugin still runs.
      }
      log = openBoundedLog(spec.log_file, options.log);
    }
    return log;
  };

  const current = (): Child | null => (child && !child.exited ? child : null);

  async function startChild(): Promise<void> {
    if (permanentError) throw new PluginStartError("load", permanentError, true);
    let started: Child;
    try {
      started = await spawnChild(spec, launcher, openLog());
    } catch (error) {
      const failure =
        error instanceof PluginStartError ? error : new PluginStartError("spawn", `cannot start ${spec.plugin_id}: ${(error as Error)?.message}`, true);
      permanentError = failure.message;
      throw failure;
    }
    child = started;
    const stopWatch = watchMemory(started, spec, memoryPollMs);
    try {
      await handshake(started);
    } catch (error) {
      kill(started, "start failed");
      await waitGone(started);
      if (error instanceof PluginStartError && error.permanent) permanentError = error.message;
      throw error;
    } finally {
      stopWatch();
    }
  }

  function handshake(target: Child): Promise<void> {
    const init = initMessage(spec);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        kill(target, `setup did not finish within ${spec.setup_timeout_s} s`);
        fail(new PluginStartError("timeout", `setup did not finish within ${spec.setup_timeout_s} s`, false));
      }, spec.setup_timeout_s * 1000);
      const fail = (error: PluginStartError) => {
        clearTimeout(timer);
        target.listener = null;
        reject(error);
      };
      target.listener = (event) => {
        if (event.kind === "message" && event.message.type === "ready") {
          clearTimeout(timer);
          target.listener = null;
          resolve();
        } else if (event.kind === "message" && event.message.type === "fatal") {
          const { stage, error, detail } = event.message;
          if (detail) openLog().write(`${detail}\n`);
          fail(new PluginStartError(stage, `${STAGE_TEXT[stage]} failed: ${error}`, stage !== "setup"));
        } else if (event.kind === "exit") {
          fail(new PluginStartError("crash", `plugin process ended during start: ${event.error}`, false));
        } else {
          fail(new PluginStartError("crash", `protocol violation during start: ${describeEvent(event)}`, false));
        }
      };
      target.proc.stdin!.write(JSON.stringify(init) + "\n");
    });
  }

  function start(): Promise<void> {
    if (current()) return Promise.resolve();
    starting ??= startChild().finally(() => (starting = null));
    return starting;
  }

  /** Runs books[from..] on a ready child until done, stopped, or the child fails. */
  function runOnChild(
    target: Child,
    books: PluginBook[],
    from: number,
    results: (CallResult | undefined)[],
    onResult: ResultListener | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ next: number; failed: boolean; stopped: boolean }> {
    const timeoutMs = spec.timeout_s * 1000;
    const firstSeq = nextSeq;
    nextSeq += books.length - from;
    const items: { seq: number; book: PluginBook }[] = [];
    for (let i = from; i < books.length; i++) items.push({ seq: firstSeq + i - from, book: books[i] });

    return new Promise((resolve) => {
      let index = from;
      let callStart = performance.now();
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const stopWatch = watchMemory(target, spec, memoryPollMs);

      const finish = (failed: boolean, stopped: boolean) => {
        done = true;
        clearTimeout(timer);
        stopWatch();
        target.listener = null;
        signal?.removeEventListener("abort", onAbort);
        resolve({ next: index, failed, stopped });
      };
      const record = (result: Omit<CallResult, "duration_ms">): boolean => {
        const now = performance.now();
        const full = { ...result, duration_ms: now - callStart } as CallResult;
        results[index] = full;
        index++;
        callStart = now;
        return onResult?.(index - 1, full) === "stop";
      };
      const failCall = (outcome: "timeout" | "crash", error: string) => {
        // Ended by the host's close(), not by the plugin: no outcome, the book stays pending.
        if (closing) {
          kill(target, error);
          return finish(false, true);
        }
        // The host may stop here (the plugin was just auto-disabled): no restart then.
        const stop = record({ outcome, error });
        kill(target, error);
        finish(!stop, stop);
      };
      const onAbort = () => {
        kill(target, "run interrupted");
        finish(false, true);
      };
      // One timer for the whole batch, re-armed lazily: no per-book timer churn.
      const arm = () => {
        timer = setTimeout(onTimer, Math.max(0, callStart + timeoutMs - performance.now()));
      };
      const onTimer = () => {
        // setImmediate runs after pending I/O, so an answer already in the pipe still counts.
        setImmediate(() => {
          if (done) return;
          if (performance.now() - callStart >= timeoutMs) failCall("timeout", `call did not finish within ${spec.timeout_s} s`);
          else arm();
        });
      };

      target.listener = (event) => {
        if (done) return;
        if (event.kind === "exit") return failCall("crash", event.error);
        if (event.kind === "violation") return failCall("crash", `protocol violation: ${event.error}`);
        let stop: boolean;
        if (event.kind === "oversize") {
          stop = record({ outcome: "invalid_output", error: `result larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB` });
        } else if (event.message.type !== "result") {
          return failCall("crash", `protocol violation: unexpected ${event.message.type} message`);
        } else if (event.message.seq !== firstSeq + index - from) {
          return failCall("crash", `protocol violation: result for call ${event.message.seq}, expected ${firstSeq + index - from}`);
        } else {
          stop = record(toCallResult(event.message, openLog()));
        }
        if (stop) {
          kill(target, "stopped by the host");
          finish(false, true);
        } else if (index === books.length) {
          finish(false, false);
        }
      };

      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      arm();
      target.proc.stdin!.write(JSON.stringify({ type: "batch", books: items }) + "\n");
    });
  }

  // One batch at a time per process: results are matched to calls by order.
  let batchQueue: Promise<unknown> = Promise.resolve();
  function runBatch(books: PluginBook[], onResult?: ResultListener, signal?: AbortSignal) {
    const run = batchQueue.then(() => runBatchNow(books, onResult, signal));
    batchQueue = run.catch(() => {});
    return run;
  }

  async function runBatchNow(books: PluginBook[], onResult?: ResultListener, signal?: AbortSignal) {
    const results: (CallResult | undefined)[] = new Array(books.length).fill(undefined);
    let next = 0;
    let restarts = 0;
    let lastFailure = "";
    const giveUp = (error: string) => {
      for (; next < books.length; next++) {
        results[next] = { outcome: "crash", error, duration_ms: 0 };
        if (onResult?.(next, results[next]!) === "stop") return;
      }
    };
    const closesAtStart = closes;
    while (next < books.length && !signal?.aborted && closes === closesAtStart) {
      let target = current();
      if (!target) {
        if (restarts > 0) await sleep(backoff[Math.min(restarts - 1, backoff.length - 1)] ?? 0);
        try {
          await start();
        } catch (error) {
          const message = (error as Error).message;
          if (error instanceof PluginStartError && error.permanent) {
            giveUp(message);
            break;
          }
          restarts++;
          lastFailure = message;
          if (restarts > maxRestarts) {
            giveUp(`gave up after ${maxRestarts} restarts in this batch; last failure: ${lastFailure}`);
            break;
          }
          continue;
        }
        target = current();
        if (!target) {
          // Died right after a good start: counts as a restart so it cannot spin.
          restarts++;
          lastFailure = "plugin process ended right after start";
          if (restarts > maxRestarts) {
            giveUp(`gave up after ${maxRestarts} restarts in this batch; last failure: ${lastFailure}`);
            break;
          }
          continue;
        }
      }
      const run = await runOnChild(target, books, next, results, onResult, signal);
      next = run.next;
      if (run.stopped) break;
      if (run.failed) {
        await waitGone(target);
        restarts++;
        lastFailure = results[next - 1]?.error ?? "";
        if (restarts > maxRestarts && next < books.length) {
          giveUp(`gave up after ${maxRestarts} restarts in this batch; last failure: ${lastFailure}`);
          break;
        }
      }
    }
    return results;
  }

  async function close(): Promise<void> {
    closes++;
    closing = true;
    try {
      if (starting) await starting.catch(() => {});
      const target = current();
      if (target) await teardown(target);
    } finally {
      closing = false;
    }
    child = null;
    (log as BoundedLog | null)?.close();
    log = null;
  }

  async function teardown(target: Child): Promise<void> {
    if (target.listener) {
      // A batch is still running (interrupted shutdown): no time for courtesy.
      kill(target, "plugin closed during a call");
      return waitGone(target);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        openLog().note(`teardown did not finish within ${teardownMs / 1000} s`);
        resolve();
      }, teardownMs);
      target.listener = (event) => {
        if (event.kind === "message" && event.message.type === "teardown_done" && event.message.error) {
          openLog().note(`teardown failed: ${event.message.error}`);
        }
        if (event.kind === "exit" || (event.kind === "message" && event.message.type === "teardown_done")) {
          clearTimeout(timer);
          resolve();
        }
      };
      target.proc.stdin!.write(JSON.stringify({ type: "teardown" }) + "\n");
    });
    target.listener = () => {};
    kill(target, "closed");
    await waitGone(target);
  }

  return { pluginId: spec.plugin_id, pid: () => current()?.pid ?? null, start, runBatch, close };
}

const STAGE_TEXT = { load: "loading the plugin", class: "finding the plugin class", setup: "setup()" } as const;

function toCallResult(message: ResultMessage, log: BoundedLog): Omit<CallResult, "duration_ms"> {
  if (message.outcome === "ok") return { outcome: "ok", data: message.data ?? null };
  if (message.outcome === "skipped") return { outcome: "skipped" };
  if (message.detail) log.write(`${message.detail}\n`);
  return { outcome: "error", error: message.error ?? "process() failed without a message" };
}
