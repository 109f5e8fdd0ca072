/**
 * A book's profile: every source's evidence per field, plus what the garbage
 * checks refused. The winner is never stored, only derived (resolveProfile),
 * so a later source is always weighed against all earlier evidence.
 * Profiles are immutable values: mergeSource returns a new one.
 */
import { DASH_MAY_NAME_WRITER, FIELD_NAMES, isFieldName, LIST_MAY_NAME_READER, USER_SOURCE, type Claim, type Evidence, type FieldName, type RejectedEvidence } from "./fields.js";
import { fieldConfidence, overallConfidence } from "./confidence.js";
import { checkClaim } from "./garbage.js";
import { displaysCanonical, normalizeKey } from "./normalize.js";
import { joinAuthors, nameScore, PEOPLE_LIST_HINT, splitAuthors, withSpacedInitials } from "./person-name.js";
import { seriesInTitle, splitSubtitle } from "./subtitle.js";
import { AUTHORS_SEPARATOR } from "./fields.js";

export const PROFILE_VERSION = 1;
export const AUTHOR_EQUALS_SERIES = "author_equals_series";
export { USER_SOURCE } from "./fields.js";

export interface Profile {
  version: 1;
  evidence: Record<FieldName, Evidence[]>;
  rejected: RejectedEvidence[];
}

export interface ResolvedField {
  value: string | null;
  confidence: number;
  /** All evidence for the field, winning or not. */
  evidence: Evidence[];
  /** Sources that agree on the winning value. */
  sources: string[];
}

export interface ResolvedProfile {
  fields: Record<FieldName, ResolvedField>;
  confidence: number;
  flags: string[];
}

export class ProfileParseError extends Error {
  override name = "ProfileParseError";
}

// Frozen: shared between profiles, so a caller mutating it must fail loudly.
const NO_EVIDENCE: Evidence[] = Object.freeze([]) as unknown as Evidence[];

export function emptyProfile(): Profile {
  const evidence = {} as Record<FieldName, Evidence[]>;
  for (const field of FIELD_NAMES) evidence[field] = [];
  return { version: 1, evidence, rejected: [] };
}

/**
 * Add one source's claims, replacing everything that source said before, in
 * place, so re-running a source yields an identical profile. Garbage goes to
 * `rejected`, and a source repeating the same value for a field counts once.
 */
export function mergeSource(profile: Profile, source: string, weight: number, claims: readonly Claim[]): Profile {
  if (typeof source !== "string" || source === "") throw new TypeError("evidence source must be a non-empty string");
  if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
    throw new RangeError(`weight of source "${source}" must be a number 0..100, got ${String(weight)}`);
  }
  const added: Partial<Record<FieldName, Evidence[]>> = {};
  const refused: RejectedEvidence[] = [];
  for (const claim of canonicalClaims(claims)) {
    const field = claim.field;
    if (!isFieldName(field)) throw new TypeError(`source "${source}" claimed unknown field ${JSON.stringify(field)}`);
    const text = claimText(claim.value);
    if (text === null) {
      refused.push({ source, field, value: previewOf(claim.value), reason: "value is not text" });
      continue;
    }
    // A folder's or file's name is the user's, markup and all ("<script>alert(1)</script>" named so on purpose or by an
    // attacker): shown escaped, never refused as text no reader decoded (markup-names.ts keeps it whole).
    const verdict = checkClaim(field, text, { keepJunk: source === USER_SOURCE, keepMarkup: source === PATH_SOURCE });
    if (!verdict.ok) {
      refused.push({ source, field, value: verdict.value, reason: verdict.reason });
      continue;
    }
    // After the credits are cut ("Frank Herbert (Author), Scott Brick (Narrator)"), so only people are listed.
    // Narrators keep their source's spelling: their key already groups any order and separator.
    const value = field === "author" ? peopleDisplay(verdict.value) : verdict.value;
    const list = (added[field] ??= []);
    if (repeatsValue(list, field, value)) continue;
    const own = claim.weight;
    const entry: Evidence = { source, value, weight: typeof own === "number" && own >= 0 && own <= 100 ? own : weight };
    if (typeof claim.basis === "string" && claim.basis !== "") entry.basis = claim.basis.slice(0, 300);
    list.push(entry);
  }
  const evidence = {} as Record<FieldName, Evidence[]>;
  for (const field of FIELD_NAMES) {
    evidence[field] = replaceSource(profile.evidence[field] ?? NO_EVIDENCE, source, added[field] ?? NO_EVIDENCE);
  }
  return { version: 1, evidence, rejected: replaceSource(profile.rejected, source, refused) };
}

