/**
 * The plan: where each identified book would go under `naming_template`, and
 * which proposals are held back. Nothing here touches the disk beyond
 * looking (lstat, realpath). Targets are computed from the current profile
 * and config, so a changed template or padding shows at once.
 */
import fs from "node:fs";
import path from "node:path";
import { FIELD_NAMES, type FieldName } from "../domain/fields.js";
import { renderProposedPath } from "../domain/naming-template.js";
import { parseProfile, resolveProfile } from "../domain/profile.js";
import { listBooks, type BookRow } from "../store/books.js";
import { lexists } from "./disk.js";
import type { Conflict, ConflictKind, FieldChange, OrganizeContext, Plan, PlanEntry, PlanOptions } from "./types.js";

/** Linux PATH_MAX is 4096 bytes with the terminating NUL; leave room for a copy's temporary name. */
const MAX_ABSOLUTE_PATH_BYTES = 4000;

/** Where books go: `output_path` (relative to the data folder) when set, else each book's own library root. */
export function targetRootOf(ctx: Pick<OrganizeContext, "config" | "dataDir">, row: Pick<BookRow, "library_root">): string {
  return ctx.config.output_path ? path.resolve(ctx.dataDir, ctx.config.output_path) : row.library_root;
}

export function buildPlan(ctx: OrganizeContext, options: PlanOptions = {}): Plan {
  return planWithRows(ctx, options).plan;
}

/** The plan and the rows it was made from (apply moves exactly those). */
export function planWithRows(ctx: OrganizeContext, options: PlanOptions = {}): { plan: Plan; rows: Map<number, BookRow> } {
  const rows = listBooks(ctx.db);
  const ids = options.ids ? new Set(options.ids) : null;
  const statuses = new Set(options.statuses ?? ["identified"]);
  const minConfidence = options.minConfidence ?? 0;
  const templateFields = fieldsOf(ctx.config.naming_template);
  const live = rows.filter((r) => r.status !== "missing");
  const folderBooks = new Map<string, number>();
  for (const r of live) if (r.kind === "folder") folderBooks.set(r.path, r.id);
  const sortedPaths = live.map((r) => r.path).sort();
  const recorded = new Map(rows.map((r) => [r.path, r.id]));
  const reals = new RealPaths();

  const entries: PlanEntry[] = [];
  for (const row of rows) {
    if (ids ? !ids.has(row.id) : !statuses.has(row.status) || row.locked !== 0) continue;
    if (Math.round(row.confidence) < minConfidence) continue;
    entries.push(entryFor(ctx, row, templateFields));
  }
  const candidates = entries.filter((e) => e.action === "move");
  const byId = new Map(rows.map((r) => [r.id, r]));
  const planned = new Map(entries.map((e) => [e.book_id, byId.get(e.book_id)!]));
  for (const entry of candidates) {
    const row = byId.get(entry.book_id)!;
    const conflict = diskConflict(row, entry, folderBooks, recorded, sortedPaths, reals);
    if (conflict) hold(entry, conflict);
  }
  markTargetClashes(candidates);
  const counts = { move: 0, ok: 0, held: 0 };
  for (const e of entries) counts[e.action]++;
  return { plan: { entries, counts }, rows: planned };
}

const STORED_FIELDS = ["author", "title", "narrator", "series", "series_num", "year", "language"] as const;

