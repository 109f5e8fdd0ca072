/**
 * The dependency direction of docs/architecture.md, checked on every import
 * in src/: a folder may import only the folders listed for it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "..", "src");

/** Top-level folders of src/ and what each may import. Nothing lists `cli` or `server`: they are the entry points. */
const ALLOWED: Record<string, string[]> = {
  domain: [],
  config: ["domain"],
  store: ["domain"],
  library: ["domain", "store"],
  // Moves, journal, undo: on top of the library and the store, below every entry point.
  organize: ["domain", "config", "store", "library"],
  pipeline: ["domain", "store", "library", "config"],
  plugins: ["domain", "store", "library", "pipeline", "config", "sdk"],
  // What authors import stands alone: its types are written out (test/plugins/sdk-types.test.ts checks them against the protocol).
  sdk: [],
  app: ["domain", "config", "store", "library", "organize", "pipeline", "plugins", "sdk"],
  cli: ["domain", "config", "store", "library", "organize", "pipeline", "plugins", "sdk", "app"],
  server: ["domain", "config", "store", "library", "organize", "pipeline", "plugins", "sdk", "app"],
};

/** Sub-folders with a stricter rule than their folder: what they may import besides their own files. */
const SUBFOLDER_RULES: Record<string, { allowed: string[]; why: string }> = {
  // A client library (capped fetch, breaker, rate limiter, schema-checked responses) that layers use; it knows no layer.
  "pipeline/http": { allowed: ["domain", "config"], why: "the HTTP module is a client library under the pipeline" },
  // The views are the shapes both entry points print or serve; they never reach into an entry point.
  "app/views": { allowed: ["domain", "config", "store", "library", "organize", "pipeline", "plugins", "app"], why: "views are shared by cli and server" },
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s+(type\s+)?(?:[^"']*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

interface Import {
  /** src-relative path of the imported module. */
  target: string;
  typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)]
    .map((m) => ({ spec: m[2] ?? m[3]!, typeOnly: Boolean(m[1]) }))
    .filter(({ spec }) => spec.startsWith("."))
    .map(({ spec, typeOnly }) => ({ target: path.relative(SRC, path.resolve(path.dirname(file), spec)), typeOnly }));
}

const top = (rel: string) => rel.split(path.sep)[0]!;

describe("architecture", () => {
  const files = sourceFiles(SRC);
  const graph = files.map((file) => ({ from: path.relative(SRC, file), imports: imports(file) }));

  it("every folder in src/ has a rule", () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it("imports only point inwards (and the SDK imports the plugins folder for types only)", () => {
    const violations: string[] = [];
    for (const { from, imports: list } of graph) {
      for (const { target, typeOnly } of list) {
        const [a, b] = [top(from), top(target)];
        if (a === b) continue;
        const allowed = ALLOWED[a]?.includes(b) && !(a === "sdk" && b === "plugins" && !typeOnly);
        if (!allowed) violations.push(`${from} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the CLI and the server never import each other: both import the views (app/views)", () => {
    const crossing = graph.flatMap(({ from, imports: list }) =>
      list.filter(({ target }) => (top(from) === "cli" && top(target) === "server") || (top(from) === "server" && top(target) === "cli")).map(({ target }) => `${from} imports ${target}`),
    );
    expect(crossing).toEqual([]);
    // Output shapes are defined once, in app/views; the CLI prints them.
    const cliViews = graph.filter(({ from }) => top(from) === "cli").flatMap(({ imports: list }) => list.filter(({ target }) => target.startsWith(`app${path.sep}views`)));
    expect(cliViews.length).toBeGreaterThan(0);
  });

  it("sub-folders with their own rule import only what it allows", () => {
    const violations: string[] = [];
    for (const [folder, rule] of Object.entries(SUBFOLDER_RULES)) {
      const prefix = folder.split("/").join(path.sep) + path.sep;
      for (const { from, imports: list } of graph.filter(({ from }) => from.startsWith(prefix))) {
        for (const { target } of list) {
          if (target.startsWith(prefix)) continue;
          const ok = rule.allowed.includes(top(target)) && !(top(target) === top(from) && !rule.allowed.includes(top(from)));
          if (!ok) violations.push(`${from} imports ${target} (${rule.why})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("only app, cli and server import organize (moves, journal, undo)", () => {
    const users = new Set(
      graph.flatMap(({ from, imports: list }) => (top(from) !== "organize" && list.some(({ target }) => top(target) === "organize") ? [top(from)] : [])),
    );
    expect([...users].filter((u) => !["app", "cli", "server"].includes(u))).toEqual([]);
  });

  it("config.json and secrets.json are changed only through app/settings-writes.ts (holding the data folder's lock)", () => {
    const writers = /\b(updateConfig|updateSecrets|writeJsonAtomic)\b/;
    const outside = files
      .map((file) => path.relative(SRC, file))
      .filter((rel) => top(rel) !== "config" && rel !== path.join("app", "settings-writes.ts"))
      .filter((rel) => fs.readFileSync(path.join(SRC, rel), "utf8").split("\n").some((line) => writers.test(line) && !/^\s*(\/\/|\*)/.test(line)));
    expect(outside).toEqual([]);
  });
});
