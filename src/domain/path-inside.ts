/**
 * Path containment, compared as text (both paths absolute and normalized; no
 * file system access, symlinks not resolved: callers that need real paths
 * resolve them first).
 */
import path from "node:path";

/** True when `child` lies strictly below `parent`. */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** True when `child` is `parent` or lies below it. */
export function isAtOrInside(child: string, parent: string): boolean {
  return path.relative(parent, child) === "" || isInside(child, parent);
}
