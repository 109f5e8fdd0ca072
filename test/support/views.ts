/**
 * Every `--json` output a test reads is checked against its view schema
 * (src/app/views/): right types, and exactly the documented keys (zod drops
 * unknown keys while parsing, so an extra key shows as a difference).
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import * as views from "../../src/app/views/index.js";

// Typed as zod's core schema type, not z.ZodType: relating each view's ZodObject to the classic z.ZodType made tsc
// compare the two classes' whole method sets (variance of every generic): ~35 s of the typecheck's 60 s check at
// load 12 (docs/performance-log.md, atests36). Each entry is still checked to be a zod schema.
const BY_COMMAND: Record<string, z.core.$ZodType> = {
  status: views.LibraryStatusView,
  books: views.BookListView,
  book: views.BookDetailView,
  scan: views.ScanSummaryView,
  process: views.ProcessSummaryView,
  layers: views.LayerListView,
  "plugins list": views.PluginListView,
  "plugins health": views.PluginHealthListView,
  "plugins logs": views.CallLogView,
  "plugins validate": views.PluginValidateView,
  "plugins test": views.PluginTestView,
  "sources list": views.SourceListSchema,
  "sources test": views.SourceTestSchema,
  plan: views.PlanReportView,
  apply: views.ApplyCommandView,
  undo: views.UndoCommandView,
  history: views.HistoryView,
  "library list": views.LibraryListView,
  "library add": views.LibraryChangeView,
  "library remove": views.LibraryChangeView,
  "config list": views.ConfigListView,
  "config get": views.ConfigEntryView,
  "config set": views.ConfigChangeView,
  "config unset": views.ConfigChangeView,
  "secrets list": views.SecretListView,
  "secrets set": views.SecretChangeView,
  "secrets unset": views.SecretChangeView,
};

/** The view schema of a command line (options and their values may come anywhere), or null when it has none. */
export function viewSchemaFor(args: string[]): z.core.$ZodType | null {
  const words = args.filter((a) => !a.startsWith("-"));
  for (let n = Math.min(2, words.length); n > 0; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const schema = BY_COMMAND[words.slice(i, i + n).join(" ")];
      if (schema) return schema;
    }
  }
  return null;
}

/** Parses `value` with `schema`; throws naming every problem, or every key the schema does not document. */
export function checkView<S extends z.core.$ZodType>(schema: S, value: unknown, what = "output"): z.infer<S> {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) {
    throw new Error(`${what} does not match its view schema:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  if (!isDeepStrictEqual(parsed.data, value)) {
    throw new Error(`${what} has keys its view schema does not document:\n${JSON.stringify(value, null, 2).slice(0, 2000)}`);
  }
  return parsed.data;
}

/** Checks the JSON a command printed against its command's view, when it has one. */
export function checkCommandJson<T>(args: string[], value: unknown): T {
  const schema = viewSchemaFor(args);
  return (schema ? checkView(schema, value, `shelfwise ${args.join(" ")} --json`) : value) as T;
}

/**
 * Exit codes that mean "the command finished": 0, and for `process` also 3
 * (finished with layer errors or plugin problems, docs/cli-json.md). Tests
 * about the exit code itself check it exactly.
 */
export function finishedCodes(args: string[]): number[] {
  return args.includes("process") ? [0, 3] : [0];
}
