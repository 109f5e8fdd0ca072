/**
 * Whether a JSONPath from config can be read: jsonpath-plus parses filter and
 * script segments (`[?(@.type == "ISBN_13")]`, `[(@.length - 1)]`) only when
 * it first meets an element to apply them to, so a typo there would pass the
 * config check and then fail every book. Here each such segment is compiled
 * the way jsonpath-plus compiles it (its safe evaluator: expressions over the
 * answer's values, no calls into JavaScript), once, when the config is read.
 */
import { createRequire } from "node:module";

// Loaded only for paths that hold an expression: most configs have none, and every command reads the config.
const loadCommonJs = createRequire(import.meta.url);

type JsonPathModule = typeof import("jsonpath-plus");
interface SafeScriptClass {
  new (code: string): unknown;
}

/** The problem with `path` as a JSONPath, or null when it can be read. */
export function jsonPathProblem(path: string): string | null {
  if (!path.startsWith("$")) return 'must be a JSONPath starting with "$" (e.g. "$.title")';
  if (!path.includes("(")) return null;
  const { JSONPath } = loadCommonJs("jsonpath-plus") as JsonPathModule;
  let segments: string[];
  try {
    segments = JSONPath.toPathArray(path);
  } catch (error) {
    return `is not a JSONPath: ${(error as Error).message}`;
  }
  const Script = (JSONPath.prototype as unknown as { safeVm: { Script: SafeScriptClass } }).safeVm.Script;
  for (const segment of segments) {
    const code = segment.startsWith("?(") && segment.endsWith(")") ? segment.slice(2, -1) : segment.startsWith("(") && segment.endsWith(")") ? segment.slice(1, -1) : null;
    if (code === null) continue;
    // Goessner's and some libraries' regex match: jsonpath-plus compiles it as something else and it matched
    // nothing, every book, without a word. Its own spelling of the same test is a call.
    if (/=~/.test(code.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""'))) {
      const fixed = code.replace(/(@[\w.$[\]'"]*)\s*=~\s*(\/(?:\\.|[^/])*\/[a-z]*)/, "$1.match($2)");
      return `has ${JSON.stringify(segment)}: "=~" (a regular expression match) is not read here and would match nothing; write it as a call, ${JSON.stringify(fixed === code ? "@.field.match(/text/i)" : fixed)} (or compare whole texts with ==)`;
    }
    try {
      new Script(asScript(code));
    } catch (error) {
      return `has an expression that cannot be read, ${JSON.stringify(segment)}: ${(error as Error).message}`;
    }
  }
  return null;
}

/** jsonpath-plus's own rewriting of `@` names before it compiles an expression (JSONPath.prototype._eval). */
function asScript(code: string): string {
  return code
    .replaceAll("@parentProperty", "_$_parentProperty")
    .replaceAll("@parent", "_$_parent")
    .replaceAll("@property", "_$_property")
    .replaceAll("@root", "_$_root")
    .replaceAll("@path", "_$_path")
    .replaceAll(/@([.\s)[])/gu, "_$_v$1");
}
