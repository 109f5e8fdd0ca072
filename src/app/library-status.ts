/**
 * The `status` view: the books per status as the database holds them, and
 * what the disk says now of the places they were recorded at. The counts come
 * from the rows `books` lists, so the two never disagree; the disk check is
 * what lets the user trust them after files were moved or deleted outside
 * shelfwise, which only the next `scan` records.
 */
import { writerNow } from "./writer-now.js";
import { credentialProblem, credentialScope } from "./source-credential.js";
import fs from "node:fs";
import { libraryFolders, outputFolder } from "../config/library-folders.js";
import { countBooksWithErrors, countByStatus, countLocked } from "../store/book-queries.js";
import { counted } from "../domain/plural.js";
import { booksMovedOutOf } from "../store/moves.js";
import { lastCutShortBatch } from "../store/cut-short-batches.js";
import { joinedParts } from "../store/given-up-parts.js";
import { BOOK_STATUSES, duplicateRecordIds, hasBooksUnder, listBookPlaces, listBookPlacesAfter, type BookPlacePage } from "../store/books.js";
import { ExistenceChecker, isThere } from "../library/exist-check.js";
import type { Session } from "./session.js";
import { userPath } from "../config/user-path.js";
import type { LayerWaitingView, LibraryStatusView, PluginLayerWaitingView } from "./views/library-status.js";
import { pluginConfig, readPluginStates, type PluginEntry } from "../plugins/manager/plugin-states.js";
import { pluginIdentity } from "../plugins/manager/plugin-identity.js";
import { layerStanding } from "../store/layer-identity.js";
import { buildPluginSettings, type PluginSettings } from "../plugins/manager/plugin-settings.js";
import { loadSharedSecrets } from "../config/config-file.js";
import { BUILTIN_LAYER_IDS, isBuiltinLayerId } from "../pipeline/layers/builtin-ids.js";
import { builtinLayerIdentity } from "./builtin-identity.js";
import { isEnabled } from "../config/config-schema.js";
import { resolveSource } from "../pipeline/sources/presets.js";
import { httpSourceIdentity } from "../pipeline/sources/http-source-identity.js";
import { storedHealth } from "./http-source-health.js";

const SHOWN_IDS = 10;
/** Books past which `status` asks the disk on a worker thread (the web server's threshold, service.ts): below, inline is quicker than starting one. */
const OFF_THREAD_BOOKS = 2_000;
/** Places sent to the worker at once by `status`: all of a large library's in one go, so the thread works while this one counts the plan. */
const OFF_THREAD_PAGE = 250_000;

