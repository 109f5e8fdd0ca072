/**
 * What `shelfwise serve` owns while it runs: the session, the live plugin set,
 * one job at a time (scan, process, apply, undo) holding the data folder's
 * lock only while it works, the live status and its event stream.
 */
import { elapsedNow } from "./monotonic-clock.js";
import fs from "node:fs";
import { counted, noun } from "../domain/plural.js";
import { terminalSafe } from "../domain/terminal-safe.js";
import { outcomeLines, processOutcome, runBaseline } from "../app/process-outcome.js";
import { describeEnvironmentError } from "../app/environment-words.js";
import type { z } from "zod";
import { loadConfig } from "../config/config-file.js";
import { judgementsCurrentAtOpen, layerEnabled, pipelineSettings, searchBehindWords, type Session } from "../app/session.js";
import { rejudgeIfChangedInPages } from "../app/rejudge.js";
import { rejudgedNote } from "../app/judgement-identity.js";
import { openSession } from "../app/open-session.js";
import { cutShortJobWords, cutShortNotice, jobRanToItsEnd, takeCutShortJob } from "../app/cut-short-job.js";
import { cutShortRunWords } from "../app/cut-short-run.js";
import { lastCutShortBatch } from "../store/cut-short-batches.js";
import { clearCutShortNotice, endJobMarker, writeJobMarker, type JobMarker } from "../store/job-marker.js";
import { emptyDatabaseWarning } from "../app/empty-database-words.js";
import { createLivePlugins, type LivePlugins } from "../app/live-plugins.js";
import { scanLibraryFolders } from "../app/library-scan.js";
import { configuredRoots, movedLinkText, movedOutText, partsAtTopText } from "../app/scan-library.js";
import { outputFolder } from "../config/library-folders.js";
import type { ScanSummaryView } from "../app/views/scan-summary.js";
import { ExistenceChecker } from "../library/exist-check.js";
import { diskCheckView, diskFindings, diskFindingsOffThread, duplicatesWords, type DiskFindings, type DiskProblem } from "../app/library-status.js";
import { listBookPlacesAfter, type BookPlacePage } from "../store/books.js";
import { readLockHolder, tryAcquireDataLock } from "../store/data-lock.js";
import { lockBusyForPages } from "./lock-words.js";
import { countBooks, countBooksWithErrors, countByStatus, layerRunCounts, syncBookSearch } from "../store/book-queries.js";
import { clearRuns } from "../store/layer-runs.js";
import { databaseStillInPlace } from "../store/database.js";
import { joinedParts, type JoinedPart } from "../store/given-up-parts.js";
import { allPluginStates } from "../store/plugin-health.js";
import { runPipeline } from "../pipeline/orchestrator.js";
import type { Layer } from "../pipeline/layer.js";
import { layerListView } from "../app/layer-list.js";
import { attachedSources, reattachHttpSources } from "../app/attach-http-sources.js";
import type { Config } from "../config/config-schema.js";
import type { DataDirLayout } from "../config/data-dir.js";
import { copiedDataFolder, copiedDataFolderWarning, onRecovery, type CopiedDataFolder, type RecoveredMove } from "../organize/index.js";
import { EventHub } from "./events.js";
import { folderWordsForPages } from "./folder-words.js";
import { PlanCache } from "./plan-cache.js";
import { ApiError } from "./zod-routes.js";
import type { Activity, JobView, StatusView } from "./schemas.js";
import { forPages, othersWordsForPages, sentence } from "../domain/command-advice.js";
import { pluginStartView, startRecords, type StartRecords } from "./plugin-start-view.js";
import { safeSecrets } from "./plugin-views.js";

const SCAN_PROBLEM = sentence`scan: ${0}: ${1}`;
// A plugin's or source's new state with its reason, one sentence per state (its words are what tell it from others).
const NOW_AUTO_DISABLED = sentence`${0} ${1}: auto-disabled (${2})`;
const NOW_DISABLED = sentence`${0} ${1}: disabled (${2})`;
const NOW_ENABLED = sentence`${0} ${1}: enabled (${2})`;
/** How often a running server looks at the data folder for what other processes wrote (followDisk). */
export const FOLLOW_DISK_MS = 2000;
const PLUGIN_PROBLEM = sentence`plugin ${0} is ${1}: ${2}`;
/** A plugin whose last start failed, as its pages say it: when, and why. */
const PLUGIN_START_FAILED = sentence`plugin ${0} is failed: start check failed at ${1}: ${2}`;
const SOURCE_PROBLEM = sentence`HTTP source ${0} is ${1}: ${2}`;
const STATE_CHANGED = { "auto-disabled": NOW_AUTO_DISABLED, disabled: NOW_DISABLED, enabled: NOW_ENABLED } as const;
const DATA_FOLDER_REPLACED = sentence`the data folder ${0} was removed or replaced while \`shelfwise serve\` ran (its database is not the one this server opened), so this server writes nothing more; restart \`shelfwise serve\``;

type Job = z.infer<typeof JobView>;
type ActivityRow = z.infer<typeof Activity>;

export interface ServiceOptions {
  /** Start a process run after a scan and after plugin changes; default true. */
  autoRun?: boolean;
  /** Watch the plugin folder; default true. */
  watch?: boolean;
  tokenRequired?: boolean;
  /** Books up to which the disk check runs inline (DISK_CHECK_INLINE_BOOKS); tests take the thread with a few. */
  diskCheckInline?: number;
  /** The disk check's thread code (library/exist-check.ts); tests give a slow one, or one that dies. */
  diskWorkerSource?: string;
  /** Lines for the terminal (plugin reloads, failures). */
  log?: (line: string) => void;
}

const ACTIVITY_KEPT = 50;
/** How long whether this data folder is a copy is kept unasked while its library folders are unchanged. */
const COPY_CHECK_MS = 30_000;
const DISK_CHECK_MS = 30_000;
/**
 * Up to this many books the disk check runs in the status it goes into (a few ms: the answer is complete at once);
 * past it on a worker thread, its result sent to every page when it comes (100,000 books took seconds of lstats
 * on the server's main thread, and every other request and event waited for them).
 */
export const DISK_CHECK_INLINE_BOOKS = 2_000;

