/**
 * A user's corrections: values set with source `user` (weight 100, and a
 * field the user set always wins, see domain/profile.ts), values unset, and
 * the lock that keeps a book out of the pipeline and out of plans. The book
 * is judged again at once: status, confidence and proposed path.
 */
import { decideStatus } from "../domain/book-status.js";
import { FIELD_NAMES, SOURCE_WEIGHTS, isFieldName, type Claim, type FieldName } from "../domain/fields.js";
import { renderProposedPath } from "../domain/naming-template.js";
import { USER_SOURCE, mergeSource, parseProfile, resolveProfile, serializeProfile } from "../domain/profile.js";
import { userValueProblem } from "../domain/user-value.js";
import { writeBookJudgement, type StoredFieldName } from "../store/book-edits.js";
import { getBook, setBookLocked as storeSetBookLocked, type BookRow } from "../store/books.js";
import { JOINED_REASON_START, joinedReasonNow } from "../store/given-up-parts.js";
import type { OrganizeContext } from "./types.js";
import { quotedInput } from "../domain/quoted-input.js";
import { didYouMean } from "../domain/closest-name.js";

export class CorrectionError extends Error {
  override name = "CorrectionError";
}

/**
 * A correction made from a stale view: a field's value of the user's is no longer the one the editor was shown
 * (another tab or a command changed it since). Nothing was written.
 */
export class StaleCorrectionError extends CorrectionError {
  override name = "StaleCorrectionError";
  constructor(readonly fields: { field: string; message: string }[]) {
    super(`${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}; nothing was changed`);
  }
}

export interface UserFieldEdits {
  /** Field → value the user asserts. */
  set?: Partial<Record<string, string>>;
  /** Fields whose user value is removed (the layers' evidence decides again). */
  unset?: string[];
  /**
   * Field → the user's value the editor was shown for it (null: none). A field of `set` or `unset` whose value of
   * the user's is another now is refused (StaleCorrectionError): two tabs correcting one field, the later save
   * overwrote the earlier one unseen. Fields not named are not checked (the CLI names none).
   */
  shown?: Partial<Record<string, string | null>>;
}

const STORED: readonly StoredFieldName[] = ["author", "title", "narrator", "series", "series_num", "year", "language"];

