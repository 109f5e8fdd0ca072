/**
 * shelfwise/plugin — what plugin authors import.
 *
 *   import { BasePlugin, type Book, type PluginResult } from "shelfwise/plugin";
 *
 * Extending BasePlugin is optional: any class with a `process(book)` method works.
 */
import type { PluginBook, ResultField } from "../plugins/protocol/protocol.js";

export type Book = PluginBook;

/** What `process` may return: any of these fields, or null / {} for "no opinion". */
export type PluginResult = Partial<Record<ResultField, string | number>> | null;

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