export class ShelfService {
  readonly hub = new EventHub();
  /** The Review page's plans, kept while the database and the configuration are unchanged. */
  readonly plans = new PlanCache(this);
  readonly live: LivePlugins;
  private job: Job | null = null;
  private lastJob: Job | null = null;
  private controller: AbortController | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly activity: ActivityRow[] = [];
  private nextJobId = 1;
  private runAfter = false;
  private pluginStates = new Map<string, string>();
  private closed = false;
  private following: NodeJS.Timeout | undefined;
  /** Moves a crash interrupted that were settled while this server ran (or as it opened). */
  private recovered: RecoveredMove[] = [];
  /**
   * A scan or run a killed server left unfinished, found as this server opened (app/cut-short-job.ts): said on its
   * terminal. The dashboard reads the data folder's notice instead (cutShortNotice), which a CLI run ends too.
   */
  cutShort: JobMarker | null = null;
  /** This server's last job ended with its marker left in the database (endMarker). */
  private markerLeft = false;
  /**
   * What the disk says of the books' recorded places (gone, back, recorded twice), as `status` says it. One lstat
   * per book: kept between the status events (five a second during a run), asked again after a job or another
   * writer's commit, and at most DISK_CHECK_MS later, for a folder moved by hand while nothing ran.
   */
  private disk: { at: number; found: DiskFindings } | null = null;
  /** Bumped whenever `disk` is dropped (the data changed): a check begun before that is stale when it ends. */
  private diskGeneration = 0;
  /** The check off the main thread in progress (a large library), and the generation it began at. */
  private diskRun: { generation: number; done: Promise<void> } | null = null;
  /**
   * The books' places (id, path, status, fingerprint) as the last check read them, page by page, kept while
   * `diskGeneration` is the one they were read at: every write this server makes or sees (a job's end, a correction,
   * another process's commit) bumps it. A page open at 20,000 books read them afresh for ~50-300 ms each time.
   */
  private places: { generation: number; pages: Map<number, BookPlacePage> } | null = null;
  /** The disk check's thread, kept between checks: it remembers its answers while their folders are unchanged. */
  private checker: ExistenceChecker | null = null;
  private stopRecoveryWatch: () => void = () => {};
  /** A short locked write in progress (withLock): jobs wait for it. */
  private writing: string | null = null;

  private constructor(
    readonly session: Session,
    readonly dataDir: string,
    private readonly options: ServiceOptions,
  ) {
    this.live = createLivePlugins(session, {
      watch: options.watch !== false,
      log: (line) => {
        // For the terminal: one line each, nothing in it acting on the terminal (a plugin's start error is its own words).
        options.log?.(terminalSafe(line));
        // State changes (auto-disable) are noted once, by checkPluginStates.
        if (!line.includes(": auto-disabled:")) this.note(line.includes("failed") ? "warn" : "info", line);
      },
      onChange: (change) => {
        this.hub.publish("plugins", change);
        this.checkPluginStates();
        this.requestRun();
      },
    });
  }

  static async open(dataDir: string, options: ServiceOptions = {}): Promise<ShelfService> {
    // Opening the session settles interrupted moves: listen first, so the dashboard can tell the user.
    const early: RecoveredMove[] = [];
    const stopEarly = onRecovery((moves) => early.push(...moves));
    let session: Session;
    try {
      session = openSession(dataDir);
    } finally {
      stopEarly();
    }
    const service = new ShelfService(session, dataDir, options);
    service.configMark = configFilesMark(session.layout);
    service.builtFrom = session.config;
    service.recovered.push(...early);
    service.cutShort = takeCutShortJob(session.db, dataDir, { keep: true });
    service.stopRecoveryWatch = onRecovery((moves) => service.noteRecovered(moves));
    try {
      await service.live.start();
    } catch (error) {
      await session.close();
      throw error;
    }
    for (const row of allPluginStates(session.db)) service.pluginStates.set(row.plugin_id, row.state);
    return service;
  }

  get autoRun(): boolean {
    return this.options.autoRun !== false;
  }

  /** Re-reads config.json after a change (the session's config is what every run uses). */
  reloadConfig(): void {
    // Marked before the read: a write landing between the two is seen as a change by the next followConfigFiles.
    const mark = configFilesMark(this.session.layout);
    const loaded = loadConfig(this.session.layout.root);
    this.session.loaded = loaded;
    this.session.config = loaded.config;
    this.configMark = mark;
    this.rejudgeIfSettingsChanged();
  }

  /** The config object the stored judgements were last found current for (judging again is looked for when it changes). */
  private judgedFor: Config | null = null;
  /** The judging again in progress (rejudgeIfSettingsChanged), or null. */
  private judging: Promise<void> | null = null;

  /**
   * Judges the stored books again when confidence_threshold, naming_template or series_num_padding changed while
   * this server ran (its Settings page, or config.json written by hand or another program, followed by
   * followConfigFiles), as every command does at open (app/rejudge.ts): the server judged them at its start only, and
   * its pages showed the old threshold's statuses and counts and the old template's proposed paths until each book
   * happened to be processed again, while `shelfwise status` beside it said the new. A page of 200 books at a time,
   * the event loop given a turn between pages (1-2 s of CPU at 20,000 books: in one go every request and event would
   * wait for it), as a short write: jobs and corrections wait for it (409 "busy"), a run asked for meanwhile follows
   * it. Not while a job runs (its writes are of the settings it started with): at its end. When another process holds the data folder's lock, the next look
   * (syncFromDisk, every 2 s) tries again; that process, if a command, judges them itself at its open.
   */
  rejudgeIfSettingsChanged(): void {
    if (this.closed || this.job || this.writing || this.judging) return;
    if (this.judgedFor === this.session.config) return;
    if (this.dataFolderProblem()) return;
    const config = this.session.config;
    if (judgementsCurrentAtOpen(this.session)) {
      this.judgedFor = config;
      return;
    }
    this.writing = "the books judged again under the new settings";
    const judging = rejudgeIfChangedInPages(this.session.db, this.dataDir, config)
      .then(
        (summary) => {
          // Another process writing: tried again at the next look.
          if (summary === null || this.closed) return;
          this.judgedFor = config;
          this.session.rejudged = summary;
          if (summary.changed > 0) {
            this.session.log.info({ event: "books_rejudged", ...summary }, "books judged again under new rules or settings");
            this.note("info", rejudgedNote(summary));
          }
          this.dataChanged();
        },
        (error: Error) => {
          if (this.closed) return;
          // Upkeep, as at a command's open: the judgements stay as stored, and the next settings change tries again.
          this.judgedFor = config;
          this.session.log.warn({ event: "rejudge_deferred", error: error?.message ?? String(error) }, "the books were not judged again");
          this.note("warn", `the books were not judged again under the new settings: ${error?.message ?? String(error)}`);
        },
      )
      .finally(() => {
        this.writing = null;
        if (this.judging === judging) this.judging = null;
        if (this.runAfter && !this.job && !this.closed) {
          this.runAfter = false;
          this.requestRun();
        }
      });
    this.judging = judging;
  }

  /** Resolves when the judging again in progress (if any) is done. */
  async judged(): Promise<void> {
    await this.judging;
  }

  /** Whether this data folder is a copy, as last asked, with the config it was asked for. */
  private copyKnown: { config: Config; at: number; copy: CopiedDataFolder | null } | null = null;

