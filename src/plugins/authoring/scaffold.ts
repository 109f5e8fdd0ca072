/**
 * `plugins new`: a working plugin with a test, in the author's language. The
 * example fills in a book's language from config when no source knows it, so
 * the scaffold does something real and its test proves it.
 */
import fs from "node:fs";
import path from "node:path";
import { pluginIdProblem } from "../../domain/plugin-id.js";

export type ScaffoldLang = "js" | "ts" | "python";
export const SCAFFOLD_LANGS: readonly ScaffoldLang[] = ["js", "ts", "python"];


export class ScaffoldError extends Error {}

export function scaffoldPlugin(pluginDir: string, id: string, lang: ScaffoldLang): { folder: string; files: string[] } {
  const idProblem = pluginIdProblem(id);
  if (idProblem) throw new ScaffoldError(`plugin id "${id}" ${idProblem}`);
  if (!SCAFFOLD_LANGS.includes(lang)) throw new ScaffoldError(`--lang must be one of ${SCAFFOLD_LANGS.join(", ")}`);
  const folder = path.join(pluginDir, id);
  if (fs.existsSync(folder)) throw new ScaffoldError(`${folder} already exists; choose another id or remove it first`);
  const entry = lang === "python" ? "layer.py" : lang === "ts" ? "index.ts" : "index.js";
  const files: Record<string, string> = {
    "manifest.json":
      JSON.stringify(
        {
          id,
          name: id,
          version: "0.1.0",
          description: "Fills in the language when no other source knows it",
          entry_point: entry,
          ...(lang === "python" ? { class_name: "DefaultLanguagePlugin" } : {}),
          default_order: 50,
          requires_config: [],
          requires_secrets: [],
          config_schema: {
            type: "object",
            properties: { default_language: { type: "string", minLength: 2 } },
          },
          permissions: { network: [], filesystem: "none" },
          api_version: 1,
        },
        null,
        2,
      ) + "\n",
    [entry]: lang === "python" ? PYTHON : lang === "ts" ? TS : JS,
    "plugin.test.mjs": TEST,
    // ES module syntax in .js/.ts files without relying on Node's syntax detection (20.19+).
    ...(lang === "python" ? {} : { "package.json": JSON.stringify({ name: id, private: true, type: "module" }, null, 2) + "\n" }),
    "README.md": readme(id, entry),
  };
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), content);
  return { folder, files: Object.keys(files) };
}

const JS = `import { BasePlugin } from "shelfwise/plugin";

/** Fills in the language when no other source knows it. */
export default class DefaultLanguagePlugin extends BasePlugin {
  setup(config, secrets) {
    super.setup(config, secrets);
    this.language = typeof config.default_language === "string" ? config.default_language : "en";
  }

  canProcess(book) {
    return book.current_language === null;
  }

  process(book) {
    return { language: this.language };
  }
}
`;

const TS = `import { BasePlugin, type Book, type PluginConfig, type PluginResult, type PluginSecrets } from "shelfwise/plugin";

/** Fills in the language when no other source knows it. */
export default class DefaultLanguagePlugin extends BasePlugin {
  private language = "en";

  override setup(config: PluginConfig, secrets: PluginSecrets): void {
    super.setup(config, secrets);
    if (typeof config.default_language === "string") this.language = config.default_language;
  }

  override canProcess(book: Book): boolean {
    return book.current_language === null;
  }

  override process(_book: Book): PluginResult {
    return { language: this.language };
  }
}
`;

const PYTHON = `from library_manager.plugin_loader import BasePlugin


class DefaultLanguagePlugin(BasePlugin):
    """Fills in the language when no other source knows it."""

    name = "default-language"
    description = "Fills in the language when no other source knows it"
    version = "0.1.0"

    def setup(self, config, secrets):
        super().setup(config, secrets)
        self.language = config.get("default_language", "en")
        return True

    def can_process(self, book_data):
        return book_data.get("current_language") is None

    def process(self, book_data):
        return {"language": self.language}
`;

const TEST = `// Run with: node --test   (from this folder)
// The plugin runs isolated, exactly as in the pipeline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { makeBook, runPlugin } from "shelfwise/testing";

const folder = fileURLToPath(new URL(".", import.meta.url));

test("fills in the configured language", async () => {
  const { calls } = await runPlugin(folder, [makeBook({ title: "Dune" })], { config: { default_language: "de" } });
  assert.deepEqual(calls[0].accepted, [{ field: "language", value: "de" }]);
});

test("leaves books alone whose language is known", async () => {
  const { calls } = await runPlugin(folder, [makeBook({ title: "Dune", language: "en" })]);
  assert.equal(calls[0].outcome, "skipped");
});
`;

function readme(id: string, entry: string): string {
  return `# ${id}

A shelfwise plugin. Edit \`${entry}\`; \`manifest.json\` says how shelfwise loads it.

- Check it: \`shelfwise plugins validate <this folder>\`
- Try it on a book: \`shelfwise plugins test <this folder> --book /path/to/a/book\`
- Test it: \`node --test\` in this folder

See the plugin author's guide (docs/plugins.md in shelfwise).
`;
}
