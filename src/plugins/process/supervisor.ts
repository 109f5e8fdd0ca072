/**
 * One running plugin, seen from the host: starts the runner (child.ts), keeps
 * up to `concurrency` calls in flight, enforces each call's timeout, and
 * restarts the plugin after a timeout or crash so the rest of the batch still
 * runs. Results may arrive in any order; they are matched to books by `seq`.
 *
 * Timing: the runner starts queued calls in `seq` order whenever a slot is
 * free. The host mirrors that rule, so a call's clock starts when the host
 * sees its slot free (never earlier than in the runner).
 *
 * Fairness when a process is lost with calls in flight:
 * - timeout: the call that ran out of time is blamed (`timeout`); the others
 *   are sent again after the restart, unblamed. When several run out of time
 *   at the same instant (one blocking the event loop holds up the rest), none
 *   is: they are sent again one at a time, like crash suspects;
 * - crash: with one call running, that call is blamed (`crash`); with several,
 *   none is: they are sent again one at a time after the restart, so that a
 *   book that crashes the plugin is found and blamed alone;
 * - interrupted (the signal aborts: Ctrl-C, auto-disable, a reload): nothing
 *   is blamed and the unanswered books get no result (they stay pending).
 */
import { roundedMs } from "../../domain/duration-round.js";
import { counted } from "../../domain/plural.js";
import { locateSyntaxError } from "./syntax-locate.js";
import { importHint } from "./import-hint.js";
import { withLibraryHint, withSandboxHint, withSecretHint } from "./sandbox-hint.js";
import fs from "node:fs";
import path from "node:path";
import { openBoundedLog, type BoundedLog, type BoundedLogOptions } from "./bounded-log.js";
import {
  describeEvent,
  killChild,
  PluginStartError,
  sendMessage,
  spawnChild,
  waitGone,
  watchTree,
  watchDataFolder,
  type Child,
} from "./child.js";
import type { LaunchSpec } from "../plugin-types.js";
import { INPUT_CLOSED_ERROR, inputClosedAgain, inputClosedInARow, lostInARow } from "../runner/input-closed.js";
import type { SecretMask } from "../../domain/secret-mask.js";
import { specSecretMask } from "../spec-secret-mask.js";
import { authorPaths } from "./author-paths.js";
import { pluginLoadOf, PROTOCOL_VERSION, tooLargeError, type InitMessage, type PluginBook, type ResultMessage } from "../protocol/protocol.js";
import type { RuntimeLauncher, SpawnWrapper } from "./launch-command.js";
import { createRateWindow, type RateWindow } from "../../domain/rate-window.js";
import type { TreeLimits } from "../sandbox/process-tree.js";
import { withoutSecrets } from "./answer-secrets.js";
import { dataFolderProblem } from "./data-quota.js";

export { PluginStartError, type StartStage } from "./child.js";
export { killAll } from "./process-group.js";

/** What happened to one book, before the host looks at the returned data. */
export type ProcessOutcome = "ok" | "skipped" | "error" | "timeout" | "crash" | "invalid_output" | "not_run";

export interface CallResult {
  outcome: ProcessOutcome;
  /** process()'s return value (outcome ok), still unchecked; fields holding one of the plugin's secrets are taken out. */
  data?: unknown;
  /** With the plugin's secrets masked. */
  error?: string;
  duration_ms: number;
  /** What the host changed in the answer on its way (a field dropped for holding a secret). */
  warnings?: string[];
}

/** Told of every answer as it arrives (completion order), with the book's index in the batch. */
export type ResultListener = (index: number, result: CallResult) => void;

