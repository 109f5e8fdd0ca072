/**
 * The API's payloads: one zod schema per shape, which is the request
 * validation, the response check and the OpenAPI document. Output shapes the
 * CLI prints too are the views of app/views, extended here only with what the
 * pages need beyond the CLI (paging, locks, counts, manifest details).
 */
import { z } from "zod";
import { didYouMean } from "../domain/closest-name.js";
import { numberRule, readNumberText, type NumberRange } from "../domain/number-text.js";
import { quotedInput } from "../domain/quoted-input.js";
import { readStatusList } from "../domain/status-list.js";
import { BOOK_STATUSES } from "../store/books.js";
import { LastStartFields } from "./plugin-start-view.js";
import {
  BookDetailView as BookDetailBase,
  BookRowView as BookRowBase,
  CallLogEntryView,
  CALL_OUTCOMES,
  LayerRowView,
  PluginEntryView,
  PluginHealthView,
} from "../app/views/index.js";

export const ErrorBody = z
  .object({
    error: z.string(),
    fields: z
      .array(z.object({ field: z.string().describe("the parameter or body key refused, dot-separated, without `query.`/`body.`"), message: z.string() }))
      .optional()
      .describe("for a request the schema refused: each refused parameter (at most 3) with what is wrong with it"),
  })
  .describe("What went wrong and what to fix");

export const FieldErrorBody = ErrorBody.extend({
  fields: z
    .array(z.object({ field: z.string().describe("the setting's path, dot-separated; empty for the whole object"), message: z.string() }))
    .optional()
    .describe("each invalid setting with what is wrong with it"),
}).describe("What went wrong and what to fix, per field where the values of a form were refused");

export const Ok = z.object({ ok: z.literal(true), message: z.string().optional() });

/**
 * A number in a query or a path (`?limit=20`, `/api/books/7`): text read by the CLI's rule
 * (domain/number-text.ts), so `0x10`, `1e1`, `5abc` and an empty value are refused here as `--limit 0x10` is
 * there, instead of being taken as 16, 10 or 0. `what` words the refusal when the range alone would not help.
 */
export function textNumber(range: NumberRange, what?: string) {
  const rule = what ?? numberRule(range);
  return z
    .string({ error: (issue) => (Array.isArray(issue.input) ? `is given more than once; give it once, as ${rule}` : `must be ${rule}`) })
    .transform((text, ctx) => {
      const read = readNumberText(text, range);
      if (read.ok) return read.value;
      ctx.addIssue({ code: "custom", message: what === undefined ? read.problem : `must be ${what} (got ${quotedInput(text)})` });
      return z.NEVER;
    })
    .describe(rule);
}

/**
 * A number in a JSON body: a JSON number (a string "5" is refused, as everywhere in the body) in `range`, every
 * refusal worded as the query's are: the field, what to write and what was given.
 */
export function jsonNumber(range: NumberRange) {
  const rule = numberRule(range);
  const refusal = (issue: { input?: unknown }) =>
    `must be ${rule}${typeof issue.input === "string" ? `, without quotes (got the string ${quotedInput(issue.input)})` : issue.input === undefined ? "" : ` (got ${JSON.stringify(issue.input)})`}`;
  const number = z.number({ error: refusal });
  return (range.whole ? number.int({ error: refusal }) : number).min(range.min, { error: refusal }).max(range.max, { error: refusal });
}

export const IdParam = z.object({
  id: textNumber({ whole: true, min: 1, max: Number.MAX_SAFE_INTEGER }, "a positive whole number in decimal digits (an id from the list)"),
});
/** A confidence filter, 0..100 as `--min-confidence` takes it. */
export const CONFIDENCE: NumberRange = { whole: false, min: 0, max: 100 };
/** Where a page starts. */
export const OFFSET: NumberRange = { whole: true, min: 0, max: 10_000_000 };

