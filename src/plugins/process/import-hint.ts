/**
 * What to do about a relative import Node cannot find. ES modules need the
 * file's extension (`./helper.js`), and a TypeScript author who writes
 * `import "./helper"` (as a bundler or tsc's old resolution allows) gets
 * Node's `Cannot find module '<cache>/<hash>/helper'`: a path in shelfwise's
 * staging cache that names neither their file nor the fix.
 */
import fs from "node:fs";
import path from "node:path";
import { isInside } from "../../domain/path-inside.js";
import { authorFile } from "./author-paths.js";

const NOT_FOUND = /(?:Cannot find module|Directory import) '([^']+)' (?:is not supported resolving ES modules )?imported from (\S+)/;
const TRIED = [".js", ".mjs", ".cjs"];

/**
 * A hint for `message` when the module it cannot find exists with an extension
 * (or as a folder's index.js); null otherwise. `stagedEntry`: the module the
 * runner loaded; `folder`: the plugin's own folder (the author's file names).
 */
export function importHint(message: string, stagedEntry: string, folder: string): string | null {
  const match = NOT_FOUND.exec(message);
  if (!match) return null;
  const missing = match[1]!;
  const importer = match[2]!.replace(/^file:\/\//, "");
  if (!path.isAbsolute(missing)) return null;
  const outside = linkOutside(missing, stagedEntry, folder);
  if (outside) return outside;
  if (fileExists(missing)) return null;
  const found =
    TRIED.map((ext) => missing + ext).find(fileExists) ??
    TRIED.map((ext) => path.join(missing, `index${ext}`)).find(fileExists);
  if (!found) return null;
  let specifier = path.relative(path.dirname(importer), found).split(path.sep).join("/");
  if (!specifier.startsWith(".")) specifier = `./${specifier}`;
  const source = sourceOf(found, stagedEntry, folder);
  const tsNote = source && /\.m?ts$/.test(source) ? ` (for ${path.relative(folder, source)}: TypeScript files are imported by their .js name)` : "";
  return `Node needs the file extension in relative imports: write "${specifier}"${tsNote}`;
}

/** The message with its hint appended. */
export function withImportHint(message: string, stagedEntry: string, folder: string): string {
  const hint = importHint(message, stagedEntry, folder);
  return hint ? `${message} — ${hint}` : message;
}

/**
 * A module that is a symlink leading out of the plugin folder: the wall lets a plugin read its own folder only
 * (a staged copy leaves such a link out), so Node reports the file missing although the author sees it there.
 */
function linkOutside(missing: string, stagedEntry: string, folder: string): string | null {
  const root = stagedRoot(stagedEntry);
  const own = isInside(missing, folder) ? missing : root && isInside(missing, root) ? path.join(folder, path.relative(root, missing)) : null;
  if (!own) return null;
  const realFolder = realOrNull(folder) ?? folder;
  // The link itself, or a folder on its way.
  for (let at = own; isInside(at, folder) && at !== folder; at = path.dirname(at)) {
    let isLink = false;
    try {
      isLink = fs.lstatSync(at).isSymbolicLink();
    } catch {
      continue;
    }
    if (!isLink) continue;
    const target = realOrNull(at);
    if (target === null || isInside(target, realFolder) || target === realFolder) return null;
    return `${path.relative(folder, at)} is a symlink to ${target}, outside the plugin folder: a plugin may read only its own folder, so it cannot load it; copy the file into the plugin folder instead of linking it`;
  }
  return null;
}

function realOrNull(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/** The author's file behind a staged one: the same path under the plugin folder, as .ts/.mts when transpiled. */
function sourceOf(staged: string, stagedEntry: string, folder: string): string | null {
  const root = stagedRoot(stagedEntry);
  if (!root) return null;
  const own = authorFile(folder, path.relative(root, staged));
  return own === null ? null : path.join(folder, own);
}

/** The staged copy's top folder: the nearest folder above the entry holding manifest.json. */
function stagedRoot(entry: string): string | null {
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    if (fileExists(path.join(dir, "manifest.json"))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function fileExists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
