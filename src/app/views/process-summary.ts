/** `process --json` (and the API's run result): what one pipeline run did, per layer. */
import { z } from "zod";
import type { PipelineResult } from "../../pipeline/orchestrator.js";
import { viewDoc } from "./view.js";

const count = (meaning: string) => z.number().int().min(0).describe(meaning);

export const LayerRunSummaryView = z.object({
  layer_id: z.string(),
  processed: count("books that got a run of this layer (ok, error or skipped)"),
  evidence_added: count(
    "claims the layer made that passed the result checks (garbage-checked values included; they become `rejected` entries)",
  ),
  errors: count("books the layer failed on (for plugins: error, timeout, crash, invalid_output)"),
  skipped: count("books the layer skipped"),
  seconds: z.number().describe("wall time, unrounded"),
  warnings: z.array(z.string()).describe("the first warnings the layer gave (unknown result keys, unreadable sidecars), with the book id"),
});
export type LayerRunSummaryView = z.infer<typeof LayerRunSummaryView>;

export const ProcessSummaryView = z
  .object({
    layers: z.array(LayerRunSummaryView).describe("one entry per layer that ran, in execution order"),
    interrupted: z.boolean().describe("true when Ctrl-C stopped the run; run `process` again to continue"),
    finalized: count("books that got their final status (`identified` / `needs_attention`) in this run"),
  })
  .describe("What one pipeline run did");
export type ProcessSummaryView = z.infer<typeof ProcessSummaryView>;

export function processSummaryView(result: PipelineResult): ProcessSummaryView {
  return {
    layers: result.layers.map(({ layer_id, processed, evidence_added, errors, skipped, seconds, warnings }) => ({
      layer_id,
      processed,
      evidence_added,
      errors,
      skipped,
      seconds,
      warnings,
    })),
    interrupted: result.interrupted,
    finalized: result.finalized,
  };
}

export const processSummaryDoc = viewDoc({
  title: "`process --json`",
  intro: "One object.",
  schema: ProcessSummaryView,
  example: {
    layers: [
      { layer_id: "path", processed: 13, evidence_added: 33, errors: 0, skipped: 0, seconds: 0.11, warnings: [] },
      { layer_id: "local-catalogue", processed: 13, evidence_added: 34, errors: 0, skipped: 1, seconds: 0.152, warnings: [] },
    ],
    interrupted: false,
    finalized: 13,
  },
  notes: "Layers with nothing to do appear with zeros. Plugin start failures and warnings go to stderr.",
});