function entryFor(ctx: OrganizeContext, row: BookRow, templateFields: FieldName[]): PlanEntry {
  const profile = parseProfile(row.profile);
  // The stored columns are the resolved winners (written with every judgement); only
  // fields without a column need the (costlier) resolution of the whole profile.
  const values: Partial<Record<FieldName, string | null>> = {};
  for (const field of STORED_FIELDS) values[field] = row[field];
  if (templateFields.some((f) => !(STORED_FIELDS as readonly string[]).includes(f))) {
    const resolved = resolveProfile(profile);
    for (const field of FIELD_NAMES) values[field] = resolved.fields[field].value;
  }
  const targetRoot = targetRootOf(ctx, row);
  const fileName = row.kind === "file" ? path.basename(row.path) : "";
  const room = MAX_ABSOLUTE_PATH_BYTES - Buffer.byteLength(targetRoot) - (fileName ? Buffer.byteLength(fileName) + 1 : 0) - 1;
  const proposed = renderProposedPath(ctx.config.naming_template, values, {
    seriesNumPadding: ctx.config.series_num_padding,
    maxPathBytes: Math.min(1024, room),
  });
  const changes: FieldChange[] = [];
  for (const field of templateFields) {
    const fromPath = profile.evidence[field]?.find((e) => e.source === "path")?.value ?? null;
    const to = values[field] ?? null;
    if (fromPath !== to) changes.push({ field, from: fromPath, to });
  }
  const to = proposed === null ? null : path.join(targetRoot, ...proposed.split("/"), ...(fileName ? [fileName] : []));
  const entry: PlanEntry = {
    book_id: row.id,
    action: to === row.path ? "ok" : "move",
    status: row.status,
    confidence: Math.round(row.confidence),
    kind: row.kind,
    from: row.path,
    to,
    proposed_path: proposed,
    target_root: targetRoot,
    changes,
    conflict: null,
  };
  if (row.status === "missing") hold(entry, { kind: "missing", reason: "the last scan did not find this book; run `shelfwise scan`", other_book_id: null });
  else if (row.locked !== 0) hold(entry, { kind: "locked", reason: "locked by the user (`shelfwise book ID --unlock`)", other_book_id: null });
  else if (proposed === null) {
    const known = values.author && values.title;
    hold(entry, known
      ? { kind: "path_too_long", reason: `the proposed path does not fit under ${targetRoot}; shorten naming_template`, other_book_id: null }
      : { kind: "no_proposal", reason: "author or title unknown; set them with `shelfwise book ID --set author=... --set title=...`", other_book_id: null });
  }
  return entry;
}

function hold(entry: PlanEntry, conflict: Conflict): void {
  entry.action = "held";
  entry.conflict = conflict;
}

/** The folder a book will be (a single-file book gets a folder of its own). */
function targetFolder(entry: PlanEntry): string {
  return entry.kind === "file" ? path.dirname(entry.to!) : entry.to!;
}

function diskConflict(
  row: BookRow,
  entry: PlanEntry,
  folderBooks: Map<string, number>,
  recorded: Map<string, number>,
  sortedPaths: string[],
  reals: RealPaths,
): Conflict | null {
  const to = entry.to!;
  const folder = targetFolder(entry);
  const root = entry.target_root;
  const c = (kind: ConflictKind, reason: string, other: number | null = null): Conflict => ({ kind, reason, other_book_id: other });
  let source: fs.Stats;
  try {
    source = fs.lstatSync(row.path);
  } catch {
    return c("source_missing", `${row.path} is not there any more; run \`shelfwise scan\``);
  }
  if (source.isSymbolicLink() || !reals.isPlainInside(path.dirname(row.path), row.library_root)) {
    return c("outside_root", `${row.path} is reached through a link or lies outside its library folder ${row.library_root}; shelfwise moves only what is really inside the library`);
  }
  if (!folder.startsWith(root + path.sep)) return c("outside_root", `the target ${to} is outside ${root}`);
  const anchor = reals.nearestExisting(path.dirname(folder));
  if (anchor.startsWith(root + path.sep) && !reals.isPlainInside(anchor, root)) {
    return c("outside_root", `the target folder ${anchor} is a link or leads outside ${root}; shelfwise never follows links out of the library`);
  }
  if (row.kind === "folder" && to.startsWith(row.path + path.sep)) return c("target_inside_book", `the target ${to} is inside the book's own folder`);
  if (lexists(folder)) {
    const other = folderBooks.get(folder);
    return c("target_exists", `${folder} already exists; nothing is ever overwritten or merged`, other ?? null);
  }
  const recordedId = recorded.get(folder) ?? recorded.get(to);
  if (recordedId !== undefined && recordedId !== row.id) {
    return c("target_exists", `book #${recordedId} is recorded at ${folder}; run \`shelfwise scan\` to update it`, recordedId);
  }
  for (let at = path.dirname(folder); at.startsWith(root + path.sep) || at === root; at = path.dirname(at)) {
    const other = folderBooks.get(at);
    if (other !== undefined && other !== row.id) return c("target_inside_other_book", `the target is inside book #${other} (${at})`, other);
    if (at === root) break;
  }
  if (row.kind === "folder") {
    const inner = firstInside(sortedPaths, row.path);
    if (inner !== null) return c("holds_other_book", `the book folder holds another book (${inner}); move them by hand or rescan`);
  }
  if (Buffer.byteLength(to) > MAX_ABSOLUTE_PATH_BYTES) return c("path_too_long", `the target path is longer than ${MAX_ABSOLUTE_PATH_BYTES} bytes`);
  return null;
}