export async function libraryStatusView(session: Session): Promise<LibraryStatusView> {
  const db = session.db;
  const perStatus = countByStatus(db);
  const byStatus = Object.fromEntries(BOOK_STATUSES.map((status) => [status, perStatus[status] ?? 0])) as LibraryStatusView["by_status"];
  const output = outputFolder(session.config, session.layout.root);
  const listed = session.config.library_paths.map((p) => userPath(p, session.layout.root));
  const books = Object.values(byStatus).reduce((a, b) => a + b, 0);
  // A large library's lstats asked on a worker thread while this one counts the plan (the two longest parts of
  // `status`, each about a second at 100,000 books): begun first, awaited last.
  const offThread = books > OFF_THREAD_BOOKS ? diskFindingsOffThread(session, () => false, new ExistenceChecker(), OFF_THREAD_PAGE) : null;
  // Only when there is something to plan: the count renders every identified book's target. Loaded then only: the
  // plan's rendering brings the name parsing, which `status` of a library with nothing identified never needs.
  // The count's look at each book in place is the disk check's own (one lstat per book): its answer is shared.
  // The session's config is config.json, as `plan`'s: with library_paths emptied by `library remove`, plan holds every book
  // as library_removed, and a count that did not know the settings were saved ones told the user to plan it.
  const toPlanGiven = byStatus.identified === 0 ? () => 0 : (await import("../organize/plan.js")).plannedCountAfterDiskCheck({ db, config: session.config, dataDir: session.layout.root, savedSettings: true });
  const waiting = layersWaiting(session);
  const findings = (offThread && (await offThread)) || diskFindings(session);
  // A retired part's kept record is `missing` by status, but its files are there, inside the book it joined: told
  // apart, and not counted as a missing book there again.
  const joined = joinedParts(db);
  const joinedIds = new Set(joined.map((j) => j.book_id));
  const disk = diskCheckView(joinedIds.size === 0 ? findings : { ...findings, back: findings.back.filter((id) => !joinedIds.has(id)) });
  const toPlan = toPlanGiven === null ? null : toPlanGiven(findings.gone);
  const folders = libraryFolders(session.config, session.layout.root).map((folder) => ({ path: folder, state: folderState(folder) }));
  // As `scan` judges it (settledRoots): an empty folder is a drive not mounted only while books it found are recorded
  // under it, or when no library folder holds anything. A library whose books all went to output_path is empty, and
  // telling its owner to "mount or restore" it was a step no scan asked for.
  const anyHolds = folders.some((f) => f.state === "holds");
  return {
    library_folders: folders
      // output_path not made yet (nothing applied) or empty is no missing library folder, as for `scan`.
      .filter((folder) => folder.state === "holds" || folder.path !== output || listed.includes(folder.path))
      // One `apply` emptied (its books recorded elsewhere now) is no unmounted drive either, whatever else holds books.
      .map(({ path, state }) => ({ path, present: state === "holds" || (state === "empty" && !hasBooksUnder(db, path) && (anyHolds || booksMovedOutOf(db, path).books > 0)) })),
    books,
    by_status: byStatus,
    joined: joined.length,
    joined_books: joined.slice(0, SHOWN_IDS),
    locked: countLocked(db),
    with_layer_errors: countBooksWithErrors(db),
    ...disk,
    to_plan: toPlan,
    writing: writerNow(session.layout.root),
    last_run_cut_short: lastCutShortBatch(db),
    ...waiting,
  };
}

export type DiskCheck = Pick<LibraryStatusView, "gone" | "gone_book_ids" | "back" | "back_book_ids" | "duplicates" | "duplicate_book_ids">;

/** Every book the disk check found, per kind, ids ascending: `status` shows the first few, the Books page all. */
export interface DiskFindings {
  gone: number[];
  back: number[];
  duplicates: number[];
}

export type DiskProblem = keyof DiskFindings;

/** What the disk says now of the places the books were recorded at (one `lstat` per book): `status`'s. */
export function diskCheck(session: Session): DiskCheck {
  return diskCheckView(diskFindings(session));
}

/** diskCheck's findings, every book of each kind. */
export function diskFindings(session: Session): DiskFindings {
  const db = session.db;
  const gone: number[] = [];
  const back: number[] = [];
  for (const [id, place, , status] of listBookPlaces(db)) {
    const there = isThere(place);
    if (status === "missing" ? there : !there) (status === "missing" ? back : gone).push(id);
  }
  return sorted(gone, back, duplicateRecordIds(db, gone));
}

/** Books read at a time by diskCheckOffThread: a page's read and its paths' hand-over hold the thread a few ms. */
const DISK_CHECK_PAGE = 2_000;

/**
 * The same check as diskCheck, for the web server: the books read a page at a time with other work let in between,
 * their places asked on a worker thread (library/exist-check.ts), so no request and no event waits for 100,000
 * lstats. Null when `stop()` said to give up (the server closing; the data changed under the check).
 */
export async function diskCheckOffThread(session: Session, stop: () => boolean, checker = new ExistenceChecker(), pageSize = DISK_CHECK_PAGE): Promise<DiskCheck | null> {
  const found = await diskFindingsOffThread(session, stop, checker, pageSize);
  return found && diskCheckView(found);
}

