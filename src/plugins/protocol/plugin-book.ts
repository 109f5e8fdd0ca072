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
    reason: askReason(book),
    confidence: book.confidence,
    profile: book.profile,
    files: book.files.length > MAX_BOOK_FILES ? book.files.slice(0, MAX_BOOK_FILES) : book.files,
    tags: book.tags,
    verification_layer: verificationLayer,
  };
}

/**
 * Why the plugin is asked about the book, told truthfully: Library Manager queues a book with the issues found
 * in it, and shelfwise asks every layer about every book it has no current answer for. A book that needs
 * attention has its issues (its status reason); one scanned but not identified yet, or identified, says so.
 */
function askReason(book: LayerBook): string {
  if (book.status === "needs_attention") return book.status_reason ? book.status_reason : "needs attention";
  if (book.status === "new" || book.status === "pending") return "not identified yet: new, or changed since it was last identified";
  return `no current answer from this plugin (the book is ${book.status.replace(/_/g, " ")})`;
}
