/**
 * The rules text settings share (config.json's keys, http_sources' fields, plugins' settings): what a key can hold
 * that a person can mean. Zod refinements, so a config.json edited by hand is refused the way `config set` is.
 */
import type { z } from "zod";

/**
 * What no setting can mean: C0 controls (tab, line breaks), DEL, C1 controls and the Unicode line and paragraph
 * separators. A pasted line break in python_path ran another command than the one shown on one line by `config get`,
 * and a control character in a path or template named a folder no one can type. In the schema, so a config.json
 * edited by hand is refused the same way as `config set` (exit 2, naming the key and what it accepts).
 */
export const UNMEANT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function unmeant(accepts: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const at = value.search(UNMEANT);
    if (at < 0) return;
    const code = value.charCodeAt(at);
    const what = code === 0x0a || code === 0x0d || code >= 0x2028 ? "a line break" : code === 0x09 ? "a tab" : "a control character";
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    ctx.addIssue({ code: "custom", message: `must be ${accepts}, on one line: character ${at + 1} is ${what} (${hex}); remove it` });
  };
}

/** unmeant, but for text that may run over several lines (a description): LF and CR go, every other control does not. */
export function lineBreaksOnly(accepts: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const at = value.search(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    if (at < 0) return;
    const code = value.charCodeAt(at);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    ctx.addIssue({ code: "custom", message: `must be ${accepts}: character ${at + 1} is ${code === 9 ? "a tab" : "a control character"} (${hex}); remove it` });
  };
}

export const FOLDER_PATH = "a folder path";

/**
 * Folder paths are the user's names: a line break or other control character is a legal (if odd) byte of a folder's
 * name, and libraries holding such folders are scanned and shown escaped (test/cli/partial-scan.test.ts). Refusing
 * them here made a config.json that already listed one unreadable for every command. Only NUL, which no path can
 * hold, is refused.
 */
export function noNul(accepts: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const at = value.indexOf("\u0000");
    if (at >= 0) ctx.addIssue({ code: "custom", message: `must be ${accepts}: character ${at + 1} is a NUL (U+0000), which no path can hold; remove it` });
  };
}


/** Where in `value` (any JSON) a string holds what unmeant refuses: the path to it and the message, or null. */
export function unmeantInJson(value: unknown, accepts: string, at: (string | number)[] = []): { path: (string | number)[]; message: string } | null {
  if (typeof value === "string") {
    const issues: string[] = [];
    unmeant(accepts)(value, { addIssue: (issue: { message?: string }) => issues.push(issue.message ?? "") } as unknown as z.RefinementCtx);
    return issues.length > 0 ? { path: at, message: issues[0]! } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unmeantInJson(value[i], accepts, [...at, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = unmeantInJson(key, accepts, [...at, key]) ?? unmeantInJson(item, accepts, [...at, key]);
      if (found) return found;
    }
  }
  return null;
}
