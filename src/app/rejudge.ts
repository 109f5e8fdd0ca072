/**
 * Judging the stored books again when what a judgement is made with changed: the rules (a newer shelfwise whose
 * confidence math or status rule differs, domain/book-status.ts JUDGEMENT_RULES_REVISION) or the settings it reads
 * (confidence_threshold, naming_template, series_num_padding in config.json). A book's confidence, shown values,
 * status, reason and proposed path are all derived from its stored evidence, so they are derived again, as a
 * built-in layer whose REVISIONS changed runs again: without it a database written before showed a book with no
 * author at 100 in `status`, `books` and `plan` until each book happened to be processed again.
 *
 * Once, at open, by whichever command opens the data folder first (a reader too: it takes the data folder's lock
 * without waiting, and leaves it to the next command when another one writes). Pages of books, each its own
 * transaction, and the new identity recorded after the last: a crash or a stop halfway leaves books judged by the
 * old rules or the new, each whole, and the next open goes over them all again (a book already judged anew is not
 * written twice). The evidence, the user's values, locks, layer runs and paths are never touched.
 */
import { decideStatus, JUDGEMENT_RULES_REVISION } from "../domain/book-status.js";
import { FIELD_NAMES, type FieldName } from "../domain/fields.js";
import { renderProposedPath } from "../domain/naming-template.js";
import { parseProfile, resolveProfile } from "../domain/profile.js";
import { judgementIdentityOf, type JudgementConfig } from "./judgement-identity.js";
import type { Db } from "../store/database.js";
import { tryAcquireDataLock } from "../store/data-lock.js";
import type { StoredFieldName } from "../store/book-edits.js";
import { judgementIdentity, judgementPage, recordJudgementIdentity, writeRejudgements, type JudgedRow, type Rejudgement } from "../store/judgements.js";


export interface RejudgeSummary {
  /** `rules`: a shelfwise whose rules differ from those the books were judged by; `settings`: config.json's. */
  why: "rules" | "settings";
  books: number;
  /** Books whose confidence, a shown value, status, reason or proposed path changed. */
  changed: number;
  /** Of those, books whose status changed (identified ↔ needs_attention). */
  statusChanged: number;
}

const PAGE = 1000;
/**
 * The pages of rejudgeIfChangedInPages: ~25 ms of CPU each (20,000 books took ~2.6 CPU-s, server and client, in
 * bench/web-hostile.ts). Pages of 1,000 held the server's other requests 1.4-1.9 s each at load 16 on 2 cores.
 */
const PAGE_BETWEEN_TURNS = 200;
const STORED: readonly StoredFieldName[] = ["author", "title", "narrator", "series", "series_num", "year", "language"];
const JUDGED_STATUSES = new Set(["identified", "needs_attention"]);

/**
 * Judges every stored book again when the identity recorded differs from this shelfwise's and config's; null when
 * nothing was to do or it could not be done now (another command writing, a read-only copy: the next open does it).
 * Throws what the database throws; the caller decides whether a command goes on without it.
 */
export function rejudgeIfChanged(db: Db, dataDir: string, config: JudgementConfig): RejudgeSummary | null {
  const steps = rejudgeSteps(db, dataDir, config, PAGE);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * rejudgeIfChanged a page at a time, the event loop given a turn between pages (`shelfwise serve`: its requests and
 * live events are answered meanwhile), in pages of PAGE_BETWEEN_TURNS books. The lock is held throughout, as
 * rejudgeIfChanged holds it: the caller keeps its own jobs and writes from starting meanwhile.
 */
export async function rejudgeIfChangedInPages(db: Db, dataDir: string, config: JudgementConfig): Promise<RejudgeSummary | null> {
  const steps = rejudgeSteps(db, dataDir, config, PAGE_BETWEEN_TURNS);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The work of both: yields after each page written (its own transaction). */
function* rejudgeSteps(db: Db, dataDir: string, config: JudgementConfig, pageSize: number): Generator<void, RejudgeSummary | null> {
  const identity = judgementIdentityOf(config);
  if (judgementIdentity(db) === identity) return null;
  // A read-only private copy (store/database.ts openSnapshot): nothing can be written, and the folder is read-only anyway.
  if (db.pragma("query_only", { simple: true }) === 1) return null;
  const lock = tryAcquireDataLock(dataDir, "judging the books again under new rules");
  if (lock === null) return null;
  try {
    // Another command may have done it between the first look and the lock.
    const stored = judgementIdentity(db);
    if (stored === identity) return null;
    const why = stored === null || !stored.startsWith(`${JUDGEMENT_RULES_REVISION}:`) ? "rules" : "settings";
    const summary: RejudgeSummary = { why, books: 0, changed: 0, statusChanged: 0 };
    for (let after = 0; ; ) {
      const rows = judgementPage(db, after, pageSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      summary.books += rows.length;
      const updates: Rejudgement[] = [];
      for (const row of rows) {
        const update = judgedAgain(row, config);
        if (update === null) continue;
        updates.push(update);
        if (update.status !== undefined && update.status !== row.status) summary.statusChanged++;
      }
      summary.changed += updates.length;
      writeRejudgements(db, updates);
      yield;
    }
    recordJudgementIdentity(db, identity);
    return summary;
  } finally {
    lock.release();
  }
}

/** The book judged by the rules and settings of now, or null when that is what is stored (or its evidence is unreadable). */
function judgedAgain(row: JudgedRow, config: JudgementConfig): Rejudgement | null {
  let resolved: ReturnType<typeof resolveProfile>;
  try {
    const profile = parseProfile(row.profile);
    // No evidence recorded at all (a book no layer has answered for yet, or a row another tool wrote): nothing to
    // judge from, and what is stored stays.
    if (FIELD_NAMES.every((field) => (profile.evidence[field]?.length ?? 0) === 0)) return null;
    resolved = resolveProfile(profile);
  } catch {
    // Evidence this shelfwise cannot read (hand-edited): its stored judgement stays, as the pipeline would leave it.
    return null;
  }
  const fields = {} as Record<StoredFieldName, string | null>;
  let changed = row.confidence !== resolved.confidence;
  for (const field of STORED) {
    fields[field] = resolved.fields[field].value;
    if (fields[field] !== row[field]) changed = true;
  }
  const update: Rejudgement = { id: row.id, confidence: resolved.confidence, fields };
  // Only a book that has a final status is judged: a new or pending one gets it after its last layer, a missing
  // one keeps `missing` until a scan finds it.
  if (JUDGED_STATUSES.has(row.status)) {
    const { status, reason } = decideStatus(resolved, config.confidence_threshold);
    const values: Partial<Record<FieldName, string | null>> = {};
    for (const field of FIELD_NAMES) values[field] = resolved.fields[field].value;
    const proposed = renderProposedPath(config.naming_template, values, { seriesNumPadding: config.series_num_padding });
    if (status !== row.status || reason !== row.status_reason || proposed !== row.proposed_path) changed = true;
    Object.assign(update, { status, status_reason: reason, proposed_path: proposed });
  }
  return changed ? update : null;
}