  /**
   * Set when this data folder is a copy of another that manages the same library folders (organize/data-home.ts),
   * as the CLI's `status`, `plan`, `apply` and `undo` warn: the pages and the apply and undo answers say it too,
   * since Apply here moves the original library's files. Asked again when the library folders change (a copy
   * pointed at a library of its own on the Settings page stops being one) and at most every COPY_CHECK_MS (the
   * original moved or removed meanwhile: this one is the library's now).
   */
  copyOf(): CopiedDataFolder | null {
    const config = this.session.config;
    const known = this.copyKnown;
    if (known === null) {
      this.copyKnown = { config, at: elapsedNow(), copy: this.session.copyOf };
      return this.session.copyOf;
    }
    if (known.config === config && elapsedNow() - known.at < COPY_CHECK_MS) return known.copy;
    let copy = known.copy;
    try {
      // Not recorded here (the next command's open records a new home, under its lock).
      copy = copiedDataFolder(this.session.db, this.dataDir, config, { record: false });
    } catch {
      // Unreadable now: what was known stays.
    }
    this.copyKnown = { config, at: elapsedNow(), copy };
    return copy;
  }

  /** copyOf() with the words the pages say it in (null when this data folder is no copy). */
  copyOfView(): { original: string; shared: string[]; message: string } | null {
    const copy = this.copyOf();
    return copy === null ? null : { original: copy.original, shared: copy.shared, message: copiedDataFolderWarning(copy, "page") };
  }

  /** Whether followConfigFiles has something to do: the files changed (and not to a version told broken), or the layers lag. */
  private configToFollow(): boolean {
    const mark = configFilesMark(this.session.layout);
    return (mark !== this.configMark && mark !== this.configProblem) || this.builtFrom !== this.session.config;
  }

  /** config.json and secrets.json as the session's config and the attached sources and plugins last read them. */
  private configMark = "";
  /** The config the built-in layers were built from (Open Library's url, rate, breaker; the confidence threshold). */
  private builtFrom: Config | null = null;
  /** The config.json problem already told (one note per broken version of the file, not one per tick). */
  private configProblem: string | null = null;

  /**
   * Follows config.json and secrets.json changed outside this server (by hand, or by a CLI command: `library
   * add`, `sources enable`, `plugins grant`...) between jobs, as its own Settings page's saves are followed: the
   * next runs and plans use the new naming template, confidence threshold, batch size and layer switches; HTTP
   * sources are attached again when `http_sources` or a secret changed; plugins whose settings, switch or
   * secrets changed are reloaded; the Open Library layer is built again when a setting it is built from changed
   * (this server's own saves too). Only `plugin_dir` needs a restart, and the server says so. A file that does not
   * read is told once and the settings in use are kept. Never while a job runs: the next tick after it.
   */
  async followConfigFiles(): Promise<void> {
    if (this.job || this.closed) return;
    const mark = configFilesMark(this.session.layout);
    if (mark !== this.configMark && mark !== this.configProblem) {
      const before = this.session.config;
      const secretsBefore = this.configMark.split("|")[1];
      try {
        this.reloadConfig();
        this.configProblem = null;
      } catch (error) {
        if (this.configProblem !== mark) {
          this.configProblem = mark;
          const line = `config.json was changed but cannot be used (${(error as Error).message}); this server keeps the settings it had until the file is fixed`;
          this.options.log?.(terminalSafe(line));
          this.note("error", line);
        }
        return;
      }
      const keys = changedKeys(before, this.session.config);
      const secrets = mark.split("|")[1] !== secretsBefore;
      if (keys.includes("http_sources") || secrets) await reattachHttpSources(this.session, this.live.entries().map((e) => e.id));
      await this.live.refresh();
      this.checkPluginStates();
      if (keys.length > 0 || secrets) {
        const what = [...keys.filter((key) => key !== "plugin_dir"), ...(secrets ? ["secrets.json"] : [])];
        if (what.length > 0) this.note("info", `settings changed outside this server (${what.join(", ")}): used from now on`);
        if (keys.includes("plugin_dir")) {
          const line = "plugin_dir was changed in config.json: the plugin folder this server watches changes only when `shelfwise serve` restarts";
          this.options.log?.(line);
          this.note("warn", line);
        }
        this.dataChanged();
      }
    }
    if (this.builtFrom !== this.session.config) {
      const { replaceChangedBuiltinLayers } = await import("../app/builtin-layers.js");
      if (this.builtFrom !== null) await replaceChangedBuiltinLayers(this.session.registry, this.builtFrom, this.session.config);
      this.builtFrom = this.session.config;
    }
  }

  /**
   * The library folders as config.json holds them now: `shelfwise library add|remove` run beside the server
   * changes them in the file only, and a scan of the folders read at start-up scanned a folder taken out and
   * missed one added (the Settings page listed neither change). Only these two keys are taken: the rest of the
   * config is what the running pipeline was built with. A file that does not read is left to the next reload.
   * The Review page's plan and an apply follow them too: a folder taken out by the CLI had its books still
   * proposed, and moved, by a server started before. Unchanged folders keep the config object (the plans kept
   * are for it).
   */
  followLibraryFolders(): void {
    let config: ReturnType<typeof loadConfig>["config"];
    try {
      config = loadConfig(this.session.layout.root).config;
    } catch {
      return;
    }
    const now = this.session.config;
    if (now.output_path === config.output_path && now.library_paths.length === config.library_paths.length && now.library_paths.every((p, i) => p === config.library_paths[i])) return;
    this.session.config = { ...now, library_paths: config.library_paths, output_path: config.output_path };
  }

  /** Every layer as `layers --json` shows it: runnable ones in order, then plugins that cannot run. */
  layerRows(): ReturnType<typeof layerListView> {
    return layerListView(this.session, this.live.entries());
  }

  enabledLayers(): Layer[] {
    const config = this.session.config;
    return this.session.registry.enabled(config.pipeline_order, (layer) => layerEnabled(config, layer)).layers;
  }

  // ---- status -----------------------------------------------------------------------

