/** docs/cli-json.md is generated from the view schemas; the schemas' own examples must parse with them. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VIEW_DOCS } from "../../src/app/views/index.js";
import { EXIT_CODE_DOCS } from "../../src/app/exit-codes.js";
import { cliJsonDocText } from "../../scripts/write-cli-json-doc.js";
import { checkView } from "../support/views.js";
import { defaultConfig, KNOWN_CONFIG_KEYS, PLUGIN_RUNTIME_SETTINGS, PluginSandboxSettingsSchema } from "../../src/config/config-schema.js";
import { httpSourceSchema } from "../../src/config/http-source-schema.js";
import { manifestJsonSchema } from "../../src/plugins/manifest/manifest-schema.js";

/** The first-column keys of the markdown table whose header line is `header`, each cell's code spans split. */
function tableKeys(text: string, header: string): { keys: string[]; cells: string[] }[] {
  const lines = text.split("\n");
  const rows: { keys: string[]; cells: string[] }[] = [];
  for (const line of lines.slice(lines.indexOf(header) + 2)) {
    if (!line.startsWith("| ")) break;
    const cells = line.split(" | ").map((c) => c.replace(/^\| |\|$/g, "").trim());
    rows.push({ keys: [...cells[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), cells });
  }
  return rows;
}

describe("docs/cli-json.md", () => {
  it("is what scripts/write-cli-json-doc.ts writes from the view schemas (run it after changing a view)", () => {
    const onDisk = fs.readFileSync(new URL("../../docs/cli-json.md", import.meta.url), "utf8");
    expect(onDisk === cliJsonDocText(), "docs/cli-json.md is stale: run `npx tsx scripts/write-cli-json-doc.ts`").toBe(true);
  });

  it.each(VIEW_DOCS.map((doc) => [doc.title, doc] as const))("the example of %s matches its schema exactly", (_title, doc) => {
    expect(() => checkView(doc.schema, doc.example)).not.toThrow();
  });

  it("every documented key has a meaning or a self-explaining name, and every key is snake_case", () => {
    const text = cliJsonDocText();
    const keys = [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(50);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9_]+(?:(?:\[\])?\.(?:[a-z0-9_]+|<field>))*(?:\[\])?$/);
  });

  it("the README's exit-code table is the one documented here (one list: EXIT_CODE_DOCS)", () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const table = readme.slice(readme.indexOf("#### Exit codes")).split("\n\n")[1]!;
    expect(table).toBe(["| code | meaning |", "|---|---|", ...EXIT_CODE_DOCS.map((e) => `| ${e.code} | ${e.meaning} |`)].join("\n"));
  });

  // A key added to the schema but not to the README (or renamed in one place) goes unnoticed otherwise.
  it("the README's config.json table names every key of the config schema, and only those, with their defaults", () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const rows = tableKeys(readme, "| key | default | meaning |");
    const documented = rows.flatMap((r) => r.keys).filter((k) => k !== "plugin_<id>_enabled");
    expect(documented.sort()).toEqual([...KNOWN_CONFIG_KEYS].sort());
    const defaults = defaultConfig() as Record<string, unknown>;
    for (const { keys, cells } of rows) {
      const values = [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      keys.forEach((key, i) => {
        if (!(key in defaults) || values[i] === undefined) return;
        const written = values[i]!;
        const expected = defaults[key];
        expect(typeof expected === "string" ? written : JSON.parse(written), `README config default of ${key}`).toEqual(expected);
      });
    }
  });

  it("the README's HTTP source table names every key of a source definition, and only those", () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const table = readme.slice(readme.indexOf("## HTTP sources"));
    const documented = tableKeys(table, "| key | default | meaning |").flatMap((r) => r.keys);
    expect(documented.sort()).toEqual(Object.keys(httpSourceSchema().shape).sort());
  });

  it("docs/plugins.md's table of the plugin_configs keys shelfwise reads gives each key's default and range", () => {
    const guide = fs.readFileSync(new URL("../../docs/plugins.md", import.meta.url), "utf8");
    const rows = tableKeys(guide, "| key | default | range | meaning |");
    expect(rows.map((r) => r.keys[0]).sort()).toEqual([...Object.keys(PLUGIN_RUNTIME_SETTINGS), ...Object.keys(PluginSandboxSettingsSchema.shape)].sort());
    for (const { keys, cells } of rows) {
      const range = PLUGIN_RUNTIME_SETTINGS[keys[0] as keyof typeof PLUGIN_RUNTIME_SETTINGS];
      if (!range) continue;
      expect(cells[2], `docs/plugins.md range of ${keys[0]}`).toMatch(new RegExp(`^${range.min}\\.\\.${range.max}$`));
      if (range.default !== null && keys[0] !== "concurrency") expect(cells[1], `docs/plugins.md default of ${keys[0]}`).toBe(String(range.default));
    }
  });

  it("docs/plugins.md's manifest table names every key of the manifest schema, and only those", () => {
    const guide = fs.readFileSync(new URL("../../docs/plugins.md", import.meta.url), "utf8");
    const documented = tableKeys(guide, "| key | required | default | rules |").map((r) => r.keys[0]!);
    const schema = manifestJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    const keys = Object.entries(schema.properties).flatMap(([key, value]) =>
      key === "permissions" ? Object.keys(value.properties!).map((p) => `permissions.${p}`) : [key],
    );
    expect(documented.sort()).toEqual(keys.sort());
  });

  // A heading renamed or a file moved breaks links nobody follows until a user does.
  it("every relative link in the README, docs/ and the examples' READMEs resolves, anchors included", () => {
    const root = new URL("../../", import.meta.url).pathname;
    const files = ["README.md", ...fs.readdirSync(path.join(root, "docs")).map((f) => `docs/${f}`), ...fs.readdirSync(path.join(root, "examples/plugins")).map((d) => `examples/plugins/${d}/README.md`)].filter(
      (f) => f.endsWith(".md") && fs.existsSync(path.join(root, f)),
    );
    // GitHub's heading ids: lower case, punctuation other than - and _ dropped, spaces as -.
    const anchors = (file: string) =>
      new Set([...fs.readFileSync(file, "utf8").matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, "").replace(/ /g, "-")));
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const [, link] of fs.readFileSync(path.join(root, file), "utf8").matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(link!)) continue;
        checked++;
        const [target, anchor] = link!.split("#");
        const resolved = target ? path.resolve(path.dirname(path.join(root, file)), target) : path.join(root, file);
        if (!fs.existsSync(resolved)) broken.push(`${file}: ${link}`);
        else if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) broken.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