/** Two proposals for one folder, or one inside another's: all of them are held. */
function markTargetClashes(candidates: PlanEntry[]): void {
  const byKey = new Map<string, PlanEntry[]>();
  const byFolder = new Map<string, PlanEntry>();
  for (const entry of candidates) {
    // Case and normalization folded: on macOS and Windows these are one folder.
    const key = targetFolder(entry).normalize("NFC").toLowerCase();
    const list = byKey.get(key);
    if (list) list.push(entry);
    else byKey.set(key, [entry]);
    byFolder.set(targetFolder(entry), entry);
  }
  for (const list of byKey.values()) {
    if (list.length < 2) continue;
    for (const entry of list) {
      if (entry.action === "held") continue;
      const other = list.find((e) => e !== entry)!;
      hold(entry, { kind: "duplicate_target", reason: `book #${other.book_id} is proposed for the same place`, other_book_id: other.book_id });
    }
  }
  for (const entry of candidates) {
    for (let at = path.dirname(targetFolder(entry)); at.length > entry.target_root.length; at = path.dirname(at)) {
      const outer = byFolder.get(at);
      if (!outer || outer === entry) continue;
      for (const [e, o] of [[entry, outer], [outer, entry]] as const) {
        if (e.action !== "held") hold(e, { kind: "target_inside_other_book", reason: `the target and book #${o.book_id}'s target are nested`, other_book_id: o.book_id });
      }
    }
  }
}

/** The first book path strictly inside `dir`, by binary search in sorted paths. */
function firstInside(sorted: string[], dir: string): string | null {
  const prefix = dir + path.sep;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].startsWith(prefix) ? sorted[lo] : null;
}

/**
 * Real paths, cached per folder (books share their parents): a folder is
 * "plainly inside" a root when no link on the way leads elsewhere.
 */
class RealPaths {
  #reals = new Map<string, string | null>();
  #existing = new Map<string, string>();

  #real(p: string): string | null {
    let real = this.#reals.get(p);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(p);
      } catch {
        real = null;
      }
      this.#reals.set(p, real);
    }
    return real;
  }

  isPlainInside(dir: string, root: string): boolean {
    const realRoot = this.#real(root);
    if (realRoot === null || !(dir === root || dir.startsWith(root + path.sep))) return false;
    return this.#real(dir) === path.join(realRoot, path.relative(root, dir));
  }

  /** The nearest folder at or above `dir` that exists. */
  nearestExisting(dir: string): string {
    const hit = this.#existing.get(dir);
    if (hit !== undefined) return hit;
    const up = path.dirname(dir);
    const found = lexists(dir) || up === dir ? dir : this.nearestExisting(up);
    this.#existing.set(dir, found);
    return found;
  }
}

/** The fields a template shows (`{author_lf}` shows the author). */
function fieldsOf(template: string): FieldName[] {
  const out = new Set<FieldName>();
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const name = m[1].startsWith("author_") ? "author" : m[1];
    if ((FIELD_NAMES as readonly string[]).includes(name)) out.add(name as FieldName);
  }
  return [...out];
}
