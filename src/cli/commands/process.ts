import { openCommandSession, requireDataFolder } from "../session.js";
import { pipelineSettings, type Session } from "../../app/session.js";
import path from "node:path";
import { didYouMean } from "../../domain/closest-name.js";
import { attachPlugins, pluginSettings as pluginSettingsOf } from "../../app/attach-plugins.js";
import { loadPlugins } from "../../plugins/manager/plugin-manager.js";
import { BUILTIN_LAYER_IDS } from "../../pipeline/layers/builtin-ids.js";
import { layerListView } from "../../app/layer-list.js";
import type { BookEvent, Layer } from "../../pipeline/layer.js";
import { runPipeline } from "../../pipeline/orchestrator.js";
import { outcomeLines, processOutcome, runBaseline } from "../../app/process-outcome.js";
import { setExitCode } from "../exit-status.js";
import { jobRanToItsEnd } from "../../app/cut-short-job.js";
import { STOP_SIGNALS, stoppedBy, type StopSignal } from "../../app/exit-codes.js";
import { clearRuns } from "../../store/layer-runs.js";
import { countBooks } from "../../store/book-queries.js";
import { UserError } from "../errors.js";
import { printJson, printLines, terminalSafe, printTable, warnLine, isQuiet } from "../output.js";
import { canRedraw, createProgress, type Progress } from "../progress.js";
import { withWriteLock } from "../write-lock.js";
import { quotedInput } from "../../domain/quoted-input.js";


export interface ProcessOptions {
  json?: boolean;
  rerun?: boolean;
  layer?: string;
  wait?: string;
}

export async function processCommand(dataDir: string, options: ProcessOptions): Promise<void> {
  requireDataFolder(dataDir);
  if (options.layer !== undefined) await requireKnownLayer(dataDir, options.layer);
  return withWriteLock(dataDir, "process", options.wait, () => processLocked(dataDir, options));
}

/**
 * `--layer X` naming no layer at all (no built-in, HTTP source or plugin folder of that id): bad input (exit 2)
 * at once, not "the lock is busy" (exit 1) after the wait. Found without starting a plugin; whether the layer
 * may run (switched off, a plugin disabled or failed) is told under the lock, where the plugins start.
 */
async function requireKnownLayer(dataDir: string, id: string): Promise<void> {
  const session = await openCommandSession(dataDir);
  try {
    const plugins = (await loadPlugins(session.db, pluginSettingsOf(session))).map((entry) => entry.id ?? path.basename(entry.folder));
    const known = [...new Set([...BUILTIN_LAYER_IDS, ...session.config.http_sources.map((source) => source.id), ...plugins])];
    if (!known.includes(id)) throw new UserError(`unknown layer ${quotedInput(id)}${didYouMean(id, known)}; known layers: ${known.join(", ")}`, 2);
  } finally {
    await session.close();
  }
}

