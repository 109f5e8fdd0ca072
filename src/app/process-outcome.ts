/**
 * What a `process` run comes to, for every entry point: per-layer errors with
 * their most common messages, plugins that did not run, what changed for the
 * user, and the exit code (app/exit-codes.ts).
 */
import type { PipelineResult } from "../pipeline/orchestrator.js";
import type { PluginEntry } from "../plugins/manager/plugin-manager.js";
import path from "node:path";
import { counted, noun } from "../domain/plural.js";
import { ADVICE } from "../domain/command-advice.js";
import { bookStates } from "../store/books.js";
import { unfinishedByLayer } from "../store/layer-runs.js";
import type { Db } from "../store/database.js";
import { EXIT, stoppedBy, type StopSignal } from "./exit-codes.js";
import { LayerRunSummaryView, type ProcessSummaryView } from "./views/process-summary.js";
import { pickView } from "./views/view.js";

const PROBLEM_STATES = new Set(["failed", "invalid", "skipped", "auto-disabled"]);

/** Taken before a run: how every book looked. */
export interface RunBaseline {
  books: ReturnType<typeof bookStates>;
}

export function runBaseline(db: Db): RunBaseline {
  return { books: bookStates(db) };
}

/** `signal`: what stopped an interrupted run (its exit code is 128 + the signal's number); Ctrl-C when not known. */
export function processOutcome(db: Db, baseline: RunBaseline, result: PipelineResult, plugins: PluginEntry[], signal: StopSignal = "SIGINT"): ProcessSummaryView {
  const layers = result.layers.map((summary) => pickView(LayerRunSummaryView, summary));
  const now: Record<string, number> = {};
  let changed = 0;
  for (const [id, after] of bookStates(db)) {
    if (baseline.books.get(id)?.state === after.state) continue;
    changed++;
    now[after.status] = (now[after.status] ?? 0) + 1;
  }
  const pluginProblems = plugins
    .filter((p) => PROBLEM_STATES.has(p.state))
    .map((p) => ({ plugin_id: p.id ?? path.basename(p.folder), state: p.state as "failed" | "invalid" | "skipped" | "auto-disabled", reason: p.reason }));
  // An interrupted run stopped every layer on purpose: it says so and to run again, whatever is unfinished.
  const notIdentified = result.interrupted ? [] : unfinishedByLayer(db, layers.map((l) => l.layer_id));
  const troubled = layers.some((l) => l.errors > 0) || pluginProblems.length > 0 || notIdentified.length > 0;
  return {
    layers,
    interrupted: result.interrupted,
    finalized: result.finalized,
    changed,
    now,
    not_identified: notIdentified,
    plugin_problems: pluginProblems,
    exit_code: result.interrupted ? stoppedBy(signal) : troubled ? EXIT.partial : EXIT.ok,
  };
}

/** The lines a person reads after a run: what changed, then each problem. */
export function outcomeLines(outcome: ProcessSummaryView): { summary: string; problems: string[] } {
  const statuses = Object.entries(outcome.now)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${n} now ${status.replace("_", " ")}`);
  const changed = outcome.interrupted
    ? "interrupted: run `shelfwise process` again to continue"
    : outcome.changed === 0
      ? "no book changed"
      : `${counted(outcome.changed, "book")} changed (${statuses.join(", ")})`;
  // "1000 now new" read as if nothing had been tried: say why they stay so and what finishes them.
  const summary = [changed, ...outcome.not_identified.map((n) => notIdentifiedLine(n, outcome))].join("\n");
  const problems = [
    ...outcome.layers
      .filter((l) => l.errors > 0)
      .map((l) => {
        const top = l.top_errors[0];
        const most = top ? `; most common (${top.count}×): ${top.error}` : "";
        return `layer ${l.layer_id}: ${counted(l.errors, "book")} failed${most}`;
      }),
    ...outcome.plugin_problems.map((p) => `plugin ${p.plugin_id} did not run (${p.state})${p.reason ? `: ${p.reason}` : ""}`),
  ];
  return { summary, problems };
}

function notIdentifiedLine(n: ProcessSummaryView["not_identified"][number], outcome: ProcessSummaryView): string {
  const problem = outcome.plugin_problems.find((p) => p.plugin_id === n.layer_id);
  const layer = outcome.layers.find((l) => l.layer_id === n.layer_id);
  const failed = layer?.errors ?? 0;
  // A web source the service rate-limited (429) or its breaker paused left the books pending on purpose, and its
  // warning says until when: "`shelfwise layers` shows its state; once it works" sent users looking for a fault.
  if (!problem && failed === 0 && layer?.warnings.some((w) => /\bstays? pending\b/.test(w))) {
    const them = noun(n.books, "it", "them");
    return `${counted(n.books, "book")} could not be identified because layer ${n.layer_id} did not get an answer for ${them} this run (rate limited or paused: its warning says when to ask again), so ${noun(n.books, "it keeps its", "they keep their")} status (new or pending): run \`shelfwise process\` again then to finish ${them}`;
  }
  const why = problem ? ` (it is ${problem.state})` : failed > 0 ? ` (it failed on ${counted(failed, "book")})` : "";
  const fix = problem
    ? `\`shelfwise plugins health ${n.layer_id}\` shows why${problem.state === "auto-disabled" ? `; fix it, ${ADVICE.reenable.cli("plugins", n.layer_id)},` : "; fix it,"} then`
    : `\`shelfwise layers\` shows its state (\`shelfwise plugins health\` a plugin's errors); once it works,`;
  return `${counted(n.books, "book")} could not be identified because layer ${n.layer_id} stopped before it got to ${noun(n.books, "it", "them")}${why}, so ${noun(n.books, "it keeps its", "they keep their")} status (new or pending): ${fix} run \`shelfwise process\` again to finish ${noun(n.books, "it", "them")}`;
}
