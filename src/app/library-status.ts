/**
 * The `status` view: the books per status as the database holds them, and
 * what the disk says now of the places they were recorded at. The counts come
 * from the rows `books` lists, so the two never disagree; the disk check is
 * what lets the user trust them after files were moved or deleted outside
 * shelfwise, which only the next `scan` records.
 */
import fs from "node:fs";
import { libraryFolders, outputFolder } from "../config/library-folders.js";
import { countBooksWithErrors, countByStatus, countLocked } from "../store/book-queries.js";
import { BOOK_STATUSES, listBookPlaces } from "../store/books.js";
import type { Session } from "./session.js";
import { userPath } from "../config/user-path.js";
import type { LibraryStatusView, PluginLayerWaitingView } from "./views/library-status.js";
import { pluginConfig, readPluginStates } from "../plugins/manager/plugin-manager.js";
import { pluginIdentity } from "../plugins/manager/plugin-identity.js";
import { layerStanding } from "../store/layer-identity.js";
import { pluginSettings } from "./attach-plugins.js";

const SHOWN_IDS = 10;

export async function libraryStatusView(session: Session): Promise<LibraryStatusView> {
  const db = session.db;
  const counted = countByStatus(db);
  const byStatus = Object.fromEntries(BOOK_STATUSES.map((status) => [status, counted[status] ?? 0])) as LibraryStatusView["by_status"];
  const output = outputFolder(session.config, session.layout.root);
  const listed = session.config.library_paths.map((p) => userPath(p, session.layout.root));
  const gone: number[] = [];
  const back: number[] = [];
  for (const [id, place, , status] of listBookPlaces(db)) {
    const there = exists(place);
    if (status === "missing" ? there : !there) (status === "missing" ? back : gone).push(id);
  }
  gone.sort((a, b) => a - b);
  back.sort((a, b) => a - b);
  return {
    library_folders: libraryFolders(session.config, session.layout.root)
      .map((folder) => ({ path: folder, present: holdsSomething(folder) }))
      // output_path not made yet (nothing applied) or empty is no missing library folder, as for `scan`.
      .filter((folder) => folder.present || folder.path !== output || listed.includes(folder.path)),
    books: Object.values(byStatus).reduce((a, b) => a + b, 0),
    by_status: byStatus,
    locked: countLocked(db),
    with_layer_errors: countBooksWithErrors(db),
    gone: gone.length,
    gone_book_ids: gone.slice(0, SHOWN_IDS),
    back: back.length,
    back_book_ids: back.slice(0, SHOWN_IDS),
    plugin_layers_waiting: pluginLayersWaiting(session),
  };
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
function pluginLayersWaiting(session: Session): PluginLayerWaitingView[] {
  if (!fs.existsSync(session.pluginDir)) return [];
  const settings = pluginSettings(session);
  const entries = readPluginStates(session.db, settings);
  const waiting: PluginLayerWaitingView[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.state !== "active" || !entry.id || seen.has(entry.id)) continue;
    seen.add(entry.id);
    const standing = layerStanding(session.db, entry.id);
    const identity = pluginIdentity(entry.discovered.real_folder ?? entry.folder, pluginConfig(settings, entry.id));
    if (!standing.hasRuns && standing.storedIdentity === null) {
      if (standing.pending > 0) waiting.push({ plugin_id: entry.id, why: "new", books: standing.pending });
    } else if (standing.storedIdentity !== null && standing.storedIdentity !== identity) {
      if (standing.eligible > 0) waiting.push({ plugin_id: entry.id, why: "changed", books: standing.eligible });
    } else if (standing.pendingSettled > 0) {
      waiting.push({ plugin_id: entry.id, why: "books", books: standing.pending });
    }
  }
  return waiting;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** As `scan` reads a library folder: a folder that can be listed and holds something (an empty mount point holds nothing). */
function holdsSomething(folder: string): boolean {
  try {
    return fs.readdirSync(folder).length > 0;
  } catch {
    return false;
  }
}
