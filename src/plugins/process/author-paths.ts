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
    return named.replace(new RegExp(`${escapeRegExp(prefix)}([^\\s'"\`:)]*)`, "g"), (_whole, rel: string) => path.join(folder, ownName(folder, rel)));
  };
}

/** `index.js` of the copy is `index.ts` in the folder when only that is there. */
function ownName(folder: string, rel: string): string {
  const ext = path.extname(rel);
  const source = COMPILED_FROM[ext];
  if (!source || fs.existsSync(path.join(folder, rel))) return rel;
  const ts = rel.slice(0, -ext.length) + source;
  return fs.existsSync(path.join(folder, ts)) ? ts : rel;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
