/**
 * A book's evidence (its profile JSON) lives in book_profiles, apart from its books row (migration 26): a move
 * rewrites the row (path, files, row version) and left the evidence, a third of the row, to be written again with
 * it. No row stands for '{}'. Readers name PROFILE_OF, so every store read still gives `profile` as before.
 */
import type { Db } from "./database.js";
import { statement } from "./statement-cache.js";

/** The profile of the book aliased `book` in a query, as the column read before migration 26. */
export function profileOf(book: string): string {
  return `coalesce((SELECT p.profile FROM book_profiles p WHERE p.book_id = ${book}.id), '{}')`;
}

/**
 * Stores a book's evidence. The caller writes the books row in the same transaction and bumps its row_version
 * there: the evidence is part of what a row version stands for.
 */
export function writeProfile(db: Db, bookId: number, profile: string): void {
  statement(
    db,
    "INSERT INTO book_profiles (book_id, profile) VALUES (?, ?) ON CONFLICT (book_id) DO UPDATE SET profile = excluded.profile",
  ).run(bookId, profile);
}
