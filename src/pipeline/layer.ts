import type { Claim, FieldName } from "../domain/fields.js";
import type { Db } from "../store/database.js";

export type LayerKind = "builtin" | "plugin" | "http";

/** What the registry knows about a layer (snake_case: it is printed by `layers --json`). */
export interface LayerInfo {
  layer_id: string;
  layer_name: string;
  description: string;
  /** Config key that switches the layer off when false; enabled unless set to false. */
  config_enable_key: string;
  /** 1..999; lower runs first. */
  default_order: number;
  kind: LayerKind;
}

/** A book as a layer sees it: what the store knows, read-only. */
export interface LayerBook {
  book_id: number;
  path: string;
  kind: "folder" | "file";
  library_root: string;
  status: string;
  /** Why the book has its status (what keeps it from being identified, or what it rests on); absent: not known. */
  status_reason?: string | null;
  confidence: number;
  /** Current winning value per field (null when unknown). */
  current: Record<FieldName, string | null>;
  /** Per field: value, confidence and the sources that said it. */
  profile: Record<FieldName, { value: string | null; confidence: number; sources: string[] }>;
  files: { path: string; size: number }[];
  /**
   * Sidecar files the scanner found directly in the book folder and the audio files' companions (same stem:
   * `Dune.jpg` beside `Dune.m4b`; all a single-file book has), absolute paths; absent: not known.
   */
  sidecars?: string[];
  /** First audio file's tags when the embedded_tags layer has run, else null. */
  tags: Record<string, string> | null;
}

/** A layer's answer for one book: claims (possibly none) or an error. */
export type LayerOutcome =
  | { book_id: number; claims: Claim[]; warnings?: string[]; tags?: Record<string, string> }
  | { book_id: number; error: string; kind?: "error" | "timeout" | "crash" | "invalid_output" | "not_run" }
  | { book_id: number; skipped: true };

/** A write that belongs to one batch (a call log, health counters, a state change). */
export type BatchWrite = (db: Db) => void;

/** One book's call starting or ending inside a layer's batch (live progress). */
export interface BookEvent {
  book_id: number;
  phase: "start" | "end";
}

export interface LayerContext {
  /**
   * Present when someone shows live progress: a layer that works on books one
   * by one (a plugin) tells when each book's call starts and ends.
   */
  onBook?(event: BookEvent): void;
  /** Abort signal: set when the user pressed Ctrl-C; finish the batch quickly. */
  signal: AbortSignal;
  /**
   * Present when the orchestrator writes the batch: a layer adds its own
   * records here instead of writing them, and they land in the same
   * transaction as the batch's results (all of a batch or none of it).
   */
  writes?: BatchWrite[];
}

/**
 * A layer implementation. One small interface so the orchestrator can drive
 * built-in, plugin and HTTP layers the same way (see STYLE.md, Vite's container).
 */
/** Batch size of the sidecar layer (see Layer.localBatchSize): ~0.05 s of work a batch, so Ctrl-C and progress still come quickly. */
export const LOCAL_BATCH_SIZE = 500;

export interface Layer {
  info: LayerInfo;
  /** Evidence source id, e.g. `path`, `embedded_tags`, `plugin:my-plugin`. */
  sourceId: string;
  /**
   * What the layer's answers depend on (its code, its settings), as an opaque
   * string. When it differs from the identity stored at the layer's last run,
   * the layer runs again on every book and its new answers (or skips) replace
   * its earlier evidence. Absent: never rerun on its own.
   */
  identity?: string;
  /** Weight given to every claim of this layer (0..100). */
  weight: number;
  /**
   * Books per batch for a layer that calls nothing and reads only local files (sidecars), in place of
   * `batch_size`: much of its batches' cost is the database's per-batch work (the pending read, the commit).
   * `batch_size` is about plugins' calls, which this layer makes none of. Not the path layer: measured, its
   * batches of 500 (500 folder listings in flight at once) cost more CPU than batches of 50.
   */
  localBatchSize?: number;
  /**
   * Consecutive layers that set this run in one pass over the books (see runPassGroup in orchestrator.ts): one
   * read and one write of each batch for all of them. Only for layers whose answer for a book depends on nothing
   * but that book and the files (no calls, no in-flight marks, no `wants`): the built-in path and sidecar layers.
   */
  sharedPass?: boolean;
  /** Optional filter: books this layer wants at all (others get a `skipped` run). */
  wants?(book: LayerBook): boolean;
  processBatch(books: LayerBook[], ctx: LayerContext): Promise<LayerOutcome[]>;
  /**
   * The layer's calls must not be repeated after a crash (a plugin, a paid
   * API): the orchestrator records the books as in flight before the call, in
   * its own transaction, and a book found in flight after a crash gets an
   * `interrupted` error run instead of a second call.
   */
  atMostOnce?: boolean;
  /**
   * Books a crash left in flight with this layer (see atMostOnce): the layer
   * adds its own records of those calls to `writes` (a plugin logs them as
   * `interrupted`, not as its failure).
   */
  recordInterrupted?(bookIds: number[], writes: BatchWrite[]): void;
  /**
   * Said once when the layer's run ends, about the run as a whole (books left
   * pending and why: a web source's circuit breaker refused them without a
   * request); shown with the layer's summary. Each call returns what was said
   * since the last one.
   */
  takeRunNotes?(): string[];
  /** Release resources (child processes, sockets). */
  close?(): Promise<void>;
}
