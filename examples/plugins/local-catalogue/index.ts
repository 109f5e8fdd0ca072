/**
 * local-catalogue: your own list of books, as a CSV file in this folder, turned
 * into evidence. A book whose title and author (as found by the earlier layers)
 * match a row gets that row's narrator, year, series, series number, language
 * and edition. Edit catalogue.csv; the plugin reads it once per start.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BasePlugin, type Book, type PluginConfig, type PluginResult, type PluginSecrets } from "shelfwise/plugin";
import { buildCatalogue, catalogueKey, type Entry } from "./catalogue.js";

export default class LocalCataloguePlugin extends BasePlugin {
  private entries = new Map<string, Entry>();

  override setup(config: PluginConfig, secrets: PluginSecrets): void {
    super.setup(config, secrets);
    const name = typeof config.file === "string" ? config.file : "catalogue.csv";
    // The file sits next to this module: the plugin may read its own folder, nothing else.
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), name);
    const catalogue = buildCatalogue(fs.readFileSync(file, "utf8"));
    for (const problem of catalogue.problems) console.error(`${name}: ${problem}`);
    this.entries = catalogue.entries;
    console.error(`${name}: ${this.entries.size} books`);
  }

  /** Only books whose title and author are already known can be looked up. */
  override canProcess(book: Book): boolean {
    return book.current_title !== null && book.current_author !== null;
  }

  override process(book: Book): PluginResult {
    const entry = this.entries.get(catalogueKey(book.current_title!, book.current_author!));
    return entry ? { ...entry } : null;
  }
}
