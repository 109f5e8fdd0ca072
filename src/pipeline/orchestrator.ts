import { roundedSeconds } from "../domain/duration-round.js";
import { sentence } from "../domain/command-advice.js";
import { ErrorTally } from "../domain/error-tally.js";
import type { Claim } from "../domain/fields.js";
import { mergeSource, resolveProfile, serializeProfile, type ResolvedProfile } from "../domain/profile.js";
import { decideStatus } from "../domain/book-status.js";
import { renderProposedPath } from "../domain/naming-template.js";
import type { Db } from "../store/database.js";
import {
  booksAwaitingStatus,
  countPendingForAny,
  countPendingForLayer,
  pendingForAny,
  inFlightBooks,
  markInFlight,
  pendingForLayer,
  setBookStatus,
  writeLayerBatch,
  type BookUpdate,
  type PendingBookRow,
  type RunRecord,
} from "../store/layer-runs.js";
import { openBook, sourceAbsent, STORED_FIELDS, type OpenBook } from "./book-view.js";
import type { BatchWrite, BookEvent, Layer, LayerOutcome } from "./layer.js";
import { checkLayerIdentity } from "../store/layer-identity.js";
import { bookWarnings } from "./book-warnings.js";

export interface PipelineOptions {
  db: Db;
  /** Enabled layers in execution order. */
  layers: Layer[];
  /**
   * Layer ids a book must have passed before it gets a final status; default
   * the ids of `layers`. With `process --layer X` this is every enabled layer,
   * so one layer alone never finalizes books on partial evidence.
   */
  statusLayerIds?: string[];
  batchSize: number;
  confidenceThreshold: number;
  namingTemplate: string;
  /** config series_num_padding: the proposed path as `book --set` and the judging again at open render it (default 2). */
  seriesNumPadding?: number;
  signal?: AbortSignal;
  /**
   * The layer's identity (code, settings) differs from the one it last ran
   * with: its earlier runs were cleared and it runs again on every book.
   */
  onLayerChanged?(layer: Layer): void;
  onLayerStart?(layer: Layer, pending: number): void;
  /** After every book that got its answer (layers that report books one by one) and after every batch. */
  onProgress?(layer: Layer, done: number, pending: number): void;
  /** A book's call started or ended inside a layer (plugins report them): what is being worked on, what waits. */
  onBook?(layer: Layer, event: BookEvent): void;
  onLayerEnd?(summary: LayerSummary): void;
}

export interface LayerSummary {
  layer_id: string;
  processed: number;
  evidence_added: number;
  errors: number;
  skipped: number;
  seconds: number;
  /** The first warnings layers gave (unknown result keys, unreadable sidecars), with the book id. */
  warnings: string[];
  /** True when the layer ran again on every book because its identity (code or settings) changed. */
  changed: boolean;
  /**
   * The most common errors of this run, up to three, most frequent first:
   * counted as the runs are written, not looked up by time afterwards (a
   * wall clock set back mid-run hid them).
   */
  top_errors: { error: string; count: number }[];
}

const TOP_ERRORS = 3;
// Sentences (domain/command-advice.ts): shown among a layer's own errors, whose words a page never rewrites, they are
// still shelfwise's advice, said as the page's control.
const INTERRUPTED_PLUGIN = sentence`interrupted: shelfwise stopped while ${0} had this book, so its answer was lost; it is not sent again on its own, so that no call is made twice (\`shelfwise plugins reset ${0}\` retries it)`;
const INTERRUPTED_LAYER = sentence`interrupted: shelfwise stopped while ${0} had this book, so its answer was lost; it is not sent again on its own, so that no call is made twice (\`shelfwise process --layer ${0} --rerun\` retries it)`;

const MAX_SUMMARY_WARNINGS = 20;

export interface PipelineResult {
  layers: LayerSummary[];
  interrupted: boolean;
  /** Books that got their final status in this run. */
  finalized: number;
}

const FINAL_STATUSES = new Set(["identified", "needs_attention"]);

