/**
 * shelfwise/plugin — what plugin authors import.
 *
 *   import { BasePlugin, type Book, type PluginResult } from "shelfwise/plugin";
 *
 * Extending BasePlugin is optional: any class with a `process(book)` method works.
 *
 * The types are written out here rather than derived from the protocol's zod
 * schema, so that an author's editor shows each key with its meaning and the
 * published declarations need nothing but this file; a typecheck test
 * (test/plugins/sdk-types.test.ts) keeps them equal to the protocol.
 */

/** The fields shelfwise identifies for every book: the keys of `Book.profile` and of a `PluginResult`. */
export type FieldName =
  | "author"
  | "title"
  | "subtitle"
  | "authors"
  | "narrator"
  | "series"
  | "series_num"
  | "year"
  | "language"
  | "edition"
  | "variant";

/** What shelfwise believes about one field so far. */
export interface ProfileField {
  /** The winning value; null when nothing is known. */
  value: string | null;
  /** 0..100. */
  confidence: number;
  /** The sources behind the value: `path`, `embedded_tags`, `sidecar`, `plugin:<id>`, ... */
  sources: string[];
}

/** The book a plugin gets: what shelfwise knows after the layers before this one. A copy: changing it has no effect. */
export interface Book {
  /** The book's id, as in `shelfwise book ID`. */
  book_id: number;
  /** Absolute path of the book: its folder, or the audio file of a loose-file book. */
  path: string;
  /** The library folder the book was found in. */
  library_root: string;
  current_author: string | null;
  current_title: string | null;
  current_narrator: string | null;
  current_series: string | null;
  current_series_num: string | null;
  current_year: string | null;
  current_language: string | null;
  /** `new`, `pending`, `identified` or `needs_attention`. */
  status: string;
  /**
   * Why the plugin is asked about the book (Library Manager's queue `reason`): what keeps a `needs_attention`
   * book from being identified (as `shelfwise book ID` shows it), else a short note that it is new or changed,
   * or that this plugin has no current answer for it.
   */
  reason: string;
  /** The book's confidence so far, 0..100. */
  confidence: number;
  /** Every field, known or not (`subtitle`, `authors`, `edition` and `variant` have no `current_*` key). */
  profile: Record<FieldName, ProfileField>;
  /** The book's audio files (at most 1000); size in bytes. */
  files: { path: string; size: number }[];
  /** The first audio file's tags once the `embedded_tags` layer has run, else null. */
  tags: Record<string, string> | null;
  /** The plugin's `default_order`. */
  verification_layer: number;
}

/**
 * What `process` may return: any of the fields as a string or a finite number
 * (`null`, `undefined` and "" mean "no value" for that field), or null / {} /
 * nothing for "no opinion". `authors` is every author, "; "-separated.
 */
export type PluginResult = { [F in FieldName]?: string | number | null | undefined } | null | undefined;

export type PluginConfig = Record<string, unknown>;
export type PluginSecrets = Record<string, string>;

export class BasePlugin {
  name = "";
  description = "";
  version = "";
  config: PluginConfig = {};
  secrets: PluginSecrets = {};

  /** Called once after the plugin process starts. */
  setup(config: PluginConfig, secrets: PluginSecrets): void | Promise<void> {
    this.config = config;
    this.secrets = secrets;
  }

  /** Return false to skip a book (it gets a `skipped` call, not a failure). */
  canProcess(_book: Book): boolean | Promise<boolean> {
    return true;
  }

  /** The only method a plugin must implement. */
  process(_book: Book): PluginResult | Promise<PluginResult> {
    return null;
  }

  /** Called at shutdown, bounded to 5 seconds. */
  teardown(): void | Promise<void> {}
}