  /** `freshDisk`: the disk asked again now (a page opened, or reloaded by the user), not the check kept since the last job. */
  status(options: { freshDisk?: boolean } = {}): z.infer<typeof StatusView> {
    if (options.freshDisk) {
      // A page opened: the library folders as the CLI may have changed them (the no-library-folder problem).
      this.followLibraryFolders();
      // Asked again, and meanwhile (a large library) the last check is shown: nothing was written since it.
      if (this.disk) this.disk.at = Number.NEGATIVE_INFINITY;
    }
    const db = this.session.db;
    const byStatus = countByStatus(db);
    const counts = new Map(layerRunCounts(db).map((c) => [c.layer_id, c]));
    const { rows } = this.layerRows();
    const problems: z.infer<typeof StatusView>["problems"] = [];
    // Read once, and only when a plugin failed: the same record and rule as the plugin pages (pluginStartView).
    let starts: { records: StartRecords; secrets: Record<string, string> } | undefined;
    for (const entry of this.live.entries()) {
      // Skipped: a required setting or secret is missing; the user adds it on the plugin's page.
      if (["failed", "auto-disabled", "invalid", "skipped"].includes(entry.state)) {
        const key = entry.id ?? entry.folder;
        // A sentence, its reason in a page's words first: a failed start's reason is what the plugin said (its
        // error, only shelfwise's sentences around it reworded); the others are shelfwise's (a sentence holding the
        // plugin's last error, a missing setting). The whole line reworded made a plugin's "run `shelfwise scan`" a button.
        const reason = entry.state === "failed" ? othersWordsForPages(entry.reason ?? "") : forPages(entry.reason ?? "");
        const link = `#/plugins/${encodeURIComponent(key)}`;
        if (entry.state === "failed") {
          starts ??= { records: startRecords(db), secrets: safeSecrets(this.session) };
          const start = pluginStartView(starts.records, entry, starts.secrets);
          // Its start check failed: when, and why in the plugin's words (secrets masked), as the plugin pages say it.
          if (start.start_check === "last_start" && start.last_start && start.last_start_ok === false) {
            const why = start.last_start_reason ?? "";
            problems.push({ kind: "plugin_failed", message: PLUGIN_START_FAILED(key, start.last_start, why), link, plugin: key, last_start: start.last_start, last_start_reason: why });
            continue;
          }
        }
        problems.push({ kind: `plugin_${entry.state.replace("-", "_")}`, message: PLUGIN_PROBLEM(key, entry.state, reason), link });
      }
    }
    // HTTP sources fail and are auto-disabled like plugins (their state shares the plugins' table): the same problem.
    const stored = new Map(allPluginStates(db).map((row) => [row.plugin_id, row]));
    for (const source of attachedSources(this.session)) {
      if (source.state === "disabled") continue;
      const id = source.definition.id;
      const row = stored.get(id);
      const state = source.state === "invalid" ? "invalid" : source.state === "auto-disabled" || row?.state === "auto-disabled" ? "auto-disabled" : null;
      if (state === null) continue;
      const reason = state === "invalid" ? source.reason : (row?.reason ?? source.reason);
      // An auto-disabled source: its health page (its last errors, calls, Re-enable); an invalid one: its definition.
      const link = state === "auto-disabled" ? `#/health/source/${encodeURIComponent(id)}` : "#/plugins";
      problems.push({ kind: `source_${state.replace("-", "_")}`, message: SOURCE_PROBLEM(id, state, forPages(reason ?? "")), link });
    }
    const attention = byStatus.needs_attention ?? 0;
    if (attention > 0) problems.push({ kind: "needs_attention", message: `${counted(attention, "book")} ${noun(attention, "needs", "need")} your attention`, link: "#/books?status=needs_attention" });
    // A layer that failed on a book (an unreadable tag, a plugin's error) leaves it without that layer's evidence,
    // and without its final status, until the user fixes the cause and reruns the failed layers.
    const withErrors = countBooksWithErrors(db);
    if (withErrors > 0) {
      problems.push({
        kind: "layer_errors",
        message: `${counted(withErrors, "book")} ${noun(withErrors, "has", "have")} a layer that failed on ${noun(withErrors, "it", "them")}: each book's page says why and reruns its failed layers`,
        link: "#/books?layer_errors=true",
      });
    }
    // A retired part's kept record is `missing` by status, but its files are there, inside the book it joined (as
    // `status` tells it): not said to be lost, nor "there again", but what it is, with the books it joined.
    const joined = joinedParts(db);
    const missing = (byStatus.missing ?? 0) - joined.length;
    if (missing > 0) problems.push({ kind: "missing", message: `${counted(missing, "book")} ${noun(missing, "was", "were")} not found by the last scan`, link: "#/books?status=missing" });
    if (joined.length > 0) problems.push(joinedProblem(joined));
    const total = countBooks(db);
    problems.push(...this.diskProblems(total, new Set(joined.map((j) => j.book_id))));
    // Read each time, not kept: a `scan` or `process` the CLI ran to its end meanwhile has removed it.
    const cutShort = cutShortNotice(db);
    if (cutShort) problems.push({ kind: "job_cut_short", message: forPages(cutShortJobWords(cutShort)), link: null });
    // Read each time too: shown until another apply or undo starts, whichever process ran the one cut short.
    const cutShortRun = lastCutShortBatch(db);
    if (cutShortRun) problems.push({ kind: "run_cut_short", message: forPages(cutShortRunWords(cutShortRun)), link: "#/review" });
    if (this.recovered.length > 0) {
      const n = this.recovered.length;
      const outcomes = ["finished", "rolled_back", "failed"] as const;
      const parts = outcomes.map((o) => [o, this.recovered.filter((m) => m.outcome === o).length] as const).filter(([, c]) => c > 0);
      problems.push({
        kind: "moves_recovered",
        message: `${counted(n, "interrupted move")} ${noun(n, "was", "were")} recovered after a crash (${parts.map(([o, c]) => `${c} ${o.replace("_", " ")}`).join(", ")}); check the history`,
        link: "#/review",
      });
    }
    for (const warning of this.session.loaded.warnings) problems.push({ kind: "config", message: warning, link: "#/settings" });
    // Said before the user presses Scan (which would fail saying the same): a fresh data folder, or every folder removed.
    if (this.session.config.library_paths.length === 0 && !this.session.config.output_path) {
      problems.push({ kind: "no_library", message: "no library folder yet: add the folder that holds your audiobooks on the Settings page, then scan the library", link: "#/settings" });
    }
    const copy = this.copyOfView();
    if (copy) problems.unshift({ kind: "copied_data_folder", message: copy.message, link: "#/settings" });
    // Said for as long as this server runs (the command that finds the file says it once; a page may open later).
    if (this.session.emptyDatabase) problems.unshift({ kind: "empty_database", message: emptyDatabaseWarning(this.session.layout.database, "page"), link: null });
    const gone = this.dataFolderProblem();
    if (gone) problems.unshift({ kind: "data_folder_gone", message: gone, link: null });
    return {
      books_total: total,
      by_status: byStatus,
      joined: joined.length,
      books_with_errors: withErrors,
      job: this.job ? { ...this.job } : null,
      last_job: this.lastJob ? { ...this.lastJob } : null,
      layers: rows.map((row) => {
        const c = counts.get(row.layer_id);
        return { layer_id: row.layer_id, name: row.layer_name, enabled: row.enabled, state: row.state, ok: c?.ok ?? 0, error: c?.error ?? 0, skipped: c?.skipped ?? 0 };
      }),
      activity: [...this.activity].reverse(),
      problems,
      token_required: Boolean(this.options.tokenRequired),
      plugin_dir: this.session.pluginDir,
    };
  }