/**
 * Every source spells a title and its authors the same way: "Title: Subtitle"
 * becomes a title and a subtitle (unless the source named the subtitle), and
 * "Pratchett, Terry; Gaiman, Neil" becomes "Terry Pratchett & Neil Gaiman".
 */
function canonicalClaims(claims: readonly Claim[]): readonly Claim[] {
  let out: Claim[] | null = null;
  const hasSubtitle = claims.some((c) => c?.field === "subtitle");
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i];
    let replacement: Claim[] | null = null;
    if (claim?.field === "title" && typeof claim.value === "string" && (claim.value.includes(":") || claim.value.endsWith(")")) && seriesInTitle(claim.value) === null) {
      const split = splitSubtitle(claim.value);
      if (split !== null) {
        replacement = [{ ...claim, value: split[0] }];
        if (!hasSubtitle) replacement.push({ ...claim, field: "subtitle", value: split[1] });
      }
    }
    if (replacement !== null && out === null) out = claims.slice(0, i);
    if (out !== null) out.push(...(replacement ?? [claim]));
  }
  return out ?? claims;
}

const AUTHOR_CACHE = new Map<string, string>();
const LIST_HINT = PEOPLE_LIST_HINT;

/** "Pratchett, Terry; Gaiman, Neil", "Dean Koontz with Kevin J. Anderson" -> "Terry Pratchett & Neil Gaiman", "Dean Koontz & Kevin J. Anderson". */
function peopleDisplay(value: string): string {
  // "J.R.R.Tolkien", "Victor HUGO": one person, shown as the list's names are ("J.R.R. Tolkien", "Victor Hugo").
  if (!LIST_HINT.test(value)) return withSpacedInitials(value);
  let display = AUTHOR_CACHE.get(value);
  if (display === undefined) {
    const list = splitAuthors(value);
    display = list !== null && list.length > 0 ? joinAuthors(list) : value;
    if (AUTHOR_CACHE.size >= 4096) AUTHOR_CACHE.clear();
    AUTHOR_CACHE.set(value, display);
  }
  return display;
}

/** The list with the source's entries swapped for `additions` where they stood (else appended). */
function replaceSource<T extends { source: string }>(list: readonly T[], source: string, additions: readonly T[]): T[] {
  let first = 0;
  while (first < list.length && list[first].source !== source) first++;
  if (first === list.length) return additions.length === 0 ? (list as T[]) : list.concat(additions);
  const out = list.slice(0, first);
  for (const item of additions) out.push(item);
  for (let i = first + 1; i < list.length; i++) if (list[i].source !== source) out.push(list[i]);
  return out;
}

function claimText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function previewOf(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value); // circular or BigInt: still show what kind it was
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function repeatsValue(list: Evidence[], field: FieldName, value: string): boolean {
  const key = normalizeKey(field, value);
  for (const e of list) if (normalizeKey(field, e.value) === key) return true;
  return false;
}

/** Evidence for one value of a field: every source that said it, their summed weight, its best spelling. */
export interface EvidenceGroup {
  key: string;
  weight: number;
  sources: string[];
  best: Evidence;
}