export const PluginIdParam = z.object({ id: z.string().min(1).max(200) });
/** One setting of a plugin's config_schema (its top-level key). */
export const PluginSettingParam = z.object({ id: z.string().min(1).max(200), key: z.string().min(1).max(200) });

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
  checked: z
    .object({
      to_move: z.number().int().describe("books that will move: the job's `pending` from then on"),
      held: z.number().int().describe("books held back (by the plan or by the checks: files added since the scan, a proposal changed since shown); the Review page lists why"),
      refused: z.number().int().describe("apply: books refused before anything moved (files changed, no permission): failed in the report. undo: moves refused, each in `refusals`"),
      refusals: z
        .array(z.object({ move_id: z.number().int(), book_id: z.number().int().nullable(), reason: z.string() }))
        .optional()
        .describe("undo: each move refused before anything moved back, with the reason the CLI's `undo` gives (the old place taken, files changed since, moved again since...), its advice in a page's words; at most 100 (see `refused` for all)"),
    })
    .nullable()
    .describe("apply and undo: what the plan and checks left, told once they are done, before the first move (null until then, and for scan and process); the selection's count is not what moves when the checks hold or refuse some. An undo's `held` is 0: it refuses"),
});

export const CopyOfView = z
  .object({
    original: z.string().describe("the data folder this one is a copy of"),
    shared: z.array(z.string()).describe("the library (and output) folders both manage"),
    message: z.string().describe("what the pages say of it: the CLI's warning, in the web app's words"),
  })
  .describe("this data folder is a copy of another that manages the same library: apply and undo here move that library's files (README: a copied data folder)");

/** A started apply or undo: its job, and whether it moves files of a library another data folder manages. */
export const MoveJobView = JobView.extend({ copy_of: CopyOfView.nullable() });

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
  joined: z
    .number()
    .int()
    .min(0)
    .describe("of `missing`, the records kept for a part joined into another book (`status --json`'s `joined`): their files are there, inside that book; the dashboard counts them apart"),
  books_with_errors: z.number().int(),
  job: JobView.nullable(),
  last_job: JobView.nullable(),
  layers: z.array(LayerCounts.extend({ name: z.string(), enabled: z.boolean(), state: LayerRowView.shape.state })),
  activity: z.array(Activity),
  problems: z.array(
    z.object({
      kind: z.string(),
      message: z.string(),
      link: z.string().nullable(),
      book_ids: z.array(z.number().int()).optional().describe("the books it is about, each linked to its page (the first 10 by id)"),
      more_books: z.boolean().optional().describe("more books than `book_ids` lists"),
      plugin: z.string().optional().describe("`plugin_failed` whose last start failed: the plugin (its id, or its folder's name)"),
      last_start: z.string().optional().describe("`plugin_failed` whose last start failed: when that start was, as `last_start` of `/api/plugins` and `plugins list --json`"),
      last_start_reason: z.string().optional().describe("`plugin_failed` whose last start failed: why, in the plugin's words with secret values masked, as `/api/plugins`' `last_start_reason`"),
    }),
  ),
  token_required: z.boolean(),
  plugin_dir: z.string().describe("the plugin folder this server watches, absolute: a plugin folder dropped into it is loaded without a restart"),
});

export const ProcessRequest = z
  .object({
    layer: z.string().min(1).optional().describe("Run this layer only"),
    rerun: z.boolean().optional().describe("Clear earlier runs first (all layers, or the one given)"),
  })
  .strict();

// ---- books --------------------------------------------------------------------------

const boolText = z.enum(["true", "false"]).transform((v) => v === "true");

/**
 * Text to look for. A NUL (`%00`) is refused: no book's path, name or tag holds one, and SQLite's LIKE reads a
 * pattern only up to it, so `%00` would have matched every book.
 */
const searchText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !text.includes("\0"), "holds a NUL character (%00), which no book's path, name or tag can contain: remove it");

/**
 * `status=identified,needs_attention`: the comma-separated list `shelfwise books --status` (and `plan`/`apply
 * --status`) takes, refused the same way. `valid` is what the route can use (a plan never moves a missing book);
 * `forWhat` says why a status valid elsewhere is refused there.
 */
export const statusListOf = (valid: readonly string[], forWhat = "") =>
  z
    .string()
    .max(200)
    .describe(`one status or a comma-separated list: ${valid.join(", ")}`)
    .superRefine((text, ctx) => {
      const list = readStatusList(text, valid);
      if (list.ok) return;
      const message =
        list.problem === "unknown"
          ? `unknown status ${JSON.stringify(list.item)}${forWhat}${didYouMean(list.item, valid)}; use one of: ${valid.join(", ")}`
          : `${list.problem === "empty_item" ? "an empty item in" : "no status in"} ${JSON.stringify(text)}; give one or more of: ${valid.join(", ")}, comma-separated`;
      ctx.addIssue({ code: "custom", message });
    });

const statusList = statusListOf(BOOK_STATUSES);

