/** Writes of a user's correction: the book's profile, its stored fields and its re-judged status, at once. */
import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { writeProfile } from "./book-profiles.js";

export type StoredFieldName = "author" | "title" | "narrator" | "series" | "series_num" | "year" | "language";

export interface BookJudgement {
  profile: string;
  confidence: number;
  fields: Record<StoredFieldName, string | null>;
  /** Left as it is when undefined (a missing book stays missing). */
  status?: string;
  status_reason?: string | null;
  proposed_path?: string | null;
}

export function writeBookJudgement(db: Db, id: number, j: BookJudgement): boolean {
  const f = j.fields;
  const now = nowIso();
  return db.transaction(() => {
    const changed = db
      .prepare(
        `UPDATE books SET confidence = ?, author = ?, title = ?, narrator = ?, series = ?, series_num = ?,
           year = ?, language = ?, updated_at = ?, row_version = row_version + 1 WHERE id = ?`,
      )
      .run(j.confidence, f.author, f.title, f.narrator, f.series, f.series_num, f.year, f.language, now, id).changes;
    if (changed > 0) writeProfile(db, id, j.profile);
    if (changed > 0 && j.status !== undefined) {
      db.prepare("UPDATE books SET status = ?, status_reason = ?, proposed_path = ? WHERE id = ?").run(j.status, j.status_reason ?? null, j.proposed_path ?? null, id);
    }
    return changed > 0;
  })();
}
