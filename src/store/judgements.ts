/**
 * What the stored judgements (each book's confidence, shown values, status, reason and proposed path) were made
 * with, and the pages and writes of judging them again (app/rejudge.ts).
 */
import type { Db } from "./database.js";
import type { BookRow } from "./books.js";
import { nowIso } from "./database.js";
import { profileOf } from "./book-profiles.js";
import type { StoredFieldName } from "./book-edits.js";
import { statement } from "./statement-cache.js";

/** The identity the books were last judged with; null when none was recorded (a database before migration 20, or new). */
export function judgementIdentity(db: Db): string | null {
  const row = statement(db, "SELECT identity FROM judgement_rules WHERE id = 1").get() as { identity: string } | undefined;
  return row?.identity ?? null;
}

export function recordJudgementIdentity(db: Db, identity: string): void {
  statement(
    db,
    `INSERT INTO judgement_rules (id, identity, recorded_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET identity = excluded.identity, recorded_at = excluded.recorded_at`,
  ).run(identity, nowIso());
}

/** What a judgement reads and writes of a book row. */
export type JudgedRow = Pick<
  BookRow,
  "id" | "status" | "profile" | "confidence" | "author" | "title" | "narrator" | "series" | "series_num" | "year" | "language" | "status_reason" | "proposed_path"
>;

/** Books after `afterId`, in id order: a page of what a judgement reads and writes. */
export function judgementPage(db: Db, afterId: number, limit: number): JudgedRow[] {
  return statement(
    db,
    `SELECT id, status, ${profileOf("books")} AS profile, confidence, author, title, narrator, series, series_num, year, language, status_reason, proposed_path
       FROM books WHERE id > ? ORDER BY id LIMIT ?`,
  ).all(afterId, limit) as JudgedRow[];
}

export interface Rejudgement {
  id: number;
  confidence: number;
  fields: Record<StoredFieldName, string | null>;
  /** Undefined: the status, its reason and the proposed path stay (a book not judged yet, or missing). */
  status?: string;
  status_reason?: string | null;
  proposed_path?: string | null;
}

/**
 * Writes the judgements that differ from what is stored, in one transaction. The evidence (profile), the
 * user's values, the lock, runs and paths are not touched: only what is derived from them.
 */
export function writeRejudgements(db: Db, updates: readonly Rejudgement[]): void {
  if (updates.length === 0) return;
  const shown = statement(
    db,
    `UPDATE books SET confidence = ?, author = ?, title = ?, narrator = ?, series = ?, series_num = ?, year = ?, language = ?
      WHERE id = ?`,
  );
  const judged = statement(db, "UPDATE books SET status = ?, status_reason = ?, proposed_path = ? WHERE id = ? AND status <> 'missing'");
  db.transaction(() => {
    for (const u of updates) {
      const f = u.fields;
      shown.run(u.confidence, f.author, f.title, f.narrator, f.series, f.series_num, f.year, f.language, u.id);
      if (u.status !== undefined) judged.run(u.status, u.status_reason ?? null, u.proposed_path ?? null, u.id);
    }
  }).immediate();
}
