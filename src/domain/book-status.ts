/**
 * The status rule: a book is identified when we know who wrote what, the
 * evidence is coherent (no close conflict on author or title, no junk left in
 * the title, an author that reads as a person) and strong enough. The reason
 * always says why: for an identified book the evidence it rests on, for a book
 * that needs attention which field is doubtful and what to do.
 */
import type { Evidence, FieldName } from "./fields.js";
import { nameScore } from "./person-name.js";
import { stripJunk } from "./path-junk.js";
import { normalizeKey } from "./normalize.js";
import { rankedGroups, USER_SOURCE, type EvidenceGroup } from "./profile.js";

export const DEFAULT_CONFIDENCE_THRESHOLD = 60;

export { JUDGEMENT_RULES_REVISION } from "./judgement-rules.js";

export type BookStatus = "identified" | "needs_attention";

export interface StatusDecision {
  status: BookStatus;
  reason: string | null;
}

/** Flags that keep a book from being identified, with the reason shown to users. */
export const BLOCKING_FLAGS: ReadonlyMap<string, string> = new Map([["author_equals_series", "author equals series"]]);

/**
 * Two values for author or title are a conflict worth a look when the
 * runner-up has at least this share of the winner's weight (tags 80 against a
 * structured path 75); a lone folder name (40) against tags and a sidecar is not.
 */
export const CLOSE_CONFLICT_SHARE = 0.75;

interface StatusField {
  value: string | null;
  confidence?: number;
  /** All evidence for the field (ResolvedField has it); lets the rule name conflicts and sources. */
  evidence?: readonly Evidence[];
  sources?: readonly string[];
}

/** The part of a resolved profile the rule looks at (ResolvedProfile fits). */
export interface StatusInput {
  fields: Record<Extract<FieldName, "author" | "title">, StatusField>;
  confidence: number;
  flags: readonly string[];
}

/** Every reason that applies is listed, joined by "; ", so users fix all at once. */
export function decideStatus(resolved: StatusInput, threshold: number = DEFAULT_CONFIDENCE_THRESHOLD): StatusDecision {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    throw new RangeError(`confidence threshold must be a number 0..100, got ${String(threshold)}`);
  }
  const { author, title } = resolved.fields;
  const reasons: string[] = [];
  if (author.value === null) reasons.push("no author");
  if (title.value === null) reasons.push("no title");
  for (const flag of resolved.flags) {
    const reason = BLOCKING_FLAGS.get(flag);
    if (reason !== undefined) reasons.push(reason);
  }
  for (const [name, field] of [["author", author], ["title", title]] as const) {
    // The user's value is final (issue #11): asking them to confirm it again would never end.
    if (fromUser(field)) continue;
    const conflict = closeConflict(name, field);
    if (conflict !== null) reasons.push(`${name} conflict: ${conflict}; confirm the ${name} with \`book --set ${name}=...\``);
  }
  if (title.value !== null && !fromUser(title) && hasJunk(title.value)) {
    reasons.push(`junk left in the title "${title.value}": correct it with \`book --set title=...\``);
  }
  if (author.value !== null && onlyFromPath(author) && nameScore(author.value) < 0) {
    reasons.push(`author "${author.value}" looks like a title, not a person: check the folder layout or set the author`);
  }
  if (resolved.confidence < threshold) {
    let reason = `confidence ${formatNumber(resolved.confidence)} below threshold ${formatNumber(threshold)}`;
    const single = singleSource(author, title);
    // A missing author or title counts at 0 (confidence.ts): "no author" / "no title" above already says what to
    // do, and advice about a weak source would blame a source that may be sure of what it did name.
    const bothKnown = author.value !== null && title.value !== null;
    if (single !== null && bothKnown) reason += ` (only a single weak source, ${single}: confirm author and title, or add tags or a sidecar)`;
    else {
      // Name the author or title under the threshold: the book's confidence never exceeds its author's (confidence.ts),
      // and a title the path alone gives is what to confirm next.
      const weak = ([["author", author], ["title", title]] as const).filter(([, f]) => f.value !== null && f.confidence !== undefined && f.confidence < threshold);
      if (weak.length > 0) {
        const said = weak.map(([name, f]) => `${name} "${f.value}" at ${formatNumber(f.confidence!)}${f.sources !== undefined && f.sources.length === 1 ? ` from ${f.sources[0]} alone` : ""}`);
        reason += ` (${said.join(", ")}: confirm it with \`book --set ${weak[0][0]}=...\`, or add tags or a sidecar that name it)`;
      }
    }
    reasons.push(reason);
  }
  if (reasons.length > 0) return { status: "needs_attention", reason: reasons.join("; ") };
  return { status: "identified", reason: basisOf(author, title) };
}

