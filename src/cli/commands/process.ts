import { openSession, pipelineSettings, type Session } from "../../app/session.js";
import { attachPlugins } from "../../app/attach-plugins.js";
import type { Layer } from "../../pipeline/layer.js";
import { runPipeline, type LayerSummary } from "../../pipeline/orchestrator.js";
import { processSummaryView } from "../../app/views/process-summary.js";
import { clearRuns } from "../../store/layer-runs.js";
import { UserError } from "../errors.js";
import { printJson, printTable, terminalSafe, terminalSafeLines } from "../output.js";
import { createProgress } from "../progress.js";
import { withWriteLock } from "../write-lock.js";

export interface ProcessOptions {
  json?: boolean;
  rerun?: boolean;
  layer?: string;
  wait?: string;
}

export async function processCommand(dataDir: string, options: ProcessOptions): Promise<void> {
  return withWriteLock(dataDir, "process", options.wait, () => processLocked(dataDir, options));
}

async function processLocked(dataDir: string, options: ProcessOptions): Promise<void> {
  const session = openSession(dataDir);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write("\nstopping after the batch in flight (Ctrl-C again to stop now)\n");
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    for (const warning of session.loaded.warnings) process.stderr.write(`warning: ${terminalSafe(warning)}\n`);
    await attachPlugins(session, { log: (line) => process.stderr.write(`${terminalSafeLines(line)}\n`) });
    const { layers: enabled, warnings } = session.enabledLayers();
    for (const warning of warnings) process.stderr.write(`warning: ${terminalSafe(warning)}\n`);
    let layers = enabled;
    if (options.layer) {
      const layer = session.registry.get(options.layer);
      if (!layer) {
        const known = session.registry.ordered(session.config.pipeline_order).layers.map((l) => l.info.layer_id);
        throw new UserError(`unknown layer "${options.layer}"; known layers: ${known.join(", ")}`, 2);
      }
      layers = [layer];
    }
    if (options.rerun) clearRuns(session.db, options.layer);
    const statusLayerIds = enabled.map((layer) => layer.info.layer_id);
    const result = await runProgress(session, layers, statusLayerIds, controller.signal, Boolean(options.json));
    session.log.info({ event: "process", layers: result.layers, interrupted: result.interrupted, finalized: result.finalized }, "pipeline run");
    if (options.json) return printJson(processSummaryView(result));
    printTable(
      ["LAYER", "BOOKS", "EVIDENCE", "ERRORS", "SKIPPED", "SECONDS"],
      result.layers.map((s: LayerSummary) => [s.layer_id, s.processed, s.evidence_added, s.errors, s.skipped, s.seconds.toFixed(2)]),
    );
    for (const s of result.layers) for (const w of s.warnings) process.stderr.write(`warning: ${terminalSafe(s.layer_id)}: ${terminalSafe(w)}\n`);
    if (result.interrupted) process.stdout.write("interrupted: run `shelfwise process` again to continue\n");
    else process.stdout.write(`${result.finalized} book${result.finalized === 1 ? "" : "s"} got a final status\n`);
  } finally {
    // Still listening while plugins tear down: a Ctrl-C then must exit through
    // process.exit (whose hook kills plugin processes), not Node's default death.
    try {
      await session.close();
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  }
}

async function runProgress(session: Session, layers: Layer[], statusLayerIds: string[], signal: AbortSignal, quiet: boolean) {
  const progress = createProgress(!quiet && Boolean(process.stderr.isTTY));
  try {
    return await runPipeline({
      ...pipelineSettings(session),
      layers,
      statusLayerIds,
      signal,
      onLayerStart: (layer, pending) => progress.start(pending, layer.info.layer_id),
      onProgress: (_layer, done) => progress.update(done),
      onLayerEnd: () => progress.stop(),
    });
  } finally {
    progress.stop();
  }
}
