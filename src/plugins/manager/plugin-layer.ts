/**
 * A pipeline Layer over one plugin process: books go to the plugin as
 * PluginBooks, what comes back is judged (judge.ts) into claims, and every
 * call is told to the health observer as it completes. The layer can be
 * halted (auto-disable: no new call starts, calls in flight get no outcome)
 * and retired (hot reload: a batch in progress may finish, then it halts).
 */
import type { BatchWrite, Layer, LayerBook, LayerContext, LayerInfo, LayerOutcome } from "../../pipeline/layer.js";
import { toPluginBook } from "../protocol/plugin-book.js";
import { createPluginProcess, type PluginProcessOptions } from "../process/supervisor.js";
import type { CallOutcome, LaunchSpec } from "../plugin-types.js";
import type { RuntimeLauncher } from "../process/launch-command.js";
import { judgeAnswer } from "./judge.js";
import { pluginFolderFingerprint } from "./plugin-fingerprint.js";
import type { FolderReader } from "../folder-snapshot.js";

/** One plugin call, as stored in plugin_calls. */
export interface CallRecord {
  plugin_id: string;
  book_id: number;
  /** ISO time the answer arrived. */
  at: string;
  outcome: CallOutcome;
  duration_ms: number;
  /** At most 1000 characters. */
  error: string | null;
  /** The call produced at least one claim. */
  resolved: boolean;
}

/** Told of every call of a batch, in completion order, and of the batch's end. */
export interface HealthObserver {
  onCall(record: CallRecord): void;
  /** After the batch's last answer, with the batch's writes (absent outside the orchestrator). */
  onBatchEnd?(ctx: LayerContext): void;
  /** Books a crash left in flight with this plugin (see Layer.recordInterrupted). */
  onInterrupted?(bookIds: number[], writes: BatchWrite[]): void;
  /**
   * The plugin's process ended in a way no call answers for (it closed its input): its books were sent
   * again, so this is the only trace of it. `at`: ISO time; `error`: at most 1000 characters.
   */
  onProcessEnded?(error: string, at: string): void;
  /** The plugin's process ended its run by a teardown (supervisor.ts onTeardown): what it left behind, if anything. */
  onTeardown?(warnings: string[], at: string): void;
}

export interface PluginLayerOptions {
  info: LayerInfo;
  spec: LaunchSpec;
  launcher: RuntimeLauncher;
  weight: number;
  observer?: HealthObserver;
  /** Shorthand for an observer with only onCall. */
  onCall?: (record: CallRecord) => void;
  /** The layer's position in the pipeline, sent as `verification_layer`; default info.default_order. */
  order?: number;
  process?: PluginProcessOptions;
  /** The start's one reading of the plugin folder (folder-snapshot.ts): the files the layer starts with. */
  reader?: FolderReader;
}

export interface PluginLayer extends Layer {
  /** Start the process ahead of the first batch (see startPluginLayers). */
  start(): Promise<void>;
  pid(): number | null;
  /** Most calls in flight at once so far. */
  peakInFlight(): number;
  /** No new call starts from now on; calls in flight are dropped (their books stay pending). */
  halt(): void;
  /** Lets a batch in progress finish within drainMs, halts, and closes the process. */
  retire(drainMs: number): Promise<void>;
  close(): Promise<void>;
}

const MAX_ERROR_CHARS = 1000;

