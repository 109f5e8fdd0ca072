/**
 * Output views of HTTP sources (`sources list --json`, `sources test --json`,
 * and the web app's API): one zod schema each, the type and the runtime check.
 * Credentials appear only by the name of their secrets.json key; values are
 * masked as "***" wherever a URL, body or message could carry them.
 */
import { z } from "zod";
import { viewDoc } from "./view.js";

const HealthSchema = z.object({
  consecutive_failures: z.number().int().describe("failed calls in a row (auto-disable at auto_disable_after)"),
  total_processed: z.number().int().describe("calls that asked the API"),
  total_resolved: z.number().int().describe("calls that produced at least one usable claim"),
  total_skipped: z.number().int().describe("books the source did not ask about (confident enough already, or nothing to look them up by), ever"),
  peak_in_flight: z.number().int().describe("most requests in flight at once, ever (at most `concurrency`)"),
  success_rate: z.number().nullable().describe("share of ok/no_result among the last 50 calls that were not skipped; null before any"),
  avg_duration_ms: z.number().nullable().describe("mean duration of those calls, rounded to 0.1"),
  p95_duration_ms: z.number().nullable().describe("95th percentile duration of those calls (nearest rank), rounded to 0.1"),
  last_run: z.string().nullable().describe("ISO time of the last call, a skip too; null before the first"),
  recent_errors: z
    .array(z.object({ message: z.string(), timestamp: z.string(), outcome: z.string() }))
    .describe("the last 5 errors, newest first"),
  failed_books: z
    .number()
    .int()
    .min(0)
    .describe("books whose last run of this source failed or was interrupted: `sources reset` (the Health page's Retry) asks for them again at the next process"),
});

export const SourceListEntrySchema = z.object({
  id: z.string().describe("source id, also its layer id"),
  name: z.string(),
  description: z.string(),
  kind: z.literal("http"),
  preset: z.string().nullable().describe('"audiobookshelf" or null'),
  method: z.enum(["GET", "POST"]),
  url_template: z.string().describe("the request URL with {{placeholders}} (a preset's filled in)"),
  auth: z
    .object({ type: z.string(), credential: z.string().nullable(), header: z.string().nullable(), param: z.string().nullable() })
    .describe("where the credential goes; `credential` is the secrets.json key name, never the value"),
  enabled: z.boolean().describe("the definition's `enabled`"),
  state: z.enum(["active", "disabled", "auto-disabled", "invalid"]),
  reason: z.string().nullable().describe("why the source is not active"),
  warnings: z
    .array(z.string())
    .describe('a name that reads as a built-in layer\'s id, a plugin\'s or another source\'s (letters of other scripts that look Latin included): `"name \\"Path\\" reads as the built-in layer path; this source\'s id is abs …"`'),
  order: z.number().int(),
  source_weight: z.number(),
  concurrency: z.number().int(),
  max_requests_per_minute: z.number().int().nullable(),
  allow_private: z.boolean().describe("may connect to loopback and LAN addresses"),
  health: HealthSchema,
});
export type SourceListEntry = z.infer<typeof SourceListEntrySchema>;
export const SourceListSchema = z.array(SourceListEntrySchema);

const MappedValuesSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const SourceTestSchema = z.object({
  id: z.string(),
  ok: z.boolean().describe("the call succeeded and its answer could be read (a rejected candidate is still ok)"),
  request: z
    .object({ method: z.string(), url: z.string().describe("credentials masked"), body: z.string().nullable() })
    .nullable(),
  status: z.number().int().nullable().describe("HTTP status; null when no answer arrived"),
  duration_ms: z.number().describe("wall time of the call, rounded to 0.1 ms"),
  error: z.string().nullable(),
  error_kind: z.enum(["error", "timeout", "paused"]).nullable(),
  candidates: z.array(MappedValuesSchema).describe("every candidate's mapped values (at most 10)"),
  candidate_count: z.number().int(),
  chosen: MappedValuesSchema.nullable().describe("the mapped values of the candidate taken, or null"),
  chosen_as_sent: z
    .record(z.string(), z.object({ text: z.string(), length: z.number().int() }))
    .describe(
      "for each single-text field of `chosen` whose value taken differs from the answer's text (direction controls and invisible characters dropped, markup stripped, spaces collapsed, cut to the field's length): that text as the source sent it, credentials masked, at most 2000 characters of it (`length`: its whole length); the page shows it beside the value, its direction controls marked. {} when every value was taken as sent",
    ),
  note: z.string().nullable().describe("why no candidate was taken"),
  answer_note: z
    .string()
    .nullable()
    .describe("what the call log notes of an answer read all the same: a charset its Content-Type names wrongly or that shelfwise does not know, read as UTF-8 (`note: catalogue's answer declares charset \"utf8mb4\", which is no charset shelfwise knows: read as UTF-8, ...`); else null"),
  claims: z
    .array(
      z.object({
        field: z.string(),
        value: z.string(),
        accepted: z.boolean(),
        reason: z.string().nullable(),
        note: z
          .string()
          .nullable()
          .describe("for a single-value field (year, title, series_num...) whose JSONPath matched several different values: `the source's JSONPath matched 2 different values (1965, 1966); the first was taken` (also the evidence's basis in `book ID`); else null"),
      }),
    )
    .describe("claims the chosen candidate makes; accepted false: refused by the garbage checks, or a name field (author, authors, narrator) whose path found only a JSON number, never claimed (`reason`: `the answer holds the number 42 there, not a name ...`)"),
  raw_response: z.string().nullable().describe("the body, credentials masked, cut at 4000 characters"),
  raw_truncated: z.boolean(),
});
export type SourceTest = z.infer<typeof SourceTestSchema>;

export const sourceListDoc = viewDoc({
  title: "`sources list --json`",
  intro:
    "An array, one object per entry of `http_sources`, in config order. Calls a paused circuit breaker refused (no request made) are not recorded in `health`.",
  schema: SourceListSchema,
  example: [
    {
      id: "abs-provider",
      name: "abs-provider",
      description: "",
      kind: "http",
      preset: "audiobookshelf",
      method: "GET",
      url_template: "http://192.168.1.20:3001/search?mediaType=book&query={{title}}&author={{author}}",
      auth: { type: "header", credential: "abs_provider_key", header: "Authorization", param: null },
      enabled: true,
      state: "active",
      reason: null,
      warnings: [],
      order: 40,
      source_weight: 55,
      concurrency: 4,
      max_requests_per_minute: null,
      allow_private: true,
      health: {
        consecutive_failures: 0,
        total_processed: 412,
        total_resolved: 377,
        total_skipped: 3,
        peak_in_flight: 4,
        success_rate: 1,
        avg_duration_ms: 84.2,
        p95_duration_ms: 131.5,
        last_run: "2026-12-01T14:02:11.532Z",
        recent_errors: [],
        failed_books: 0,
      },
    },
  ],
});

export const sourceTestDoc = viewDoc({
  title: "`sources test ID --title T [--author A] --json`",
  intro:
    "One real call for the book given (`--narrator`, `--series`, `--year`, `--isbn`, `--asin` fill the other placeholders); no health is recorded and the breaker and rate limit are not involved. Exit code 0 when the call succeeded; 1 when it failed (this object with `ok` false, `error` and `error_kind`; stderr says so too), with or without `--json`, as `plugins test`; 2 for an unknown id or an invalid definition (stdout empty).",
  schema: SourceTestSchema,
  example: {
    id: "abs-provider",
    ok: true,
    request: { method: "GET", url: "http://192.168.1.20:3001/search?mediaType=book&query=Warbreaker&author=Brandon%20Sanderson", body: null },
    status: 200,
    duration_ms: 61.4,
    error: null,
    error_kind: null,
    candidates: [{ title: "Warbreaker", author: "Brandon Sanderson", year: "2009", series: "Cosmere" }],
    candidate_count: 1,
    chosen: { title: "Warbreaker", author: "Brandon Sanderson", year: "2009", series: "Cosmere" },
    chosen_as_sent: {},
    note: null,
    answer_note: null,
    claims: [
      { field: "title", value: "Warbreaker", accepted: true, reason: null, note: null },
      { field: "author", value: "Brandon Sanderson", accepted: true, reason: null, note: null },
      { field: "year", value: "2009", accepted: true, reason: null, note: null },
      { field: "series", value: "Cosmere", accepted: true, reason: null, note: null },
    ],
    raw_response: '{"matches":[{"title":"Warbreaker","author":"Brandon Sanderson","publishedYear":"2009","series":[{"series":"Cosmere"}]}]}',
    raw_truncated: false,
  },
  notes: "Query-string credentials show as `***` in `request.url`; any echo of the credential in the answer is masked the same way.",
});