/** The field's values, the one the profile shows first (the profile's own grouping and order). */
function groupsOf(name: "author" | "title", field: StatusField): EvidenceGroup[] {
  const groups = rankedGroups(name, field.evidence ?? []);
  if (field.value === null || groups.length < 2) return groups;
  const shown = normalizeKey(name, field.value);
  const at = groups.findIndex((g) => g.key === shown);
  if (at > 0) groups.unshift(...groups.splice(at, 1));
  return groups;
}

/** "\"A\" (embedded_tags) against \"B\" (path)" when the runner-up is close to the value shown. */
function closeConflict(name: "author" | "title", field: StatusField): string | null {
  if (field.value === null || field.evidence === undefined || field.evidence.length < 2) return null;
  const groups = groupsOf(name, field);
  if (groups.length < 2) return null;
  const [first, ...others] = groups;
  // The value shown may be a runner-up (author_equals_series): the strongest other value is its rival.
  const second = others.reduce((best, g) => (g.weight > best.weight ? g : best));
  if (second.weight < first.weight * CLOSE_CONFLICT_SHARE) return null;
  return `"${first.best.value}" (${orderedSources(first, field).join(", ")}) against "${second.best.value}" (${orderedSources(second, field).join(", ")})`;
}

/** A group's sources, strongest first, then by name: the same words whatever order the sources ran in. */
function orderedSources(group: EvidenceGroup, field: StatusField): string[] {
  const weightOf = (source: string) => {
    let w = 0;
    for (const e of field.evidence ?? []) if (e.source === source && e.weight > w) w = e.weight;
    return w;
  };
  return [...group.sources].sort((a, b) => weightOf(b) - weightOf(a) || (a < b ? -1 : a > b ? 1 : 0));
}

const JUNK_SIGN = /[[\]{}]|www\.|https?:|\b\d{2,3}\s?kbps\b|\b(?:mp3|m4b|unabridged|abridged)\b/i;

/** Release or format tags the cleaners did not remove. */
function hasJunk(title: string): boolean {
  return JUNK_SIGN.test(title) || stripJunk(title) !== title.trim();
}

/** The value shown is the user's correction (`book --set`). */
function fromUser(field: StatusField): boolean {
  return field.value !== null && (field.sources?.includes(USER_SOURCE) ?? false);
}

function onlyFromPath(field: StatusField): boolean {
  return field.sources !== undefined && field.sources.length === 1 && field.sources[0] === "path";
}

function singleSource(author: StatusField, title: StatusField): string | null {
  const sources = new Set([...(author.sources ?? []), ...(title.sources ?? [])]);
  return sources.size === 1 ? [...sources][0] : null;
}

/**
 * Why an identified book is trusted: which sources back the author and the
 * title (the path's structure when it is one of them), and every value they
 * outvoted, so "agree" is only said of sources that do.
 */
function basisOf(author: StatusField, title: StatusField): string | null {
  if (author.sources === undefined || title.sources === undefined) return null;
  const backing = (name: "author" | "title", field: StatusField) => {
    const groups = groupsOf(name, field);
    return groups.length > 0 ? orderedSources(groups[0], field) : [...(field.sources ?? [])];
  };
  const forAuthor = backing("author", author);
  const forTitle = backing("title", title);
  const bases = new Set<string>();
  for (const field of [author, title]) {
    for (const e of field.evidence ?? []) {
      if (e.basis !== undefined && field.sources?.includes(e.source) && sameValue(e.value, field.value)) bases.add(e.basis);
    }
  }
  const said = (sources: string[]) => (sources.length > 1 ? `${sources.join(", ")} agree` : `${sources[0] ?? "no source"} alone`);
  const head =
    forAuthor.join() === forTitle.join()
      ? forAuthor.length > 1
        ? `${forAuthor.join(", ")} agree on author and title`
        : `author and title from ${forAuthor[0]}`
      : `${said(forAuthor)} on the author, ${said(forTitle)} on the title`;
  const outvoted: string[] = [];
  for (const [name, field] of [["author", author], ["title", title]] as const) {
    for (const g of groupsOf(name, field).slice(1)) outvoted.push(`${name} "${g.best.value}" (${orderedSources(g, field).join(", ")})`);
  }
  return `${head}${bases.size > 0 ? `: ${[...bases].join("; ")}` : ""}${outvoted.length > 0 ? `; outvoted: ${outvoted.join(", ")}` : ""}`;
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;

function sameValue(a: string, b: string | null): boolean {
  return b !== null && a.toLowerCase().replace(NON_WORD, "") === b.toLowerCase().replace(NON_WORD, "");
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
