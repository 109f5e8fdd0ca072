/**
 * `plugins new`: a plugin that loads, runs and answers nothing, with a test,
 * in the author's language. Harmless when dropped in as it is (issue 12: a
 * scaffold that set `language` on every book changed real data at once); the
 * comments show where the logic goes.
 */
import { quotedInput } from "../../domain/quoted-input.js";
import fs from "node:fs";
import path from "node:path";
import { builtinIdProblem, pluginIdProblem, reservedIdProblem } from "../../domain/plugin-id.js";
import { discoverPlugins } from "../manifest/discovery.js";
import { makeFolder } from "../../config/make-folder.js";
import { packageRoot } from "../../config/package-root.js";

export type ScaffoldLang = "js" | "ts" | "python";
export const SCAFFOLD_LANGS: readonly ScaffoldLang[] = ["js", "ts", "python"];


export class ScaffoldError extends Error {}

export function scaffoldPlugin(pluginDir: string, id: string, lang: ScaffoldLang): { folder: string; files: string[] } {
  const idProblem = pluginIdProblem(id);
  // A reserved id's problem names the id itself ("x" is reserved); the rule does not.
  if (idProblem) throw new ScaffoldError(reservedIdProblem(id) !== null ? `plugin id ${idProblem}` : `plugin id ${quotedInput(id)} ${idProblem}`);
  const builtin = builtinIdProblem(id);
  if (builtin) throw new ScaffoldError(builtin);
  if (!SCAFFOLD_LANGS.includes(lang)) throw new ScaffoldError(`--lang must be one of ${SCAFFOLD_LANGS.join(", ")}`);
  const folder = path.join(pluginDir, id);
  if (fs.existsSync(folder)) throw new ScaffoldError(`${folder} already exists; choose another id or remove it first`);
  // A folder of another name may carry the id (a copied example, a renamed folder): the new plugin would be the duplicate.
  const owner = discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins.find((p) => p.id?.toLowerCase() === id.toLowerCase());
  if (owner) throw new ScaffoldError(`plugin id "${id}" is already used by ${owner.folder} (as "${owner.id}"); choose another id`);
  const entry = lang === "python" ? "layer.py" : lang === "ts" ? "index.ts" : "index.js";
  const files: Record<string, string> = {
    "manifest.json":
      JSON.stringify(
        {
          // Editors check and complete the manifest against shelfwise's JSON Schema, through the link in the plugin directory.
          $schema: "../node_modules/shelfwise/schemas/manifest.schema.json",
          id,
          name: id,
          version: "0.1.0",
          description: "A new shelfwise plugin (answers nothing until its logic is written)",
          entry_point: entry,
          ...(lang === "python" ? { class_name: "MyPlugin" } : {}),
          default_order: 50,
          requires_config: [],
          requires_secrets: [],
          config_schema: { type: "object", properties: {} },
          permissions: { network: [], filesystem: "none" },
          api_version: 1,
        },
        null,
        2,
      ) + "\n",
    [entry]: lang === "python" ? PYTHON : lang === "ts" ? TS : JS,
    "plugin.test.mjs": testFile(packageRoot()),
    // ES module syntax in .js/.ts files without relying on Node's syntax detection (20.19+).
    ...(lang === "python" ? {} : { "package.json": JSON.stringify({ name: id, private: true, type: "module" }, null, 2) + "\n" }),
    // shelfwise strips TypeScript's types without checking them; this lets `tsc` check them, resolving
    // `shelfwise/plugin` through its package exports as Node does.
    ...(lang === "ts" ? { "tsconfig.json": TSCONFIG } : {}),
    "README.md": readme(id, entry, lang),
  };
  // Written in a hidden folder (discovery skips it) and renamed into place: a full disk or a kill
  // never leaves a half-written plugin that the next `process` would try to load.
  // One folder at a time: a recursive mkdir says ENOENT for a read-only file system (config/make-folder.ts).
  makeFolder(path.dirname(folder));
  const staging = path.join(path.dirname(folder), `.${path.basename(folder)}.${process.pid}.new`);
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    fs.mkdirSync(staging);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), content);
    fs.renameSync(staging, folder);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return { folder, files: Object.keys(files) };
}

const JS = `import { BasePlugin } from "shelfwise/plugin";

/**
 * A new plugin. It answers nothing until you write its logic, so dropped into
 * the plugin folder as it is it changes no book.
 */
export default class MyPlugin extends BasePlugin {
  setup(config, secrets) {
    super.setup(config, secrets);
    // Read your settings (plugin_configs.<id> in config.json) here, e.g.:
    // this.language = typeof config.default_language === "string" ? config.default_language : null;
  }

  // Return false for books this plugin has nothing to say about (they are skipped), e.g.:
  // canProcess(book) {
  //   return book.current_language === null;
  // }

  /**
   * @param {import("shelfwise/plugin").Book} book what shelfwise knows so far (your editor completes its keys)
   * @returns {import("shelfwise/plugin").PluginResult}
   */
  process(book) {
    // Return the fields you know, e.g. { language: this.language }; null says nothing.
    return null;
  }
}
`;