/** Derive each field's winner and confidence, the book's confidence and flags. */
export function resolveProfile(stored: Profile): ResolvedProfile {
  const profile = readerShelved(uncrossed(stored));
  const fields = {} as Record<FieldName, ResolvedField>;
  let authorGroups: EvidenceGroup[] = [];
  let seriesKey: string | null = null;
  const colon: Partial<Record<"title" | "subtitle" | "series", Evidence[]>> | null = seriesBeforeColon(profile) ?? folderBeforeColon(profile);
  const dashed = dashedCoWriters(profile);
  for (const field of FIELD_NAMES) {
    const evidence = colon?.[field as "title" | "subtitle" | "series"] ?? dashed?.[field as "author" | "narrator"] ?? profile.evidence[field] ?? NO_EVIDENCE;
    const groups = rankedGroups(field, evidence);
    fields[field] = resolvedFrom(field, evidence, groups, 0);
    if (field === "author") authorGroups = groups;
    if (field === "series" && groups.length > 0) seriesKey = groups[0].key;
  }
  const flags: string[] = [];
  const userAuthor = authorGroups.length > 0 && authorGroups[0].sources.includes(USER_SOURCE);
  if (!userAuthor && seriesKey !== null && authorGroups.length > 0 && authorGroups[0].key === seriesKey) {
    // A series folder read as the author: trust the runner-up author instead.
    flags.push(AUTHOR_EQUALS_SERIES);
    if (authorGroups.length > 1) fields.author = resolvedFrom("author", fields.author.evidence, authorGroups, 1);
  }
  // The user's word on one of author / authors decides the other too, unless the user gave both.
  const userAuthors = fields.authors.sources.includes(USER_SOURCE);
  if (userAuthors && !userAuthor && fields.authors.value !== null) {
    const list = fields.authors.value.split(AUTHORS_SEPARATOR).map((n) => n.trim()).filter(Boolean);
    if (list.length > 0) fields.author = { ...fields.authors, evidence: fields.author.evidence, value: joinAuthors(list) };
  } else if (userAuthor && !userAuthors && fields.author.value !== null) {
    const list = splitAuthors(fields.author.value);
    fields.authors = { ...fields.author, evidence: fields.authors.evidence, value: list !== null && list.length > 0 ? list.join(AUTHORS_SEPARATOR) : fields.author.value };
  }
  if (fields.authors.value === null && fields.author.value !== null) {
    // No source listed the authors: the winning author's names are the list.
    const list = splitAuthors(fields.author.value);
    fields.authors = { ...fields.author, evidence: fields.authors.evidence, value: list !== null && list.length > 0 ? list.join(AUTHORS_SEPARATOR) : fields.author.value };
  }
  return { fields, confidence: overallConfidence(fields), flags };
}

/**
 * "Mistborn: The Final Empire" from a source that named no series reads as title "Mistborn", subtitle "The Final
 * Empire"; when the series other sources name is that title, the words before the colon were the series and the
 * book's own title is what followed (as a source naming the series itself reads it, tag-claims.ts). The source's
 * title becomes its subtitle and the subtitle goes, so weights, agreement and explanations all see the title it
 * meant. Never the user's values; null when nothing changes.
 */
