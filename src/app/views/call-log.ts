/** `plugins logs ID --json` (and the API's call log): a plugin's recorded calls, newest first. */
import { z } from "zod";
import type { CallRow } from "../../store/plugin-health.js";
import { pickView, viewDoc } from "./view.js";

export const CALL_OUTCOMES = ["ok", "no_result", "skipped", "error", "timeout", "crash", "invalid_output", "interrupted"] as const;

export const CallLogEntryView = z.object({
  id: z.number().int().describe("call record id (increasing)"),
  plugin_id: z.string(),
  book_id: z.number().int().nullable(),
  at: z.string().describe("when the answer arrived"),
  outcome: z.enum(CALL_OUTCOMES).describe("`error`, `timeout`, `crash` and `invalid_output` count as failures"),
  duration_ms: z.number(),
  resolved: z.boolean().describe("the call produced evidence"),
  error: z
    .string()
    .nullable()
    .describe(
      "at most 1000 characters: the failure's message; for `ok` and `no_result`, which of the answer's values were left out, when some were (`ignored field \"narrator\": it is not valid Unicode ...`, control characters, U+FFFD, a field holding a secret), else null; for `interrupted`, that shelfwise stopped",
    ),
});
export type CallLogEntryView = z.infer<typeof CallLogEntryView>;
export const CallLogView = z.array(CallLogEntryView).describe("A plugin's last 20 recorded calls, newest first");
export type CallLogView = z.infer<typeof CallLogView>;

export const PluginLogsView = z
  .object({
    plugin_id: z.string(),
    calls: CallLogView,
    log_file: z.string().nullable().describe("the plugin's output log (stdout, stderr; an older one beside it as ID.log.1), or null when it printed nothing yet"),
    log_tail: z
      .array(z.string())
      .describe("the log's last 20 lines, oldest first, as the web app's Plugins page shows them: control characters written as `\\xNN` / `\\uNNNN`, a plugin line that reads as shelfwise's note marked `[plugin output] `"),
  })
  .describe("A plugin's last 20 recorded calls and the end of its output log");
export type PluginLogsView = z.infer<typeof PluginLogsView>;

export function callLogEntryView(row: CallRow & { id: number }): CallLogEntryView {
  return pickView(CallLogEntryView, row);
}

export const callLogDoc = viewDoc(PluginLogsView, "`plugins logs ID --json`", "The plugin's last 20 recorded calls, newest first, its output log's path and that log's last 20 lines (what the web app's Plugins page shows; the text form prints them under the calls). An ID that names no plugin: exit 2, stdout empty, stderr names the known ones.", {
  plugin_id: "flaky",
  calls: [
    {
      id: 6,
      plugin_id: "flaky",
      book_id: 3,
      at: "2026-11-24T22:45:47.783Z",
      outcome: "error",
      duration_ms: 0.055,
      resolved: false,
      error: "lookup service said 503",
    },
  ],
  log_file: "/home/me/.local/share/shelfwise/logs/plugins/flaky.log",
  log_tail: ["looking up Dune", "Traceback (most recent call last):", "  File \"/plugins/flaky/plugin.py\", line 12, in process", "RuntimeError: lookup service said 503"],
}, "A known plugin without calls prints `calls: []`; one that printed nothing yet, `log_file: null` and `log_tail: []`. Before this version the output was the bare array that `calls` now holds.");