/** How diskFindingsOffThread reads the books' places: from the database (the default), or a copy kept while it holds. */
export type PlaceReader = (afterId: number, limit: number) => BookPlacePage;

/**
 * diskCheckOffThread's findings, every book of each kind. `keepChecker`: the caller keeps the checker (and its
 * thread) for the next check; `readPlaces`: where the books' places come from (the server keeps them while no write
 * changed them).
 */
export async function diskFindingsOffThread(
  session: Session,
  stop: () => boolean,
  checker = new ExistenceChecker(),
  pageSize = DISK_CHECK_PAGE,
  options: { keepChecker?: boolean; readPlaces?: PlaceReader } = {},
): Promise<DiskFindings | null> {
  const read: PlaceReader = options.readPlaces ?? ((afterId, limit) => listBookPlacesAfter(session.db, afterId, limit));
  const gone: number[] = [];
  const back: number[] = [];
  // What duplicateRecordIds reads in one go (every book's fingerprint), gathered page by page.
  const goneFingerprint = new Map<number, string>();
  const thereFingerprints = new Set<string>();
  try {
    let page = read(0, pageSize);
    while (page.length > 0) {
      const asked = checker.check(page.map((row) => row[1]));
      // The next page read while the worker asks the disk about this one.
      await new Promise((resolve) => setImmediate(resolve));
      if (stop()) return null;
      const next = page.length === pageSize ? read(page[page.length - 1]![0], pageSize) : [];
      const there = await asked;
      if (stop()) return null;
      for (let i = 0; i < page.length; i++) {
        const [id, , status, fingerprint] = page[i]!;
        const found = there[i] === 1;
        if (status === "missing") {
          if (found) back.push(id);
        } else if (found) thereFingerprints.add(fingerprint);
        else {
          gone.push(id);
          goneFingerprint.set(id, fingerprint);
        }
      }
      page = next;
    }
  } finally {
    if (!options.keepChecker) checker.close();
  }
  const duplicates = gone.filter((id) => thereFingerprints.has(goneFingerprint.get(id)!));
  return sorted(gone, back, duplicates);
}

function sorted(gone: number[], back: number[], duplicates: number[]): DiskFindings {
  for (const ids of [gone, back, duplicates]) ids.sort((a, b) => a - b);
  return { gone, back, duplicates };
}

/** The findings as `status` shows them: each kind's count and its first books. */
export function diskCheckView({ gone, back, duplicates }: DiskFindings): DiskCheck {
  return {
    gone: gone.length,
    gone_book_ids: gone.slice(0, SHOWN_IDS),
    back: back.length,
    back_book_ids: back.slice(0, SHOWN_IDS),
    duplicates: duplicates.length,
    duplicate_book_ids: duplicates.slice(0, SHOWN_IDS),
  };
}

/**
 * The words `status` and the web dashboard both say of books recorded twice (`ids`: how the interface names the
 * old records, or "" when it links them apart), each with what to do in its own terms: the commands, or the book
 * page's form and buttons.
 */
export function duplicatesWords(count: number, ids: string, audience: "cli" | "page" = "cli"): string {
  const todo =
    audience === "cli"
      ? "put on the old record what you want kept of the new one's (`shelfwise book OLD --set FIELD=VALUE`), take yours off the new one (`--unset`, `--unlock`), and the next `scan` makes them one under the old id"
      : "on the old record's page correct what you want kept of the new one's, on the new one's take yours off (Remove mine, Unlock), and the next scan makes them one under the old id";
  return `${counted(count, "of them is an old record", "of them are old records")} of a book recorded again since${ids ? ` (${ids})` : ""}: left by an older shelfwise when a library folder was renamed, kept apart because the new record holds corrections, a lock or moves of yours; ${todo}`;
}

