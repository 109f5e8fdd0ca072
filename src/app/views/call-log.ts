/** `plugins logs ID --json` (and the API's call log): a plugin's recorded calls, newest first. */
import { z } from "zod";
import type { CallRow } from "../../store/plugin-health.js";
import { pickView, viewDoc } from "./view.js";
import { roundedMs } from "../../domain/duration-round.js";

export const CALL_OUTCOMES = ["ok", "no_result", "skipped", "error", "timeout", "crash", "invalid_output", "interrupted", "not_run"] as const;

export const CallLogEntryView = z.object({
  id: z.number().int().describe("call record id (increasing)"),
  plugin_id: z.string(),
  book_id: z.number().int().nullable(),
  at: z.string().describe("when the answer arrived"),
  outcome: z
    .enum(CALL_OUTCOMES)
    .describe(
      "`error`, `timeout`, `crash` and `invalid_output` count as failures; `not_run`: the book never reached the plugin (its batch gave up on the plugin's lost processes, which are the failures counted), not a failure",
    ),
  duration_ms: z.number().describe("wall time of the call, rounded to 0.1 ms"),
  resolved: z.boolean().describe("the call produced evidence"),
  error: z
    .string()
    .nullable()
    .describe(
      "at most 1000 characters: the failure's message; for `ok` and `no_result`, which of the answer's values were left out, when some were (`ignored field \"narrator\": it is not valid Unicode ...`, control characters, U+FFFD, a field holding a secret), else null; for `interrupted`, that shelfwise stopped; for `not_run`, why the batch gave up (`not run: ...`)",
    ),
});
export type CallLogEntryView = z.infer<typeof CallLogEntryView>;
export const CallLogView = z.array(CallLogEntryView).describe("A plugin's last 20 recorded calls, newest first");
export type CallLogView = z.infer<typeof CallLogView>;

export function callLogEntryView(row: CallRow & { id: number }): CallLogEntryView {
  // Rows written before durations were rounded still hold float noise.
  return pickView(CallLogEntryView, { ...row, duration_ms: roundedMs(row.duration_ms) });
}

export const callLogDoc = viewDoc(CallLogView, "`plugins logs ID --json`", "The plugin's last 20 recorded calls, newest first (the plugin's printed output is in `<data-dir>/logs/plugins/<id>.log`, which the text form names). An ID that names no plugin: exit 2, stdout empty, stderr names the known ones.", [
    {
      id: 6,
      plugin_id: "flaky",
      book_id: 3,
      at: "2026-11-24T22:45:47.783Z",
      outcome: "error",
      duration_ms: 0.1,
      resolved: false,
      error: "lookup service said 503",
    },
  ], "An unknown id is an error (exit 2); a known plugin without calls prints `[]`. The text form also names the output log and prints its last 20 lines; `--json` stays the array of calls (the web API's `GET /api/plugins/ID` carries the tail as `log_tail`).");
