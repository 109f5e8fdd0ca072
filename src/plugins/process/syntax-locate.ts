/**
 * Where a JavaScript syntax error is. Node reports a syntax error in an ES
 * module as `SyntaxError: Unexpected token ';'` with neither file nor line;
 * `node --check` (the same V8 parser) names both and marks the column. Run
 * only after a load failed, over the plugin's own JavaScript files, and a
 * finding is kept only when it is the same error the plugin's load reported.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const JS = new Set([".js", ".mjs", ".cjs"]);
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);
const MAX_FILES = 200;
/**
 * How long the search may take in all. Each check is a node process, waited
 * for on shelfwise's event loop: 200 files were 10-30 s of a stalled host for
 * one plugin with a typo (and a plugin author can ship 200 files).
 */
export const SYNTAX_SEARCH_BUDGET_MS = 3000;

/** "file:line:col" of the syntax error `message` (e.g. `SyntaxError: Unexpected token ';'`), or null. */
export function locateSyntaxError(folder: string, message: string, firstFile?: string, budgetMs = SYNTAX_SEARCH_BUDGET_MS): string | null {
  const wanted = /SyntaxError: ([^\n]*)/.exec(message)?.[1]?.trim();
  if (!wanted) return null;
  const files = jsFiles(folder);
  if (firstFile) {
    const first = files.indexOf(firstFile);
    if (first > 0) files.unshift(...files.splice(first, 1));
  }
  const started = performance.now();
  for (const [index, file] of files.slice(0, MAX_FILES).entries()) {
    // The first file (the entry point, where the error most often is) is always checked.
    const left = budgetMs - (performance.now() - started);
    if (index > 0 && left <= 0) break;
    const result = spawnSync(process.execPath, ["--check", file], { encoding: "utf8", timeout: Math.round(Math.max(1000, Math.min(10_000, left))) });
    if (result.status === 0 || typeof result.stderr !== "string") continue;
    const found = parseCheckOutput(result.stderr, file);
    if (found && found.message === wanted) return found.where;
  }
  return null;
}

/** `node --check` prints "file:LINE\n<source line>\n<spaces>^\n\nSyntaxError: message". */
export function parseCheckOutput(stderr: string, file: string): { where: string; message: string } | null {
  const lines = stderr.split("\n");
  const head = lines.findIndex((l) => l.startsWith(`${file}:`));
  if (head < 0) return null;
  const line = Number(lines[head]!.slice(file.length + 1));
  if (!Number.isInteger(line)) return null;
  const caret = lines[head + 2]?.indexOf("^") ?? -1;
  const message = /SyntaxError: ([^\n]*)/.exec(stderr)?.[1]?.trim();
  if (!message) return null;
  return { where: `${file}:${line}${caret >= 0 ? `:${caret + 1}` : ""}`, message };
}

function jsFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= MAX_FILES) return;
      const full = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) walk(full);
      } else if (d.isFile() && JS.has(path.extname(d.name))) out.push(full);
    }
  };
  walk(root);
  return out;
}
