/**
 * The composition root shared by the CLI and the web server: data dir,
 * config, database, and an empty layer registry. Layers (built-in, then
 * plugins) are attached by `attachPlugins` (app/attach-plugins.ts), so
 * commands that never run layers do not load them.
 */
import fs from "node:fs";
import path from "node:path";
import { loadConfig, type LoadedConfig } from "../config/config-file.js";
import { userPath } from "../config/user-path.js";
import { makeFolder } from "../config/make-folder.js";
import { adoptIntoFolder } from "../config/folder-owner.js";
import { isEnabled, type Config } from "../config/config-schema.js";
import { openDatabase, type Db } from "../store/database.js";
import { syncBookSearch } from "../store/book-queries.js";
import { beforeDataLockRelease, holdsDataLock } from "../store/data-lock.js";
import { LayerRegistry, type OrderedLayers } from "../pipeline/layer-registry.js";
import type { Layer } from "../pipeline/layer.js";
import type { PipelineOptions } from "../pipeline/orchestrator.js";
import type { RecoveredMove } from "../organize/types.js";
import { dataDirLayout, type DataDirLayout } from "./data-dir.js";
import { closeLogger, lostLogLines, openLogger, type Logger, type LostLogLines } from "./logger.js";
import type { RejudgeSummary, rejudgeIfChanged } from "./rejudge.js";
import { judgementsCurrent } from "./judgement-identity.js";
import { copiedDataFolder, homeIsHere, type CopiedDataFolder } from "../organize/data-home.js";
import { tryAcquireDataLock } from "../store/data-lock.js";
import { classifyFault } from "../store/store-error.js";

/** What a session makes in the data folder (config.json: config/config-file.ts hands over a new one itself). */
const DATA_FOLDER_FILES = ["shelfwise.lock", "shelfwise.lock.json", "shelfwise.db", "shelfwise.db-wal", "shelfwise.db-shm", "logs", "logs/shelfwise.log", "logs/shelfwise.log.1", "config.json", "secrets.json"];

export interface Session {
  layout: DataDirLayout;
  log: Logger;
  loaded: LoadedConfig;
  config: Config;
  db: Db;
  registry: LayerRegistry;
  /** Absolute plugin folder (config plugin_dir, relative to the data dir). */
  pluginDir: string;
  enabledLayers(): OrderedLayers;
  /** The books judged again at open (app/rejudge.ts); null when nothing was to do. The CLI says it in a note. */
  rejudged: RejudgeSummary | null;
  /** Set when this data folder is a copy of another that manages the same library folders (organize/data-home.ts): its moves are refused. */
  copyOf: CopiedDataFolder | null;
  /**
   * shelfwise.db was there but 0 bytes, and a new database was made in it. A kill -9 of the first command before
   * SQLite's first write leaves exactly that, so it is not refused; but it is also what a file emptied by another
   * program (a failed copy, a sync tool) looks like, whose loss of the history the user must hear of. The CLI says it.
   */
  emptyDatabase: boolean;
  close(): Promise<void>;
}

/**
 * Why a search index left behind is no failure: the books are committed, a search reads the queued ones as they
 * are (slower), and the next writer folds them in.
 */
export function searchBehindWords(error: unknown, dataDir: string): string {
  const cause = classifyFault(error, dataDir) === "disk_full" ? `the disk is full (writing ${dataDir})` : (error as Error).message;
  return `the search index is behind: ${cause}; everything else is saved, and searches still find every book (more slowly); the next shelfwise command that writes (scan, process, a correction) catches the index up once there is room`;
}

/**
 * A command whose log lines were refused (a full disk, a logs folder or file made read-only, a dying disk): its work
 * is saved (the database is written apart), but the record of what it did is not, so a later "why did this
 * happen?" would find nothing. Said once, with the cure; nothing is to run again.
 */
