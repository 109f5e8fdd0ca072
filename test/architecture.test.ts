/**
 * The dependency direction of docs/architecture.md, checked on every import
 * in src/: a folder may import only the folders listed for it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "..", "src");

const ALLOWED: Record<string, string[]> = {
  domain: [],
  config: ["domain"],
  store: ["domain"],
  library: ["domain", "store"],
  organize: ["domain", "config", "store", "library"],
  pipeline: ["domain", "store", "library", "config"],
  plugins: ["domain", "store", "library", "pipeline", "config", "sdk"],
  // Types only (erased at run time): the SDK re-exports the protocol's book and result shapes.
  sdk: ["domain", "plugins"],
  app: ["domain", "config", "store", "library", "pipeline", "plugins", "sdk", "organize"],
  cli: ["domain", "config", "store", "library", "pipeline", "plugins", "sdk", "organize", "app"],
  server: ["domain", "config", "store", "library", "pipeline", "plugins", "sdk", "organize", "app"],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s+(type\s+)?(?:[^"']*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function imports(file: string): { target: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)]
    .map((m) => ({ spec: m[2] ?? m[3]!, typeOnly: Boolean(m[1]) }))
    .filter(({ spec }) => spec.startsWith("."))
    .map(({ spec, typeOnly }) => ({ target: path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!, typeOnly }));
}

describe("architecture", () => {
  const files = sourceFiles(SRC);

  it("every folder in src/ has a rule", () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it("imports only point inwards (and the SDK imports the plugins folder for types only)", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = path.relative(SRC, file).split(path.sep)[0]!;
      for (const { target, typeOnly } of imports(file)) {
        if (target === from) continue;
        const allowed = ALLOWED[from]?.includes(target) && !(from === "sdk" && target === "plugins" && !typeOnly);
        if (!allowed) violations.push(`${path.relative(SRC, file)} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