/**
 * Drives every layer the same way (one driver, plain layers): take the books
 * that have not passed the layer, batch them, run the layer, merge evidence
 * under the layer's source id, and write everything the batch produced
 * (profiles, runs, the layer's call records, counters and state changes) in
 * one transaction per batch. Every book handed to a layer gets a run unless
 * the run was interrupted, so no book can loop.
 *
 * An at-most-once layer (a plugin) never gets a book twice because of a
 * crash: the books of a batch are marked in flight (committed) before the
 * call, the mark is cleared in the batch's transaction, and a mark found at
 * the next start means the layer had the book when shelfwise died: the book
 * gets an `interrupted` error run instead of a second call.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const summaries: LayerSummary[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const layers = options.layers;
  for (let i = 0; i < layers.length && !signal.aborted; ) {
    let end = i + 1;
    while (end < layers.length && sharesPass(layers[i]!) && sharesPass(layers[end]!)) end++;
    if (end - i > 1) summaries.push(...(await runPassGroup(layers.slice(i, end), options, signal)));
    else summaries.push(await runLayer(layers[i]!, options, signal));
    i = end;
  }
  const finalized = signal.aborted ? 0 : finalizeStatuses(options);
  return { layers: summaries, interrupted: signal.aborted, finalized };
}

async function runLayer(layer: Layer, options: PipelineOptions, signal: AbortSignal): Promise<LayerSummary> {
  const started = performance.now();
  const layerId = layer.info.layer_id;
  const summary: LayerSummary = { layer_id: layerId, processed: 0, evidence_added: 0, errors: 0, skipped: 0, seconds: 0, warnings: [], changed: false, top_errors: [] };
  const warned = bookWarnings(MAX_SUMMARY_WARNINGS);
  const errorTally = new ErrorTally();
  const countErrors = (runs: readonly RunRecord[], paths?: ReadonlyMap<number, string>) => {
    for (const run of runs) if (run.status === "error") errorTally.add(run.error, paths?.get(run.book_id));
  };
  // Before settling interrupted calls: a book a crash left in flight keeps its mark and gets its error run, never a second call.
  if (layer.identity !== undefined && checkLayerIdentity(options.db, layerId, layer.identity) === "changed") {
    summary.changed = true;
    options.onLayerChanged?.(layer);
  }
  if (layer.atMostOnce) {
    const interrupted = settleInterrupted(layer, options.db);
    summary.errors += interrupted.length;
    countErrors(interrupted);
  }
  const pending = countPendingForLayer(options.db, layerId);
  options.onLayerStart?.(layer, pending);
  let afterId = 0;
  const batchSize = layer.localBatchSize ?? options.batchSize;
  // A turn of the event loop before each batch: a layer of synchronous work (the path layer, SQLite
  // writes) never yields otherwise, and Ctrl-C's handler and the progress line wait for the whole layer.
  while ((await nextTurn(), !signal.aborted)) {
    const rows = pendingForLayer(options.db, layerId, afterId, batchSize);
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    const books = rows.map((row) => openBook(row, layer.sourceId));
    const wanted = layer.wants ? books.filter((b) => layer.wants!(b.view)) : books;
    const wantedIds = wanted.map((b) => b.row.id);
    if (layer.atMostOnce && wantedIds.length > 0) markInFlight(options.db, layerId, wantedIds);
    const writes: BatchWrite[] = [];
    let answered = 0;
    const onBook =
      options.onBook || options.onProgress
        ? (event: BookEvent) => {
            options.onBook?.(layer, event);
            if (event.phase === "end") options.onProgress?.(layer, summary.processed + ++answered, pending);
          }
        : undefined;
    const outcomes = await callLayer(layer, wanted, signal, writes, onBook);
    const { updates, runs, evidence } = mergeOutcomes(layer, books, wanted, outcomes, options);
    for (const outcome of outcomes) {
      if (!("warnings" in outcome) || !outcome.warnings) continue;
      for (const warning of outcome.warnings) warned.add(outcome.book_id, warning);
    }
    writeLayerBatch(options.db, layerId, updates, runs, rows, { writes, settledInFlight: layer.atMostOnce ? wantedIds : undefined });
    countErrors(runs, new Map(rows.map((row) => [row.id, row.path])));
    for (const run of runs) {
      summary.processed++;
      if (run.status === "error") summary.errors++;
      if (run.status === "skipped") summary.skipped++;
    }
    summary.evidence_added += evidence;
    options.onProgress?.(layer, summary.processed, pending);
  }
  summary.warnings.push(...warned.lines());
  for (const note of layer.takeRunNotes?.() ?? []) if (summary.warnings.length < MAX_SUMMARY_WARNINGS) summary.warnings.push(note);
  summary.top_errors = errorTally.top(TOP_ERRORS);
  summary.seconds = roundedSeconds((performance.now() - started) / 1000);
  options.onLayerEnd?.(summary);
  return summary;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Only layers that asked for it, and nothing that needs the per-layer machinery (in-flight marks, wants). */
