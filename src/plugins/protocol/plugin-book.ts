/**
 * The `book` a plugin receives (see protocol.ts). Nested parts are shared with
 * the LayerBook, not copied: the result is serialized for the runner at once,
 * which is the copy each call gets (runInProcess clones explicitly).
 */
import type { LayerBook } from "../../pipeline/layer.js";
import { MAX_BOOK_FILES, type PluginBook } from "./protocol.js";

export function toPluginBook(book: LayerBook, verificationLayer: number): PluginBook {
  const current = book.current;
  return {
    book_id: book.book_id,
    path: book.path,
    library_root: book.library_root,
    current_author: current.author ?? null,
    current_title: current.title ?? null,
    current_narrator: current.narrator ?? null,
    current_series: current.series ?? null,
    current_series_num: current.series_num ?? null,
    current_year: current.year ?? null,
    current_language: current.language ?? null,
    status: book.status,
    confidence: book.confidence,
    profile: book.profile,
    files: book.files.length > MAX_BOOK_FILES ? book.files.slice(0, MAX_BOOK_FILES) : book.files,
    tags: book.tags,
    verification_layer: verificationLayer,
  };
}