export interface PluginProcessOptions {
  /** Restarts allowed within one batch before its remaining books are given up (`not_run`). */
  maxRestartsPerBatch?: number;
  /** Wait before the n-th restart within a batch (last value repeats). */
  backoffMs?: readonly number[];
  /** How long teardown() may take at shutdown. */
  teardownMs?: number;
  memoryPollMs?: number;
  /** Bounds on the plugin's processes and open descriptors (default: sandbox/process-tree.ts). */
  treeLimits?: TreeLimits;
  log?: BoundedLogOptions;
  /** Applied to the final spawn command (a sandbox). */
  wrap?: SpawnWrapper;
  /**
   * Told each time a book is held back by rate_limit_per_minute, with how long until the limit allows its
   * call (ms): a run that seems stalled is waiting on the limit, and a test sees the limit hold without
   * waiting to see no call come.
   */
  onRateLimitWait?: (waitMs: number) => void;
  /**
   * Asked before the plugin is started again after its process was lost (a crash, a timeout), not at its
   * first start: a reason stops the batch there instead, its books left without a result (as an abort
   * leaves them), and the reason goes to the plugin's log. The layer says so when the plugin's files
   * changed since it started.
   */
  beforeRestart?: () => string | null;
  /**
   * Told when a process of the plugin ended in a way no call answers for (it closed its input, stdin,
   * shelfwise's channel: see runner/input-closed.ts), with the reason, its secrets masked. Its books are
   * sent again, so without this no call log or health entry would say what the plugin did. Not told when
   * a call running then already answered with that reason (that call names it).
   */
  onProcessEnded?: (error: string) => void;
  /**
   * Told at a teardown after calls, with what the runner said the plugin left behind (teardown_done's warnings:
   * a setInterval still running, work still pending), its secrets masked; empty when nothing was. Not told at the
   * end of a process that answered no call (a start check): that says nothing of how the plugin ends its runs.
   */
  onTeardown?: (warnings: string[]) => void;
}

export interface PluginProcess {
  readonly pluginId: string;
  /** pid (= process group id) of the running child, null when none runs. */
  pid(): number | null;
  /** Spawn and set up the plugin if it is not running; rejects with PluginStartError. */
  start(): Promise<void>;
  /**
   * One result per book; undefined for books not run (the signal aborted, or
   * close()). Aborting the signal stops new calls at once: the process is
   * killed and calls in flight get no result.
   */
  runBatch(books: PluginBook[], onResult?: ResultListener, signal?: AbortSignal): Promise<(CallResult | undefined)[]>;
  /** Most calls that were in flight at once since this process object was made. */
  peakInFlight(): number;
  /** teardown(), bounded, then the process group is killed. */
  close(): Promise<void>;
}

const DEFAULT_BACKOFF_MS = [0, 100, 500, 2000];
export const FORGED_ANSWER =
  "protocol violation: the plugin wrote an answer for a book whose call had not started (plugin code writing on shelfwise's channel, not returning from process())";
/**
 * A second answer for a call already answered: plugin code wrote one on the channel and then returned (or the
 * other way round). It came once the host had begun the next call, whose book was blamed for it ("result for
 * call N, which is not in flight") though the runner had not started it. The call answered twice is the one at
 * fault, and its answer is already taken: no book is blamed, the process is ended (counted as a process the
 * plugin lost, in its health and in the streak that stops restarting it), and its books still to run go to a
 * fresh one.
 */
export const ANSWERED_TWICE =
  "protocol violation: the plugin answered one call twice (plugin code writing an answer on shelfwise's channel, besides returning from process()): shelfwise kept the first answer, ended the process, blamed no other book, and sends the books left to a fresh process";
/** What setup_timeout counts, said with a start that ran out of it. */
export const SETUP_TIMEOUT_COVERS = "the limit counts loading the plugin too: code at the top level of its module, an import that hangs, runs before setup()";
const CLOSED_DURING_START = "closed while starting (shelfwise stopped or replaced the plugin)";

