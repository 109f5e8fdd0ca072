/** `plugins health --json` (and the API's health page): success, speed and failures per plugin. */
import { z } from "zod";
import { resolvePluginRuntime } from "../../config/config-schema.js";
import type { PluginEntry } from "../../plugins/manager/plugin-manager.js";
import type { Db } from "../../store/database.js";
import { callStats, getPluginState, recentDurations, recentErrors } from "../../store/plugin-health.js";
import { readPluginEndWarnings } from "../../store/plugin-end-warnings.js";
import { PluginStateView, StartFields } from "./plugin-entry.js";
import { CALL_OUTCOMES } from "./call-log.js";
import { viewDoc } from "./view.js";
import type { SourceListEntry } from "./sources.js";

export const PluginHealthView = z.object({
  plugin_id: z.string().describe("the plugin's id, or the HTTP source's id (`kind` says which)"),
  kind: z
    .enum(["plugin", "http"])
    .describe("`plugin`: a plugin folder; `http`: an entry of `http_sources` (the same health store; `sources list` has its definition)"),
  name: z.string().nullable(),
  state: PluginStateView.describe("as in `plugins list`"),
  reason: z.string().nullable().describe("why the state, as in `plugins list` (for `auto-disabled`: the failures that disabled it); null when active"),
  success_rate: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe("0..1: `ok` + `no_result` over the last 50 calls that were not `skipped` (nor `interrupted` or `not_run`); null before the first such call"),
  avg_duration_ms: z.number().nullable().describe("mean duration of those calls, rounded to 0.1"),
  p95_duration_ms: z.number().nullable().describe("95th percentile duration of those calls (nearest rank), rounded to 0.1"),
  last_run: z
    .string()
    .nullable()
    .describe("time of the plugin's newest call, whatever its outcome (a skip too: a plugin that skipped every book has run); null before its first call"),
  total_processed: z.number().int().describe("calls that ran, ever: not `skipped`, not `interrupted` (shelfwise stopped during the call: shown by `plugins logs` only), not `not_run`"),
  total_resolved: z.number().int().describe("calls that produced evidence, ever"),
  total_skipped: z.number().int().describe("books the plugin skipped (its can_process said no), ever"),
  total_not_run: z
    .number()
    .int()
    .describe(
      "books that never reached the plugin, ever: a batch gave up on its processes (lost again and again, `not run: ...` in `plugins logs`) and left them `not_run`; neither calls, nor failures: the losses that made it give up are counted as failures, once each; always 0 for an HTTP source",
    ),
  consecutive_failures: z.number().int().describe("current run of failures (error, timeout, crash, invalid_output; a `skipped`, `interrupted` or `not_run` book leaves it as it is)"),
  concurrency: z
    .number()
    .int()
    .min(1)
    .describe(
      "calls run at once when it runs, disabled or not: `plugin_configs.<id>.concurrency` over the manifest's `concurrency` (1..32); an HTTP source's `concurrency`",
    ),
  peak_in_flight: z.number().int().describe("most calls that were in flight at once, ever"),
  recent_errors: z
    .array(z.object({ message: z.string(), timestamp: z.string(), outcome: z.enum(CALL_OUTCOMES) }))
    .describe("the last 5 calls with an error of the plugin's, newest first (not `interrupted` or `not_run` ones: `total_not_run` counts those)"),
  end_warnings: z
    .array(z.string())
    .describe(
      "what the plugin left behind at the end of its last run, as its runner said at teardown (a `setInterval` still running, work still pending after its last call), with the fix; empty when it ended cleanly, before its first run, and for an HTTP source",
    ),
  sandbox: z.string().nullable().describe("as in `plugins list`; null for an HTTP source (it runs inside shelfwise)"),
  sandbox_lacks: z.array(z.string()).describe("as in `plugins list`; empty for an HTTP source"),
  start_check: StartFields.start_check.describe("as in `plugins list`; null for an HTTP source (nothing to start)"),
  last_start: StartFields.last_start.describe("as in `plugins list`; null for an HTTP source"),
});
export type PluginHealthView = z.infer<typeof PluginHealthView>;
export const PluginHealthListView = z
  .array(PluginHealthView)
  .describe("One entry per plugin folder with an id, then one per HTTP source (`kind` `http`), in config order");
export type PluginHealthListView = z.infer<typeof PluginHealthListView>;

