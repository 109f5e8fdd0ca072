/**
 * A pipeline Layer over one plugin process: books go to the plugin as
 * PluginBooks, what comes back is validated into claims, and every call is
 * reported (onCall) for the health metrics.
 */
import type { Claim } from "../domain/fields.js";
import { checkClaim } from "../domain/garbage.js";
import type { Layer, LayerBook, LayerInfo, LayerOutcome } from "../pipeline/layer.js";
import { validatePluginOutput } from "./output-validation.js";
import { toPluginBook } from "./plugin-book.js";
import { createPluginProcess, type CallResult, type PluginProcessOptions } from "./plugin-process.js";
import type { CallOutcome, LaunchSpec } from "./plugin-types.js";
import type { PluginBook } from "./protocol.js";
import type { RuntimeLauncher } from "./runtime-launcher.js";

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

export interface PluginLayerOptions {
  info: LayerInfo;
  spec: LaunchSpec;
  launcher: RuntimeLauncher;
  weight: number;
  /**
   * Called once per answered book, as soon as the answer arrives. Return "stop"
   * (the plugin was just auto-disabled) to end the batch: its process is killed,
   * the remaining books get no outcome (they stay pending), and later batches
   * return no outcomes at all.
   */
  onCall?: (record: CallRecord) => void | "stop";
  /** The layer's position in the pipeline, sent as `verification_layer`; default info.default_order. */
  order?: number;
  process?: PluginProcessOptions;
}

export interface PluginLayer extends Layer {
  /** Start the process ahead of the first batch (see startPluginLayers). */
  start(): Promise<void>;
  pid(): number | null;
  close(): Promise<void>;
}

const MAX_ERROR_CHARS = 1000;

export function createPluginLayer(options: PluginLayerOptions): PluginLayer {
  const { info, spec } = options;
  const proc = createPluginProcess(spec, options.launcher, options.process);
  const order = options.order ?? info.default_order;
  let stopped = false;

  async function processBatch(books: LayerBook[], ctx: { signal: AbortSignal }): Promise<LayerOutcome[]> {
    if (stopped || books.length === 0) return [];
    const outcomes: LayerOutcome[] = [];
    const pluginBooks = books.map((book) => toPluginBook(book, order));
    await proc.runBatch(
      pluginBooks,
      (index, result) => {
        const { outcome, record } = judgeCall(spec.plugin_id, books[index].book_id, result);
        outcomes.push(outcome);
        if (options.onCall?.(record) === "stop") {
          stopped = true;
          return "stop";
        }
      },
      ctx.signal,
    );
    return outcomes;
  }

  return {
    info,
    sourceId: `plugin:${spec.plugin_id}`,
    weight: options.weight,
    processBatch,
    start: () => proc.start(),
    pid: () => proc.pid(),
    close: () => proc.close(),
  };
}

/** Starts many plugin processes at once; failures are left for the first batch to report. */
export function startPluginLayers(layers: PluginLayer[]): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled(layers.map((layer) => layer.start()));
}

function judgeCall(pluginId: string, bookId: number, result: CallResult): { outcome: LayerOutcome; record: CallRecord } {
  const record = (outcome: CallOutcome, error: string | null, resolved = false): CallRecord => ({
    plugin_id: pluginId,
    book_id: bookId,
    at: new Date().toISOString(),
    outcome,
    duration_ms: Math.round(result.duration_ms * 1000) / 1000,
    error: error === null ? null : truncate(error),
    resolved,
  });
  if (result.outcome === "skipped") return { outcome: { book_id: bookId, skipped: true }, record: record("skipped", null) };
  if (result.outcome !== "ok") {
    const error = result.error ?? result.outcome;
    return { outcome: { book_id: bookId, error, kind: result.outcome }, record: record(result.outcome, error) };
  }
  const checked = validatePluginOutput(result.data);
  if (!checked.ok) {
    return { outcome: { book_id: bookId, error: checked.error, kind: "invalid_output" }, record: record("invalid_output", checked.error) };
  }
  const claims = toClaims(checked.values);
  const outcome: LayerOutcome = { book_id: bookId, claims };
  if (checked.warnings.length > 0) outcome.warnings = checked.warnings;
  // Resolved means evidence will land: an answer made only of garbage ("Unknown") resolves nothing,
  // which is also what `plugins test` reports. The claims still go on, so the rejections are recorded.
  const resolved = claims.some((claim) => checkClaim(claim.field, claim.value).ok);
  return { outcome, record: record(resolved ? "ok" : "no_result", null, resolved) };
}

function toClaims(values: Record<string, string>): Claim[] {
  const claims: Claim[] = [];
  for (const field in values) claims.push({ field: field as Claim["field"], value: values[field] });
  return claims;
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS - 1) + "…" : text;
}

// ---- in-process comparison (benchmarks only: no isolation at all) ----------------------

export interface InProcessPlugin {
  setup?(config: Record<string, unknown>, secrets: Record<string, string>): unknown;
  canProcess?(book: PluginBook): unknown;
  process(book: PluginBook): unknown;
}

/** Runs a plugin instance in this process the way the runner would, for speed comparisons. */
export async function runInProcess(plugin: InProcessPlugin, books: PluginBook[]): Promise<LayerOutcome[]> {
  const outcomes: LayerOutcome[] = [];
  for (const book of books) {
    const copy = structuredClone(book);
    try {
      if (plugin.canProcess && (await plugin.canProcess(copy)) === false) {
        outcomes.push({ book_id: book.book_id, skipped: true });
        continue;
      }
      const checked = validatePluginOutput((await plugin.process(copy)) ?? null);
      outcomes.push(
        checked.ok
          ? { book_id: book.book_id, claims: toClaims(checked.values) }
          : { book_id: book.book_id, error: checked.error, kind: "invalid_output" },
      );
    } catch (error) {
      outcomes.push({ book_id: book.book_id, error: (error as Error)?.message ?? String(error), kind: "error" });
    }
  }
  return outcomes;
}