async function processLocked(dataDir: string, options: ProcessOptions): Promise<void> {
  const session = await openCommandSession(dataDir);
  const controller = new AbortController();
  const progress = createProgress(!options.json && canRedraw());
  let interrupts = 0;
  let stoppedBySignal: StopSignal | undefined;
  // Set once the outcome is recorded and printed: a first stop signal then (while plugins shut down) has no call to
  // drop, and says so ("stopping: calls in flight are dropped and their books stay pending" was untrue).
  let reported = false;
  const onSignal = (signal: StopSignal) => {
    interrupts++;
    if (interrupts === 1 && reported) {
      progress.log(`shelfwise: ${signal}: the run had finished and is recorded (above); waiting for plugins to shut down (Ctrl-C again stops them now)`);
    } else if (interrupts === 1) {
      stoppedBySignal = signal;
      // Above the bar, never over it; the bar itself ends on its own line before the summary.
      // The truth of what the abort does: plugin, Open Library and HTTP source calls in flight are
      // dropped (plugins stopped without teardown), answers already in are written with their batch.
      // A line of shelfwise's own on stderr, as apply's and undo's "stopping after the books being moved now".
      progress.log("shelfwise: stopping: calls in flight are dropped and their books stay pending; answers already in are kept (Ctrl-C again to stop now)");
      controller.abort();
    } else {
      progress.stop();
      process.exit(stoppedBy(signal));
    }
  };
  // A hang-up too: killed by it (Node's default), the batch in flight stayed marked in flight and its
  // books were then recorded as interrupted, to be retried only after `plugins reset`.
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    // One line each: a plugin's start error with a line break in it would print a line that reads as shelfwise's.
    const plugins = await attachPlugins(session, { log: (line) => process.stderr.write(`shelfwise: ${terminalSafe(line)}\n`), signal: controller.signal });
    const { layers: enabled, warnings } = session.enabledLayers();
    for (const warning of warnings) warnLine(warning);
    let layers = enabled;
    if (options.layer) {
      const layer = session.registry.get(options.layer);
      const row = layerListView(session, plugins).rows.find((r) => r.layer_id === options.layer);
      // A layer that exists but may not run (switched off, a plugin disabled or failed) is named as such:
      // "unknown layer" was a lie for a disabled plugin, and a built-in switched off in config.json ran anyway.
      if (row && (!layer || !enabled.includes(layer))) {
        throw new UserError(`layer ${quotedInput(options.layer)} cannot run: it is ${row.state}${row.reason ? `: ${terminalSafe(row.reason)}` : ""}; nothing was done`, 2);
      }
      if (!layer) {
        const known = session.registry.ordered(session.config.pipeline_order).layers.map((l) => l.info.layer_id);
        throw new UserError(`unknown layer ${quotedInput(options.layer)}${didYouMean(options.layer, known)}; known layers: ${known.join(", ")}`, 2);
      }
      layers = [layer];
    }
    if (options.rerun) clearRuns(session.db, options.layer);
    const statusLayerIds = enabled.map((layer) => layer.info.layer_id);
    const baseline = runBaseline(session.db);
    const result = await runProgress(session, layers, statusLayerIds, controller.signal, progress);
    const outcome = processOutcome(session.db, baseline, result, plugins, stoppedBySignal);
    // Run to its end: a process job a killed server cut short is done (labelled as the server labels its jobs).
    if (!outcome.interrupted) jobRanToItsEnd(session.db, "process", options.layer ? `process (${options.layer})` : "process");
    session.log.info({ event: "process", ...outcome }, "pipeline run");
    setExitCode(outcome.exit_code);
    const { summary, problems } = outcomeLines(outcome);
    if (options.json) printJson(outcome);
    else if (!outcome.interrupted && outcome.layers.every((s) => s.processed === 0 && s.errors === 0 && s.warnings.length === 0) && outcome.changed === 0) {
      // A table of zeros read as if the layers had failed to see the books; and with no book at all, "every book
      // has passed" told someone who had not scanned yet that there was nothing left to do.
      printLines(
        countBooks(session.db) === 0
          ? "Nothing to do: no books yet (`shelfwise scan` finds them; `shelfwise scan LIBRARY` adds a library folder)"
          : "Nothing to do: every book has passed every enabled layer (`shelfwise process --rerun` runs them again; `shelfwise scan` finds new books)",
        summary,
      );
    } else {
      await printTable(
        ["LAYER", "BOOKS", "EVIDENCE", "ERRORS", "SKIPPED", "SECONDS"],
        outcome.layers.map((s) => [s.layer_id, s.processed, s.evidence_added, s.errors, s.skipped, s.seconds.toFixed(2)]),
      );
      for (const s of outcome.layers) for (const w of s.warnings) warnLine(`${s.layer_id}: ${w}`);
      printLines(summary);
    }
    // Last on stderr, after any progress output, so it is what a person sees.
    if (problems.length) {
      // A stopped run did not finish: "finished with problems (exit code 130)" read as a run that had ended.
      const heading = outcome.interrupted
        ? `interrupted (exit code ${outcome.exit_code}): run \`shelfwise process\` again to continue; problems before the stop:`
        : `finished with problems (exit code ${outcome.exit_code}):`;
      process.stderr.write(`${heading}\n${problems.map((p) => `  ${terminalSafe(p)}\n`).join("")}`);
    }
    reported = true;
  } finally {
    // Still listening while plugins tear down: a Ctrl-C then must exit through
    // process.exit (whose hook kills plugin processes), not Node's default death.
    try {
      await session.close();
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    }
  }
}

async function runProgress(session: Session, layers: Layer[], statusLayerIds: string[], signal: AbortSignal, progress: Progress) {
  const working = bookStatus(progress);
  try {
    return await runPipeline({
      ...pipelineSettings(session),
      layers,
      statusLayerIds,
      signal,
      onLayerChanged: (layer) => {
        const what = layer.info.kind === "plugin" ? `plugin ${layer.info.layer_id} changed (its files or its plugin_configs entry)` : `layer ${layer.info.layer_id}: its settings changed`;
        // A note (README: stderr lines are shelfwise's, `shelfwise: note: ...` for a fact the output does not carry).
        if (!isQuiet()) progress.log(`shelfwise: note: ${terminalSafe(what)} since its last run: running it again on every book; its new answers replace its old evidence\n`);
      },
      onLayerStart: (layer, pending) => {
        working.reset(layer);
        progress.start(pending, layer.info.layer_id);
      },
      onProgress: (_layer, done) => progress.update(done),
      onBook: (_layer, event) => working.book(event),
      onLayerEnd: () => {
        working.reset(null);
        progress.stop();
      },
    });
  } finally {
    working.reset(null);
    progress.stop();
  }
}

/**
 * The progress line's "what now": the book being worked on, and once a call
 * has waited a second, how long ("plugin X: waiting 12 s on book 17"),
 * counted up every second while it waits.
 */
function bookStatus(progress: Progress) {
  let layer: Layer | null = null;
  const inFlight = new Map<number, number>();
  let ticker: NodeJS.Timeout | null = null;
  let shown: string | null = null;
  const status = (text: string | null) => {
    if (text !== shown) progress.status((shown = text));
  };
  const show = () => {
    if (!layer) return;
    const oldest = inFlight.entries().next();
    if (oldest.done) return status(null);
    const [bookId, since] = oldest.value;
    const seconds = Math.floor((performance.now() - since) / 1000);
    const who = `${layer.info.kind === "plugin" ? "plugin" : "layer"} ${terminalSafe(layer.info.layer_id)}`;
    const more = inFlight.size > 1 ? ` (+${inFlight.size - 1} more)` : "";
    status(seconds >= 1 ? `${who}: waiting ${seconds} s on book ${bookId}${more}` : `${who}: book ${bookId}${more}`);
  };
  return {
    reset(next: Layer | null) {
      layer = next;
      shown = null;
      inFlight.clear();
      if (ticker) clearInterval(ticker);
      // Often enough that the seconds count up on time; the line is redrawn only when its text changes.
      ticker = next ? setInterval(show, 200) : null;
      ticker?.unref();
    },
    book(event: BookEvent) {
      if (event.phase === "start") inFlight.set(event.book_id, performance.now());
      else inFlight.delete(event.book_id);
      show();
    },
  };
}