/** Why the next `process` runs a layer of identity `identity` on books already processed, and on how many; null: it does not. */
function waitingFor(session: Session, layerId: string, identity: string): { why: LayerWaitingView["why"]; books: number } | null {
  const standing = layerStanding(session.db, layerId);
  // Books not processed yet wait for every layer and are counted by status already: a fresh library is no news.
  if (!standing.hasRuns && standing.storedIdentity === null) return standing.pendingSettled > 0 ? { why: "new", books: standing.pending } : null;
  if (standing.storedIdentity !== null && standing.storedIdentity !== identity) return standing.eligible > 0 ? { why: "changed", books: standing.eligible } : null;
  return standing.pendingSettled > 0 ? { why: "books", books: standing.pending } : null;
}

function layersWaiting(session: Session): Pick<LibraryStatusView, "plugin_layers_waiting" | "layers_waiting"> {
  // As attach-plugins.ts's pluginSettings, without loading what starts plugins.
  const settings = buildPluginSettings({ dataDir: session.layout.root, pluginDir: session.pluginDir, config: session.config, secrets: loadSharedSecrets(session.layout.root) });
  const entries = fs.existsSync(session.pluginDir) ? readPluginStates(session.db, settings) : [];
  const layers: LayerWaitingView[] = [];
  // The identities the pipeline gives them (builtin-layers.ts, attach-http-sources.ts), computed without building them.
  for (const id of BUILTIN_LAYER_IDS) {
    if (!isEnabled(session.config, `${id}_enabled`)) continue;
    const waiting = waitingFor(session, id, builtinLayerIdentity(id, session.config));
    if (waiting) layers.push({ layer_id: id, kind: "builtin", ...waiting });
  }
  const pluginIds = new Set(entries.map((entry) => entry.id));
  const scope = credentialScope(session);
  for (const definition of session.config.http_sources) {
    // As loadHttpSources decides: what it would not run (disabled, an id clash, a missing credential) waits for nothing.
    if (!definition.enabled || isBuiltinLayerId(definition.id) || pluginIds.has(definition.id)) continue;
    const health = storedHealth(session.db, definition.id);
    if (health?.state === "disabled" || health?.state === "auto-disabled") continue;
    const source = resolveSource(definition);
    if (credentialProblem(definition, settings.secrets, scope) !== null) continue;
    const waiting = waitingFor(session, source.id, httpSourceIdentity(source, session.config.confidence_threshold));
    if (waiting) layers.push({ layer_id: source.id, kind: "http", ...waiting });
  }
  return { plugin_layers_waiting: pluginLayersWaiting(session, entries, settings), layers_waiting: layers };
}

/**
 * The plugin layers the next `process` would run on books already settled, found without starting a plugin,
 * spawning a probe or writing anything (status is run often, and never waits on another command writing):
 * each plugin active as stored (one that then cannot start is named too: the line says it may not have
 * started), its identity (its code and settings, as the pipeline computes it) against the one its layer
 * last ran with, and its runs recorded in the store. A plugin dropped in since the last `process` has none;
 * an edited one runs again on every book. Books not processed yet (`new`, `pending`) wait for every layer
 * and are counted by status already, so a layer that only they wait for is not named.
 */
function pluginLayersWaiting(session: Session, entries: PluginEntry[], settings: PluginSettings): PluginLayerWaitingView[] {
  const waiting: PluginLayerWaitingView[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.state !== "active" || !entry.id || seen.has(entry.id)) continue;
    seen.add(entry.id);
    const identity = pluginIdentity(entry.discovered.real_folder ?? entry.folder, pluginConfig(settings, entry.id));
    const why = waitingFor(session, entry.id, identity);
    if (why) waiting.push({ plugin_id: entry.id, ...why });
  }
  return waiting;
}

/** As `scan` reads a library folder: a folder that can be listed and holds something (an empty mount point holds nothing). */
/** `holds`: a folder with something in it; `empty`: an empty folder; `absent`: missing, not a folder, or unreadable. */
function folderState(folder: string): "holds" | "empty" | "absent" {
  try {
    return fs.readdirSync(folder).length > 0 ? "holds" : "empty";
  } catch {
    return "absent";
  }
}