function seriesBeforeColon(profile: Profile): { title: Evidence[]; subtitle: Evidence[] } | null {
  const titles = profile.evidence.title ?? NO_EVIDENCE;
  const subtitles = profile.evidence.subtitle ?? NO_EVIDENCE;
  if (titles.length === 0 || subtitles.length === 0) return null;
  const series = rankedGroups("series", profile.evidence.series ?? NO_EVIDENCE)[0];
  if (series === undefined) return null;
  const key = seriesKey(series.best.value);
  const moved = new Set<string>();
  const title = titles.map((e) => {
    if (e.source === USER_SOURCE || seriesKey(e.value) !== key) return e;
    // The series must come from another source: one calling both title and series "Mistborn" says nothing new.
    if (series.sources.every((s) => s === e.source)) return e;
    const own = subtitles.find((t) => t.source === e.source);
    if (own === undefined) return e;
    moved.add(e.source);
    return { ...e, value: own.value };
  });
  if (moved.size === 0) return null;
  return { title, subtitle: subtitles.filter((t) => !moved.has(t.source)) };
}
/**
 * "Brandon Sanderson/Mistborn" holding an album "Mistborn: The Final Empire", where no source names a series: the
 * folder (or another source) calls the book by the words before the colon, and what follows reads as a book's own
 * title, not a description ("Sapiens: A Brief History of Humankind", "Einstein: His Life and Universe"). The short
 * name is the series the user shelved the book by: that source's title counts for the series, the colon's source
 * titles the book with what followed. Never the user's values, never a person before the colon ("Steve Jobs: ...").
 */
function folderBeforeColon(profile: Profile): { title: Evidence[]; subtitle: Evidence[]; series: Evidence[] } | null {
  const titles = profile.evidence.title ?? NO_EVIDENCE;
  const subtitles = profile.evidence.subtitle ?? NO_EVIDENCE;
  if (titles.length < 2 || subtitles.length === 0 || (profile.evidence.series ?? NO_EVIDENCE).length > 0) return null;
  const first = titles.find((e) => {
    if (e.source === USER_SOURCE) return false;
    const own = subtitles.find((t) => t.source === e.source);
    return own !== undefined && isSeriesHead(e.value) && isOwnTitle(own.value);
  });
  if (first === undefined) return null;
  const key = normalizeKey("title", first.value);
  const tail = normalizeKey("subtitle", subtitles.find((t) => t.source === first.source)!.value);
  // Every source says the same: the tags and a sidecar both "Mistborn: The Final Empire", the folder "Mistborn".
  const splits = titles.filter((e) => normalizeKey("title", e.value) === key && subtitles.some((t) => t.source === e.source && normalizeKey("subtitle", t.value) === tail));
  const short = titles.filter((e) => normalizeKey("title", e.value) === key && !subtitles.some((t) => t.source === e.source));
  if (short.length === 0 || [...splits, ...short].some((e) => e.source === USER_SOURCE) || splits.length + short.length !== titles.length) return null;
  const moved = new Set(splits.map((e) => e.source));
  return {
    title: splits.map((e) => ({ ...e, value: subtitles.find((t) => t.source === e.source)!.value })),
    subtitle: subtitles.filter((t) => !moved.has(t.source)),
    series: short.map((e) => ({ ...e, value: first.value })),
  };
}
/**
 * "Leonardo da Vinci - Walter Isaacson": a source that read two people's names in the wrong order claims the subject
 * as the author and the writer as the title. A heavier source claiming exactly the crossed pair (the tags' artist
 * Walter Isaacson, album Leonardo da Vinci) shows which way it goes: the lighter source's two claims are swapped, so
 * they agree rather than conflict. Never the user's values; the same profile when nothing is crossed.
 */
function uncrossed(profile: Profile): Profile {
  const authors = profile.evidence.author ?? NO_EVIDENCE;
  const titles = profile.evidence.title ?? NO_EVIDENCE;
  if (authors.length < 2 || titles.length < 2) return profile;
  const swapped = new Set<string>();
  for (const author of authors) {
    if (author.source === USER_SOURCE) continue;
    const title = titles.find((t) => t.source === author.source);
    if (title === undefined) continue;
    const crossed = authors.some((other) => {
      if (other.source === author.source || other.weight <= author.weight) return false;
      const otherTitle = titles.find((t) => t.source === other.source);
      return otherTitle !== undefined && normalizeKey("author", other.value) === normalizeKey("author", title.value) && normalizeKey("title", otherTitle.value) === normalizeKey("title", author.value);
    });
    if (crossed) swapped.add(author.source);
  }
  if (swapped.size === 0) return profile;
  const swap = (from: Evidence[], to: Evidence[]) => from.map((e) => {
    if (!swapped.has(e.source)) return e;
    const other = to.find((o) => o.source === e.source)!;
    return { ...e, value: other.value };
  });
  return { ...profile, evidence: { ...profile.evidence, author: swap(authors, titles), title: swap(titles, authors) } };
}

