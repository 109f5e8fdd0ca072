/**
 * The examples in the plugin author's guide (docs/plugins.md) and the README
 * are run, so they cannot rot: every code block in the guide is marked
 * `<!-- example: FOLDER/FILE -->` (a file of an example plugin),
 * `<!-- example: config.json -->` or `<!-- example: fragment -->`. The marked
 * files are written into a plugin directory exactly as printed; each example
 * plugin's manifest must be valid for shelfwise and for the published JSON
 * Schema, and each plugin runs: its own `plugin.test.mjs` with `node --test`
 * when the docs give one, else the behaviour the text around it promises.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/config-schema.js";
import { FIELD_NAMES } from "../../src/domain/fields.js";
import { makeBook, runPlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { validateManifestFile } from "../../src/plugins/manifest/discovery.js";
import { ensureSdkLink } from "../../src/plugins/staging/staging.js";
import { requireBuilt } from "../support/plugin-fixtures.js";
import { REPO_ROOT, removeTempDirs, tempDir } from "./example-plugins.js";

interface Block {
  doc: string;
  line: number;
  lang: string;
  marker: string | null;
  code: string;
}

/** Every fenced block of a markdown file, with the `<!-- example: ... -->` marker on the line before it. */
function codeBlocks(doc: string): Block[] {
  const lines = fs.readFileSync(path.join(REPO_ROOT, doc), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l === "```");
    if (end < 0) throw new Error(`${doc}:${i + 1}: unclosed code block`);
    const marker = /^<!-- example: (\S+) -->$/.exec(lines[i - 1] ?? "")?.[1] ?? null;
    blocks.push({ doc, line: i + 1, lang: open[1]!, marker, code: lines.slice(i + 1, end).join("\n") + "\n" });
    i = end;
  }
  return blocks;
}

const GUIDE = codeBlocks("docs/plugins.md");
const README = codeBlocks("README.md").filter((b) => b.marker !== null);
const MARKED = [...GUIDE, ...README].filter((b) => b.marker !== null && b.marker !== "fragment");
const PLUGIN_FILES = MARKED.filter((b) => b.marker!.includes("/"));
const FOLDERS = [...new Set(PLUGIN_FILES.map((b) => b.marker!.split("/")[0]!))].sort();

/** What each example plugin is shown to do, when the docs give it no test of its own. */
const BEHAVIOUR: Record<string, (folder: string) => Promise<void>> = {
  "default-language": async (folder) => {
    const { calls } = await runPlugin(folder, [makeBook({ title: "Dune" }), makeBook({ title: "Dune", language: "fr", book_id: 2 })]);
    expect(calls[0]!.accepted).toEqual([{ field: "language", value: "en" }]);
    expect(calls[1]!.outcome).toBe("skipped");
    const configured = await runPlugin(folder, [makeBook({ title: "Dune" })], { config: { default_language: "de" } });
    expect(configured.calls[0]!.accepted).toEqual([{ field: "language", value: "de" }]);
  },
  "readme-js": async (folder) => {
    const { calls } = await runPlugin(folder, [makeBook({ title: "Watchers", author: "Dean Koontz" }), makeBook({ title: "Dune", book_id: 2 })]);
    expect(calls[0]!.accepted).toEqual([{ field: "narrator", value: "Edward Herrmann" }]);
    expect(calls[1]!.outcome).toBe("no_result");
  },
};

function nodeTest(folder: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--test"], { cwd: folder, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

let pluginDir: string;
let validateAgainstSchema: ReturnType<Ajv2020["compile"]>;

beforeAll(() => {
  requireBuilt();
  pluginDir = path.join(tempDir("docs-examples"), "plugins");
  for (const block of PLUGIN_FILES) {
    const file = path.join(pluginDir, block.marker!);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    expect(fs.existsSync(file), `${block.doc}:${block.line}: ${block.marker} is given twice`).toBe(false);
    fs.writeFileSync(file, block.code);
  }
  // As `plugins new` and staging do: shelfwise/plugin and shelfwise/testing resolve from every plugin folder.
  ensureSdkLink(pluginDir);
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schemas", "manifest.schema.json"), "utf8"));
  validateAgainstSchema = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
});
afterAll(removeTempDirs);

describe("the plugin author's guide", () => {
  it("marks every code block as an example that is run here, or as a fragment", () => {
    const unmarked = GUIDE.filter((b) => b.marker === null).map((b) => `docs/plugins.md:${b.line} (${b.lang || "plain"})`);
    expect(unmarked).toEqual([]);
    const unknown = MARKED.filter((b) => !b.marker!.includes("/") && b.marker !== "config.json").map((b) => `${b.doc}:${b.line}: ${b.marker}`);
    expect(unknown).toEqual([]);
  });

  it("names every field a plugin gets in the profile and may return", () => {
    const guide = fs.readFileSync(path.join(REPO_ROOT, "docs", "plugins.md"), "utf8");
    const listed = (text: string) => [...text.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).sort();
    const resultLine = guide.split("\n").find((line) => line.startsWith("`title`, "))!;
    expect(listed(resultLine)).toEqual([...FIELD_NAMES].sort());
    const profileRow = guide.split("\n").find((line) => line.startsWith("| `profile` |"))!;
    expect(listed(profileRow.slice(0, profileRow.indexOf(":"))).filter((f) => f !== "profile")).toEqual([...FIELD_NAMES].sort());
  });

  it("shows config.json examples that shelfwise accepts", () => {
    const configs = MARKED.filter((b) => b.marker === "config.json");
    expect(configs.length).toBeGreaterThan(0);
    for (const block of configs) {
      const parsed = ConfigSchema.safeParse(JSON.parse(block.code));
      expect(parsed.success, `${block.doc}:${block.line}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it("has a runnable test or a described behaviour for every example plugin", () => {
    expect(FOLDERS.length).toBeGreaterThanOrEqual(4);
    for (const folder of FOLDERS) {
      const hasTest = fs.existsSync(path.join(pluginDir, folder, "plugin.test.mjs"));
      expect(hasTest || folder in BEHAVIOUR, `${folder}: give it a plugin.test.mjs in the docs, or its behaviour in BEHAVIOUR`).toBe(true);
    }
  });

  // Concurrent: each example mostly waits on its plugin process.
  describe.concurrent.each(FOLDERS)("example plugin %s", (name) => {
    const folder = () => path.join(pluginDir, name);

    it("has a manifest that is valid, without warnings, for shelfwise and for the published JSON Schema", () => {
      const found = validateManifestFile(folder());
      expect(found.errors).toEqual([]);
      expect(found.warnings).toEqual([]);
      expect(found.state).toBe("ok");
      const manifest = JSON.parse(fs.readFileSync(path.join(folder(), "manifest.json"), "utf8"));
      expect(validateAgainstSchema(manifest), JSON.stringify(validateAgainstSchema.errors)).toBe(true);
    });

    it("does what the docs say", async () => {
      if (fs.existsSync(path.join(folder(), "plugin.test.mjs"))) {
        const result = await nodeTest(folder());
        expect(result.code, result.output).toBe(0);
        expect(result.output).toMatch(/# fail 0/);
      } else {
        await BEHAVIOUR[name]!(folder());
      }
    });
  });
});