  /** `status`'s gone, recorded twice and back, in its words, each with links to its books: only the next scan records them. */
  private diskProblems(books: number, joined: ReadonlySet<number>): { kind: string; message: string; link: string | null; book_ids: number[]; more_books: boolean }[] {
    // Not while a job runs (its end asks again): its writes would make the answer stale before it came.
    if (!this.job && (!this.disk || elapsedNow() - this.disk.at > DISK_CHECK_MS)) {
      if (books <= (this.options.diskCheckInline ?? DISK_CHECK_INLINE_BOOKS)) this.disk = { at: elapsedNow(), found: diskFindings(this.session) };
      else this.checkDisk();
    }
    // A large library's first check, or its first since the data changed, not come yet: no word rather than a stale one.
    if (!this.disk) return [];
    const d = diskCheckView(withoutJoined(this.disk.found, joined));
    const problems = [];
    if (d.gone > 0) {
      problems.push({
        kind: "gone",
        message: `${counted(d.gone, "book")} ${noun(d.gone, "is", "are")} not where shelfwise recorded ${noun(d.gone, "it", "them")}: moved or deleted outside shelfwise, or on a drive not mounted; the next scan records that`,
        link: null,
        book_ids: d.gone_book_ids,
        more_books: d.gone > d.gone_book_ids.length,
      });
    }
    if (d.duplicates > 0) {
      problems.push({ kind: "duplicates", message: duplicatesWords(d.duplicates, "", "page"), link: null, book_ids: d.duplicate_book_ids, more_books: d.duplicates > d.duplicate_book_ids.length });
    }
    if (d.back > 0) {
      problems.push({
        kind: "back",
        message: `${counted(d.back, "missing book")} ${noun(d.back, "is", "are")} there again; the next scan records that`,
        link: null,
        book_ids: d.back_book_ids,
        more_books: d.back > d.back_book_ids.length,
      });
    }
    return problems;
  }

  /**
   * Asks the disk off the main thread (diskCheckOffThread); when the answer comes, every open page gets it in a status
   * event. One check at a time: asked while one runs, the running one serves, unless the data changed since it began
   * (then a new one follows it). Resolves when the current generation's answer is in (or the server closes).
   */
  checkDisk(): Promise<void> {
    const generation = this.diskGeneration;
    if (this.diskRun?.generation === generation) return this.diskRun.done;
    const before = this.diskRun?.done ?? Promise.resolve();
    const run = {
      generation,
      done: before.then(async () => {
        if (this.closed || this.diskGeneration !== generation) return;
        try {
          // A thread that died is started again for the next check (this one's answers came inline).
          if (this.checker?.failed) this.checker = null;
          this.checker ??= new ExistenceChecker({ workerSource: this.options.diskWorkerSource, remember: true });
          if (this.places?.generation !== generation) this.places = { generation, pages: new Map() };
          const places = this.places.pages;
          const found = await diskFindingsOffThread(this.session, () => this.closed || this.diskGeneration !== generation, this.checker, undefined, {
            keepChecker: true,
            readPlaces: (afterId, limit) => {
              let page = places.get(afterId);
              if (page === undefined) places.set(afterId, (page = listBookPlacesAfter(this.session.db, afterId, limit)));
              return page;
            },
          });
          if (!found || this.closed) return;
          const news = !this.disk || JSON.stringify(this.disk.found) !== JSON.stringify(found);
          this.disk = { at: elapsedNow(), found };
          if (news) this.changed();
        } catch (error) {
          // The database closed under it (shutdown), or the read failed: the next status asks again.
          if (!this.closed) this.session.log.warn({ event: "serve_disk_check_failed" }, (error as Error).message);
        } finally {
          if (this.diskRun === run) this.diskRun = null;
        }
      }),
    };
    this.diskRun = run;
    return run.done;
  }

  /** The status with the disk asked afresh, waited for (`GET /api/status`: a page opened, or an API client asking). */
  async freshStatus(): Promise<z.infer<typeof StatusView>> {
    this.followLibraryFolders();
    if (this.disk) this.disk.at = Number.NEGATIVE_INFINITY;
    if (!this.job && countBooks(this.session.db) > (this.options.diskCheckInline ?? DISK_CHECK_INLINE_BOOKS)) await this.checkDisk();
    return this.status();
  }