export function logLostWords(lost: LostLogLines, dataDir: string): string {
  const fault = classifyFault(lost.error, dataDir);
  const folder = path.dirname(lost.file);
  const [cause, cure] =
    fault === "disk_full"
      ? ["the disk is full", "free some space on that disk"]
      : fault === "read_only"
        ? ["it is on a read-only file system", "remount it read-write"]
        : fault === "permission"
          ? ["permission denied", `give this user write permission on ${folder} and ${lost.file}`]
          : fault === "io"
            ? ["the disk reported an input/output error", "check the disk (dmesg, fsck)"]
            : [(lost.error as Error)?.message ?? String(lost.error), `make ${folder} writable`];
  const lines = lost.count === 1 ? "1 line" : `${lost.count} lines`;
  return `shelfwise's log ${lost.file} could not be written (${cause}): ${lines} of this command's record of what it did ${lost.count === 1 ? "is" : "are"} lost; its work itself is saved in the database, nothing to run again; ${cure}, and later commands log again`;
}

/** The data folder does not exist and the command may not create one. */
export class NoDataFolderError extends Error {
  constructor(readonly folder: string) {
    super(`no shelfwise data folder at ${folder}`);
  }
}

export interface SessionOptions {
  /**
   * Create the data folder when it does not exist; default true. Entry points
   * pass false except for commands that set a library up (`init`, `scan PATH`),
   * so a mistyped folder is an error instead of a new, empty library.
   */
  create?: boolean;
  /**
   * Told (once per failure) when the search index could not be brought up to date as the lock was let go: the
   * writer's own work is committed, so the command still succeeds; the CLI says it on stderr.
   */
  onSearchBehind?: (message: string) => void;
  /** Told once, as the session closes, when log lines were lost (logLostWords); the CLI says it on stderr. */
  onLogLost?: (message: string) => void;
}

/**
 * Settles the moves a crash interrupted (see openSessionUnsettled). The organizer's recovery is
 * handed in: app/open-session.ts gives it to every caller but the CLI, which loads it only when
 * the journal holds open moves (a data-folder command would otherwise load ~60 KB of organizer code
 * it never runs).
 */
export type RecoverAtOpen = (db: Db, dataDir: string) => RecoveredMove[];

export function settleInterruptedMoves(session: Session, recover: RecoverAtOpen): void {
  const recovered = recover(session.db, session.layout.root);
  if (recovered.length > 0) session.log.warn({ event: "moves_recovered", recovered }, "interrupted moves settled");
}

/**
 * A session whose interrupted moves are not settled yet: the caller settles them
 * (settleInterruptedMoves) before anything reads the books. Everyone else opens
 * sessions with app/open-session.ts's openSession, which does both.
 */
export function openSessionUnsettled(dataDir: string, options: SessionOptions = {}): Session {
  const layout = dataDirLayout(dataDir);
  if (options.create === false && !fs.existsSync(layout.root)) throw new NoDataFolderError(layout.root);
  const loaded = loadConfig(dataDir);
  const config = loaded.config;
  makeFolder(layout.root);
  const emptyDatabase = isEmptyFile(layout.database);
  const db = openDatabase(layout.database);
  const log = openLogger(layout.logs);
  if (emptyDatabase) log.warn({ event: "empty_database", file: layout.database }, "shelfwise.db was empty (0 bytes): a new database was made in it");
  const copyOf = homeAtOpen(db, layout.root, config, log);
  // A root run (sudo) leaves what it made to the data folder's owner, whose own runs must still write.
  adoptIntoFolder(layout.root, DATA_FOLDER_FILES);
  for (const warning of loaded.warnings) log.warn({ event: "config_warning" }, warning);
  const registry = new LayerRegistry();
  // Searches read the books whose text changed as they are (store/book-queries.ts), never folding them into
  // the index themselves: a read must not write. The writer folds them, holding the lock, when it is done.
  const foldSearch = () => {
    try {
      syncBookSearch(db);
    } catch (error) {
      log.warn({ event: "search_index_deferred", error: (error as Error).message }, "the search index was not brought up to date");
      options.onSearchBehind?.(searchBehindWords(error, layout.root));
    }
  };
  const unhook = beforeDataLockRelease(layout.root, foldSearch);
  const session: Session = {
    layout,
    log,
    loaded,
    config,
    db,
    registry,
    pluginDir: config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir,
    enabledLayers: () => registry.enabled(config.pipeline_order, (layer) => layerEnabled(config, layer)),
    rejudged: null,
    copyOf,
    emptyDatabase,
    async close() {
      // In parallel: each plugin's teardown is bounded (5 s), and they must not add up.
      await Promise.allSettled(registry.all().map((layer) => layer.close?.()));
      unhook();
      // Only a writer (holding the lock) loses a record of a change; a reader of a read-only data folder logs nothing there by design.
      const writer = holdsDataLock(layout.root);
      if (writer && db.open) foldSearch();
      db.close();
      closeLogger(log);
      const lost = lostLogLines(log);
      if (lost && writer) options.onLogLost?.(logLostWords(lost, layout.root));
    },
  };
  return session;
}

