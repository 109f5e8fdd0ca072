/**
 * The host <-> runner protocol: the one definition both sides follow
 * (STYLE.md: VS Code's extHost.protocol). The node runner imports it; the
 * python runner (python/shelfwise_runner.py) mirrors it and is tested against it.
 *
 * Transport: newline-delimited JSON. Host -> runner on the runner's stdin;
 * runner -> host on file descriptor 3, so that whatever the plugin prints on
 * stdout/stderr can never be mistaken for a message (it goes to the plugin log).
 * Every message that arrives from a runner is untrusted and validated here.
 */
import { z } from "zod";
import { FIELD_NAMES } from "../../domain/fields.js";

export const PROTOCOL_VERSION = 1;

/** Longest line the host accepts from a runner; longer lines are invalid output. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Why an answer past MAX_MESSAGE_BYTES is refused (`invalid_output`), whichever side saw it first. */
export const TOO_LARGE_ERROR = `result larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB`;

/** What an author does about it: the limit alone said neither what was too big nor the fix. */
export const TOO_LARGE_FIX =
  "return fewer candidates or shorter values and leave raw payloads out (a whole API response, HTML, base64 images): shelfwise keeps only the result's fields";

/**
 * The reason for an answer the runner refused: the limit, the size counted when it stopped encoding (a lower
 * bound: it stops there), the top-level field that took the most, and the fix.
 */
export function tooLargeError(size?: number, field?: string, fieldBytes?: number): string {
  const parts: string[] = [];
  if (size !== undefined) parts.push(`process() returned at least ${bytesText(size)} of JSON`);
  if (field !== undefined) parts.push(`the largest field is ${shownKey(field)}${fieldBytes === undefined ? "" : ` (at least ${bytesText(fieldBytes)})`}`);
  return `${TOO_LARGE_ERROR}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}; ${TOO_LARGE_FIX}`;
}

