/**
 * Saving a settings form (a plugin's settings, an HTTP source's definition)
 * that another tab (or a CLI command) changed since the page loaded it: the form's values are laid over what is stored now,
 * field by field, against what the page was drawn from (`base`), so a save
 * from a second tab no longer puts back every field as it was when that tab
 * opened. A field both changed, to different values, is a conflict: refused,
 * named, nothing written (what the user typed stays in the form).
 */
type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function same(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface MergeResult {
  merged: Record<string, Json>;
  /** Dotted paths changed both here and elsewhere, to different values. */
  conflicts: string[];
}

export function mergeSettings(base: Record<string, Json>, mine: Record<string, Json>, theirs: Record<string, Json>): MergeResult {
  const conflicts: string[] = [];
  const merge = (b: Record<string, Json>, m: Record<string, Json>, t: Record<string, Json>, at: string): Record<string, Json> => {
    const out: Record<string, Json> = { ...t };
    for (const key of new Set([...Object.keys(b), ...Object.keys(m)])) {
      const [bv, mv, tv] = [b[key], m[key], t[key]];
      const where = at ? `${at}.${key}` : key;
      if (same(mv, bv)) continue; // not changed on this page: what is stored stays
      if (same(tv, bv) || same(tv, mv)) {
        if (mv === undefined) delete out[key];
        else out[key] = mv;
      } else if (isPlainObject(mv) && isPlainObject(tv) && (bv === undefined || isPlainObject(bv))) {
        out[key] = merge((bv as Record<string, Json> | undefined) ?? {}, mv, tv, where);
      } else {
        conflicts.push(where);
      }
    }
    return out;
  };
  const merged = merge(base, mine, theirs, "");
  return { merged, conflicts };
}