function sharesPass(layer: Layer): boolean {
  return layer.sharedPass === true && !layer.atMostOnce && !layer.wants;
}

/**
 * Consecutive local layers (path, sidecar) in one pass over the books: one read of each batch, every layer in
 * order on it (each sees the evidence of the ones before, as it would in separate passes), and one write: a book's
 * profile and shown values once per batch rather than once per layer, and one commit for all the layers' runs.
 * Writing the shown values is most of a layer's cost (their sort and folded indexes, the search queue), and for a
 * new book every layer of the pass changes them. A book that has some of the layers' runs (a crash between two
 * passes of an older version, `process --layer`) gets only the ones it lacks. Progress is reported under the
 * first layer while the pass runs; the others' summaries follow at its end, each with its share of the time.
 */
async function runPassGroup(layers: Layer[], options: PipelineOptions, signal: AbortSignal): Promise<LayerSummary[]> {
  const ids = layers.map((l) => l.info.layer_id);
  const summaries: LayerSummary[] = ids.map((layer_id) => ({
    layer_id, processed: 0, evidence_added: 0, errors: 0, skipped: 0, seconds: 0, warnings: [], changed: false, top_errors: [],
  }));
  const tallies = layers.map(() => new ErrorTally());
  const warned = layers.map(() => bookWarnings(MAX_SUMMARY_WARNINGS));
  layers.forEach((layer, i) => {
    if (layer.identity !== undefined && checkLayerIdentity(options.db, ids[i]!, layer.identity) === "changed") {
      summaries[i]!.changed = true;
      options.onLayerChanged?.(layer);
    }
  });
  const pending = countPendingForAny(options.db, ids);
  options.onLayerStart?.(layers[0]!, pending);
  const batchSize = Math.max(...layers.map((l) => l.localBatchSize ?? options.batchSize));
  let afterId = 0;
  let done = 0;
  while ((await nextTurn(), !signal.aborted)) {
    const started = performance.now();
    const rows = pendingForAny(options.db, ids, afterId, batchSize);
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    const current = new Map<number, PendingBookRow>(rows.map((row) => [row.id, row]));
    const updates = new Map<number, BookUpdate>();
    const runs: RunRecord[] = [];
    const writes: BatchWrite[] = [];
    const own: number[] = [];
    const runsPer: number[] = [];
    let stopped = false;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      const ownStart = performance.now();
      // Each layer sees the book as the layers before it in this pass left it.
      const needing = rows.filter((row) => row.needs[i] === 1).map((row) => openBook(current.get(row.id)!, layer.sourceId));
      const outcomes = await callLayer(layer, needing, signal, writes, undefined);
      const merged = mergeOutcomes(layer, needing, needing, outcomes, options);
      for (const u of merged.updates) {
        const before = current.get(u.id)!;
        current.set(u.id, { ...before, profile: u.profile, confidence: u.confidence, ...(u.status !== undefined ? { status: u.status } : {}) });
        const earlier = updates.get(u.id);
        updates.set(u.id, earlier ? Object.assign(earlier, u) : u);
      }
      const summary = summaries[i]!;
      for (const outcome of outcomes) {
        if (!("warnings" in outcome) || !outcome.warnings) continue;
        for (const warning of outcome.warnings) warned[i]!.add(outcome.book_id, warning);
      }
      for (const run of merged.runs) {
        runs.push({ ...run, layer_id: ids[i] });
        summary.processed++;
        if (run.status === "error") summary.errors++;
        if (run.status === "skipped") summary.skipped++;
      }
      summary.evidence_added += merged.evidence;
      own.push(performance.now() - ownStart);
      runsPer.push(merged.runs.length);
      // Interrupted inside a layer: the books it did not answer stay pending for it, and the later layers wait.
      if (merged.runs.length < needing.length) {
        stopped = true;
        break;
      }
    }
    writeLayerBatch(options.db, ids[0]!, [...updates.values()], runs, rows, { writes });
    const paths = new Map(rows.map((row) => [row.id, row.path]));
    for (const run of runs) if (run.status === "error") tallies[ids.indexOf(run.layer_id!)]!.add(run.error, paths.get(run.book_id));
    // The shared work (the read, the write) goes to the layers in proportion to the runs they wrote.
    const shared = performance.now() - started - own.reduce((t, x) => t + x, 0);
    own.forEach((ms, i) => (summaries[i]!.seconds += (ms + (runs.length > 0 ? (shared * runsPer[i]!) / runs.length : 0)) / 1000));
    done += rows.length;
    options.onProgress?.(layers[0]!, done, pending);
    if (stopped) break;
  }
  layers.forEach((layer, i) => {
    const summary = summaries[i]!;
    summary.seconds = roundedSeconds(summary.seconds);
    summary.warnings.push(...warned[i]!.lines());
    for (const note of layer.takeRunNotes?.() ?? []) if (summary.warnings.length < MAX_SUMMARY_WARNINGS) summary.warnings.push(note);
    summary.top_errors = tallies[i]!.top(TOP_ERRORS);
    if (i > 0) {
      options.onLayerStart?.(layer, summary.processed);
      options.onProgress?.(layer, summary.processed, summary.processed);
    }
    options.onLayerEnd?.(summary);
  });
  return summaries;
}