/**
 * "Ray Porter/Project Hail Mary", "Stephen Fry/Harry Potter 1": a library sorted by reader gives the path an author that
 * another source names as the book's reader while naming another writer (the tags' artist Andy Weir, narrator Ray
 * Porter). The folder named the reader: the path's author claim counts as reader evidence, so it neither wins the
 * author nor lowers the real writer's confidence. The same person in any case, with or without diacritics, "Last,
 * First" or not, one of a list of readers. Not when that source counts the person among the writers (a writer reading
 * their own book, "Neil Gaiman & Terry Pratchett" read by Neil Gaiman); never the user's values. The same profile when
 * nothing moves.
 */
function readerShelved(profile: Profile): Profile {
  const authors = profile.evidence.author ?? NO_EVIDENCE;
  const narrators = profile.evidence.narrator ?? NO_EVIDENCE;
  if (authors.length < 2 || narrators.length === 0) return profile;
  const moved: Evidence[] = [];
  for (const e of authors) {
    if (e.source !== PATH_SOURCE) continue;
    const key = normalizeKey("author", e.value);
    const named = narrators.some((n) => {
      if (n.source === PATH_SOURCE || n.source === USER_SOURCE || !peopleKeys(n.value).includes(key)) return false;
      const own = authors.find((a) => a.source === n.source);
      return own !== undefined && !peopleKeys(own.value).includes(key);
    });
    if (named) moved.push(e);
  }
  if (moved.length === 0) return profile;
  // "Kate Reading/Robert Jordan/The Eye of the World": the same layout names the writer in the folder the path read as
  // the reader's; where another source names that person the writer, the path's reader claim counts for the writer.
  const writers = narrators.filter((n) => n.source === PATH_SOURCE && authors.some((a) => a.source !== PATH_SOURCE && a.source !== USER_SOURCE && peopleKeys(a.value).includes(normalizeKey("author", n.value))));
  const readers = narrators.filter((n) => !writers.includes(n)).concat(moved.map((e) => ({ source: e.source, value: e.value, weight: e.weight })));
  const named = authors.filter((e) => !moved.includes(e)).concat(writers.map((n) => ({ source: n.source, value: n.value, weight: n.weight })));
  return { ...profile, evidence: { ...profile.evidence, author: named, narrator: readers } };
}
/** The grouping key of each person a value names ("Ray Porter", "Porter, Ray; Kate Reading"). */
function peopleKeys(value: string): string[] {
  const names = PEOPLE_LIST_HINT.test(value) ? splitAuthors(value) : null;
  return names !== null && names.length > 1 ? names.map((n) => normalizeKey("author", n)) : [normalizeKey("author", value)];
}

/**
 * An artist "Stephen King - Peter Straub" read as writer and reader (DASH_MAY_NAME_WRITER) beside another source
 * naming both people as the authors ("Stephen King & Peter Straub/The Talisman", a sidecar): the second was a
 * co-writer, so that source's author claim counts for the list and its reader claim goes. Null when nothing changes.
 */