/** The statuses a valid `status` query names. */
export function statusesOf(text: string | undefined, valid: readonly string[] = BOOK_STATUSES): string[] | undefined {
  if (text === undefined) return undefined;
  const list = readStatusList(text, valid);
  return list.ok ? list.statuses : undefined;
}

export const BookListQuery = z
  .object({
    text: searchText(200).optional(),
    status: statusList.optional(),
    author: searchText(500).optional(),
    series: searchText(500).optional(),
    min_confidence: textNumber(CONFIDENCE).optional(),
    max_confidence: textNumber(CONFIDENCE).optional(),
    layer_errors: boolText.optional(),
    problem: z
      .enum(["gone", "back", "duplicates"])
      .optional()
      .describe("only the books the disk check finds (the dashboard's): `gone` not where recorded, `back` missing ones there again, `duplicates` old records of a book recorded again"),
    sort: z.enum(["path", "status", "confidence", "author", "title", "series", "narrator", "year", "language", "id"]).optional(),
    order: z.enum(["asc", "desc"]).optional(),
    offset: textNumber(OFFSET).optional(),
    limit: textNumber({ whole: true, min: 1, max: 500 }).optional(),
  })
  .strict()
  // A range upside down matches no book: said beside the field (the list said only "nothing matches the filters").
  .superRefine((query, context) => {
    const { min_confidence: min, max_confidence: max } = query as { min_confidence?: number; max_confidence?: number };
    if (min !== undefined && max !== undefined && max < min) {
      context.addIssue({ code: "custom", path: ["max_confidence"], message: `is below the minimum confidence (${min}): no book can match; raise it to ${min} or more, or lower the minimum` });
    }
  });

const bookExtras = {
  locked: z.boolean().describe("layers and moves leave a locked book alone"),
  layer_errors: z.boolean().describe("a layer failed on this book"),
};

export const BookRowView = BookRowBase.extend(bookExtras);

export const BookPage = z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), books: z.array(BookRowView) });

/** A book's files and sidecars in its page's answer: the first this many, the rest a page at a time. */
export const BOOK_PARTS_FIRST = 50;
const BookFile = z.object({ path: z.string(), size: z.number().describe("bytes") });

export const BookDetailView = BookDetailBase.extend({
  ...bookExtras,
  // A book of 20,000 files sent every one of them with each look at it (the page shows 50).
  files_total: z.number().int().describe("how many files the book has"),
  files: z.array(BookFile).describe(`its first ${BOOK_PARTS_FIRST} files in the scan's order; the rest from \`GET /api/books/ID/files?offset=N&limit=M\``),
  sidecars_total: z.number().int().describe("how many sidecars (metadata.json, .opf, desc.txt…) the book has"),
  sidecars: z.array(z.string()).describe(`its first ${BOOK_PARTS_FIRST} sidecars; the rest from \`GET /api/books/ID/sidecars?offset=N&limit=M\``),
});

/** A page of one book's files or sidecars. */
export const BookPartsQuery = z
  .object({
    offset: textNumber(OFFSET).optional().describe("where the page starts (default 0)"),
    limit: textNumber({ whole: true, min: 1, max: 5000 }).optional().describe("how many (default 500, up to 5000)"),
  })
  .strict();
export const BookFilesPage = z
  .object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), files: z.array(BookFile) })
  .describe("A page of one book's files");
export const BookSidecarsPage = z
  .object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), sidecars: z.array(z.string()) })
  .describe("A page of one book's sidecars");

/** A correction's answer: the book as it now is, and what the user should know of what they typed (`book --set`'s notes). */
export const BookCorrectedView = BookDetailView.extend({
  notes: z.array(z.string()).describe("what was kept with a note (a language shelfwise does not know, kept as typed); empty when none"),
});

export const LockRequest = z.object({ locked: z.boolean() }).strict();
export const RerunRequest = z.object({ layers: z.array(z.string().min(1)).max(100).optional() }).strict();

// ---- pipeline -------------------------------------------------------------------------

export const LayerView = LayerRowView.extend({
  ok: z.number().int().describe("books that passed the layer"),
  error: z.number().int().describe("books the layer failed on"),
  skipped: z.number().int().describe("books the layer skipped"),
});

export const LayersView = z.object({ layers: z.array(LayerView), warnings: z.array(z.string()), pipeline_order: z.array(z.string()) });