/** A layer that throws fails its whole batch, attributed to the layer, and the run goes on. */
async function callLayer(
  layer: Layer,
  books: OpenBook[],
  signal: AbortSignal,
  writes: BatchWrite[],
  onBook: ((event: BookEvent) => void) | undefined,
): Promise<LayerOutcome[]> {
  if (books.length === 0) return [];
  try {
    return await layer.processBatch(
      books.map((b) => b.view),
      onBook ? { signal, writes, onBook } : { signal, writes },
    );
  } catch (error) {
    const message = `layer ${layer.info.layer_id} failed: ${(error as Error)?.message ?? String(error)}`;
    return books.map((b) => ({ book_id: b.row.id, error: message }));
  }
}

/** Books a crash left with the layer: an error run each (retried by `plugins reset`), never a second call. Returns those runs. */
function settleInterrupted(layer: Layer, db: PipelineOptions["db"]): RunRecord[] {
  const layerId = layer.info.layer_id;
  const ids = inFlightBooks(db, layerId);
  if (ids.length === 0) return [];
  const error = (layer.info.kind === "plugin" ? INTERRUPTED_PLUGIN : INTERRUPTED_LAYER)(layerId);
  const writes: BatchWrite[] = [];
  layer.recordInterrupted?.(ids, writes);
  const runs: RunRecord[] = ids.map((id) => ({ book_id: id, status: "error", error }));
  writeLayerBatch(db, layerId, [], runs, undefined, { writes, settledInFlight: ids });
  return runs;
}