const TS = `import { BasePlugin, type Book, type PluginConfig, type PluginResult, type PluginSecrets } from "shelfwise/plugin";

/**
 * A new plugin. It answers nothing until you write its logic, so dropped into
 * the plugin folder as it is it changes no book.
 */
export default class MyPlugin extends BasePlugin {
  override setup(config: PluginConfig, secrets: PluginSecrets): void {
    super.setup(config, secrets);
    // Read your settings (plugin_configs.<id> in config.json) here.
  }

  // Return false for books this plugin has nothing to say about (they are skipped), e.g.:
  // override canProcess(book: Book): boolean {
  //   return book.current_language === null;
  // }

  override process(_book: Book): PluginResult {
    // Return the fields you know, e.g. { language: "de" }; null says nothing.
    return null;
  }
}
`;

const PYTHON = `from library_manager.plugin_loader import BasePlugin


class MyPlugin(BasePlugin):
    """A new plugin. It answers nothing until you write its logic,
    so dropped into the plugin folder as it is it changes no book."""

    # Its name, description and version are manifest.json's (class attributes of those names are replaced).

    def setup(self, config, secrets):
        super().setup(config, secrets)
        # Read your settings (plugin_configs.<id> in config.json) here.
        return True

    # Return False for books this plugin has nothing to say about (they are skipped), e.g.:
    # def can_process(self, book_data):
    #     return book_data.get("current_language") is None

    def process(self, book_data):
        # Return the fields you know, e.g. {"language": "de"}; None says nothing.
        return None
`;

const TSCONFIG = `{
  // Type-check with: npx -p typescript tsc   (shelfwise runs TypeScript without checking types)
  "compilerOptions": {
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "es2022",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true
  },
  "include": ["**/*.ts"]
}
`;

/**
 * The scaffold's test. `shelfwise/testing` resolves through a node_modules/shelfwise above the plugin's
 * folder, which `plugins new` links into the plugin directory; a copy of the folder elsewhere (a repository
 * of its own, a CI checkout) has none, and Node's "Cannot find package 'shelfwise'" said nothing of it. The
 * test then looks in SHELFWISE_HOME and where shelfwise was when the scaffold was written, and failing
 * those says what to do.
 */
function testFile(shelfwiseRoot: string): string {
  return `// Run with: node --test   (from this folder)
// The plugin runs isolated, exactly as in the pipeline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const folder = fileURLToPath(new URL(".", import.meta.url));
// As import { makeBook, runPlugin } from "shelfwise/testing", also from a copy of this folder elsewhere (below).
const { makeBook, runPlugin } = await shelfwiseTesting();

// Replace this test with what your plugin should answer, e.g.
// assert.deepEqual(calls[0].accepted, [{ field: "language", value: "de" }]);
// \`output\` is what the plugin printed (print, console.log, logging, its traceback): shown when a check fails.
test("says nothing until its logic is written", async () => {
  const { calls, output } = await runPlugin(folder, [makeBook({ title: "Dune" })]);
  assert.equal(calls[0].error, null, output.join("\\n"));
  assert.deepEqual(calls[0].accepted, [], output.join("\\n"));
});

// "shelfwise/testing" resolves through node_modules/shelfwise in a folder above this one (\`shelfwise plugins new\`
// links it into the plugin directory). Copied elsewhere, this folder finds shelfwise in SHELFWISE_HOME (the
// folder shelfwise is installed in), then where it was when this file was written.
async function shelfwiseTesting() {
  try {
    return await import("shelfwise/testing");
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("'shelfwise'")) throw error;
  }
  const homes = [process.env.SHELFWISE_HOME, ${JSON.stringify(shelfwiseRoot)}].filter(Boolean);
  for (const home of homes) {
    let found;
    try {
      found = createRequire(path.join(path.resolve(home), "package.json")).resolve("shelfwise/testing");
    } catch {
      continue; // not a shelfwise install (or not built)
    }
    return import(pathToFileURL(found).href);
  }
  throw new Error(
    \`Cannot find package 'shelfwise' from \${folder} (nor in \${homes.join(" or ")}). This test imports "shelfwise/testing", \` +
      "which resolves through node_modules/shelfwise in a folder above the plugin: shelfwise plugins new links one into the plugin directory. " +
      "Outside of it, set SHELFWISE_HOME to the folder shelfwise is installed in (the one holding its package.json), " +
      "or link it here: npm link shelfwise (after npm link in that folder).",
  );
}
`;
}

function readme(id: string, entry: string, lang: ScaffoldLang): string {
  return `# ${id}

A shelfwise plugin. It answers nothing until you write its logic in \`${entry}\` (so it changes no
book as it is); \`manifest.json\` says how shelfwise loads it. When you change its code or its
\`plugin_configs\` entry, the next \`shelfwise process\` runs it again on every book.

- Check it: \`shelfwise plugins validate <this folder>\`
- Try it on a book: \`shelfwise plugins test <this folder> --book /path/to/a/book\`
- Test it: \`node --test\` in this folder
${lang === "ts" ? "- Check its types: `npx -p typescript tsc` in this folder (shelfwise itself does not check them)\n" : ""}
See the plugin author's guide: ../node_modules/shelfwise/docs/plugins.md (docs/plugins.md in shelfwise).
`;
}
