/**
 * The API's payloads: one zod schema per shape, which is the request
 * validation, the response check and the OpenAPI document. Shapes the CLI
 * prints too belong in app/views once they move there.
 */
import { z } from "zod";

export const ErrorBody = z.object({ error: z.string() }).describe("What went wrong and what to fix");

export const Ok = z.object({ ok: z.literal(true), message: z.string().optional() });

export const IdParam = z.object({ id: z.coerce.number().int().positive({ error: "must be a positive whole number" }) });
export const PluginIdParam = z.object({ id: z.string().min(1).max(200) });

// ---- work and live status ---------------------------------------------------------

export const JobKind = z.enum(["scan", "process", "apply", "undo"]);

export const JobView = z.object({
  id: z.number().int(),
  kind: JobKind,
  label: z.string(),
  state: z.enum(["running", "done", "failed", "stopped"]),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  layer: z.string().nullable().describe("Layer now running (process)"),
  done: z.number().int().describe("Books done in the current layer, or books found (scan)"),
  pending: z.number().int(),
  message: z.string().nullable(),
});

export const Activity = z.object({ at: z.string(), message: z.string(), level: z.enum(["info", "warn", "error"]) });

export const LayerCounts = z.object({
  layer_id: z.string(),
  ok: z.number().int(),
  error: z.number().int(),
  skipped: z.number().int(),
});

export const StatusView = z.object({
  books_total: z.number().int(),
  by_status: z.record(z.string(), z.number().int()),
  books_with_errors: z.number().int(),
  job: JobView.nullable(),
  last_job: JobView.nullable(),
  layers: z.array(LayerCounts.extend({ name: z.string(), enabled: z.boolean() })),
  activity: z.array(Activity),
  problems: z.array(z.object({ kind: z.string(), message: z.string(), link: z.string().nullable() })),
  token_required: z.boolean(),
});

export const ProcessRequest = z
  .object({
    layer: z.string().min(1).optional().describe("Run this layer only"),
    rerun: z.boolean().optional().describe("Clear earlier runs first (all layers, or the one given)"),
  })
  .strict();

// ---- books --------------------------------------------------------------------------

const boolText = z.enum(["true", "false"]).transform((v) => v === "true");

export const BookListQuery = z
  .object({
    text: z.string().max(200).optional(),
    status: z.enum(["new", "pending", "identified", "needs_attention", "missing"]).optional(),
    author: z.string().max(500).optional(),
    series: z.string().max(500).optional(),
    min_confidence: z.coerce.number().min(0).max(100).optional(),
    max_confidence: z.coerce.number().min(0).max(100).optional(),
    layer_errors: boolText.optional(),
    sort: z.enum(["path", "status", "confidence", "author", "title", "series", "narrator", "year", "language", "updated_at", "id"]).optional(),
    order: z.enum(["asc", "desc"]).optional(),
    offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

export const BookRowView = z.object({
  id: z.number().int(),
  path: z.string(),
  status: z.string(),
  confidence: z.number(),
  author: z.string().nullable(),
  title: z.string().nullable(),
  series: z.string().nullable(),
  series_num: z.string().nullable(),
  narrator: z.string().nullable(),
  year: z.string().nullable(),
  language: z.string().nullable(),
  proposed_path: z.string().nullable(),
  locked: z.boolean(),
  layer_errors: z.boolean(),
});

export const BookPage = z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), books: z.array(BookRowView) });

const EvidenceView = z.object({ source: z.string(), value: z.string(), weight: z.number() });

export const BookDetailView = BookRowView.extend({
  kind: z.enum(["folder", "file"]),
  library_root: z.string(),
  status_reason: z.string().nullable(),
  flags: z.array(z.string()),
  fields: z.array(
    z.object({ field: z.string(), value: z.string().nullable(), confidence: z.number(), sources: z.array(z.string()), evidence: z.array(EvidenceView) }),
  ),
  rejected: z.array(z.object({ source: z.string(), field: z.string(), value: z.string(), reason: z.string() })),
  layers: z.array(z.object({ layer_id: z.string(), status: z.string(), error: z.string().nullable(), ran_at: z.string() })),
  files: z.array(z.object({ path: z.string(), size: z.number() })),
  sidecars: z.array(z.string()),
});

