/**
 * Output views of HTTP sources (`sources list --json`, `sources test --json`,
 * and the web app's API): one zod schema each, the type and the runtime check.
 * Credentials appear only by the name of their secrets.json key; values are
 * masked as "***" wherever a URL, body or message could carry them.
 */
import { z } from "zod";

const HealthSchema = z.object({
  consecutive_failures: z.number().int().describe("failed calls in a row (auto-disable at auto_disable_after)"),
  total_processed: z.number().int().describe("calls that asked the API"),
  total_resolved: z.number().int().describe("calls that produced at least one usable claim"),
  success_rate: z.number().nullable().describe("share of ok/no_result among the last 50 calls; null before any"),
  avg_duration_ms: z.number().nullable().describe("mean duration of the last 50 calls"),
  last_run: z.string().nullable().describe("ISO time of the last call"),
  recent_errors: z
    .array(z.object({ message: z.string(), timestamp: z.string(), outcome: z.string() }))
    .describe("the last 5 errors, newest first"),
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
  duration_ms: z.number(),
  error: z.string().nullable(),
  error_kind: z.enum(["error", "timeout", "paused"]).nullable(),
  candidates: z.array(MappedValuesSchema).describe("every candidate's mapped values (at most 10)"),
  candidate_count: z.number().int(),
  chosen: MappedValuesSchema.nullable().describe("the mapped values of the candidate taken, or null"),
  note: z.string().nullable().describe("why no candidate was taken"),
  claims: z
    .array(z.object({ field: z.string(), value: z.string(), accepted: z.boolean(), reason: z.string().nullable() }))
    .describe("claims the chosen candidate makes; accepted false: refused by the garbage checks"),
  raw_response: z.string().nullable().describe("the body, credentials masked, cut at 4000 characters"),
  raw_truncated: z.boolean(),
});
export type SourceTest = z.infer<typeof SourceTestSchema>;
