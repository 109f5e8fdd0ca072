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
import { FIELD_NAMES } from "../domain/fields.js";

export const PROTOCOL_VERSION = 1;

/** Longest line the host accepts from a runner; longer lines are invalid output. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Longest accepted value of a result field. */
export const MAX_VALUE_CHARS = 500;

/** The fields a plugin may return (everything else is ignored with a warning): every profile field. */
export const RESULT_FIELDS = FIELD_NAMES;
export type ResultField = (typeof RESULT_FIELDS)[number];

/** The `book` a plugin receives: identical for every runtime, snake_case, a copy. */
export interface PluginBook {
  book_id: number;
  path: string;
  library_root: string;
  current_author: string | null;
  current_title: string | null;
  current_narrator: string | null;
  current_series: string | null;
  current_series_num: string | null;
  current_year: string | null;
  current_language: string | null;
  status: string;
  confidence: number;
  profile: Record<string, { value: string | null; confidence: number; sources: string[] }>;
  /** At most MAX_BOOK_FILES entries. */
  files: { path: string; size: number }[];
  tags: Record<string, string> | null;
  verification_layer: number;
}
export const MAX_BOOK_FILES = 1000;

// ---- host -> runner -------------------------------------------------------

export interface InitMessage {
  type: "init";
  protocol: number;
  plugin_id: string;
  /** Absolute path of the module to load (already staged/transpiled by the host). */
  entry: string;
  class_name: string | null;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Host names the plugin may reach (permissions.network). */
  allowed_hosts: string[];
  /** Python only: RLIMIT_AS in bytes (0 = none). */
  memory_bytes: number;
}

export interface BatchMessage {
  type: "batch";
  books: { seq: number; book: PluginBook }[];
}

export interface TeardownMessage {
  type: "teardown";
}

export type HostMessage = InitMessage | BatchMessage | TeardownMessage;

// ---- runner -> host (untrusted: validated) --------------------------------

const ReadyMessage = z.object({ type: z.literal("ready") });

const FatalMessage = z.object({
  type: z.literal("fatal"),
  /** Where it failed: loading the module, finding the class, or setup(). */
  stage: z.enum(["load", "class", "setup"]),
  error: z.string(),
  /** Full stack or traceback, for the plugin log only. */
  detail: z.string().optional(),
});

const ResultMessage = z.object({
  type: z.literal("result"),
  seq: z.number().int(),
  /** ok: `data` holds what process() returned (still to be checked by the host);
   * skipped: can_process said no; error: process() threw. */
  outcome: z.enum(["ok", "skipped", "error"]),
  /** The raw return value of process(), JSON-encoded by the runner. */
  data: z.unknown().optional(),
  error: z.string().optional(),
  detail: z.string().optional(),
});

const TeardownDoneMessage = z.object({
  type: z.literal("teardown_done"),
  error: z.string().optional(),
});

export const RunnerMessage = z.discriminatedUnion("type", [
  ReadyMessage,
  FatalMessage,
  ResultMessage,
  TeardownDoneMessage,
]);
export type RunnerMessage = z.infer<typeof RunnerMessage>;
export type ResultMessage = z.infer<typeof ResultMessage>;
export type FatalMessage = z.infer<typeof FatalMessage>;
