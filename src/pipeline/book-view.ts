import { FIELD_NAMES, type FieldName } from "../domain/fields.js";
import { parseProfile, resolveProfile, type Profile, type ResolvedProfile } from "../domain/profile.js";
import type { PendingBookRow } from "../store/layer-runs.js";
import type { LayerBook } from "./layer.js";

/** A stored book opened for a layer: the layer's view plus the full profile to merge into. */
export interface OpenBook {
  row: PendingBookRow;
  /** The stored profile, parsed on first use (a layer with nothing to add never needs it). */
  profile(): Profile;
  view: LayerBook;
}

export function openBook(row: PendingBookRow): OpenBook {
  let profile: Profile | undefined;
  let resolved: ResolvedProfile | undefined;
  const parsed = () => (profile ??= parseProfile(row.profile));
  return { row, profile: parsed, view: toLayerBook(row, () => (resolved ??= resolveProfile(parsed()))) };
}

/**
 * True when a source has never left evidence or a rejection in this stored
 * profile. Every entry names its source as `"source":"<id>"`, so the test is
 * exact in the direction that matters: absent means absent.
 */
export function sourceAbsent(row: PendingBookRow, sourceId: string): boolean {
  return !row.profile.includes(`"source":${JSON.stringify(sourceId)}`);
}

/**
 * The layer's view of a stored book. The parts that cost something to build
 * (resolved fields, decoded file lists, tags) are computed on first read: the
 * path and sidecar layers never look at them, and they run for every book.
 */
export function toLayerBook(row: PendingBookRow, resolved: ResolvedProfile | (() => ResolvedProfile)): LayerBook {
  const resolve = typeof resolved === "function" ? resolved : () => resolved;
  const view = {
    book_id: row.id,
    path: row.path,
    kind: row.kind,
    library_root: row.library_root,
    status: row.status,
    confidence: row.confidence,
  } as LayerBook;
  lazy(view, "current", () => {
    const current = {} as LayerBook["current"];
    for (const field of FIELD_NAMES) current[field] = resolve().fields[field].value;
    return current;
  });
  lazy(view, "profile", () => {
    const profile = {} as LayerBook["profile"];
    for (const field of FIELD_NAMES) {
      const f = resolve().fields[field];
      profile[field] = { value: f.value, confidence: f.confidence, sources: f.sources };
    }
    return profile;
  });
  lazy(view, "files", () => parseJsonArray(row.files));
  lazy(view, "sidecars", () => JSON.parse(row.sidecars ?? "[]") as string[]);
  lazy(view, "tags", () => (row.tags ? (JSON.parse(row.tags) as Record<string, string>) : null));
  return view;
}

/** An enumerable property computed once, on first read (and then a plain value). */
function lazy<K extends keyof LayerBook>(target: LayerBook, key: K, compute: () => LayerBook[K]): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

function parseJsonArray(text: string): { path: string; size: number }[] {
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? (value as { path: string; size: number }[]) : [];
}

export const STORED_FIELDS = ["author", "title", "narrator", "series", "series_num", "year", "language"] as const satisfies readonly FieldName[];