export const OrderRequest = z.object({ order: z.array(z.string().min(1).max(200)).max(1000) }).strict();
export const EnabledRequest = z.object({ enabled: z.boolean() }).strict();

// ---- plugins ---------------------------------------------------------------------------

export const SecretStatus = z.object({ name: z.string(), set: z.boolean() });

export const PluginView = PluginEntryView.extend({
  ...LastStartFields,
  key: z.string().describe("the plugin id, or its folder name when the manifest names none"),
  description: z.string().nullable(),
  errors: z.array(z.string()).describe("every manifest problem on its own line"),
  permissions: z.object({ network: z.array(z.string()), filesystem: z.string() }),
  requires_config: z.array(z.string()),
  config_schema: z.record(z.string(), z.unknown()).nullable(),
  config: z.record(z.string(), z.unknown()).describe("plugin_configs[id] as saved, without the settings its config_schema marks secret"),
  secret_settings: z
    .array(SecretStatus)
    .describe("config_schema properties marked secret (writeOnly: true, format: password or secret: true), and whether each is set (values are never sent)"),
  secrets: z
    .array(
      SecretStatus.extend({
        granted: z
          .boolean()
          .nullable()
          .describe("this plugin is granted it (on first use, or by the user): only then is it handed over; null for an invalid plugin, whose grants are not looked at until its manifest is fixed"),
      }),
    )
    .describe("the secrets the manifest requires, whether each is set (values are never sent) and granted to this plugin"),
});

export const PluginDetailView = PluginView.extend({ log_tail: z.array(z.string()) });

export const PluginConfigRequest = z
  .object({
    config: z.record(z.string(), z.unknown()),
    // The settings as the page showed them when it loaded (its `config`): given, only the fields changed on the
    // page are saved over what is stored now (another tab's or a command's changes stay); left out, `config` replaces them.
    base: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export const SecretRequest = z
  .object({
    name: z.string().min(1).max(200),
    // A blank value counts as missing (requires_secrets): storing one would only skip the plugin.
    value: z.string().min(1).max(10_000).refine((value) => value.trim() !== "", { error: "must not be only white space" }),
  })
  .strict();

export const SecretGrantRequest = z.object({ name: z.string().min(1).max(200) }).strict();

export const HealthRecent = z
  .array(z.object({ at: z.string(), outcome: z.string(), duration_ms: z.number() }))
  .describe("last 300 calls, oldest first (the chart); empty in the list");

export const HealthRow = PluginHealthView.extend({
  ...LastStartFields,
  recent: HealthRecent,
  failed_books: z
    .number()
    .int()
    .min(0)
    .describe("books whose last run of this plugin failed or was interrupted: the Health page's Retry (the reset) asks for them again at the next Process"),
});

export const HealthView = z.object({ plugins: z.array(HealthRow) });

export const CallLogQuery = z
  .object({
    outcome: z.enum(CALL_OUTCOMES).optional(),
    before: textNumber({ whole: true, min: 1, max: Number.MAX_SAFE_INTEGER }, "a positive whole number in decimal digits (a call id from the log)").optional(),
    limit: textNumber({ whole: true, min: 1, max: 500 }).optional(),
  })
  .strict();

export const CallLogView = z.object({ calls: z.array(CallLogEntryView) });

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
/** A save's answer: the settings as now saved, and what to know of a value taken (`config set`'s warnings). */
export const SettingsSavedView = SettingsView.extend({
  notes: z
    .array(z.string())
    .describe('what the user should know of a value taken, as `config set` warns it: an output_path not made yet, not writable by this user, or on another device than a library folder (apply copies, then removes). Empty for most'),
});
export const SettingsRequest = z
  .object({
    values: z.record(z.string(), z.unknown()),
    // Each changed key's value as the page showed it: a key changed elsewhere since (another tab, a command) to
    // something else is refused (409, named) instead of being written over without a word.
    base: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const LibraryFolder = z.object({ path: z.string(), exists: z.boolean(), readable: z.boolean() });
export const LibraryView = z.object({ folders: z.array(LibraryFolder) });
/** POST /api/library's answer: `changed` false when the folder was a library folder already (as `library add --json`). */
export const LibraryAddView = LibraryView.extend({
  path: z.string().describe("the folder, absolute, as library_paths holds it"),
  changed: z.boolean().describe("false: it was a library folder already; nothing changed"),
});
export const LibraryRequest = z.object({ path: z.string().min(1).max(4096) }).strict();
