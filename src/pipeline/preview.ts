/**
 * Runs layers on one book in memory, without the database: what `plugins test`
 * shows a plugin before it sees the real library.
 */
import { emptyProfile, mergeSource, resolveProfile, type Profile } from "../domain/profile.js";
import type { Layer, LayerBook } from "./layer.js";
import { toLayerBook } from "./book-view.js";
import type { BookRow } from "../store/books.js";

export interface PreviewBook {
  path: string;
  kind: "folder" | "file";
  library_root: string;
  files: { path: string; size: number }[];
  sidecars?: string[];
}

export interface PreviewResult {
  book: LayerBook;
  profile: Profile;
  errors: { layer_id: string; error: string }[];
}

export async function previewBook(input: PreviewBook, layers: Layer[], bookId = 1): Promise<PreviewResult> {
  let profile = emptyProfile();
  let tags: Record<string, string> | null = null;
  const errors: PreviewResult["errors"] = [];
  const signal = new AbortController().signal;
  for (const layer of layers) {
    const book = view(input, profile, tags, bookId);
    if (layer.wants && !layer.wants(book)) continue;
    const [outcome] = await layer.processBatch([book], { signal });
    if (!outcome || "skipped" in outcome) continue;
    if ("error" in outcome) {
      errors.push({ layer_id: layer.info.layer_id, error: outcome.error });
      continue;
    }
    profile = mergeSource(profile, layer.sourceId, layer.weight, outcome.claims);
    if (outcome.tags) tags = outcome.tags;
  }
  return { book: view(input, profile, tags, bookId), profile, errors };
}

function view(input: PreviewBook, profile: Profile, tags: Record<string, string> | null, id: number): LayerBook {
  const resolved = resolveProfile(profile);
  const now = new Date().toISOString();
  const row: BookRow = {
    id,
    path: input.path,
    kind: input.kind,
    library_root: input.library_root,
    status: "pending",
    status_reason: null,
    author: null,
    title: null,
    narrator: null,
    series: null,
    series_num: null,
    year: null,
    language: null,
    confidence: resolved.confidence,
    profile: "{}",
    proposed_path: null,
    fingerprint: "",
    row_version: 0,
    files: JSON.stringify(input.files),
    sidecars: JSON.stringify(input.sidecars ?? []),
    tags: tags ? JSON.stringify(tags) : null,
    locked: 0,
    created_at: now,
    updated_at: now,
    scanned_at: now,
  };
  return toLayerBook(row, resolved);
}