export function createPluginLayer(options: PluginLayerOptions): PluginLayer {
  const { info, spec } = options;
  const observer: HealthObserver | undefined = options.observer ?? (options.onCall ? { onCall: options.onCall } : undefined);
  const halted = new AbortController();
  // The plugin's files as this layer found them. A process lost mid-run (a crash, a timeout) is started
  // again from the folder: after an edit, a `git pull` or an updater replacing the folder, that is other
  // code (the run's identity is the old one), or no plugin at all, and every book left was a `crash`
  // counted towards auto-disable. Its books stay pending instead, for the next run to give to the new
  // version, as a reload under `serve` leaves them.
  const filesAtStart = pluginFolderFingerprint(spec.folder, options.reader);
  const notes: string[] = [];
  const beforeRestart = (): string | null => {
    if (pluginFolderFingerprint(spec.folder) === filesAtStart) return options.process?.beforeRestart?.() ?? null;
    halted.abort();
    const reason = `the plugin's files changed during this run (${spec.folder}); its books left stay pending for the next run`;
    notes.push(`plugin ${spec.plugin_id} was not started again after its process ended: ${reason}`);
    return reason;
  };
  // A plugin that closed its input cost a process and a restart, and its books were sent again: the
  // observer's entry is the only trace the user's Health page and `plugins health` have of it.
  const onProcessEnded = (error: string) => {
    options.process?.onProcessEnded?.(error);
    if (!observer?.onProcessEnded) return;
    observer.onProcessEnded(truncate(error), new Date().toISOString());
    // Between batches (it noticed its closed input after its last answer): no batch's end will store it.
    if (inFlight.size === 0) observer.onBatchEnd?.({ signal: halted.signal });
  };
  const onTeardown = (warnings: string[]) => {
    options.process?.onTeardown?.(warnings);
    observer?.onTeardown?.(warnings.map(truncate), new Date().toISOString());
  };
  const proc = createPluginProcess(spec, options.launcher, { ...options.process, beforeRestart, onProcessEnded, onTeardown });
  const order = options.order ?? info.default_order;
  const inFlight = new Set<Promise<unknown>>();
  let retiring: Promise<void> | null = null;

  async function processBatch(books: LayerBook[], ctx: LayerContext): Promise<LayerOutcome[]> {
    if (halted.signal.aborted || retiring || books.length === 0) return [];
    const outcomes: LayerOutcome[] = [];
    const pluginBooks = books.map((book) => toPluginBook(book, order));
    const signal = AbortSignal.any([ctx.signal, halted.signal]);
    const starts = ctx.onBook ? callStarts(books, options.spec.concurrency ?? 1, ctx.onBook) : null;
    const run = proc.runBatch(
      pluginBooks,
      (index, result) => {
        starts?.ended(index);
        const bookId = books[index]!.book_id;
        const judged = judgeAnswer(result);
        const error = judged.error;
        if (judged.outcome === "skipped") outcomes.push({ book_id: bookId, skipped: true });
        else if (error !== null) outcomes.push({ book_id: bookId, error, kind: judged.outcome as "error" | "timeout" | "crash" | "invalid_output" | "not_run" });
        else outcomes.push(judged.warnings.length ? { book_id: bookId, claims: judged.claims, warnings: judged.warnings } : { book_id: bookId, claims: judged.claims });
        observer?.onCall({
          plugin_id: spec.plugin_id,
          book_id: bookId,
          at: new Date().toISOString(),
          outcome: judged.outcome,
          duration_ms: Math.round(result.duration_ms * 1000) / 1000,
          // An answer taken without some of its values: the call log says which and why (the claims that
          // remained hid it: the call read as a clean ok, the loss only in the run's summary).
          error: error !== null ? truncate(error) : judged.notes.length > 0 ? truncate(judged.notes.join("; ")) : null,
          resolved: judged.resolved,
        });
      },
      signal,
    );
    inFlight.add(run);
    try {
      await run;
    } finally {
      inFlight.delete(run);
      observer?.onBatchEnd?.(ctx);
    }
    return outcomes;
  }

  async function retireNow(drainMs: number): Promise<void> {
    if (inFlight.size > 0 && drainMs > 0) await settledWithin([...inFlight], drainMs);
    halted.abort();
    await Promise.allSettled([...inFlight]);
    await proc.close();
  }

  return {
    info,
    sourceId: `plugin:${spec.plugin_id}`,
    weight: options.weight,
    atMostOnce: true,
    recordInterrupted: (bookIds, writes) => observer?.onInterrupted?.(bookIds, writes),
    takeRunNotes: () => notes.splice(0),
    processBatch,
    start: () => (retiring ? Promise.resolve() : proc.start()),
    pid: () => proc.pid(),
    peakInFlight: () => proc.peakInFlight(),
    halt: () => halted.abort(),
    retire: (drainMs) => (retiring ??= retireNow(drainMs)),
    // close() without retiring: the layer can run again later (a new process starts).
    close: () => (retiring ?? proc.close()),
  };
}

/**
 * When each book's call starts, for live progress: by the supervisor's rule,
 * calls start in book order as slots free (`concurrency` at once), so the
 * first ones start with the batch and one more each time an answer arrives.
 */
function callStarts(books: LayerBook[], concurrency: number, onBook: NonNullable<LayerContext["onBook"]>) {
  const started = new Set<number>();
  const finished = new Set<number>();
  let next = 0;
  const fill = () => {
    while (started.size < concurrency && next < books.length) {
      const index = next++;
      if (finished.has(index)) continue;
      started.add(index);
      onBook({ book_id: books[index]!.book_id, phase: "start" });
    }
  };
  fill();
  return {
    ended(index: number) {
      finished.add(index);
      started.delete(index);
      onBook({ book_id: books[index]!.book_id, phase: "end" });
      fill();
    },
  };
}

/** Starts many plugin processes at once; failures are left for the first batch to report. */
export function startPluginLayers(layers: PluginLayer[]): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled(layers.map((layer) => layer.start()));
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS - 1) + "…" : text;
}

async function settledWithin(runs: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(runs), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
