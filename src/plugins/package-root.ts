/**
 * The shelfwise package root, found one way for every module that needs it
 * (runner paths, the SDK, the python folder), from src/ under tsx and vitest
 * and from dist/ in the built package alike.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readJsonObject } from "./staging/json-object.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
let cachedRoot: string | null = null;

/** The folder holding shelfwise's package.json (name "shelfwise"), found walking up from `start`. */
export function findShelfwiseRoot(start = HERE): string {
  if (start === HERE && cachedRoot) return cachedRoot;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (readJsonObject(path.join(dir, "package.json"))?.name === "shelfwise") {
      const root = fs.realpathSync(dir);
      if (start === HERE) cachedRoot = root;
      return root;
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find shelfwise's package.json above ${start}`);
  }
}