function mergeOutcomes(
  layer: Layer,
  books: OpenBook[],
  wanted: OpenBook[],
  outcomes: LayerOutcome[],
  options: PipelineOptions,
): { updates: BookUpdate[]; runs: RunRecord[]; evidence: number } {
  const byId = new Map<number, LayerOutcome>();
  for (const outcome of outcomes) if (!byId.has(outcome.book_id)) byId.set(outcome.book_id, outcome);
  const wantedIds = new Set(wanted.map((b) => b.row.id));
  const updates: BookUpdate[] = [];
  const runs: RunRecord[] = [];
  let evidence = 0;
  // A skip replaces the layer's earlier evidence (a rerun, a changed plugin) by nothing.
  const skip = (book: OpenBook) => {
    runs.push({ book_id: book.row.id, status: "skipped", error: null });
    if (!sourceAbsent(book.row, layer.sourceId)) updates.push(applyClaims(layer, book, [], options));
  };
  for (const book of books) {
    const id = book.row.id;
    if (!wantedIds.has(id)) {
      skip(book);
      continue;
    }
    const outcome = byId.get(id);
    // No outcome: the layer stopped early (interrupt, plugin disabled); the book stays pending.
    if (!outcome) continue;
    if ("skipped" in outcome) {
      skip(book);
    } else if ("error" in outcome) {
      runs.push({ book_id: id, status: "error", error: truncate(outcome.error, 1000) });
    } else {
      // No claims from a source that never spoke about this book: nothing to merge or write but the run.
      if (outcome.claims.length === 0 && !outcome.tags && sourceAbsent(book.row, layer.sourceId)) {
        runs.push({ book_id: id, status: "ok", error: runWarnings(layer, outcome.warnings) });
        continue;
      }
      let update: BookUpdate;
      try {
        update = applyClaims(layer, book, outcome.claims, options);
      } catch (error) {
        // Claims the profile refuses outright (unknown field, bad weight) fail this book only.
        const message = `layer ${layer.info.layer_id} gave unusable claims: ${(error as Error)?.message ?? String(error)}`;
        runs.push({ book_id: id, status: "error", error: truncate(message, 1000) });
        continue;
      }
      if (outcome.tags) update.tags = JSON.stringify(outcome.tags);
      // Nothing new (a layer with no opinion, a rerun with the same answer): only the run is written.
      const unchanged = update.profile === book.row.profile && update.tags === undefined && update.status === undefined;
      if (!unchanged) updates.push(update);
      evidence += outcome.claims.length;
      runs.push({ book_id: id, status: "ok", error: runWarnings(layer, outcome.warnings) });
    }
  }
  return { updates, runs, evidence };
}

function applyClaims(layer: Layer, book: OpenBook, claims: Claim[], options: PipelineOptions): BookUpdate {
  const profile = mergeSource(book.profile(), layer.sourceId, layer.weight, claims);
  const resolved = resolveProfile(profile);
  const update: BookUpdate = {
    id: book.row.id,
    profile: serializeProfile(profile),
    confidence: resolved.confidence,
    fields: storedFields(resolved),
  };
  // A book that already had a final status is re-judged as soon as its evidence changes.
  if (FINAL_STATUSES.has(book.row.status)) Object.assign(update, judge(resolved, options));
  return update;
}

function storedFields(resolved: ResolvedProfile): BookUpdate["fields"] {
  const fields = {} as BookUpdate["fields"];
  for (const field of STORED_FIELDS) fields[field] = resolved.fields[field].value;
  return fields;
}

function judge(resolved: ResolvedProfile, options: Pick<PipelineOptions, "confidenceThreshold" | "namingTemplate" | "seriesNumPadding">) {
  const { status, reason } = decideStatus(resolved, options.confidenceThreshold);
  const values: Record<string, string | null> = {};
  for (const [field, state] of Object.entries(resolved.fields)) values[field] = state.value;
  return { status, status_reason: reason, proposed_path: renderProposedPath(options.namingTemplate, values, options.seriesNumPadding === undefined ? undefined : { seriesNumPadding: options.seriesNumPadding }) };
}

/** After the last layer: books that passed every enabled layer get their final status. */
function finalizeStatuses(options: PipelineOptions): number {
  const ids = options.statusLayerIds ?? options.layers.map((layer) => layer.info.layer_id);
  const rows = booksAwaitingStatus(options.db, ids);
  const updates = rows.map((row) => {
    const resolved = resolveProfile(openBook(row).profile());
    return { id: row.id, row_version: row.row_version, ...judge(resolved, options) };
  });
  return setBookStatus(options.db, updates);
}

/**
 * An ok run's warnings as stored with the run (LayerRunRow.error), so `book ID` and the book page tell them, not only
 * the run's summary: a file cut short by an interrupted download is the book's, long after the scan's log is gone.
 */
function runWarnings(layer: Layer, warnings: readonly string[] | undefined): string | null {
  // Built-in layers' only (files cut short, tags left out): a plugin's are about its answer, and stay in the run's summary.
  if (layer.info.kind !== "builtin" || !warnings || warnings.length === 0) return null;
  const lines = warnings.slice(0, MAX_RUN_WARNINGS).map((w) => truncate(w.replace(/[\r\n]+/gu, " "), 1000));
  if (warnings.length > MAX_RUN_WARNINGS) lines.push(`(and ${warnings.length - MAX_RUN_WARNINGS} more)`);
  return lines.join("\n");
}
const MAX_RUN_WARNINGS = 5;

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}
