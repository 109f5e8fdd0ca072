import { FIELD_NAMES, type FieldName } from "../domain/fields.js";
import { mergeSource, parseProfile, resolveProfile, type Profile, type ResolvedProfile } from "../domain/profile.js";
import type { PendingBookRow } from "../store/layer-runs.js";
import type { LayerBook } from "./layer.js";

/** A stored book opened for a layer: the layer's view plus the full profile to merge into. */
export interface OpenBook {
  row: PendingBookRow;
  /** The stored profile, parsed on first use (a layer with nothing to add never needs it). */
  profile(): Profile;
  view: LayerBook;
}

/**
 * `ownSource`: the source id of the layer about to run. A layer that runs
 * again on a book (a rerun, a changed plugin) sees the book as if it had never
 * run: without its own earlier evidence, which its new answer replaces. Else a
 * plugin that fills a field only when no source knows it would see its own old
 * value, skip, and lose it.
 */
export function openBook(row: PendingBookRow, ownSource?: string): OpenBook {
  let profile: Profile | undefined;
  let resolved: ResolvedProfile | undefined;
  const parsed = () => (profile ??= parseProfile(row.profile));
  if (ownSource !== undefined && !sourceAbsent(row, ownSource)) {
    const others = resolveProfile(mergeSource(parsed(), ownSource, 0, []));
    return { row, profile: parsed, view: toLayerBook({ ...row, confidence: others.confidence }, others) };
  }
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
 * A class with getters rather than per-object property definitions: this runs
 * for every book and every layer.
 */
class StoredBookView implements LayerBook {
  readonly book_id: number;
  readonly path: string;
  readonly kind: "folder" | "file";
  readonly library_root: string;
  readonly status: string;
  readonly status_reason: string | null;
  readonly confidence: number;
  readonly #row: PendingBookRow;
  readonly #resolve: () => ResolvedProfile;
  #current?: LayerBook["current"];
  #profile?: LayerBook["profile"];
  #files?: LayerBook["files"];
  #sidecars?: string[];
  #tags?: LayerBook["tags"];

  constructor(row: PendingBookRow, resolve: () => ResolvedProfile) {
    this.book_id = row.id;
    this.path = row.path;
    this.kind = row.kind;
    this.library_root = row.library_root;
    this.status = row.status;
    this.status_reason = row.status_reason ?? null;
    this.confidence = row.confidence;
    this.#row = row;
    this.#resolve = resolve;
  }

  get current(): LayerBook["current"] {
    return (this.#current ??= currentOf(this.#resolve()));
  }

  get profile(): LayerBook["profile"] {
    return (this.#profile ??= profileOf(this.#resolve()));
  }

  get files(): LayerBook["files"] {
    return (this.#files ??= parseJsonArray(this.#row.files));
  }

  get sidecars(): string[] {
    return (this.#sidecars ??= JSON.parse(this.#row.sidecars ?? "[]") as string[]);
  }

  get tags(): LayerBook["tags"] {
    if (this.#tags === undefined) this.#tags = this.#row.tags ? (JSON.parse(this.#row.tags) as Record<string, string>) : null;
    return this.#tags;
  }
}

export function toLayerBook(row: PendingBookRow, resolved: ResolvedProfile | (() => ResolvedProfile)): LayerBook {
  return new StoredBookView(row, typeof resolved === "function" ? resolved : () => resolved);
}

/** The winning value per field, as a layer sees it. */
export function currentOf(resolved: ResolvedProfile): LayerBook["current"] {
  const current = {} as LayerBook["current"];
  for (const field of FIELD_NAMES) current[field] = resolved.fields[field].value;
  return current;
}

/** Value, confidence and sources per field, as a layer sees them. */
export function profileOf(resolved: ResolvedProfile): LayerBook["profile"] {
  const profile = {} as LayerBook["profile"];
  for (const field of FIELD_NAMES) {
    const f = resolved.fields[field];
    profile[field] = { value: f.value, confidence: f.confidence, sources: f.sources };
  }
  return profile;
}

function parseJsonArray(text: string): { path: string; size: number }[] {
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? (value as { path: string; size: number }[]) : [];
}

export const STORED_FIELDS = ["author", "title", "narrator", "series", "series_num", "year", "language"] as const satisfies readonly FieldName[];