  /**
   * Every book of one kind the disk check finds (the Books page's `problem` filter): the check the dashboard shows
   * when it is fresh, else asked again as the status asks it (inline for a small library, off the main thread for a
   * large one, waited for). Null when no answer came (the server closing, or the data changing at every try).
   */
  async diskProblemIds(problem: DiskProblem): Promise<number[] | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.disk && elapsedNow() - this.disk.at <= DISK_CHECK_MS) return this.problemIds(this.disk.found, problem);
      if (countBooks(this.session.db) <= (this.options.diskCheckInline ?? DISK_CHECK_INLINE_BOOKS)) {
        this.disk = { at: elapsedNow(), found: diskFindings(this.session) };
      } else {
        await this.checkDisk();
      }
      if (this.closed) return null;
    }
    return this.disk ? this.problemIds(this.disk.found, problem) : null;
  }

  private problemIds(found: DiskFindings, problem: DiskProblem): number[] {
    return withoutJoined(found, new Set(joinedParts(this.session.db).map((j) => j.book_id)))[problem];
  }

  /** Interrupted moves settled (at open, or by an apply or undo): shown among the problems until dismissed. */
  noteRecovered(moves: readonly RecoveredMove[]): void {
    if (moves.length === 0) return;
    this.recovered.push(...moves);
    this.note("warn", `${counted(moves.length, "interrupted move")} recovered`);
  }

  recoveredMoves(): readonly RecoveredMove[] {
    return this.recovered;
  }

  /** The user has seen the job cut short (and will run it again, or not): off the dashboard. False when there was none. */
  dismissCutShort(): boolean {
    // Removed from the data folder, holding its lock: every tab, a reload and the next server agree.
    const had = this.withDataLock("dismissing the job cut short", () => clearCutShortNotice(this.session.db));
    this.cutShort = null;
    this.changed();
    return had;
  }

  dismissRecovered(): number {
    const n = this.recovered.length;
    this.recovered = [];
    this.changed();
    return n;
  }

  /**
   * A short write outside a job (a correction, a lock, a config edit): refused
   * while a job runs (it may be writing the same rows), and done holding the
   * data folder's lock so no CLI command writes beside it.
   */
  async withLock<T>(label: string, work: () => T | Promise<T>): Promise<T> {
    if (this.closed) throw new ApiError(503, "the server is shutting down");
    this.refuseIfDataFolderGone();
    if (this.job) throw new ApiError(409, `busy: ${this.job.label} is running; try again when it has finished`);
    if (this.writing) throw new ApiError(409, `busy: ${this.writing} is being saved; try again`);
    const lock = tryAcquireDataLock(this.dataDir, `serve: ${label}`);
    if (!lock) throw new ApiError(409, lockBusyForPages(this.dataDir, readLockHolder(this.dataDir)));
    this.writing = label;
    try {
      const done = await work();
      this.dataChanged();
      return done;
    } finally {
      this.writing = null;
      lock.release();
    }
  }

  /**
   * A settings write (plugin state, config.json, secrets.json) done holding the
   * data folder's lock, so no CLI command writes beside it. Unlike withLock it
   * is allowed while this server's own job runs (the lock is reentrant within
   * the process: disabling a misbehaving plugin mid-run must work); it is
   * refused (409) only while another process holds the lock.
   */
  withDataLock<T>(label: string, work: () => T): T {
    if (this.closed) throw new ApiError(503, "the server is shutting down");
    this.refuseIfDataFolderGone();
    const lock = tryAcquireDataLock(this.dataDir, `serve: ${label}`);
    if (!lock) throw new ApiError(409, lockBusyForPages(this.dataDir, readLockHolder(this.dataDir)));
    try {
      return work();
    } finally {
      lock.release();
    }
  }

  /**
   * Why nothing may be written any more, or null: the data folder was removed,
   * renamed or replaced (restored from a backup) while this server ran. Its
   * database is then no longer the file at the data folder's path, and what a
   * job wrote would go to a file nobody reads again (or, for settings, beside
   * a database that is not this server's).
   */
  dataFolderProblem(): string | null {
    if (databaseStillInPlace(this.session.db)) return null;
    return DATA_FOLDER_REPLACED(this.session.layout.root);
  }

  private refuseIfDataFolderGone(): void {
    const problem = this.dataFolderProblem();
    if (problem) throw new ApiError(503, problem);
  }

  note(level: ActivityRow["level"], message: string): void {
    this.activity.push({ at: new Date().toISOString(), level, message });
    if (this.activity.length > ACTIVITY_KEPT) this.activity.splice(0, this.activity.length - ACTIVITY_KEPT);
    this.changed();
  }

  changed(): void {
    this.hub.statusChanged(() => this.status());
  }

  /**
   * What the pages show was written outside a job: a correction or a lock (by another tab, too), or another
   * process's commit (a CLI `books set`, `scan`...). Every open page loads afresh (a `data` event), as it does when
   * a job ends: a book's page open in a second tab kept showing the value the first had replaced, and its next
   * save overwrote it unseen. Not sent for a job's progress, which only the status follows.
   */
  dataChanged(): void {
    this.dropDiskCheck();
    this.hub.publish("data", {});
    this.changed();
  }

  /** The books' records changed: the last disk check compared the disk with what they were. */
  private dropDiskCheck(): void {
    this.disk = null;
    this.places = null;
    this.diskGeneration++;
  }

  // ---- jobs ---------------------------------------------------------------------------

  /** A running job's progress, told to every page. */
  progress(job: Job, done: number, pending: number): void {
    job.done = done;
    job.pending = pending;
    this.changed();
  }

  /** The kind of the job in progress (what Stop stops), or null. */
  jobKind(): Job["kind"] | null {
    return this.job?.kind ?? null;
  }

  isBusy(): boolean {
    return this.job !== null;
  }

  /** Runs `work` as the one job, holding the data folder's lock; refuses (409) when busy. */
  startJob(kind: Job["kind"], label: string, work: (job: Job, signal: AbortSignal) => Promise<string>): Job {
    if (this.closed) throw new ApiError(503, "the server is shutting down");
    this.refuseIfDataFolderGone();
    if (this.job) throw new ApiError(409, `busy: ${this.job.label} is running; wait for it to finish or stop it`);
    if (this.writing) throw new ApiError(409, `busy: ${this.writing} is being saved; try again`);
    const lock = tryAcquireDataLock(this.dataDir, `serve: ${label}`);
    if (!lock) throw new ApiError(409, lockBusyForPages(this.dataDir, readLockHolder(this.dataDir)));
    const job: Job = {
      id: this.nextJobId++,
      kind,
      label,
      state: "running",
      started_at: new Date().toISOString(),
      finished_at: null,
      layer: null,
      done: 0,
      pending: 0,
      message: null,
      checked: null,
    };
    // A scan or run cut short by kill -9 or a power loss is told by the next command (app/cut-short-job.ts); apply and
    // undo have the move journal, settled at the next open.
    const marked = kind === "scan" || kind === "process";
    if (marked) {
      try {
        writeJobMarker(this.session.db, { kind, label, started_at: job.started_at, pid: process.pid });
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    this.job = job;
    const controller = new AbortController();
    this.controller = controller;
    this.note("info", `${label} started`);
    this.running = (async () => {
      try {
        job.message = await work(job, controller.signal);
        job.state = controller.signal.aborted ? "stopped" : "done";
        // Removed or replaced while the job ran: what it wrote went to a file nobody reads again.
        const gone = this.dataFolderProblem();
        if (gone) {
          job.state = "failed";
          job.message = gone;
        }
        // Searches stay fast: the books whose text changed are indexed now, while the lock is held. A failure here is
        // no failure of the job: its books are committed and searches read the queued ones (app/session.ts).
        try {
          syncBookSearch(this.session.db);
        } catch (error) {
          if (!this.dataFolderProblem()) this.note("warn", searchBehindWords(error, this.dataDir));
        }
      } catch (error) {
        job.state = "failed";
        // A full disk or a read-only file says what to do, in the web app's words (as a request's 503 does).
        job.message = describeEnvironmentError(error, this.dataDir, "server") ?? folderWordsForPages((error as Error).message, this.session.config, this.session.layout.root);
        this.session.log.error({ event: "serve_job_failed", kind }, (error as Error).message);
      } finally {
        if (marked) this.endMarker(kind);
        // What was cut short has now been run again to its end: the problem is over (as the CLI says it no more).
        if (job.state === "done" && (kind === "scan" || kind === "process")) jobRanToItsEnd(this.session.db, kind, label);
        lock.release();
        job.finished_at = new Date().toISOString();
        this.job = null;
        this.controller = null;
        this.lastJob = job;
        this.dropDiskCheck();
        this.note(job.state === "failed" ? "error" : "info", `${label} ${job.state}${job.message ? `: ${job.message}` : ""}`);
        this.hub.publish("job", job);
        this.checkPluginStates();
        // Settings changed while it ran: its books were judged by the old ones.
        try {
          this.rejudgeIfSettingsChanged();
        } catch (error) {
          this.note("warn", `the books were not judged again under the new settings: ${(error as Error).message}`);
        }
      }
      // Books being judged again (settings changed during the job): the run follows that (rejudgeIfSettingsChanged).
      if (this.runAfter && !this.closed && !this.judging) {
        this.runAfter = false;
        try {
          this.startProcess({});
        } catch {
          // Another writer took the lock meanwhile: the user starts the run later.
        }
      }
    })();
    return { ...job };
  }

  /**
   * Removes the job's marker, holding the lock. Refused twice (endJobMarker retries once), it is tried again before the
   * next job and as the server closes; meanwhile the activity list says the truth: the job ended, and a command run
   * before the marker is gone will say it was cut short.
   */
  private endMarker(kind: string): void {
    const error = endJobMarker(this.session.db);
    this.markerLeft = error !== null;
    if (error === null) return;
    this.session.log.warn({ event: "job_marker_left" }, (error as Error).message);
    const cause = describeEnvironmentError(error, this.dataDir, "server") ?? (error as Error).message;
    this.note("warn", `the ${kind} job ended, but its mark as running could not be removed (${cause}); until it is (at the next job, or as the server stops), another command may say the job was cut short: it was not, and nothing is lost`);
  }

  /** A marker left by endMarker, removed under the lock when the lock can be had (as the server closes). */
  private retryMarkerRemoval(): void {
    if (!this.markerLeft) return;
    const lock = tryAcquireDataLock(this.dataDir, "serve: removing a job's mark");
    if (!lock) return;
    try {
      if (endJobMarker(this.session.db) === null) this.markerLeft = false;
    } finally {
      lock.release();
    }
  }

  /** The id of the last job that ended (0: none yet). */
  lastJobId(): number {
    return this.lastJob?.id ?? 0;
  }

  /** Resolves when the current job (if any) has finished. */
  async idle(): Promise<void> {
    await this.running;
  }

  stop(): boolean {
    if (!this.controller) return false;
    this.controller.abort();
    return true;
  }

  /** A run is wanted (scan done, plugin changed): now if idle, else after the current job. */
  requestRun(): void {
    if (!this.autoRun || this.closed) return;
    // The books being judged again (a settings change): the run follows it, as it follows a job.
    if (this.job || this.judging) {
      this.runAfter = true;
      return;
    }
    try {
      this.startProcess({});
    } catch (error) {
      this.note("warn", `could not start a run: ${(error as Error).message}`);
    }
  }

  startScan(): Job {
    return this.startJob("scan", "scan", async (job) => {
      this.followLibraryFolders();
      const summary = await scanLibraryFolders(this.session, configuredRoots(this.session), (found) => {
        job.done = found;
        this.changed();
      });
      // The path as it is (a folder named like a command stays that name); the message's advice in a page's words.
      for (const problem of summary.problems) this.note("warn", SCAN_PROBLEM(problem.path, forPages(problem.message)));
      for (const link of summary.moved_links) this.note("info", movedLinkText(link));
      for (const folder of summary.parts_at_top) this.note("warn", partsAtTopText(folder));
      if (summary.found === 0) for (const folder of summary.moved_out) this.note("info", movedOutText(folder, outputFolder(this.session.config, this.session.layout.root)));
      if (this.autoRun) this.runAfter = true;
      return scanJobLine(summary);
    });
  }

  startProcess(options: { layer?: string; rerun?: boolean; before?: () => void }): Job {
    const enabled = this.enabledLayers();
    let layers = enabled;
    if (options.layer) {
      const layer = this.session.registry.get(options.layer);
      // A built-in switched off in config.json is in the registry too: it must not run (Open Library, off by default, calls the network).
      if (!layer || !enabled.includes(layer)) {
        const known = enabled.map((l) => l.info.layer_id);
        throw new ApiError(400, `unknown or inactive layer "${options.layer}"; runnable layers: ${known.join(", ")}`);
      }
      layers = [layer];
    }
    const label = options.layer ? `process (${options.layer})` : "process";
    return this.startJob("process", label, async (job, signal) => {
      options.before?.();
      if (options.rerun) clearRuns(this.session.db, options.layer);
      const baseline = runBaseline(this.session.db);
      const result = await runPipeline({
        ...pipelineSettings(this.session),
        layers,
        statusLayerIds: enabled.map((l) => l.info.layer_id),
        signal,
        onLayerStart: (layer, pending) => {
          job.layer = layer.info.layer_id;
          job.done = 0;
          job.pending = pending;
          this.changed();
        },
        onProgress: (_layer, done, pending) => this.progress(job, done, pending),
        onLayerEnd: (summary) => {
          if (summary.processed > 0) {
            this.note(summary.errors ? "warn" : "info", `${summary.layer_id}: ${counted(summary.processed, "book")}, ${summary.evidence_added} with evidence, ${counted(summary.errors, "error")}`);
          }
          this.checkPluginStates();
        },
      });
      job.layer = null;
      // An auto-disabled plugin leaves the pipeline now, not at the next reload.
      if (this.pluginStatesChanged) {
        this.pluginStatesChanged = false;
        await this.live.refresh();
      }
      // What changed for the user, in the CLI's words: "N books got a final status" said 0 after a rerun that changed nothing.
      // The page's words (it has the control): this sentence is the server's own, sent to pages only.
      return result.interrupted ? "stopped: use Process on the dashboard again to finish" : outcomeLines(processOutcome(this.session.db, baseline, result, [])).summary;
    });
  }

  private pluginStatesChanged = false;

  /** Publishes plugin state changes (auto-disable during a run) to every page. */
  checkPluginStates(): void {
    for (const row of allPluginStates(this.session.db)) {
      const before = this.pluginStates.get(row.plugin_id);
      if (before === row.state) continue;
      this.pluginStates.set(row.plugin_id, row.state);
      if (before === undefined && row.state === "enabled") continue;
      this.pluginStatesChanged = true;
      this.hub.publish("plugin", { plugin_id: row.plugin_id, state: row.state, reason: row.reason });
      const what = attachedSources(this.session).some((source) => source.definition.id === row.plugin_id) ? "HTTP source" : "plugin";
      // The reason in a page's words before it is put in the note (its own values, a plugin's last error, kept): the
      // note's whole text rewritten reworded a plugin's error that read like advice (SCAN_PROBLEM does the same).
      this.note(row.state === "auto-disabled" ? "error" : "info", row.reason ? STATE_CHANGED[row.state](what, row.plugin_id, forPages(row.reason)) : `${what} ${row.plugin_id}: ${row.state}`);
    }
  }

  private dataVersion: number | null = null;
  private syncing: Promise<void> | null = null;

  /**
   * Picks up what another process wrote to the database between this
   * server's jobs (a CLI `plugins disable`, `plugins reset`, `scan`...):
   * SQLite's data_version changes only for other connections' commits, so
   * this is one cheap pragma when nothing happened. A plugin whose state
   * changed is reloaded, so the pages, the layers and the next run agree with
   * `plugins list`. Called before the pages read plugins or status, and on a
   * timer so open dashboards follow too.
   */
  syncFromDisk(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.syncing) return this.syncing;
    if (!this.job && this.configToFollow()) {
      const following: Promise<void> = this.followConfigFiles()
        .catch((error: Error) => this.note("warn", `settings: reload failed: ${error.message}`))
        .then(() => {
          if (this.syncing === following) this.syncing = null;
        })
        .then(() => this.syncFromDisk());
      this.syncing = following;
      return following;
    }
    if (!this.job && this.judgedFor !== this.session.config) {
      try {
        this.rejudgeIfSettingsChanged();
      } catch (error) {
        this.note("warn", `the books were not judged again under the new settings: ${(error as Error).message}`);
      }
    }
    const version = this.session.db.pragma("data_version", { simple: true }) as number;
    if (version === this.dataVersion) return Promise.resolve();
    // Not the first look (the server's own start), and no job of this server's running (its own worker
    // connections commit too, and its end reloads the pages anyway): another process committed since.
    const other = this.dataVersion !== null && !this.job;
    this.dataVersion = version;
    this.checkPluginStates();
    if (other) this.dataChanged();
    else this.changed();
    if (!this.pluginStatesChanged || this.job) return Promise.resolve();
    this.pluginStatesChanged = false;
    const syncing: Promise<void> = this.live
      .refresh()
      .then(
        () => this.changed(),
        (error: Error) => this.note("warn", `plugins: reload failed: ${error.message}`),
      )
      .finally(() => {
        if (this.syncing === syncing) this.syncing = null;
      });
    this.syncing = syncing;
    return syncing;
  }

  /** After a plugin's state, config or secrets changed: reload it and run what is pending. */
  async pluginsChanged(): Promise<void> {
    this.reloadConfig();
    this.checkPluginStates();
    this.pluginStatesChanged = false;
    await this.live.refresh();
    this.changed();
  }

  /**
   * Looks for what other processes write to the data folder (a CLI `scan`, `apply`, `library add`, `secrets set`,
   * a job marker ended) every `everyMs` until close, a page open or not: open pages follow it and the next job uses
   * it. `serve` and the tests' web app run the server this one way.
   */
  followDisk(everyMs = FOLLOW_DISK_MS): void {
    if (this.following || this.closed) return;
    this.following = setInterval(() => void this.syncFromDisk().catch(() => {}), everyMs);
    this.following.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.following);
    this.stopRecoveryWatch();
    this.stop();
    await this.running;
    await this.judging;
    await this.diskRun?.done;
    this.checker?.close();
    this.hub.closeAll();
    await this.live.stop();
    await this.plans.close();
    this.retryMarkerRemoval();
    await this.session.close();
  }
}

