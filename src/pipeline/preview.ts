/**
 * Runs layers on one book in memory, without the database: what `plugins test`
 * shows a plugin before it sees the real library.
 */
import { emptyProfile, mergeSource, resolveProfile, type Profile } from "../domain/profile.js";
import type { Layer, LayerBook } from "./layer.js";
import { currentOf, profileOf } from "./book-view.js";

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

/** The book as a layer sees it, built from the preview's own state: nothing is stored. */
function view(input: PreviewBook, profile: Profile, tags: Record<string, string> | null, id: number): LayerBook {
  const resolved = resolveProfile(profile);
  return {
    book_id: id,
    path: input.path,
    kind: input.kind,
    library_root: input.library_root,
    status: "pending",
    confidence: resolved.confidence,
    current: currentOf(resolved),
    profile: profileOf(resolved),
    files: input.files,
    sidecars: input.sidecars ?? [],
    tags,
  };
}
