/**
 * A plugin instance run in this process the way the runner would, for speed
 * comparisons only: no isolation at all. Answers are judged as in the pipeline.
 */
import type { LayerOutcome } from "../src/pipeline/layer.js";
import { judgeAnswer } from "../src/plugins/manager/judge.js";
import type { PluginBook } from "../src/plugins/protocol/protocol.js";

export interface InProcessPlugin {
  setup?(config: Record<string, unknown>, secrets: Record<string, string>): unknown;
  canProcess?(book: PluginBook): unknown;
  process(book: PluginBook): unknown;
}

export async function runInProcess(plugin: InProcessPlugin, books: PluginBook[]): Promise<LayerOutcome[]> {
  const outcomes: LayerOutcome[] = [];
  for (const book of books) {
    const copy = structuredClone(book);
    try {
      if (plugin.canProcess && (await plugin.canProcess(copy)) === false) {
        outcomes.push({ book_id: book.book_id, skipped: true });
        continue;
      }
      const judged = judgeAnswer({ outcome: "ok", data: (await plugin.process(copy)) ?? null });
      outcomes.push(
        judged.error === null
          ? { book_id: book.book_id, claims: judged.claims }
          : { book_id: book.book_id, error: judged.error, kind: "invalid_output" },
      );
    } catch (error) {
      outcomes.push({ book_id: book.book_id, error: (error as Error)?.message ?? String(error), kind: "error" });
    }
  }
  return outcomes;
}
