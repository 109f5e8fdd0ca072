import { openCommandSession, requireDataFolder } from "../session.js";
import { pipelineSettings, type Session } from "../../app/session.js";
import { attachPlugins } from "../../app/attach-plugins.js";
import type { Layer } from "../../pipeline/layer.js";
import { runPipeline } from "../../pipeline/orchestrator.js";
import { outcomeLines, processOutcome, runBaseline } from "../../app/process-outcome.js";
import { setExitCode } from "../exit-status.js";
import { clearRuns } from "../../store/layer-runs.js";
import { UserError } from "../errors.js";
import { printJson, printLines, printTable, terminalSafe, terminalSafeLines } from "../output.js";
import { createProgress } from "../progress.js";
import { withWriteLock } from "../write-lock.js";

export interface ProcessOptions {
  json?: boolean;
  rerun?: boolean;
  layer?: string;
  wait?: string;
}

export async function processCommand(dataDir: string, options: ProcessOptions): Promise<void> {
  requireDataFolder(dataDir);
  return withWriteLock(dataDir, "process", options.wait, () => processLocked(dataDir, options));
}

async function processLocked(dataDir: string, options: ProcessOptions): Promise<void> {
  const session = openCommandSession(dataDir);
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
    const plugins = await attachPlugins(session, { log: (line) => process.stderr.write(`${terminalSafeLines(line)}\n`) });
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
    const baseline = runBaseline(session.db);
    const result = await runProgress(session, layers, statusLayerIds, controller.signal, Boolean(options.json));
    const outcome = processOutcome(session.db, baseline, result, plugins);
    session.log.info({ event: "process", ...outcome }, "pipeline run");
    setExitCode(outcome.exit_code);
    const { summary, problems } = outcomeLines(outcome);
    if (options.json) printJson(outcome);
    else {
      printTable(
        ["LAYER", "BOOKS", "EVIDENCE", "ERRORS", "SKIPPED", "SECONDS"],
        outcome.layers.map((s) => [s.layer_id, s.processed, s.evidence_added, s.errors, s.skipped, s.seconds.toFixed(2)]),
      );
      for (const s of outcome.layers) for (const w of s.warnings) process.stderr.write(`warning: ${terminalSafe(s.layer_id)}: ${terminalSafe(w)}\n`);
      printLines(summary);
    }
    // Last on stderr, after any progress output, so it is what a person sees.
    if (problems.length) {
      process.stderr.write(`finished with problems (exit code ${outcome.exit_code}):\n${problems.map((p) => `  ${terminalSafe(p)}\n`).join("")}`);
    }
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
