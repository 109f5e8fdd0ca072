/** The `book` a plugin receives: a snake_case copy of what the store knows (see protocol.ts). */
import type { LayerBook } from "../pipeline/layer.js";
import { MAX_BOOK_FILES, type PluginBook } from "./protocol.js";

export function toPluginBook(book: LayerBook, verificationLayer: number): PluginBook {
  const profile: PluginBook["profile"] = {};
  for (const [field, state] of Object.entries(book.profile)) {
    profile[field] = { value: state.value, confidence: state.confidence, sources: [...state.sources] };
  }
  const files = book.files.length > MAX_BOOK_FILES ? book.files.slice(0, MAX_BOOK_FILES) : book.files;
  return {
    book_id: book.book_id,
    path: book.path,
    library_root: book.library_root,
    current_author: book.current.author ?? null,
    current_title: book.current.title ?? null,
    current_narrator: book.current.narrator ?? null,
    current_series: book.current.series ?? null,
    current_series_num: book.current.series_num ?? null,
    current_year: book.current.year ?? null,
    current_language: book.current.language ?? null,
    status: book.status,
    confidence: book.confidence,
    profile,
    files: files.map((f) => ({ path: f.path, size: f.size })),
    tags: book.tags ? { ...book.tags } : null,
    verification_layer: verificationLayer,
  };
}
