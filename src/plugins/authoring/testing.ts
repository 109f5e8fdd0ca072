/**
 * shelfwise/testing: the test harness (plugin-harness.ts) as plugin authors
 * import it. Its types are written out here over shelfwise/plugin's, so an
 * author's `tsc` reads two small declaration files instead of shelfwise's
 * internals (zod's and ajv's types came along, and took a strict project
 * without skipLibCheck most of a minute to check).
 */
import type { Book, FieldName, ProfileField } from "../../sdk/index.js";
import { HarnessError } from "./harness-error.js";
import * as harness from "./plugin-harness.js";

export { HarnessError };

/** How one call went; `ok`/`no_result`/`skipped` are successes. */
export type CallOutcome = "ok" | "no_result" | "skipped" | "error" | "timeout" | "crash" | "invalid_output" | "interrupted" | "not_run";

/** A book as the pipeline holds it; makeBook builds one, and the plugin receives it as a `Book`. */
export interface TestBook {
  book_id: number;
  path: string;
  kind: "folder" | "file";
  library_root: string;
  status: string;
  /** Why the book has its status (as `shelfwise book ID` shows it): a `needs_attention` book's is the plugin's `reason`. */
  status_reason?: string | null;
  confidence: number;
  /** The current value of each field (null: unknown); the plugin gets them as `current_*`. */
  current: Record<FieldName, string | null>;
  profile: Record<FieldName, ProfileField>;
  files: { path: string; size: number }[];
  tags: Record<string, string> | null;
}

/** What makeBook takes: any field as its current value, and the rest of the book the plugin receives. */
export type MakeBookFields = Partial<Record<FieldName, string>> & {
  /** Default 1. */
  book_id?: number;
  /** Absolute path of the book; default `/library/Author/Title`. */
  path?: string;
  /** Default: the folder two levels above `path`. */
  library_root?: string;
  /** Default `pending`. */
  status?: string;
  /** Default 0. */
  confidence?: number;
  /** The audio files; default none. */
  files?: { path: string; size: number }[];
  /** The first audio file's tags (as after the embedded_tags layer); default null. */
  tags?: Record<string, string> | null;
};

export interface HarnessOptions {
  /** The plugin's plugin_configs entry; default {}. */
  config?: Record<string, unknown>;
  /** The whole secrets.json; the plugin still gets only what it declares. */
  secrets?: Record<string, string>;
  /** Where staging, logs and plugin-data go; default a private per-user folder in the temp folder. */
  dataDir?: string;
  pluginDir?: string;
  pythonPath?: string;
  /** Library folders, readable by a plugin with "filesystem": "read". */
  libraryPaths?: string[];
  /** Hosts this run may also reach besides permissions.network (a local stand-in for the plugin's API), private addresses allowed. */
  network?: string[];
}

export interface HarnessCall {
  /** The book as the plugin got it. */
  received: Book;
  outcome: CallOutcome;
  /** process()'s return value as it arrived (JSON). */
  returned: unknown;
  /** The values that became evidence. */
  accepted: { field: FieldName; value: string }[];
  /** The values the garbage checks refused, with the reason. */
  rejected: { field: string; value: string; reason: string }[];
  warnings: string[];
  error: string | null;
  duration_ms: number;
}

/** The plugin the harness ran, as its manifest describes it. */
export interface HarnessPlugin {
  id: string;
  name: string;
  version: string | null;
  runtime: "node" | "python";
  default_order: number;
  folder: string;
  /** manifest.json as shelfwise read it (defaults filled in). */
  manifest: Record<string, unknown>;
  /** Unknown manifest keys and ignored settings. */
  warnings: string[];
}

/** A simple book for tests: any current values, everything else filled in. */
export function makeBook(fields: MakeBookFields = {}): TestBook {
  return harness.makeBook(fields);
}

/**
 * Runs the plugin, isolated exactly as in the pipeline, on these books; one call per book. `output` is what the
 * plugin printed meanwhile (print, console, logging, the traceback or stack of what it threw, with file and
 * line), its last 20 lines: the harness's log folder is temporary, and a call's `error` is one line.
 */
export async function runPlugin(folder: string, books: TestBook[], options: HarnessOptions = {}): Promise<{ plugin: HarnessPlugin; calls: HarnessCall[]; output: string[] }> {
  const { plugin, calls, output } = await harness.runPlugin(folder, books, options);
  return { plugin: publicPlugin(plugin), calls: calls as HarnessCall[], output };
}

/** Checks the manifest, starts the plugin (load + setup) and stops it again. */
export async function validatePlugin(folder: string, options: HarnessOptions = {}): Promise<HarnessPlugin> {
  return publicPlugin(await harness.validatePlugin(folder, options));
}

function publicPlugin(found: Awaited<ReturnType<typeof harness.validatePlugin>>): HarnessPlugin {
  return {
    id: found.id!,
    name: found.name!,
    version: found.version,
    runtime: found.runtime!,
    default_order: found.default_order,
    folder: found.folder,
    manifest: { ...found.manifest! },
    warnings: found.warnings,
  };
}