/** A key of the plugin's, quoted with its control and direction characters as escapes: it is shown on pages and terminals. */
function shownKey(key: string): string {
  return JSON.stringify(key).replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function bytesText(bytes: number): string {
  // Exact near the limit: "1.0 MiB" of an answer refused for passing 1 MiB read as a contradiction.
  return bytes >= 10 * 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes.toLocaleString("en-US")} bytes`;
}

/** Longest accepted value of a result field. */
export const MAX_VALUE_CHARS = 500;

/** The fields a plugin may return (everything else is ignored with a warning): every profile field. */
export const RESULT_FIELDS = FIELD_NAMES;
export type ResultField = (typeof RESULT_FIELDS)[number];

const ProfileEntry = z.object({ value: z.string().nullable(), confidence: z.number(), sources: z.array(z.string()) });

/** The `book` a plugin receives: identical for every runtime, snake_case, a copy. */
export const PluginBook = z.object({
  book_id: z.number().int(),
  path: z.string(),
  library_root: z.string(),
  current_author: z.string().nullable(),
  current_title: z.string().nullable(),
  current_narrator: z.string().nullable(),
  current_series: z.string().nullable(),
  current_series_num: z.string().nullable(),
  current_year: z.string().nullable(),
  current_language: z.string().nullable(),
  status: z.string(),
  /** Why the plugin is asked about the book (Library Manager's queue `reason`): see plugin-book.ts. */
  reason: z.string(),
  confidence: z.number(),
  profile: z.record(z.string(), ProfileEntry),
  /** At most MAX_BOOK_FILES entries. */
  files: z.array(z.object({ path: z.string(), size: z.number() })),
  tags: z.record(z.string(), z.string()).nullable(),
  verification_layer: z.number().int(),
});
export type PluginBook = z.infer<typeof PluginBook>;
export const MAX_BOOK_FILES = 1000;

/** Most calls a runner keeps in flight (plugin_configs.<id>.concurrency is 1..this). */
export const MAX_CONCURRENCY = 32;

// ---- host -> runner -------------------------------------------------------

/**
 * Which plugin to load and what it is given: the part of the init message the
 * host's launch spec carries as is (plugins/plugin-types.ts `LaunchSpec`).
 */
export const PluginLoad = z.object({
  plugin_id: z.string(),
  /** Absolute path of the module to load (already staged/transpiled by the host). */
  entry: z.string(),
  class_name: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.string()),
  /** Host names the plugin may reach (permissions.network). */
  allowed_hosts: z.array(z.string()),
  /**
   * The manifest's name, description and version, set on a Python plugin's
   * instance after it is made, as Library Manager does (a plugin may show
   * `self.name` in its results or logs). Absent: the class's own values stay.
   * `version_json`: a version the manifest gives as a number, as written (`1.0`): the Python runner sets
   * what Python's json reads from it (the float 1.0), Library Manager's value, over `version`'s text.
   */
  about: z
    .object({ name: z.string().optional(), description: z.string().optional(), version: z.string().optional(), version_json: z.string().optional() })
    .optional(),
});
export type PluginLoad = z.infer<typeof PluginLoad>;

const PLUGIN_LOAD_KEYS = Object.keys(PluginLoad.shape) as (keyof PluginLoad)[];

/** The load fields of a launch spec, by the schema's own key list (values as they are: not parsed, not copied). */
export function pluginLoadOf(spec: PluginLoad): PluginLoad {
  return Object.fromEntries(PLUGIN_LOAD_KEYS.map((key) => [key, spec[key]])) as PluginLoad;
}

export const InitMessage = PluginLoad.extend({
  type: z.literal("init"),
  protocol: z.number().int(),
  /** Python only: RLIMIT_AS in bytes (0 = none). */
  memory_bytes: z.number().int().nonnegative(),
  /** Python only: RLIMIT_FSIZE in bytes (0 = none), where the sandbox helper did not set it. */
  max_file_bytes: z.number().int().nonnegative().default(0),
  /**
   * Calls the runner runs at once (1 = one after another, as before). The
   * runner starts queued calls in `seq` order whenever one finishes; the host
   * relies on that order to time each call.
   */
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(1),
  /** The random token of this process's call marks (runner/call-mark.ts): a plugin cannot write one it never saw. */
  call_mark: z.string().default(""),
});
export type InitMessage = z.input<typeof InitMessage>;

/** Books to run, queued behind any sent before; results come back by `seq`, in any order. */
export const BatchMessage = z.object({
  type: z.literal("batch"),
  books: z.array(z.object({ seq: z.number().int(), book: PluginBook })),
});
export type BatchMessage = z.infer<typeof BatchMessage>;

export const TeardownMessage = z.object({ type: z.literal("teardown") });
export type TeardownMessage = z.infer<typeof TeardownMessage>;

export const HostMessage = z.discriminatedUnion("type", [InitMessage, BatchMessage, TeardownMessage]);
export type HostMessage = z.input<typeof HostMessage>;

// ---- runner -> host (untrusted: validated) --------------------------------

/** What the runners clip an error message and a traceback to; a runner a plugin rewrote is clipped here. */
export const MAX_ERROR_CHARS = 2000;
export const MAX_DETAIL_CHARS = 64 * 1024;

function clipped(max: number) {
  return z.string().transform((text) => (text.length > max ? `${text.slice(0, max - 1)}…` : text));
}

const ReadyMessage = z.object({ type: z.literal("ready") });

/**
 * A call starts while none runs (sent with the stderr call mark, runner/call-mark.ts): the host's sign that a
 * book of the batch it sent has begun, so a stop seen after it is that call's (process/child.ts watchTree). On
 * the channel, not stderr only: a plugin that closed its stderr (or put /dev/null over it) sent no mark, and
 * its stop during a call passed for one between calls, blaming no book and never counted.
 */
const StartedMessage = z.object({ type: z.literal("started") });

const FatalMessage = z.object({
  type: z.literal("fatal"),
  /** Where it failed: loading the module, finding the class, or setup(). */
  stage: z.enum(["load", "class", "setup"]),
  error: clipped(MAX_ERROR_CHARS),
  /** Full stack or traceback, for the plugin log only. */
  detail: clipped(MAX_DETAIL_CHARS).optional(),
});

const ResultMessage = z.object({
  type: z.literal("result"),
  /** The call this answers; with concurrency > 1 answers arrive in any order. */
  seq: z.number().int(),
  /** ok: `data` holds what process() returned (still to be checked by the host);
   * skipped: can_process said no; error: process() threw; too_large: what process() returned
   * would pass MAX_MESSAGE_BYTES once encoded (the runner stops encoding there and sends nothing of it). */
  outcome: z.enum(["ok", "skipped", "error", "too_large"]),
  /** The raw return value of process(), JSON-encoded by the runner. */
  data: z.unknown().optional(),
  error: clipped(MAX_ERROR_CHARS).optional(),
  detail: clipped(MAX_DETAIL_CHARS).optional(),
  /** too_large: the bytes of JSON counted when the runner stopped encoding (at least this many). */
  size: z.number().int().nonnegative().optional().catch(undefined),
  /** too_large: the top-level field (or `[index]`) that took the most of them, and how many it took. */
  field: clipped(100).optional().catch(undefined),
  field_size: z.number().int().nonnegative().optional().catch(undefined),
});

const TeardownDoneMessage = z.object({
  type: z.literal("teardown_done"),
  error: clipped(MAX_ERROR_CHARS).optional(),
  /**
   * What the plugin left behind at its end that shelfwise let go or cut (a setInterval still running, work still
   * pending): also in its log, and kept for its health (`plugins health`), where its author looks for what to fix.
   */
  warnings: z.array(clipped(MAX_ERROR_CHARS)).max(10).optional().catch(undefined),
});

export const RunnerMessage = z.discriminatedUnion("type", [
  ReadyMessage,
  StartedMessage,
  FatalMessage,
  ResultMessage,
  TeardownDoneMessage,
]);
export type RunnerMessage = z.infer<typeof RunnerMessage>;
export type ResultMessage = z.infer<typeof ResultMessage>;
export type FatalMessage = z.infer<typeof FatalMessage>;