function dashedCoWriters(profile: Profile): { author: Evidence[]; narrator: Evidence[] } | null {
  const authors = profile.evidence.author ?? NO_EVIDENCE;
  const narrators = profile.evidence.narrator ?? NO_EVIDENCE;
  const moved = new Map<string, string>();
  for (const e of authors) {
    if (e.basis !== DASH_MAY_NAME_WRITER) continue;
    const reader = narrators.find((n) => n.source === e.source && n.basis === DASH_MAY_NAME_WRITER);
    if (reader === undefined) continue;
    const pair = new Set([normalizeKey("author", e.value), normalizeKey("author", reader.value)]);
    const list = authors.find((o) => {
      if (o.source === e.source) return false;
      const names = splitAuthors(o.value);
      return names !== null && names.length === 2 && names.every((n) => pair.has(normalizeKey("author", n)));
    });
    if (list !== undefined) moved.set(e.source, list.value);
  }
  if (moved.size === 0) return null;
  return {
    author: authors.map((e) => (e.basis === DASH_MAY_NAME_WRITER && moved.has(e.source) ? { source: e.source, value: moved.get(e.source)!, weight: e.weight } : e)),
    narrator: narrators.filter((n) => !(n.basis === DASH_MAY_NAME_WRITER && moved.has(n.source))),
  };
}

/** A series' name: a few words that name no person ("Mistborn", "The Dark Tower", "Star Wars"). */
function isSeriesHead(head: string): boolean {
  const words = head.split(SPACES);
  return words.length <= 4 && nameScore(head) < 2 && !DIGIT_ONLY.test(head);
}
/** What reads as a book's own title: a few capitalised words that describe nothing ("The Final Empire", "Thrawn"). */
function isOwnTitle(tail: string): boolean {
  const words = tail.split(SPACES);
  return words.length <= 5 && CAPITAL_LED.test(tail) && !DESCRIPTIVE_TAIL.test(tail);
}
const SPACES = /\s+/u;
const DIGIT_ONLY = /^\d+$/u;
const CAPITAL_LED = /^\p{Lu}/u;
const DESCRIPTIVE_TAIL =
  /^(?:an?|how|why|what|when|where|who|his|her|their|my|our|your|on|in|from|inside|beyond|toward|towards|notes|book|part|volume|vol\.?|episode|season|chapter)\s|^the\s+(?:story|history|life|lives|art|science|power|birth|rise|fall|making|secret|secrets|truth|untold|true|inside|definitive|complete|collected|essential|ultimate|official|exclusive|authorized|unauthorized|biography|memoir|graphic|illustrated|annotated|original|unabridged)\b|\b(?:story|stories|history|histories|biography|memoir|memoirs|novel|novella|guide|life|lives|introduction|handbook|primer|journey|science|essays?|letters|diaries|edition|collection|anthology|omnibus|dramati[sz]ation|adaptation|companion|workbook|summary)\b/iu;

const LEADING_THE = /^the\s+/u;
function seriesKey(name: string): string {
  return normalizeKey("series", name).replace(LEADING_THE, "");
}

function resolvedFrom(field: FieldName, evidence: Evidence[], groups: EvidenceGroup[], pick: number): ResolvedField {
  const group = groups[pick];
  if (group === undefined) return { value: null, confidence: 0, evidence, sources: [] };
  return {
    value: displaysCanonical(field) ? group.key : group.best.value,
    confidence: group.sources.includes(USER_SOURCE) ? 100 : fieldConfidence(group.weight, group.sources.length, groups.length - 1),
    evidence,
    sources: group.sources,
  };
}

/**
 * A field's evidence grouped by value, the winner first: the order resolveProfile
 * and the status rule both use, so the reason names the value the profile shows.
 */
export function rankedGroups(field: FieldName, evidence: readonly Evidence[]): EvidenceGroup[] {
  const groups: EvidenceGroup[] = [];
  for (const e of evidence) {
    const key = normalizeKey(field, e.value);
    let group: EvidenceGroup | undefined;
    for (const g of groups) {
      if (g.key === key) {
        group = g;
        break;
      }
    }
    if (group === undefined) {
      groups.push({ key, weight: e.weight, sources: [e.source], best: e });
      continue;
    }
    if (!group.sources.includes(e.source)) {
      group.sources.push(e.source);
      group.weight += e.weight;
    }
    if (betterSpelling(e, group.best)) group.best = e;
  }
  if (groups.length > 1 && field === "author") foldReaderLists(groups, evidence);
  if (groups.length > 1 && field === "author") foldIntoFolderList(groups);
  if (groups.length > 1) groups.sort(compareGroups);
  // The user's word is final: no sum of other sources outvotes it.
  const user = groups.findIndex((g) => g.sources.includes(USER_SOURCE));
  if (user > 0) groups.unshift(...groups.splice(user, 1));
  return groups;
}