export const LockRequest = z.object({ locked: z.boolean() }).strict();
export const RerunRequest = z.object({ layers: z.array(z.string().min(1)).max(100).optional() }).strict();

// ---- pipeline -------------------------------------------------------------------------

export const LayerView = z.object({
  position: z.number().int(),
  layer_id: z.string(),
  layer_name: z.string(),
  description: z.string(),
  kind: z.string(),
  default_order: z.number().int(),
  enabled: z.boolean(),
  config_enable_key: z.string(),
  source_weight: z.number(),
  ok: z.number().int(),
  error: z.number().int(),
  skipped: z.number().int(),
});

export const LayersView = z.object({ layers: z.array(LayerView), warnings: z.array(z.string()), pipeline_order: z.array(z.string()) });

export const OrderRequest = z.object({ order: z.array(z.string().min(1).max(200)).max(1000) }).strict();
export const EnabledRequest = z.object({ enabled: z.boolean() }).strict();

// ---- plugins ---------------------------------------------------------------------------

export const SecretStatus = z.object({ name: z.string(), set: z.boolean() });

export const PluginView = z.object({
  key: z.string().describe("The plugin id, or its folder name when the manifest names none"),
  id: z.string().nullable(),
  name: z.string().nullable(),
  version: z.string().nullable(),
  description: z.string().nullable(),
  runtime: z.string().nullable(),
  folder: z.string(),
  default_order: z.number().int(),
  state: z.string(),
  reason: z.string().nullable(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  sandbox: z.string().nullable(),
  permissions: z.object({ network: z.array(z.string()), filesystem: z.string() }),
  requires_config: z.array(z.string()),
  config_schema: z.record(z.string(), z.unknown()).nullable(),
  config: z.record(z.string(), z.unknown()),
  secrets: z.array(SecretStatus),
});

export const PluginDetailView = PluginView.extend({ log_tail: z.array(z.string()) });

export const PluginConfigRequest = z.object({ config: z.record(z.string(), z.unknown()) }).strict();
export const SecretRequest = z.object({ name: z.string().min(1).max(200), value: z.string().min(1).max(10_000) }).strict();

export const HealthRow = z.object({
  plugin_id: z.string(),
  name: z.string().nullable(),
  state: z.string(),
  reason: z.string().nullable(),
  success_rate: z.number().nullable(),
  avg_duration_ms: z.number().nullable(),
  p95_duration_ms: z.number().nullable(),
  last_run: z.string().nullable(),
  total_processed: z.number().int(),
  total_resolved: z.number().int(),
  consecutive_failures: z.number().int(),
  recent_errors: z.array(z.object({ message: z.string(), timestamp: z.string(), outcome: z.string() })),
  recent: z.array(z.object({ at: z.string(), outcome: z.string(), duration_ms: z.number() })).describe("Last calls, oldest first (the chart)"),
});

export const HealthView = z.object({ plugins: z.array(HealthRow) });

export const CallLogQuery = z
  .object({
    outcome: z.enum(["ok", "no_result", "error", "timeout", "crash", "invalid_output", "skipped"]).optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

export const CallLogView = z.object({
  calls: z.array(
    z.object({
      id: z.number().int(),
      book_id: z.number().int().nullable(),
      at: z.string(),
      outcome: z.string(),
      duration_ms: z.number(),
      resolved: z.boolean(),
      error: z.string().nullable(),
    }),
  ),
});

// ---- settings ----------------------------------------------------------------------------

export const SettingView = z.object({
  key: z.string(),
  type: z.string(),
  value: z.unknown(),
  default: z.unknown(),
  description: z.string(),
  restart: z.boolean().describe("Takes effect after `shelfwise serve` restarts"),
});

export const SettingsView = z.object({ settings: z.array(SettingView), config_file: z.string() });
export const SettingsRequest = z.object({ values: z.record(z.string(), z.unknown()) }).strict();

export const LibraryFolder = z.object({ path: z.string(), exists: z.boolean(), readable: z.boolean() });
export const LibraryView = z.object({ folders: z.array(LibraryFolder) });
export const LibraryRequest = z.object({ path: z.string().min(1).max(4096) }).strict();