/** The scan job's result line (the dashboard's "Last:" and the activity list): what `scan` prints, in one line. */
export function scanJobLine(summary: Omit<ScanSummaryView, "exit_code">): string {
  return `books found: ${summary.found}, new: ${summary.new}, changed: ${summary.changed}, missing: ${summary.missing}, back again: ${summary.returned}, ${summary.moved > 0 ? `moved: ${summary.moved}, ` : ""}problems: ${summary.problems.length}${summary.moved_library > 0 ? `; ${summary.moved_library} ${summary.moved_library === 1 ? "book" : "books"} recognized under the new library folder` : ""}${summary.moved_rounded > 0 ? `; ${summary.moved_rounded} ${summary.moved_rounded === 1 ? "book" : "books"} recognized with ${summary.moved_rounded === 1 ? "its" : "their"} files' times rounded by a copy (FAT or exFAT)` : ""}${summary.merged > 0 ? `; ${summary.merged} ${summary.merged === 1 ? "book" : "books"} recorded twice by an older shelfwise made one` : ""}${summary.duplicates > 0 ? `; ${summary.duplicates} ${summary.duplicates === 1 ? "book" : "books"} recorded twice left as two (the new record holds corrections, a lock or moves of yours: "Needs you" on the dashboard says what to do)` : ""}${summary.parts_joined > 0 ? `; ${summary.parts_joined} ${summary.parts_joined === 1 ? "book" : "books"} recorded under a library folder taken out read as part of a book found here (that folder was one book's folder)` : ""}`;
}