/**
 * "Andy Weir, Ray Porter" from an artist tag with no reader named (LIST_MAY_NAME_READER) beside another source's
 * "Andy Weir": the other source breaks the tie between "two writers" and "writer, then reader", so the list's
 * source counts for the writer alone. A list some other source repeats, or one whose first name no other
 * source gives, stays as it is ("Terry Pratchett, Neil Gaiman" beside "Terry Pratchett & Neil Gaiman").
 */
function foldReaderLists(groups: EvidenceGroup[], evidence: readonly Evidence[]): void {
  for (let i = groups.length - 1; i >= 0; i--) {
    const list = groups[i];
    if (list.sources.length !== 1) continue;
    const own = evidence.find((e) => e.source === list.sources[0] && e.basis === LIST_MAY_NAME_READER && normalizeKey("author", e.value) === list.key);
    if (own === undefined) continue;
    const names = splitAuthors(own.value);
    if (names === null || names.length !== 2) continue;
    const writerKey = normalizeKey("author", names[0]);
    const writer = groups.find((g) => g !== list && g.key === writerKey && !g.sources.includes(list.sources[0]));
    if (writer === undefined) continue;
    writer.sources.push(list.sources[0]);
    writer.weight += list.weight;
    groups.splice(i, 1);
  }
}

/**
 * "Stephen King & Peter Straub/The Talisman" with tags naming only "Stephen King": taggers and shops often name the
 * first writer alone, and a folder the user named for both says more, not otherwise. A value whose people are all
 * among those of a list the path claims counts for that list. Only the path's list: two describing sources (tags, a
 * sidecar) naming one writer and two stay a conflict to confirm, and the user's value is never folded.
 */
function foldIntoFolderList(groups: EvidenceGroup[]): void {
  const list = groups.find((g) => g.sources.includes(PATH_SOURCE) && !g.sources.includes(USER_SOURCE));
  if (list === undefined) return;
  const names = splitAuthors(list.best.value);
  if (names === null || names.length < 2) return;
  const keys = new Set(names.map((n) => normalizeKey("author", n)));
  for (let i = groups.length - 1; i >= 0; i--) {
    const part = groups[i];
    if (part === list || part.sources.includes(USER_SOURCE) || part.sources.includes(PATH_SOURCE)) continue;
    const own = splitAuthors(part.best.value);
    if (own === null || own.length >= names.length || !own.every((n) => keys.has(normalizeKey("author", n)))) continue;
    for (const source of part.sources) if (!list.sources.includes(source)) list.sources.push(source);
    list.weight += part.weight;
    groups.splice(i, 1);
  }
}
const PATH_SOURCE = "path";