/** The first message a runner gets: what to load, with what, and its limits. */
export function initMessage(spec: LaunchSpec, callMark = ""): InitMessage {
  return {
    type: "init",
    protocol: PROTOCOL_VERSION,
    ...pluginLoadOf(spec),
    memory_bytes: spec.memoryMb * 1024 * 1024,
    max_file_bytes: (spec.maxFileMb ?? 0) * 1024 * 1024,
    concurrency: spec.concurrency ?? 1,
    call_mark: callMark,
  };
}

/** A start failure made actionable: where a JavaScript syntax error is, a relative import's missing extension, how to get access the sandbox refused. */
function explainStartError(spec: LaunchSpec, stage: string, error: string): string {
  let text = authorPaths(spec.stagedCopy, spec.folder)(error);
  if (stage === "load" && spec.runtime === "node" && /SyntaxError/.test(error) && !/:\d+:\d+/.test(error)) {
    const where = locateSyntaxError(spec.folder, error, path.join(spec.folder, path.basename(spec.entry)));
    if (where) text = `${where}: ${error}`;
  }
  // The hint reads the staged copy's paths (the files Node looked for), so it is found on the error as Node wrote it.
  if (stage === "load" && spec.runtime === "node") {
    const hint = importHint(error, spec.entry, spec.folder);
    if (hint) text = `${text} — ${hint}`;
  }
  return withSecretHint(withSandboxHint(withLibraryHint(text, spec.unreadLibraryPaths)), spec.undeclaredSecretNames);
}

const STAGE_TEXT = { load: "loading the plugin", class: "finding the plugin class", setup: "setup()" } as const;

/** Why a run on one child ended; `suspects`: calls running together when the process crashed. */
type RunEnd = { end: "done" | "stopped" } | { end: "lost"; suspects: number[]; error: string };