function isEmptyFile(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size === 0;
  } catch {
    return false;
  }
}

/** app/rejudge.ts's rejudgeIfChanged, handed in as the recovery is: loaded only when the judgements are not current. */
export type RejudgeAtOpen = typeof rejudgeIfChanged;

/** Whether the stored judgements were made by this shelfwise's rules and config's settings (cheap: one indexed read). */
export function judgementsCurrentAtOpen(session: Session): boolean {
  try {
    return judgementsCurrent(session.db, session.config);
  } catch {
    // Unreadable now: the command goes on with the judgements as stored (rejudgeAtOpen would defer too).
    return true;
  }
}

/**
 * Judges the books again when the rules or settings they were judged by changed (app/rejudge.ts), after the
 * interrupted moves are settled; the summary goes to `session.rejudged`. Re-judging is upkeep: a command that could
 * not do it (a full disk, the database locked by another program) still does its own work on the judgements as
 * stored, and the next open tries again.
 */
export function rejudgeAtOpen(session: Session, rejudge: RejudgeAtOpen): void {
  if (judgementsCurrentAtOpen(session)) return;
  session.rejudged = rejudgeLogged(session.db, session.layout.root, session.config, session.log, rejudge);
}

function rejudgeLogged(db: Db, dataDir: string, config: Config, log: Logger, rejudge: RejudgeAtOpen): RejudgeSummary | null {
  try {
    const summary = rejudge(db, dataDir, config);
    if (summary !== null && summary.changed > 0) log.info({ event: "books_rejudged", ...summary }, "books judged again under new rules or settings");
    return summary;
  } catch (error) {
    log.warn({ event: "rejudge_deferred", error: (error as Error)?.message ?? String(error) }, "the books were not judged again; the next command tries again");
    return null;
  }
}

/**
 * Where this database belongs (organize/data-home.ts): recorded when it is new, moved, or a copy pointed at a
 * library of its own, holding the data folder's lock when no other command does (else the next open records it).
 */
function homeAtOpen(db: Db, dataDir: string, config: Config, log: Logger): CopiedDataFolder | null {
  try {
    if (homeIsHere(db, dataDir)) return null;
    const writable = db.pragma("query_only", { simple: true }) !== 1;
    const lock = writable ? tryAcquireDataLock(dataDir, "recording the data folder's place") : null;
    try {
      return copiedDataFolder(db, dataDir, config, { record: lock !== null });
    } finally {
      lock?.release();
    }
  } catch (error) {
    log.warn({ event: "data_home_unknown", error: (error as Error)?.message ?? String(error) }, "where this data folder belongs could not be told");
    return null;
  }
}

/** What every pipeline run of a session shares: its database and the configured batch size, threshold and naming. */
export function pipelineSettings(session: Session): Pick<PipelineOptions, "db" | "batchSize" | "confidenceThreshold" | "namingTemplate" | "seriesNumPadding"> {
  const { config } = session;
  return {
    db: session.db,
    batchSize: config.batch_size,
    confidenceThreshold: config.confidence_threshold,
    namingTemplate: config.naming_template,
    seriesNumPadding: config.series_num_padding,
  };
}

export function layerEnabled(config: Config, layer: Layer): boolean {
  return isEnabled(config, layer.info.config_enable_key);
}
