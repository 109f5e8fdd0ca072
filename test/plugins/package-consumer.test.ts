/**
 * shelfwise as a plugin author's project gets it from npm: the packed tarball
 * (`npm pack`, offline) unpacked into a project's node_modules beside the
 * dependencies, as an install lays them out. Its exports (./plugin, ./testing,
 * ./manifest.schema.json) must resolve, type-check from an outside TypeScript
 * project under both module resolutions, and the harness must run a plugin of
 * that project.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, requireBuilt } from "../support/plugin-fixtures.js";
import { typeCheck } from "../support/typescript-check.js";

let root: string;
let project: string;
let packed: string[];

function run(file: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

beforeAll(() => {
  requireBuilt();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-package-")));
  // --ignore-scripts: dist is built already (npm test builds first); `prepare` would build again.
  const report = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--offline", "--json", "--pack-destination", root], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
  ) as { filename: string; files: { path: string }[] }[];
  packed = report[0]!.files.map((f) => f.path);
  project = path.join(root, "project");
  const installed = path.join(project, "node_modules", "shelfwise");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(root, report[0]!.filename), "-C", installed, "--strip-components=1"]);
  // shelfwise's dependencies hoisted beside it, as npm installs them (linked from this checkout: offline).
  for (const name of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (name.startsWith(".") || name === "shelfwise") continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", name), path.join(project, "node_modules", name));
  }
  write(path.join(project, "package.json"), JSON.stringify({ name: "my-plugins", private: true, type: "module", devDependencies: { shelfwise: "file:../shelfwise.tgz" } }));
});
afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("holds what plugin authors use, and not the sources or tests", () => {
    for (const file of [
      "package.json",
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      "dist/plugins/authoring/plugin-harness.js",
      "dist/plugins/authoring/plugin-harness.d.ts",
      "dist/plugins/runner/node-runner.js",
      "dist/plugins/runner/node-runner.cjs",
      "python/shelfwise_runner.py",
      "python/library_manager/plugin_loader.py",
      "schemas/manifest.schema.json",
      "docs/plugins.md",
      "examples/plugins/local-catalogue/index.ts",
    ]) {
      expect(packed, file).toContain(file);
    }
    expect(packed.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f === "dist/.tsbuildinfo")).toEqual([]);
  });

  it("resolves shelfwise/plugin, shelfwise/testing and shelfwise/manifest.schema.json, and the harness runs the project's plugin", async () => {
    write(path.join(project, "narrator", "manifest.json"), JSON.stringify({ id: "narrator", name: "Narrator", entry_point: "index.js" }));
    write(
      path.join(project, "narrator", "index.js"),
      `import { BasePlugin } from "shelfwise/plugin";\nexport default class extends BasePlugin { process(book) { return { narrator: book.current_title === "Dune" ? "Scott Brick" : null }; } }\n`,
    );
    write(
      path.join(project, "check.mjs"),
      `import { createRequire } from "node:module";
import { BasePlugin } from "shelfwise/plugin";
import { makeBook, runPlugin } from "shelfwise/testing";
import schema from "shelfwise/manifest.schema.json" with { type: "json" };
const require = createRequire(import.meta.url);
const { calls } = await runPlugin(new URL("./narrator/", import.meta.url).pathname, [makeBook({ title: "Dune" })]);
console.log(JSON.stringify({
  sdk: require.resolve("shelfwise/plugin"),
  schema: require.resolve("shelfwise/manifest.schema.json"),
  title: schema.title,
  base: typeof BasePlugin,
  outcome: calls[0].outcome,
  error: calls[0].error,
  accepted: calls[0].accepted,
}));
`,
    );
    const result = await run(process.execPath, ["check.mjs"], project);
    expect(result.code, result.output).toBe(0);
    const seen = JSON.parse(result.output.trim().split("\n").at(-1)!);
    expect(seen).toEqual({
      sdk: path.join(project, "node_modules", "shelfwise", "dist", "sdk", "index.js"),
      schema: path.join(project, "node_modules", "shelfwise", "schemas", "manifest.schema.json"),
      title: "shelfwise plugin manifest",
      base: "function",
      outcome: "ok",
      error: null,
      accepted: [{ field: "narrator", value: "Scott Brick" }],
    });
  });

  it("type-checks an outside TypeScript project (nodenext, strictest options) and the TypeScript example plugin against its declarations", async () => {
    write(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          resolveJsonModule: true,
          noEmit: true,
          types: ["node"],
          skipLibCheck: true,
        },
        include: ["src/**/*.ts", "local-catalogue/**/*.ts"],
      }),
    );
    write(
      path.join(project, "src", "plugin.ts"),
      `import { BasePlugin, type Book, type FieldName, type PluginConfig, type PluginResult, type PluginSecrets, type ProfileField } from "shelfwise/plugin";
import { HarnessError, makeBook, runPlugin, validatePlugin, type HarnessCall, type HarnessOptions } from "shelfwise/testing";
import schema from "shelfwise/manifest.schema.json" with { type: "json" };

export default class Lookup extends BasePlugin {
  private base = "";
  override setup(config: PluginConfig, secrets: PluginSecrets): void {
    super.setup(config, secrets);
    this.base = typeof config.base_url === "string" ? config.base_url : "";
  }
  override canProcess(book: Book): boolean {
    const narrator: ProfileField = book.profile.narrator;
    return narrator.value === null && book.files.length > 0 && book.tags?.album !== undefined;
  }
  override async process(book: Book): Promise<PluginResult> {
    const found = (await (await fetch(this.base + encodeURIComponent(book.current_title ?? ""))).json()) as { narrator?: string; year?: number | null };
    return { narrator: found.narrator, year: found.year, series: null };
  }
}

const field: FieldName = "subtitle";
const options: HarnessOptions = { config: { base_url: "http://127.0.0.1" }, secrets: { key: "k" }, network: ["127.0.0.1"] };
export async function check(): Promise<HarnessCall[]> {
  await validatePlugin(".", options).catch((error: unknown) => (error instanceof HarnessError ? error.missing?.config : undefined));
  const book = makeBook({ title: "Dune", [field]: "x", tags: { album: "Dune" }, files: [{ path: "/b/1.mp3", size: 1 }] });
  const { calls } = await runPlugin(".", [book], options);
  return calls;
}
export const title: string = schema.title;
`,
    );
    fs.cpSync(path.join(REPO_ROOT, "examples", "plugins", "local-catalogue"), path.join(project, "local-catalogue"), { recursive: true });
    // tsc's checks in this process (test/support/typescript-check.ts): the same compiler, arguments and folder.
    const modern = typeCheck(["-p", project, "--listFiles"], project);
    expect(modern.code, modern.output).toBe(0);
    // The public declarations stand alone: shelfwise's internals (and zod's and ajv's types, which took a
    // strict project without skipLibCheck most of a minute to check) stay out of an author's program.
    const read = modern.output.split("\n").filter((line) => line.includes("/node_modules/shelfwise/"));
    expect(read.map((line) => line.slice(line.indexOf("/node_modules/shelfwise/") + 24)).sort()).toEqual([
      "dist/plugins/authoring/harness-error.d.ts",
      "dist/plugins/authoring/testing.d.ts",
      "dist/sdk/index.d.ts",
      "schemas/manifest.schema.json",
    ]);
    expect(modern.output).not.toMatch(/node_modules\/(zod|ajv|better-sqlite3)\//);

    // TypeScript's older `node` resolution ignores `exports`: typesVersions maps the subpaths for it.
    write(
      path.join(project, "legacy", "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }),
    );
    write(
      path.join(project, "legacy", "plugin.ts"),
      `import { BasePlugin, type Book, type PluginResult } from "shelfwise/plugin";
import { makeBook, type HarnessCall } from "shelfwise/testing";
export class P extends BasePlugin {
  override process(book: Book): PluginResult {
    return { title: book.current_title };
  }
}
export const book = makeBook({ title: "x" });
export type Call = HarnessCall;
`,
    );
    const legacy = typeCheck(["-p", path.join(project, "legacy")], project);
    expect(legacy.code, legacy.output).toBe(0);
  });
});