export function createPluginProcess(spec: LaunchSpec, launcher: RuntimeLauncher, options: PluginProcessOptions = {}): PluginProcess {
  const ownPaths = authorPaths(spec.stagedCopy, spec.folder);
  const maxRestarts = options.maxRestartsPerBatch ?? 3;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const teardownMs = options.teardownMs ?? 5000;
  const memoryPollMs = options.memoryPollMs ?? 200;
  /** Calls the runner runs at once (its init message says so). */
  const runnerSlots = Math.max(1, spec.concurrency ?? 1);
  const concurrency = runnerSlots;
  // The values handed to this plugin, masked in its log, its errors, and refused as evidence: shelfwise never shows them.
  const secrets = specSecretMask(spec);
  // Lives as long as this object, not a child: the limit holds across restarts.
  const limiter: RateWindow | null = spec.rateLimitPerMinute ? createRateWindow(spec.rateLimitPerMinute, 60_000) : null;
  let log: BoundedLog | null = null;
  let child: Child | null = null;
  let starting: Promise<void> | null = null;
  let permanentError: string | null = null;
  let nextSeq = 1;
  let peak = 0;
  /** A process of this plugin has been spawned: a later start is a restart (beforeRestart). */
  let spawned = false;
  /** Bumped by close(): a batch running then stops instead of restarting the process it just lost. */
  let closes = 0;
  let closing = false;

  const openLog = (): BoundedLog => {
    if (!log) {
      try {
        fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
      } catch {
        // The log then stays silent (bounded-log swallows write errors); the plugin still runs.
      }
      log = openBoundedLog(spec.logFile, { ...options.log, mask: secrets });
    }
    return log;
  };

  const current = (): Child | null => (child && !child.exited ? child : null);
  /** Processes whose end a call's answer already named (the call running when the plugin closed its input). */
  const named = new WeakSet<Child>();
  /**
   * Processes in a row lost through the plugin's own doing with no call to blame: it closed its input (stdin),
   * or its process ended between calls (it exited after answering, wrote a line while idle, went over a limit in
   * the background). Across batches; a process that answers a second call ends the streak. Two in a row and no
   * third is started (runBatchNow): with one-book batches the per-batch rules never fire, every answer was ok,
   * and such a plugin cost a process per book for ever.
   */
  let lostStreak = 0;
  /** Why the streak's last process ended, and whether all of them closed their input (the refusal says which). */
  let streakLast = INPUT_CLOSED_ERROR;
  let streakAllClosed = true;
  const answersOf = new WeakMap<Child, number>();
  /** Processes past their handshake: one that ends idle before it is a failed start (restarts count those). */
  const serving = new WeakSet<Child>();
  /** Processes a run lost or stopped (runOnChild): their end comes after the run let go of them. */
  const endedInRun = new WeakSet<Child>();

  async function startChild(): Promise<void> {
    if (permanentError) throw new PluginStartError("load", permanentError, true);
    const closesAtStart = closes;
    // Measured before the process exists, and awaited: measured beside the handshake, a start under load
    // could answer `ready` first, and a plugin over its bound counted as started (`plugins list` said
    // active). Permanent for this batch (no restart loop), but not remembered: once files are deleted
    // there, the next start runs.
    const overBound = await dataFolderProblem(spec);
    if (overBound) throw new PluginStartError("spawn", overBound, true);
    let started: Child;
    try {
      started = await spawnChild(spec, launcher, openLog(), options.wrap);
    } catch (error) {
      const failure =
        error instanceof PluginStartError ? error : new PluginStartError("spawn", `cannot start ${spec.plugin_id}: ${(error as Error)?.message}`, true);
      permanentError = failure.message;
      throw failure;
    }
    child = started;
    spawned = true;
    started.onEnd = (end) => {
      if (closing) return;
      // Between calls: no call answers for this end, so the call log hears of it here or nowhere.
      const idle = started.listener === null && serving.has(started) && !endedInRun.has(started);
      const lost = end.blameless ? end.error : `plugin process ended between calls: ${end.error}`;
      if (end.blameless || idle) {
        lostStreak++;
        streakLast = secrets.text(lost);
        streakAllClosed &&= end.blameless === true && end.error === INPUT_CLOSED_ERROR;
      }
      if (end.blameless && !named.has(started)) options.onProcessEnded?.(secrets.text(end.error));
      else if (idle && !end.blameless) options.onProcessEnded?.(secrets.text(lost));
    };
    // For the child's whole life (it stops when the child is gone): during start, calls and in between.
    watchTree(started, spec, memoryPollMs, options.treeLimits);
    watchDataFolder(started, spec);
    try {
      // close() came while the process was being spawned: no setup to wait for.
      if (closes !== closesAtStart) throw new PluginStartError("crash", CLOSED_DURING_START, false);
      await handshake(started);
      serving.add(started);
    } catch (error) {
      killChild(started, "start failed");
      await waitGone(started);
      if (error instanceof PluginStartError && error.permanent) permanentError = error.message;
      throw error;
    }
  }

  function handshake(target: Child): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // The limit covers loading too: a plugin hanging in an import or other top-level code (not setup) was
        // told only "setup", and its author looked at setup().
        const error = `setup did not finish within ${spec.setupTimeoutSeconds} s (${SETUP_TIMEOUT_COVERS})`;
        killChild(target, error);
        fail(new PluginStartError("timeout", error, false));
      }, spec.setupTimeoutSeconds * 1000);
      const fail = (error: PluginStartError) => {
        clearTimeout(timer);
        target.listener = null;
        // Every reason here may quote the plugin (the last line it wrote on stderr before it died in
        // setup, an exception naming a URL with its key): it becomes the plugin's state reason and each
        // book's error, so its secrets are masked as in a call's answer.
        const masked = secrets.text(error.message);
        reject(masked === error.message ? error : new PluginStartError(error.stage, masked, error.permanent));
      };
      target.listener = (event) => {
        if (event.kind === "message" && event.message.type === "ready") {
          clearTimeout(timer);
          target.listener = null;
          resolve();
        } else if (event.kind === "message" && event.message.type === "fatal") {
          const { stage, error, detail } = event.message;
          if (detail) openLog().write(`${detail}\n`);
          fail(new PluginStartError(stage, `${STAGE_TEXT[stage]} failed: ${explainStartError(spec, stage, error)}`, stage !== "setup"));
        } else if (event.kind === "exit") {
          fail(new PluginStartError("crash", `plugin process ended during start: ${ownPaths(event.error)}`, false));
        } else {
          fail(new PluginStartError("crash", `protocol violation during start: ${describeEvent(event)}`, false));
        }
      };
      sendMessage(target, initMessage(spec, target.callMark));
    });
  }

  function start(): Promise<void> {
    if (current()) return Promise.resolve();
    starting ??= startChild().finally(() => (starting = null));
    return starting;
  }

  /**
   * Runs the books at `indices` on a ready child, at most `slots` at once,
   * until every one has a result, the child is lost (restart), or the run is
   * stopped. Indices answered are removed from `todo`.
   */
  function runOnChild(
    target: Child,
    books: PluginBook[],
    indices: number[],
    slots: number,
    todo: Set<number>,
    results: (CallResult | undefined)[],
    onResult: ResultListener | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RunEnd> {
    const timeoutMs = spec.timeoutSeconds * 1000;
    const concurrency = slots;
    const queue = [...indices].sort((a, b) => a - b);
    let unanswered = queue.length;
    /** Sent and unanswered, in seq order; `started` once the runner has a slot for it. */
    const sent = new Map<number, { index: number; started: number | null }>();
    /** Calls this run has taken an answer for: another answer for one is no running call's (ANSWERED_TWICE). */
    const answered = new Set<number>();
    let running = 0;

    return new Promise((resolve) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      let paceTimer: NodeJS.Timeout | undefined;

      let lostWith = "";
      const finish = (end: RunEnd["end"], suspects: number[] = []) => {
        if (done) return;
        done = true;
        // Lost or stopped during this run (a timeout's kill, a crash, an interruption): its end, seen after the
        // run let go of it, is this run's to account for, not one between calls.
        if (end !== "done") endedInRun.add(target);
        clearTimeout(timer);
        clearTimeout(paceTimer);
        target.listener = null;
        signal?.removeEventListener("abort", onAbort);
        resolve(end === "lost" ? { end, suspects, error: lostWith } : { end });
      };
      /** The runner's rule: calls start in seq order as slots free. */
      const fillSlots = () => {
        const now = performance.now();
        for (const call of sent.values()) {
          if (running >= concurrency) break;
          if (call.started === null) {
            call.started = now;
            running++;
          }
        }
        if (running > peak) peak = running;
      };
      const record = (seq: number, answer: Omit<CallResult, "duration_ms">) => {
        if (answer.error === INPUT_CLOSED_ERROR) named.add(target);
        const answers = (answersOf.get(target) ?? 0) + 1;
        answersOf.set(target, answers);
        if (answers === 2) {
          lostStreak = 0;
          streakAllClosed = true;
        }
        const result = withoutSecrets(answer, secrets);
        const call = sent.get(seq)!;
        sent.delete(seq);
        answered.add(seq);
        if (call.started !== null) running--;
        const full = { ...result, duration_ms: call.started === null ? 0 : roundedMs(performance.now() - call.started) } as CallResult;
        results[call.index] = full;
        todo.delete(call.index);
        unanswered--;
        // The listener may abort the signal (auto-disable): onAbort then ends this run at once.
        onResult?.(call.index, full);
      };
      const oldestRunning = (): number | null => {
        let best: number | null = null;
        let bestStart = Infinity;
        for (const [seq, call] of sent) {
          if (call.started !== null && call.started < bestStart) {
            best = seq;
            bestStart = call.started;
          }
        }
        return best;
      };
      const runningIndices = () => [...sent.values()].filter((call) => call.started !== null).map((call) => call.index);
      const lose = (seq: number | null, outcome: "timeout" | "crash", reason: string, together: number[] = [], blameless = false) => {
        const error = ownPaths(reason);
        // Ended by the host's close(), not by the plugin: no outcome, the books stay pending.
        if (closing) {
          killChild(target, error);
          return finish("stopped");
        }
        killChild(target, error, blameless);
        lostWith = error;
        // A crash with several calls running, or several calls out of time at the same instant
        // (one call blocking the event loop holds up the others), names no culprit: they become
        // suspects, retried alone, so that only the call at fault is blamed.
        const suspects = outcome === "crash" && running > 1 ? runningIndices() : together.map((s) => sent.get(s)!.index);
        if (seq !== null && sent.has(seq) && suspects.length === 0) record(seq, { outcome, error });
        finish(done ? "stopped" : "lost", suspects);
      };
      const onAbort = () => {
        killChild(target, "run interrupted");
        finish("stopped");
      };
      const send = (indices: number[]) => {
        if (indices.length === 0) return;
        // The runner is idle: its next call writes a mark (child.ts watchTree tells a stop before it from one in it).
        if (sent.size === 0) target.awaitingMark = true;
        const items = indices.map((index) => {
          const seq = nextSeq++;
          sent.set(seq, { index, started: null });
          return { seq, book: books[index]! };
        });
        fillSlots();
        sendMessage(target, { type: "batch", books: items });
        arm();
      };
      // Without a rate limit, and with every slot of the runner in use, every book is
      // queued in the runner at once; otherwise a book is sent when one of this run's
      // slots is free and the limit allows a call.
      const paced = limiter !== null || concurrency < runnerSlots;
      const pace = () => {
        // Called again by each answer while a book is held: the earlier hold's timer is dropped, else it
        // outlives the run (finish clears only the last), holding the process up for up to a minute.
        clearTimeout(paceTimer);
        paceTimer = undefined;
        if (done || !paced) return;
        while (queue.length > 0 && sent.size < concurrency) {
          const wait = limiter?.wait() ?? 0;
          if (wait > 0) {
            paceTimer = setTimeout(pace, wait);
            options.onRateLimitWait?.(wait);
            return;
          }
          limiter?.take();
          send([queue.shift()!]);
        }
      };
      // One timer for the earliest deadline, re-armed as calls finish.
      const arm = () => {
        clearTimeout(timer);
        let earliest = Infinity;
        for (const call of sent.values()) if (call.started !== null && call.started < earliest) earliest = call.started;
        if (earliest === Infinity) return;
        timer = setTimeout(onTimer, Math.max(0, earliest + timeoutMs - performance.now()));
      };
      const onTimer = () => {
        // setImmediate runs after pending I/O, so an answer already in the pipe still counts.
        setImmediate(() => {
          if (done) return;
          const now = performance.now();
          const expired = [...sent].filter(([, call]) => call.started !== null && now - call.started >= timeoutMs).map(([seq]) => seq);
          if (expired.length === 0) return arm();
          // One call out of time is a timeout; several at once are suspects (see lose); calls still
          // within their time are sent again.
          const error = `call did not finish within ${spec.timeoutSeconds} s`;
          lose(expired[0]!, "timeout", error, expired.length > 1 ? expired : []);
        });
      };

      target.listener = (event) => {
        if (done) return;
        // Blameless: the unanswered calls are sent again to a fresh process (one at a time when several ran).
        if (event.kind === "exit") return lose(event.blameless ? null : oldestRunning(), "crash", event.error);
        if (event.kind === "violation") return lose(oldestRunning(), "crash", `protocol violation: ${event.error}`);
        if (event.kind === "unusable") {
          if (event.seq !== null && answered.has(event.seq)) return lose(null, "crash", ANSWERED_TWICE, [], true);
          const seq = event.seq !== null && sent.has(event.seq) ? event.seq : concurrency === 1 ? oldestRunning() : null;
          if (seq === null) return lose(oldestRunning(), "crash", `protocol violation: ${event.error}, for no known call`);
          record(seq, { outcome: "invalid_output", error: event.error });
        } else if (event.message.type !== "result") {
          return lose(oldestRunning(), "crash", `protocol violation: unexpected ${event.message.type} message`);
        } else if (answered.has(event.message.seq)) {
          return lose(null, "crash", ANSWERED_TWICE, [], true);
        } else if (!sent.has(event.message.seq)) {
          return lose(oldestRunning(), "crash", `protocol violation: result for call ${event.message.seq}, which is not in flight`);
        } else if (sent.get(event.message.seq)!.started === null) {
          // The runner starts calls in seq order as slots free, and the host has seen every answer that freed
          // one: an answer for a call not started yet is plugin code writing on the channel (a Python plugin
          // calling the runner's send(), a Node one writing to descriptor 3), answering a book it was never
          // asked about yet, past its can_process. The call running is blamed.
          return lose(oldestRunning(), "crash", FORGED_ANSWER);
        } else {
          record(event.message.seq, toCallResult(event.message, openLog(), spec));
        }
        if (done) return;
        if (unanswered === 0) return finish("done");
        fillSlots();
        arm();
        pace();
      };

      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      if (paced) pace();
      else send(queue.splice(0));
    });
  }

  // One batch at a time per process.
  let batchQueue: Promise<unknown> = Promise.resolve();
  function runBatch(books: PluginBook[], onResult?: ResultListener, signal?: AbortSignal) {
    const run = batchQueue.then(() => runBatchNow(books, onResult, signal));
    batchQueue = run.catch(() => {});
    return run;
  }

  async function runBatchNow(books: PluginBook[], onResult?: ResultListener, signal?: AbortSignal) {
    const results: (CallResult | undefined)[] = new Array(books.length).fill(undefined);
    const todo = new Set(books.map((_, index) => index));
    let restarts = 0;
    /** Processes of this batch that ended because the plugin closed its input (stdin). */
    let inputClosures = 0;
    let lastFailure = "";
    /** The last lost process is in the call log already (a call blamed, or onProcessEnded), unlike a failed start. */
    let lastLossRecorded = false;
    /** Books running together when the process crashed: sent again one at a time, so the culprit is found. */
    let suspects: number[] = [];
    const closesAtStart = closes;
    const live = () => todo.size > 0 && !signal?.aborted && closes === closesAtStart;
    /**
     * The one way a batch gives up: every book left gets the reason, as `not_run`. They never reached the plugin: a
     * `crash` each made the plugin's crash count (and auto-disable) count its books, not its failures. The losses
     * that led here are counted once each where they happened: a call blamed (a book of this batch), a process lost
     * with no call to blame (onProcessEnded). A failed start is recorded nowhere (a setup that timed out, a start
     * that can never succeed): when the last loss was one, the first book left carries it as a `crash`.
     */
    const giveUp = (error: string) => {
      let alreadyCounted = lastLossRecorded;
      for (const index of [...todo].sort((a, b) => a - b)) {
        if (signal?.aborted) return;
        todo.delete(index);
        results[index] = { outcome: alreadyCounted ? "not_run" : "crash", error, duration_ms: 0 };
        alreadyCounted = true;
        onResult?.(index, results[index]!);
      }
    };
    while (live()) {
      // The one restart path: every lost process (failed start, crash, timeout) passes here.
      if (restarts > 0) {
        if (restarts > maxRestarts) {
          giveUp(`gave up after ${counted(maxRestarts, "restart")} in this batch; last failure: ${lastFailure}`);
          break;
        }
        await sleep(backoff[Math.min(restarts - 1, backoff.length - 1)] ?? 0);
        if (!live()) break;
      }
      if (lostStreak >= 2 && current() === null) {
        // The streak's processes were each recorded as they ended (onProcessEnded, or the answer that named it).
        lastLossRecorded = true;
        giveUp(streakAllClosed ? inputClosedInARow(lostStreak) : lostInARow(lostStreak, streakLast));
        break;
      }
      const held = spawned && current() === null ? (options.beforeRestart?.() ?? null) : null;
      if (held !== null) {
        openLog().note(`not started again: ${held}`);
        break;
      }
      try {
        await start();
      } catch (error) {
        if (error instanceof PluginStartError && error.permanent) {
          giveUp(error.message);
          break;
        }
        restarts++;
        lastFailure = (error as Error).message;
        lastLossRecorded = false;
        continue;
      }
      const target = current();
      if (!target) {
        // Died right after a good start: counts as a restart so it cannot spin.
        restarts++;
        lastFailure = "plugin process ended right after start";
        lastLossRecorded = false;
        continue;
      }
      const before = new Set(todo);
      suspects = suspects.filter((index) => todo.has(index));
      const serial = suspects.length > 0;
      const run = await runOnChild(target, books, serial ? suspects : [...todo], serial ? 1 : concurrency, todo, results, onResult, signal);
      if (run.end !== "lost") continue;
      await waitGone(target);
      lastLossRecorded = true;
      // A plugin that closes its input in every call got one book per process: the batch's restarts went on
      // it (with their backoff) and its last books were a "gave up after 3 restarts" that named the cause
      // only as the last failure. The second closed input in a batch ends it, saying so.
      if (run.error === INPUT_CLOSED_ERROR && ++inputClosures >= 2) {
        giveUp(inputClosedAgain(inputClosures));
        break;
      }
      restarts++;
      if (run.suspects.length > 0) suspects = run.suspects;
      const blamed = [...before].find((index) => !todo.has(index) && results[index] && isLoss(results[index]!));
      lastFailure =
        (blamed !== undefined ? results[blamed]?.error : undefined) ??
        (run.error || `plugin process ended with ${counted(run.suspects.length, "call")} running`);
    }
    return results;
  }

  async function close(): Promise<void> {
    closes++;
    closing = true;
    try {
      // A start in progress is not waited for: a setup() that hangs would hold shutdown (Ctrl-C,
      // SIGTERM, a reload) for setup_timeout, up to 600 s. Its process is killed; start() rejects.
      if (starting && child && !child.exited) killChild(child, CLOSED_DURING_START);
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
      killChild(target, "plugin closed during a call");
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
        if (event.kind === "message" && event.message.type === "teardown_done") {
          const warnings = (event.message.warnings ?? []).map((warning) => ownPaths(secrets.text(warning)));
          if (warnings.length > 0 || (answersOf.get(target) ?? 0) > 0) options.onTeardown?.(warnings);
        }
        if (event.kind === "exit" || (event.kind === "message" && event.message.type === "teardown_done")) {
          clearTimeout(timer);
          resolve();
        }
      };
      sendMessage(target, { type: "teardown" });
    });
    target.listener = () => {};
    killChild(target, "closed");
    await waitGone(target);
  }

  return { pluginId: spec.plugin_id, pid: () => current()?.pid ?? null, start, runBatch, peakInFlight: () => peak, close };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isLoss = (result: CallResult) => result.outcome === "timeout" || result.outcome === "crash";

function toCallResult(message: ResultMessage, log: BoundedLog, spec: LaunchSpec): Omit<CallResult, "duration_ms"> {
  if (message.outcome === "ok") return { outcome: "ok", data: message.data ?? null };
  if (message.outcome === "skipped") return { outcome: "skipped" };
  if (message.outcome === "too_large") return { outcome: "invalid_output", error: tooLargeError(message.size, message.field, message.field_size) };
  if (message.detail) log.write(`${message.detail}\n`);
  const error = authorPaths(spec.stagedCopy, spec.folder)(message.error ?? "process() failed without a message");
  return { outcome: "error", error: withSecretHint(withLibraryHint(error, spec.unreadLibraryPaths), spec.undeclaredSecretNames) };
}
