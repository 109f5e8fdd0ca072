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
 * How much the search may cost in all, counted in the checks' own CPU time
 * where the system tells it (Linux), else in wall time. Each check is a node
 * process, waited for on shelfwise's event loop: 200 files were 10-30 s of a
 * stalled host for one plugin with a typo (and a plugin author can ship 200
 * files). CPU time, not wall time: on a loaded host one `node --check` took
 * 1.3-4.8 s of wall time for a fraction of a second of its own, and a wall
 * budget killed the entry point's check (the error then had no place).
 */
export const SYNTAX_SEARCH_BUDGET_MS = 3000;
/**
 * The outer bound in wall time, for the whole search and for any one check:
 * a check that hangs (no CPU spent, so the budget never runs out) is killed
 * there. Far above what a loaded host needs for one check.
 */
export const SYNTAX_SEARCH_WALL_GUARD_MS = 30_000;

/**
 * "file:line:col" of the syntax error `message` (e.g. `SyntaxError: Unexpected token ';'`), or null.
 * `budgetMs` is the checks' CPU time (wall time where the system does not count it); `wallGuardMs` bounds the search in wall time.
 */
export function locateSyntaxError(
  folder: string,
  message: string,
  firstFile?: string,
  budgetMs = SYNTAX_SEARCH_BUDGET_MS,
  wallGuardMs = SYNTAX_SEARCH_WALL_GUARD_MS,
): string | null {
  const wanted = /SyntaxError: ([^\n]*)/.exec(message)?.[1]?.trim();
  if (!wanted) return null;
  const files = jsFiles(folder);
  if (firstFile) {
    const first = files.indexOf(firstFile);
    if (first > 0) files.unshift(...files.splice(first, 1));
  }
  const started = performance.now();
  let spent = 0;
  for (const [index, file] of files.slice(0, MAX_FILES).entries()) {
    // The first file (the entry point, where the error most often is) is always checked.
    const wallLeft = wallGuardMs - (performance.now() - started);
    if (index > 0 && (spent >= budgetMs || wallLeft <= 0)) break;
    const cpuBefore = childrenCpuMs();
    const wallBefore = performance.now();
    const result = spawnSync(process.execPath, ["--check", file], { encoding: "utf8", timeout: Math.round(Math.max(1000, wallLeft)) });
    const cpuAfter = childrenCpuMs();
    // spawnSync holds the event loop: no other child is reaped meanwhile, so the difference is this check's.
    spent += cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : performance.now() - wallBefore;
    if (result.status === 0 || typeof result.stderr !== "string") continue;
    const found = parseCheckOutput(result.stderr, file);
    if (found && found.message === wanted) return found.where;
  }
  return null;
}

/** Linux's user tick (USER_HZ), fixed at 100 for what /proc reports. */
const TICK_MS = 10;

/** CPU time (user + system) of this process's children that were waited for, in ms; null where /proc does not say. */
function childrenCpuMs(): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync("/proc/self/stat", "latin1");
  } catch {
    return null;
  }
  // The fields after the command (in parentheses, which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) * TICK_MS : null;
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