/** config.json's and secrets.json's identity and size and time of their last change: any write changes it (atomic ones too). */
export function configFilesMark(layout: Pick<DataDirLayout, "config" | "secrets">): string {
  const mark = (file: string) => {
    try {
      const st = fs.statSync(file, { bigint: true });
      return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch {
      return "none";
    }
  };
  return `${mark(layout.config)}|${mark(layout.secrets)}`;
}

/** The top-level keys whose values differ between two configs. */
function changedKeys(before: Config, after: Config): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort();
}

/** The disk check's findings but for retired parts' records: `missing`, their files there inside the book they joined. */
function withoutJoined(found: DiskFindings, joined: ReadonlySet<number>): DiskFindings {
  return joined.size === 0 ? found : { ...found, back: found.back.filter((id) => !joined.has(id)) };
}

const SHOWN_JOINED = 10;

/** `status`'s "joined into another book", in the pages' words: each part's record and the book holding its files. */
function joinedProblem(joined: readonly JoinedPart[]): { kind: string; message: string; link: string | null; book_ids: number[]; more_books: boolean } {
  const n = joined.length;
  const shown = joined.slice(0, SHOWN_JOINED);
  const into = [...new Set(shown.map((j) => j.into_book_id))];
  const named = (j: JoinedPart) => (j.into_book_id === null ? "another book" : `book ${j.into_book_id}${j.into_title === null ? "" : ` (${JSON.stringify(j.into_title)})`}`);
  const where = into.length === 1 ? named(shown[0]!) : "the books holding their files";
  return {
    kind: "joined",
    message: `${counted(n, "book")} recorded under a library folder taken out ${noun(n, "is", "are")} joined into ${where}: ${noun(n, "its", "their")} files are part of that book now, and your corrections are kept on ${noun(n, "it", "them")} (not lost, not missing): open ${noun(n, "it", "each")} to put what you want of them on ${into.length === 1 ? named(shown[0]!) : "the book holding its files"}`,
    link: "#/books?status=missing",
    book_ids: shown.map((j) => j.book_id),
    more_books: n > shown.length,
  };
}
