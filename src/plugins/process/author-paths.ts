/**
 * A TypeScript plugin, or one whose folder is linked into the plugin directory, runs from a copy in
 * shelfwise's cache (staging/mirror.ts). Node's and the plugin's own errors name that copy: a folder the
 * author never saw, in reasons `plugins list`, `plugins health` and the Plugins page keep. Said with the
 * plugin's own folder instead, and a copy's `.js` with the `.ts` it was compiled from.
 */
import fs from "node:fs";
import path from "node:path";

const COMPILED_FROM: Record<string, string> = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts" };

export function authorPaths(copy: string | undefined, folder: string): (text: string) => string {
  if (!copy || copy === folder) return (text) => text;
  const prefix = copy + path.sep;
  return (text) => {
    if (!text.includes(copy)) return text;
    // file:// URLs of the copy too (import.meta.url, an import's "imported from").
    const named = text.split(`file://${prefix}`).join(`file://${folder}${path.sep}`);
    return named.replace(new RegExp(`${escapeRegExp(prefix)}([^\\s'"\`:)]*)`, "g"), (_whole, rel: string) => path.join(folder, authorFile(folder, rel) ?? rel));
  };
}

/**
 * The author's file in `folder` behind `rel`, a path in the staged copy: the same path when it is there, else
 * the TypeScript file it was compiled from (`index.js` of the copy is `index.ts` in the folder); null when
 * neither is. The one place this mapping is made: errors' paths (above) and import hints (import-hint.ts).
 */
export function authorFile(folder: string, rel: string): string | null {
  if (isFile(path.join(folder, rel))) return rel;
  const ext = path.extname(rel);
  const source = COMPILED_FROM[ext];
  if (!source) return null;
  const ts = rel.slice(0, -ext.length) + source;
  return isFile(path.join(folder, ts)) ? ts : null;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