/** Records the user's values for a book and re-judges it; returns the updated row. Throws CorrectionError for bad input. */
export function setUserFields(ctx: Pick<OrganizeContext, "db" | "config">, bookId: number, edits: UserFieldEdits): BookRow {
  const row = getBook(ctx.db, bookId);
  if (!row) throw new CorrectionError(`no book with id ${bookId}; \`shelfwise books\` lists them`);
  checkUserEdits(edits);
  // A given-up folder's part retired into another book: a value set on its kept record would name no folder and be
  // seen by no plan, the correction lost in silence. Removing one of the values kept there stays allowed.
  const joined = Object.keys(edits.set ?? {}).length > 0 ? joinedReasonNow(ctx.db, row) : null;
  if (joined?.startsWith(JOINED_REASON_START)) throw new CorrectionError(`book ${bookId} is not a book of its own any more, so nothing was changed: ${joined}`);
  const set = Object.entries(edits.set ?? {});
  const unset = edits.unset ?? [];
  const profile = parseProfile(row.profile);
  const claims = userValues(profile);
  const stale = [...set.map(([field]) => field), ...unset]
    .filter((field) => edits.shown && Object.hasOwn(edits.shown, field) && (claims.get(field as FieldName) ?? null) !== edits.shown[field])
    .map((field) => {
      const now = claims.get(field as FieldName);
      const was = edits.shown![field];
      const is = now === undefined ? "you have no value for it now" : `your value is ${quotedInput(now)} now`;
      return { field, message: `${is}, not ${was === null || was === undefined ? "none" : quotedInput(was)} as shown: it was changed in another tab or by a command since; look at it again, then save` };
    });
  if (stale.length > 0) throw new StaleCorrectionError(stale);
  for (const field of unset) claims.delete(field as FieldName);
  // NFC, as the folders shelfwise names are: a value typed or pasted decomposed (macOS, "Cafe" + U+0301) is the
  // same text, and stored as such it made a second spelling of one author or series beside the composed one.
  for (const [field, value] of set) claims.set(field as FieldName, value!.normalize("NFC"));
  const list: Claim[] = [...claims].map(([field, value]) => ({ field, value }));
  const merged = mergeSource(profile, USER_SOURCE, SOURCE_WEIGHTS.user, list);
  const refused = merged.rejected.filter((r) => r.source === USER_SOURCE);
  if (refused.length > 0) {
    throw new CorrectionError(refused.map((r) => `${r.field}=${quotedInput(r.value)} was refused: ${r.reason}`).join("; "));
  }
  const resolved = resolveProfile(merged);
  const fields = {} as Record<StoredFieldName, string | null>;
  for (const field of STORED) fields[field] = resolved.fields[field].value;
  const values: Partial<Record<FieldName, string | null>> = {};
  for (const field of FIELD_NAMES) values[field] = resolved.fields[field].value;
  const judged = row.status === "missing" ? {} : {
    ...toStatus(decideStatus(resolved, ctx.config.confidence_threshold)),
    proposed_path: renderProposedPath(ctx.config.naming_template, values, { seriesNumPadding: ctx.config.series_num_padding }),
  };
  writeBookJudgement(ctx.db, bookId, { profile: serializeProfile(merged), confidence: resolved.confidence, fields, ...judged });
  return getBook(ctx.db, bookId)!;
}

/**
 * Refuses (CorrectionError) an edit that names an unknown field, or sets a value that is empty or
 * cannot be a value of the user's (domain/user-value.ts). Needs no book: the CLI asks before it
 * waits for the data folder's lock, since bad input should not wait for another writer.
 */
export function checkUserEdits(edits: UserFieldEdits): void {
  const set = Object.entries(edits.set ?? {});
  for (const field of [...set.map(([f]) => f), ...(edits.unset ?? [])]) {
    if (!isFieldName(field)) throw new CorrectionError(`unknown field ${quotedInput(field)}${didYouMean(field, FIELD_NAMES)}; fields are: ${FIELD_NAMES.join(", ")}`);
  }
  for (const [field, value] of set) {
    if (typeof value !== "string" || value.trim() === "") throw new CorrectionError(`--set ${field}= needs a value; use --unset ${field} to remove yours`);
    const problem = userValueProblem(field as FieldName, value);
    if (problem !== null) throw new CorrectionError(`${problem}; nothing was changed`);
  }
}

/** The fields of `fields` the user has no value for: `--unset` of one of them has nothing to remove. */
export function fieldsNotSetByUser(ctx: Pick<OrganizeContext, "db">, bookId: number, fields: readonly string[]): string[] {
  const row = getBook(ctx.db, bookId);
  if (!row) return [];
  const mine = userValues(parseProfile(row.profile));
  return fields.filter((field) => !mine.has(field as FieldName));
}

function userValues(profile: ReturnType<typeof parseProfile>): Map<FieldName, string> {
  const claims = new Map<FieldName, string>();
  for (const field of FIELD_NAMES) {
    const mine = profile.evidence[field]?.find((e) => e.source === USER_SOURCE);
    if (mine) claims.set(field, mine.value);
  }
  return claims;
}

function toStatus(decision: { status: string; reason: string | null }) {
  return { status: decision.status, status_reason: decision.reason };
}

/** Locks (or unlocks) a book: a locked book is skipped by the pipeline and by plans. */
export function setBookLocked(ctx: Pick<OrganizeContext, "db">, bookId: number, locked: boolean): boolean {
  return storeSetBookLocked(ctx.db, bookId, locked);
}