// Content-only ordering, so the winner never depends on the order sources ran in.
function compareGroups(a: EvidenceGroup, b: EvidenceGroup): number {
  return (
    b.weight - a.weight ||
    b.sources.length - a.sources.length ||
    b.best.weight - a.best.weight ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

function betterSpelling(candidate: Evidence, current: Evidence): boolean {
  if (candidate.weight !== current.weight) return candidate.weight > current.weight;
  const byCase = caseQuality(candidate.value) - caseQuality(current.value);
  if (byCase !== 0) return byCase > 0;
  return candidate.value < current.value;
}

/** Mixed case beats ALL CAPS beats all lower case among equally weighted spellings. */
function caseQuality(value: string): number {
  const upper = value.toUpperCase();
  const lower = value.toLowerCase();
  if (value !== upper && value !== lower) return 2;
  return value === upper && value !== lower ? 1 : 0;
}

export function serializeProfile(profile: Profile): string {
  const evidence: Partial<Record<FieldName, Evidence[]>> = {};
  for (const field of FIELD_NAMES) {
    const list = profile.evidence[field];
    if (list !== undefined && list.length > 0) {
      evidence[field] = list.map((e) => (e.basis === undefined ? { source: e.source, value: e.value, weight: e.weight } : { source: e.source, value: e.value, weight: e.weight, basis: e.basis }));
    }
  }
  return JSON.stringify({ version: PROFILE_VERSION, evidence, rejected: profile.rejected });
}

/**
 * Read a stored profile. `{}` and "" (a book never identified) give an empty
 * profile; anything else malformed throws ProfileParseError naming the spot,
 * rather than loading a profile with evidence missing.
 */
export function parseProfile(json: string): Profile {
  if (json.trim() === "") return emptyProfile();
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new ProfileParseError(`profile is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(data)) throw new ProfileParseError("profile must be a JSON object");
  const keys = Object.keys(data);
  if (keys.length === 0) return emptyProfile();
  for (const key of keys) {
    if (key !== "version" && key !== "evidence" && key !== "rejected") {
      throw new ProfileParseError(`profile has unknown key "${key}"`);
    }
  }
  if (data.version !== PROFILE_VERSION) {
    throw new ProfileParseError(`unsupported profile version ${JSON.stringify(data.version)} (expected ${PROFILE_VERSION})`);
  }
  const profile = emptyProfile();
  if (data.evidence !== undefined) {
    if (!isRecord(data.evidence)) throw new ProfileParseError("profile.evidence must be an object");
    for (const [field, list] of Object.entries(data.evidence)) {
      if (!isFieldName(field)) throw new ProfileParseError(`profile.evidence has unknown field "${field}"`);
      profile.evidence[field] = parseList(list, `evidence.${field}`, parseEvidence);
    }
  }
  if (data.rejected !== undefined) profile.rejected = parseList(data.rejected, "rejected", parseRejected);
  return profile;
}

function parseList<T>(list: unknown, where: string, parseItem: (item: unknown, where: string) => T): T[] {
  if (!Array.isArray(list)) throw new ProfileParseError(`profile.${where} must be an array`);
  return list.map((item, i) => parseItem(item, `${where}[${i}]`));
}

function parseEvidence(item: unknown, where: string): Evidence {
  if (!isRecord(item)) throw new ProfileParseError(`profile.${where} must be an object`);
  const source = requireString(item, "source", where);
  const value = requireString(item, "value", where);
  const weight = item.weight;
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0 || weight > 100) {
    throw new ProfileParseError(`profile.${where}.weight must be a number 0..100`);
  }
  if (item.basis !== undefined) {
    if (typeof item.basis !== "string") throw new ProfileParseError(`profile.${where}.basis must be a string`);
    return { source, value, weight, basis: item.basis };
  }
  return { source, value, weight };
}

function parseRejected(item: unknown, where: string): RejectedEvidence {
  if (!isRecord(item)) throw new ProfileParseError(`profile.${where} must be an object`);
  const field = item.field;
  if (!isFieldName(field)) throw new ProfileParseError(`profile.${where}.field must be a field name`);
  return {
    source: requireString(item, "source", where),
    field,
    value: requireString(item, "value", where),
    reason: requireString(item, "reason", where),
  };
}

function requireString(item: Record<string, unknown>, key: string, where: string): string {
  const value = item[key];
  if (typeof value !== "string") throw new ProfileParseError(`profile.${where}.${key} must be a string`);
  if (key === "source" && value === "") throw new ProfileParseError(`profile.${where}.source must not be empty`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