/** `config`: the plugin's `plugin_configs.<id>` (its concurrency is the one that applies). */
export function pluginHealthView(db: Db, entry: PluginEntry & { id: string }, config: Record<string, unknown>): PluginHealthView {
  const stored = getPluginState(db, entry.id);
  const stats = callStats(db, entry.id);
  // Over the same calls as the success rate and the average (the last 50 that ran).
  const durations = recentDurations(db, entry.id);
  const p95 = durations.length ? durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.95) - 1)]! : null;
  return {
    plugin_id: entry.id,
    kind: "plugin",
    name: entry.name,
    state: entry.state,
    reason: entry.reason,
    success_rate: stats.success_rate,
    avg_duration_ms: stats.avg_duration_ms,
    p95_duration_ms: p95 === null ? null : Math.round(p95 * 10) / 10,
    last_run: stats.last_call,
    total_processed: stored?.total_processed ?? 0,
    total_resolved: stored?.total_resolved ?? 0,
    total_skipped: stored?.total_skipped ?? 0,
    total_not_run: stored?.total_not_run ?? 0,
    consecutive_failures: stored?.consecutive_failures ?? 0,
    // Resolved as a launch would, so a disabled plugin shows the concurrency it will run with, not its manifest's default.
    concurrency:
      entry.spec?.concurrency ?? resolvePluginRuntime(entry.id, config, { concurrency: entry.discovered.manifest?.concurrency }).settings.concurrency,
    peak_in_flight: stored?.peak_in_flight ?? 0,
    recent_errors: recentErrors(db, entry.id, 5) as PluginHealthView["recent_errors"],
    end_warnings: readPluginEndWarnings(db, entry.id)?.warnings ?? [],
    sandbox: entry.sandbox,
    sandbox_lacks: entry.sandbox_lacks,
    start_check: entry.start_check ?? null,
    last_start: entry.start_check === "probed" ? null : (entry.last_start ?? null),
  };
}

/** An HTTP source's row: the same metrics from the same store, as `sources list` reports them. */
export function sourceHealthView(source: SourceListEntry): PluginHealthView {
  return {
    plugin_id: source.id,
    kind: "http",
    name: source.name,
    state: source.state,
    reason: source.reason,
    success_rate: source.health.success_rate,
    avg_duration_ms: source.health.avg_duration_ms,
    p95_duration_ms: source.health.p95_duration_ms,
    last_run: source.health.last_run,
    total_processed: source.health.total_processed,
    total_resolved: source.health.total_resolved,
    total_skipped: source.health.total_skipped,
    total_not_run: 0,
    consecutive_failures: source.health.consecutive_failures,
    concurrency: source.concurrency,
    peak_in_flight: source.health.peak_in_flight,
    recent_errors: source.health.recent_errors as PluginHealthView["recent_errors"],
    end_warnings: [],
    sandbox: null,
    sandbox_lacks: [],
    start_check: null,
    last_start: null,
  };
}

export const pluginHealthDoc = viewDoc(PluginHealthListView, "`plugins health --json`", "An array, one entry per plugin folder with an id.", [
    {
      plugin_id: "flaky",
      kind: "plugin",
      name: "Flaky",
      state: "auto-disabled",
      reason: "3 consecutive failures (last: lookup service said 503)",
      success_rate: 0,
      avg_duration_ms: 4.3,
      p95_duration_ms: 5.1,
      last_run: "2026-11-24T22:45:27.496Z",
      total_processed: 3,
      total_resolved: 0,
      total_skipped: 2,
      total_not_run: 4,
      consecutive_failures: 3,
      concurrency: 1,
      peak_in_flight: 1,
      recent_errors: [{ message: "lookup service said 503", timestamp: "2026-11-24T22:45:27.496Z", outcome: "error" }],
      end_warnings: [
        "left a setInterval timer running after teardown; an interval never ends, so shelfwise let it go instead of waiting for it (it held the end of every run 4 s): clear it in teardown() (clearInterval) or call .unref() on it when you start it",
      ],
      sandbox: "process+permission+seccomp+landlock+namespace",
      sandbox_lacks: [],
      start_check: null,
      last_start: null,
    },
    {
      plugin_id: "abs-provider",
      kind: "http",
      name: "abs-provider",
      state: "active",
      reason: null,
      success_rate: 1,
      avg_duration_ms: 84.2,
      p95_duration_ms: 131.5,
      last_run: "2026-12-01T14:02:11.532Z",
      total_processed: 412,
      total_resolved: 377,
      total_skipped: 3,
      total_not_run: 0,
      consecutive_failures: 0,
      concurrency: 4,
      peak_in_flight: 0,
      recent_errors: [],
      end_warnings: [],
      sandbox: null,
      sandbox_lacks: [],
      start_check: null,
      last_start: null,
    },
  ]);
