import { roundedMs } from "../../domain/duration-round.js";
import { shellWord } from "../../domain/shell-word.js";
import fs from "node:fs";
import { counted } from "../../domain/plural.js";
import { didYouMean } from "../../domain/closest-name.js";
import { shownTime } from "../../domain/time-text.js";
import path from "node:path";
import type { Session } from "../../app/session.js";
import { openCommandSession, requireDataFolder } from "../session.js";
import { attachPlugins, pluginSettings } from "../../app/attach-plugins.js";
import { applyLastStarts } from "../../plugins/manager/plugin-start-record.js";
import { dataFolderProblem } from "../../plugins/process/data-quota.js";
import { loadSharedSecrets, ownSecretProblem, readConfigObject } from "../../config/config-file.js";
import { enableKeyFor, loadPlugins, type PluginEntry } from "../../plugins/manager/plugin-manager.js";
import { HarnessError, runPlugin, validatePlugin } from "../../plugins/authoring/plugin-harness.js";
import { validateManifestFile } from "../../plugins/manifest/discovery.js";
import { scaffoldPlugin, ScaffoldError, SCAFFOLD_LANGS, type ScaffoldLang } from "../../plugins/authoring/scaffold.js";
import { ensureSdkLink } from "../../plugins/staging/staging.js";
import { clearFailedRuns, getPluginState, recentCalls, setPluginState, type CallRow } from "../../store/plugin-health.js";
import { callLogEntryView } from "../../app/views/call-log.js";
import { pluginLogTail } from "../../app/plugin-log-tail.js";
import { grantsLookedAt, pluginEntryView, secretStanding } from "../../app/views/plugin-entry.js";
import type { PluginTestView, PluginValidateView } from "../../app/views/plugin-check.js";
import { pluginHealthView, sourceHealthView } from "../../app/views/plugin-health.js";
import { listHttpSources } from "../../app/http-sources.js";
import { scanLibrary } from "../../library/scan.js";
import { previewBook } from "../../pipeline/preview.js";
import { localLayers } from "../../app/builtin-layers.js";
import { UserError } from "../errors.js";
import { userPath } from "../../config/user-path.js";
import { DEFAULT_DATA_DIR } from "../../config/data-dir.js";
import { EXIT } from "../../app/exit-codes.js";
import { FAILURE_OUTCOMES, type CallOutcome } from "../../plugins/plugin-types.js";
import { withWriteLock } from "../write-lock.js";
import { readPluginOwners } from "../../store/plugin-owners.js";
import { grantSecrets, revokeSecrets } from "../../store/plugin-grants.js";
import { pluginDirSecretDecisions } from "../../plugins/manager/plugin-manager.js";
import { folderRefusals, refusalReason } from "../../plugins/manager/secret-grants.js";
import { secretIsSet, withOwnSecretSettings, withoutSecretSettings } from "../../plugins/manifest/secret-settings.js";
import { printJson, printLines, shown, terminalSafeLines, printTable, noteLine, warnLine } from "../output.js";
import { handWrittenSecretAdvice, handWrittenSecretSettings } from "../secret-settings-in-config.js";
import { quotedInput } from "../../domain/quoted-input.js";
import { recordsNothing } from "../interrupt.js";
import { ADVICE } from "../../domain/command-advice.js";


type Opts = { dataDir?: string; json?: boolean; probe?: boolean };

/** Runs a `plugins` subcommand against the session of `dataDir`. */
export function pluginsCommand<A extends unknown[]>(
  dataDir: string,
  run: (session: Session, ...args: A) => Promise<void> | void,
  ...args: A
): Promise<void> {
  return withSession(dataDir, (session) => run(session, ...args));
}

async function withSession(dataDir: string, run: (session: Session) => Promise<void> | void): Promise<void> {
  const session = await openCommandSession(dataDir);
  try {
    await run(session);
  } finally {
    await session.close();
  }
}

/**
 * The plugins as stored: the folders, the states and the last recorded start of each, with no plugin code run
 * (a start costs an interpreter per plugin, counts in its health, and competes with a running `serve`'s own
 * processes). `--probe` starts every active plugin (load and setup, in parallel) to check it really starts.
 */
async function checkedPlugins(session: Session, opts: Opts): Promise<PluginEntry[]> {
  if (opts.probe) {
    const entries = await attachPlugins(session, { start: true });
    for (const e of entries) if (e.layer || (e.state === "failed" && e.spec)) e.start_check = "probed";
    return entries;
  }
  const entries = await attachPlugins(session, { start: false });
  applyLastStarts(session.db, entries);
  // Measured, not started: a data folder over its bound is refused before any process exists, as a start would.
  await Promise.all(
    entries.map(async (e) => {
      if (e.state !== "active" || !e.spec) return;
      const overBound = await dataFolderProblem(e.spec);
      if (overBound) Object.assign(e, { state: "failed", reason: overBound, start_check: null });
    }),
  );
  return entries;
}

/** Said under the table: how the states of plugins that must start to be known were found. */
function startLines(entries: readonly PluginEntry[], opts: Opts): string[] {
  if (opts.probe) return entries.some((e) => e.start_check === "probed") ? ["started every active plugin to check it (--probe)"] : [];
  const lines: string[] = [];
  for (const e of entries) {
    const id = shown(e.id ?? path.basename(e.folder));
    if (e.start_check === "not_started")
      lines.push(`  ${id} not started ${e.last_start ? "since its files or settings changed" : "yet"}: whether it loads is known at its next start (\`shelfwise process\`, or \`--probe\`)`);
    else if (e.start_check === "last_start" && e.state === "failed") lines.push(`  ${id} failed at its last start, ${shown(shownTime(e.last_start!))} (\`--probe\` starts it again)`);
  }
  return lines;
}

export async function listPlugins(session: Session, opts: Opts): Promise<void> {
  const entries = await checkedPlugins(session, opts);
  if (opts.json) return printJson(entries.map(pluginEntryView));
  if (entries.length === 0) {
    printLines(`no plugins in ${shown(session.pluginDir)} (\`shelfwise plugins new ID\` writes one)`);
    return;
  }
  await printTable(
    ["ID", "STATE", "RUNTIME", "SANDBOX", "ORDER", "VERSION", "REASON"],
    entries.map((e) => [e.id ?? path.basename(e.folder), e.state, e.runtime, e.sandbox, e.default_order, e.version, e.reason]),
    { cut: ["SANDBOX", "VERSION"] },
  );
  // What each plugin asks for of secrets.json, and what it was given: a plugin dropped in may name another's key.
  for (const e of entries) {
    const asked = e.discovered.manifest?.requires_secrets ?? [];
    if (e.id === null || asked.length === 0 || !grantsLookedAt(e)) continue;
    const each = asked.map((name) => `${name} (${secretStanding(e, name)})`);
    printLines(`  ${shown(e.id)} secrets: ${shown(each.join(", "))}`);
  }
  // The manifest's warnings (unknown keys, a name that reads as another layer's): the pages show them, so does the list.
  for (const e of entries) for (const w of e.warnings) printLines(`  ${shown(e.id ?? path.basename(e.folder))} warning: ${shown(w)}`);
  for (const found of handWrittenSecretSettings(session.layout.root, session.pluginDir, readConfigObject(session.layout.root).plugin_configs)) warnLine(handWrittenSecretAdvice(found));
  // Said once for all: the lacks are the machine's, the same for every plugin of a runtime.
  const lacks = new Set(entries.flatMap((e) => e.sandbox_lacks));
  if (lacks.size > 0) printLines(`sandbox lacks: ${shown([...lacks].join("; "))}`);
  const starts = startLines(entries, opts);
  if (starts.length > 0) printLines(...starts);
}

export async function pluginHealth(session: Session, opts: Opts): Promise<void> {
  const all = await checkedPlugins(session, opts);
  const entries = all.filter((e) => e.id);
  const configs = session.config.plugin_configs;
  const rows = [
    ...entries.map((entry) => pluginHealthView(session.db, entry as PluginEntry & { id: string }, configs[entry.id!] ?? {})),
    // HTTP sources call out too, with the same health and auto-disable: one table answers "what is failing".
    ...listHttpSources(session).map(sourceHealthView),
  ];
  if (opts.json) return printJson(rows);
  if (rows.length === 0) {
    printLines(
      all.length === 0
        ? `no plugins in ${shown(session.pluginDir)} (\`shelfwise plugins new ID\` writes one)`
        : `no plugin in ${shown(session.pluginDir)} could be read (\`shelfwise plugins list\` says why for each folder)`,
    );
    return;
  }
  await printTable(
    ["ID", "KIND", "STATE", "SUCCESS", "AVG MS", "P95 MS", "PROCESSED", "RESOLVED", "SKIPPED", "FAILS", "CONC", "PEAK", "LAST RUN"],
    rows.map((r) => [
      r.plugin_id,
      r.kind,
      r.state,
      r.success_rate === null ? "-" : `${Math.round(r.success_rate * 100)}%`,
      r.avg_duration_ms ?? "-",
      r.p95_duration_ms ?? "-",
      r.total_processed,
      r.total_resolved,
      r.total_skipped,
      r.consecutive_failures,
      r.concurrency,
      r.peak_in_flight,
      r.last_run === null ? "never" : shownTime(r.last_run),
    ]),
  );
  for (const r of rows) {
    if (r.reason) printLines(`  ${shown(r.plugin_id)} ${shown(r.state)}: ${shown(r.reason)}`);
    if (r.kind === "plugin") printLines(`  ${shown(r.plugin_id)} sandbox: ${shown(r.sandbox ?? "-")}${r.sandbox_lacks.length ? `; lacks ${shown(r.sandbox_lacks.join("; "))}` : ""}`);
    for (const e of r.recent_errors) printLines(`  ${shown(r.plugin_id)} ${shown(shownTime(e.timestamp))} ${shown(e.outcome)}: ${shown(e.message)}`);
    for (const w of r.end_warnings) printLines(`  ${shown(r.plugin_id)} at its last run's end: ${shown(w)}`);
    if (r.total_not_run > 0)
      printLines(
        `  ${shown(r.plugin_id)} not run: ${counted(r.total_not_run, "book")} never reached it (a batch gave up on its lost processes; only those losses count as failures): \`shelfwise plugins logs ${shown(r.plugin_id)}\` says why`,
      );
  }
  const starts = startLines(entries, opts);
  if (starts.length > 0) printLines(...starts);
}

export async function pluginLogs(session: Session, id: string, opts: Opts): Promise<void> {
  const calls = recentCalls(session.db, id, 20) as (CallRow & { id: number })[];
  if (calls.length === 0 && !getPluginState(session.db, id)) {
    const known = (await loadPlugins(session.db, pluginSettings(session))).map((e) => e.id).filter(Boolean);
    if (!known.includes(id)) throw unknownPlugin(session, id, known);
  }
  const log = session.layout.pluginLogFile(id);
  // --json stays the array of calls the issue promised scripts (stable output); the tail is for the reader.
  if (opts.json) return printJson(calls.map(callLogEntryView));
  const hasLog = fs.existsSync(log);
  const tail = hasLog ? pluginLogTail(session.layout, id, LOG_TAIL_LINES) : [];
  if (calls.length === 0) printLines(`no calls recorded for plugin "${shown(id)}"`);
  else {
    await printTable(
      ["TIME", "BOOK", "OUTCOME", "MS", "ERROR"],
      // No book: the plugin's process was lost in a way no call answers for (it closed its input).
      // Rows written before durations were rounded hold float noise, as `--json` rounds them.
      calls.map((c) => [shownTime(c.at), c.book_id ?? "-", c.outcome, roundedMs(c.duration_ms), c.error]),
    );
  }
  if (!hasLog) return;
  printLines(`plugin output (stdout, stderr): ${shown(log)}`);
  // The log keeps control characters escaped; shown() again, as a line written before that rule may hold them.
  if (tail.length > 0) printLines(`last ${tail.length === 1 ? "line" : `${tail.length} lines`}:`, ...tail.map((line) => `  ${shown(line)}`));
}

/** As many lines of the output log as `plugins test` shows of a run. */
const LOG_TAIL_LINES = 20;

/** An id that names no plugin is bad input (exit 2), as every unknown id or name; nothing was changed. */
function unknownPlugin(session: Session, id: string, ids: readonly (string | null)[]): UserError {
  const known = ids.filter((k): k is string => Boolean(k));
  return new UserError(`no plugin with id ${quotedInput(id)}${didYouMean(id, known)}${known.length ? `; known: ${known.join(", ")}` : ` in ${session.pluginDir}`}`, EXIT.badInput);
}

/**
 * A path typed on the command line, or undefined when there is nothing there as typed: a name longer than the
 * file system takes (ENAMETOOLONG), a file on the way (ENOTDIR) or a link loop is a typo too (exit 2), as for
 * library folders (library-arguments.ts), not a failure of the machine.
 */
function statAsTyped(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (error) {
    if (["ENOENT", "ENOTDIR", "ENAMETOOLONG", "ELOOP"].includes((error as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw error;
  }
}

/** A plugin folder given on the command line that is not there: a typo, said before the harness runs. */
function requirePluginFolder(folder: string): void {
  const stat = statAsTyped(folder);
  if (!stat) throw new UserError(`plugin folder ${folder} does not exist; give the folder that holds the plugin's manifest.json`, EXIT.badInput);
  if (!stat.isDirectory()) throw new UserError(`${folder} is not a folder; give the folder that holds the plugin's manifest.json`, EXIT.badInput);
}

/**
 * enable, disable, reset: state changes, so they hold the data-folder lock. The id is checked before the
 * wait: a typo is bad input (exit 2) at once, not "the lock is busy" (exit 1) after `--wait` seconds. The
 * folders are read once, for that check; under the lock only the database is read (a held id's handover).
 */
export async function switchPluginCommand(dataDir: string, id: string, action: "enable" | "disable" | "reset", wait?: string): Promise<void> {
  requireDataFolder(dataDir);
  return withSession(dataDir, async (session) => {
    await requireSwitchTarget(session, id, action);
    return withWriteLock(dataDir, `plugins ${action}`, wait, () => switchPlugin(session, id, action));
  });
}

/** The plugin `id` names, or bad input: an HTTP source's id (switched by `sources`), or no plugin at all. */
async function requireSwitchTarget(session: Session, id: string, action: string): Promise<PluginEntry | undefined> {
  const entries = await loadPlugins(session.db, pluginSettings(session));
  const entry = entries.find((e) => e.id === id && e.id_claim !== "refused") ?? entries.find((e) => e.id === id);
  // HTTP sources keep their state in the same table: switched here, a source would only half change.
  if (!entry && session.config.http_sources.some((source) => source.id === id)) {
    throw new UserError(`${shown(id)} is an HTTP source, not a plugin: use \`shelfwise sources ${action} ${shown(id)}\``, EXIT.badInput);
  }
  if (!entry && !getPluginState(session.db, id)) {
    throw unknownPlugin(session, id, entries.map((e) => e.id));
  }
  return entry;
}

export async function switchPlugin(session: Session, id: string, action: "enable" | "disable" | "reset"): Promise<void> {
  // Said when nothing changed, as `book --lock` of a locked book says it: "disabled" twice read as two changes. On
  // stdout: a no-op is the command's outcome (README, output conventions).
  const before = getPluginState(session.db, id)?.state;
  if (action === "disable") {
    setPluginState(session.db, id, "disabled", `disabled by the user (${ADVICE.pluginEnable.cli()})`);
    printLines(before === "disabled" ? `plugin ${shown(id)} was already disabled` : `plugin ${shown(id)} disabled`);
    return;
  }
  // A folder waiting for an id whose owner left gets it now (store/plugin-owners.ts): said, as it is a handover.
  // Read under the lock from the database, which is what enabling hands over.
  const held = readPluginOwners(session.db).get(id.toLowerCase())?.held_folder ?? null;
  setPluginState(session.db, id, "enabled", null, { resetFailures: true });
  if (held) printLines(`plugin ${shown(id)} now belongs to ${shown(path.join(session.pluginDir, held))}, with its settings, secrets and data`);
  if (action === "reset") {
    const retried = clearFailedRuns(session.db, id, { inFlight: true });
    printLines(`plugin ${shown(id)} reset: enabled, failure count cleared, ${counted(retried, "failed book")} will be retried`);
  } else {
    printLines(before === "enabled" ? `plugin ${shown(id)} was already enabled` : `plugin ${shown(id)} enabled`);
  }
  // The database's state is on; config.json's own switch still wins, so say so rather than claim it will run.
  if ((session.config as Record<string, unknown>)[enableKeyFor(id)] === false) {
    noteLine(`config.json sets ${enableKeyFor(id)}: false, which keeps ${shown(id)} out of the pipeline; remove that key (or set it to true) to run it`);
  }
}

/**
 * grant, revoke: which secrets of secrets.json a plugin is handed (store/plugin-grants.ts). A grant names
 * secrets the plugin declares; a value set for another plugin by that name is then this one's too.
 */
export async function grantCommand(dataDir: string, id: string, names: string[], action: "grant" | "revoke", wait?: string): Promise<void> {
  requireDataFolder(dataDir);
  return withSession(dataDir, async (session) => {
    const entry = await requireSwitchTarget(session, id, action);
    for (const name of names) {
      const own = ownSecretProblem(name);
      if (own) throw new UserError(`${quotedInput(name)}: ${own}`, EXIT.badInput);
    }
    const declared = entry?.discovered.manifest?.requires_secrets ?? [];
    const undeclared = names.filter((name) => !declared.includes(name));
    if (action === "grant" && undeclared.length > 0) {
      throw new UserError(
        `plugin ${shown(id)} does not declare ${undeclared.map((name) => quotedInput(name)).join(", ")} in requires_secrets (it declares: ${declared.length ? declared.join(", ") : "none"}); only declared secrets can be granted`,
        EXIT.badInput,
      );
    }
    return withWriteLock(dataDir, `plugins ${action}`, wait, async () => {
      const changed = action === "grant" ? grantSecrets(session.db, id, names, "user") : revokeSecrets(session.db, id, names, declared);
      for (const name of names) {
        const did = changed.includes(name);
        if (action === "grant") printLines(did ? `granted ${shown(name)} to plugin ${shown(id)}` : `${shown(name)} was already granted to plugin ${shown(id)}`);
        else printLines(did ? `revoked ${shown(name)} from plugin ${shown(id)}: it is skipped until granted again` : `${shown(name)} was not granted to plugin ${shown(id)}`);
      }
      if (action === "grant") {
        const secrets = loadSharedSecrets(session.layout.root);
        const unset = names.filter((name) => !secretIsSet(secrets[name]));
        // A warning (granted, but the plugin gets nothing until it is set), not the outcome: on stderr, as config.json's switch's.
        if (unset.length) noteLine(`${unset.map(shown).join(", ")} not set in ${shown(session.layout.secrets)} yet: add ${unset.length === 1 ? "it" : "them"} there (a flat object of names to strings)`);
      }
    });
  });
}

function harnessOptions(session: Session, folder: string) {
  const config = session.config;
  // Read as discovery reads every manifest (a file, at most 1 MiB): a manifest.json that is a FIFO or a
  // link to /dev/zero would otherwise block this read for ever. The harness reports a broken manifest itself.
  const id = validateManifestFile(folder).id;
  const shared = loadSharedSecrets(session.layout.root);
  return {
    id,
    config: id ? withOwnSecretSettings(id, (config.plugin_configs[id] as Record<string, unknown> | undefined) || {}, shared) : {},
    secrets: grantedOnly(session, folder, id, withoutSecretSettings(shared)),
    secretNames: Object.keys(withoutSecretSettings(shared)),
    dataDir: session.layout.root,
    pluginDir: session.pluginDir,
    // Resolved as the pipeline resolves them: one builder of what a plugin gets.
    pythonPath: pluginSettings(session).pythonPath,
    libraryPaths: pluginSettings(session).libraryPaths,
  };
}

export async function validateCommand(session: Session, dir: string, opts: Opts): Promise<void> {
  const folder = userPath(dir);
  requirePluginFolder(folder);
  try {
    const plugin = await validatePlugin(folder, harnessOptions(session, folder));
    // "ok" of a TypeScript plugin with a type error read as "its types are right": they are stripped, never
    // checked. tsc is not run here: seconds of CPU and a typescript install the user may not have.
    const typeScript = /\.[mc]?ts$/.test(plugin.entry_real_path ?? "");
    if (opts.json) return printJson({ ok: true, id: plugin.id!, runtime: plugin.runtime!, warnings: plugin.warnings, ...(typeScript ? { types_checked: false as const } : {}) } satisfies PluginValidateView);
    for (const w of plugin.warnings) printLines(`warning: ${shown(w)}`);
    printLines(`ok: ${shown(plugin.id)} (${plugin.runtime}) loads and sets up`);
    if (typeScript) {
      printLines(
        `note: its TypeScript types were not checked (shelfwise strips them: a type error still loads and runs); check them with \`npx -p typescript tsc --noEmit\` in ${shown(folder)}${fs.existsSync(path.join(folder, "tsconfig.json")) ? "" : " (with a tsconfig.json there: `shelfwise plugins new ID --lang ts` writes one)"}`,
      );
    }
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    const message = harnessProblem(session, folder, error);
    if (opts.json) {
      printJson({ ok: false, errors: message.split("\n"), ...startOutputJson(error) } satisfies PluginValidateView);
      throw new UserError(error.missing ? `plugin in ${folder} cannot run` : `plugin in ${folder} is not valid`);
    }
    throw new UserError(error.missing ? `plugin in ${folder} cannot run here (skipped):\n${message}` : `plugin in ${folder} is not valid:\n${message}${startOutputText(error)}`);
  }
}

/**
 * The secrets a folder run by `plugins test` / `validate` may have, by the pipeline's rule (secret-grants.ts):
 * the plugin directory's folder that owns the id gets what that id is granted; a folder elsewhere (a download
 * tried out before installing) gets a set secret only when no installed plugin id but its own has it, so it is
 * not handed another plugin's key.
 */
function grantedOnly(session: Session, folder: string, id: string | null, secrets: Record<string, string>): Record<string, string> {
  const refused = new Set(secretRefusals(session, folder, id, Object.keys(secrets)).map((refusal) => refusal.name));
  return Object.fromEntries(Object.entries(secrets).filter(([name]) => !refused.has(name)));
}

function secretRefusals(session: Session, folder: string, id: string | null, names: readonly string[]) {
  // First: the installed plugins ask (first use recorded), so the folder's owner has its grants at once.
  const decisions = pluginDirSecretDecisions(session.db, pluginSettings(session));
  const ownedElsewhere = id !== null && readPluginOwners(session.db).has(id.toLowerCase()) && !ownsId(session, folder, id);
  return folderRefusals(decisions, id, names, ownedElsewhere);
}

/** Whether `folder` is (really) the plugin directory's folder that owns `id` (store/plugin-owners.ts). */
function ownsId(session: Session, folder: string, id: string): boolean {
  const owner = readPluginOwners(session.db).get(id.toLowerCase());
  try {
    // No owner recorded yet (no command has loaded the plugins since it was dropped in): a folder of the plugin
    // directory, which the first load makes the owner of an id no other folder had.
    if (!owner) return fs.realpathSync(path.dirname(path.resolve(folder))) === fs.realpathSync(session.pluginDir);
    return fs.realpathSync(path.join(session.pluginDir, owner.folder)) === fs.realpathSync(folder);
  } catch {
    return false;
  }
}

/**
 * The harness's reason, for this data folder: a plugin skipped for want of config or secrets
 * gets them from config.json and secrets.json here (the harness itself names its options).
 */
/**
 * What a plugin that failed to start printed (its debugging lines, the stack or traceback with file and line):
 * the reason alone is the error's last line, and the log it points to is one more file to open, or, for a
 * folder tried outside the plugin directory, in a temporary folder already removed.
 */
function startOutputText(error: HarnessError): string {
  if (error.output.length === 0) return "";
  return ["", "", "plugin output (print, console, logging, tracebacks):", ...error.output.map((line) => `  ${shown(line)}`)].join("\n");
}

function startOutputJson(error: HarnessError): { output?: string[] } {
  return error.output.length > 0 ? { output: error.output } : {};
}

function harnessProblem(session: Session, folder: string, error: HarnessError): string {
  if (!error.missing) return error.message;
  const id = validateManifestFile(folder).id ?? "<id>";
  const lines: string[] = [];
  if (error.missing.config.length) {
    lines.push(`missing config: add ${error.missing.config.map((k) => JSON.stringify(k)).join(", ")} to "plugin_configs": { ${JSON.stringify(id)}: { ... } } in ${session.layout.config}`);
  }
  const secrets = loadSharedSecrets(session.layout.root);
  const absent = error.missing.secrets.filter((name) => !secretIsSet(secrets[name]));
  const ungranted = error.missing.secrets.filter((name) => secretIsSet(secrets[name]));
  if (absent.length) {
    lines.push(`missing secrets: add ${absent.map((k) => JSON.stringify(k)).join(", ")} to ${session.layout.secrets} (a flat object of names to strings; chmod 600)`);
  }
  if (ungranted.length) {
    const refusals = secretRefusals(session, folder, id, ungranted);
    if (ownsId(session, folder, id)) lines.push(`secrets not granted to ${id}: ${refusalReason(id, refusals)}`);
    else {
      lines.push(
        `secrets not handed to this folder: ${refusals.map((r) => r.name).join(", ")}; a folder outside ${session.pluginDir} gets a secret of secrets.json only when no installed plugin has it: put the plugin there and run \`shelfwise plugins grant ${id} ${refusals.map((r) => r.name).join(" ")}\` to share it`,
      );
    }
  }
  return lines.join("\n");
}

/**
 * The scaffold's language from --lang or --runtime (the manifest docs speak of runtimes: node, python):
 * either, not two that disagree.
 */
export function scaffoldLang(opts: { lang?: string; runtime?: string }): string {
  const runtime = opts.runtime === "node" ? "js" : opts.runtime;
  if (opts.lang !== undefined && runtime !== undefined && opts.lang !== runtime) {
    throw new UserError(`--lang ${quotedInput(opts.lang)} and --runtime ${quotedInput(opts.runtime!)} disagree: give one of them`, EXIT.badInput);
  }
  const lang = opts.lang ?? runtime ?? "js";
  if (!(SCAFFOLD_LANGS as readonly string[]).includes(lang)) {
    const option = opts.lang !== undefined ? "--lang" : "--runtime";
    throw new UserError(`${option} must be one of ${SCAFFOLD_LANGS.join(", ")}${option === "--runtime" ? " (or node, for js)" : ""}, not ${quotedInput(opts.lang ?? opts.runtime!)}`, EXIT.badInput);
  }
  return lang;
}

export function newCommand(session: Session, id: string, lang: string): void {
  if (!(SCAFFOLD_LANGS as readonly string[]).includes(lang)) throw new UserError(`--lang must be one of ${SCAFFOLD_LANGS.join(", ")}`, 2);
  try {
    const { folder, files } = scaffoldPlugin(session.pluginDir, id, lang as ScaffoldLang);
    ensureSdkLink(session.pluginDir);
    printLines(`wrote ${shown(folder)}: ${files.map(shown).join(", ")}`);
    printLines(`next: shelfwise plugins validate ${shown(shellWord(folder))}${dataDirOption(session)}`, `      (cd ${shown(shellWord(folder))} && node --test)`);
  } catch (error) {
    if (error instanceof ScaffoldError) throw new UserError(error.message, 2);
    throw error;
  }
}

/**
 * ` --data-dir DIR` when a later command would not find this data folder by itself (it was chosen with
 * --data-dir), so the printed next step works when copied; "" when the environment or the default finds it.
 */
function dataDirOption(session: Session): string {
  if (process.env.SHELFWISE_DATA_DIR) return "";
  return session.layout.root === userPath(DEFAULT_DATA_DIR) ? "" : ` --data-dir ${shellWord(session.layout.root)}`;
}

export async function testCommand(session: Session, dir: string, opts: Opts & { book: string; library?: string }): Promise<void> {
  const restore = recordsNothing(`the test run of the plugin in ${shown(dir)} was stopped; a test records nothing in the library or its health (what it printed is in its log), so nothing was lost`);
  try {
    await testRun(session, dir, opts);
  } finally {
    restore();
  }
}

async function testRun(session: Session, dir: string, opts: Opts & { book: string; library?: string }): Promise<void> {
  const folder = userPath(dir);
  const bookPath = userPath(opts.book);
  requirePluginFolder(folder);
  const stat = statAsTyped(bookPath);
  if (!stat) throw new UserError(`--book ${bookPath} does not exist`, 2);
  const root = libraryRootOf(bookPath, stat.isDirectory(), session.config.library_paths, session.layout.root, opts.library);
  const book = await findBook(bookPath, root);
  const preview = await previewBook(book, localLayers(session.config));
  const options = harnessOptions(session, folder);
  let result;
  try {
    result = await runPlugin(folder, [preview.book], { ...options, profiles: [preview.profile] });
  } catch (error) {
    if (error instanceof HarnessError) {
      const message = harnessProblem(session, folder, error);
      if (opts.json) printJson({ ok: false, errors: message.split("\n"), ...startOutputJson(error) } satisfies PluginValidateView);
      throw new UserError(`plugin in ${folder} could not run:\n${message}${opts.json ? "" : startOutputText(error)}`);
    }
    throw error;
  }
  const call = result.calls[0]!;
  const failed = FAILURE_OUTCOMES.has(call.outcome as CallOutcome);
  const report: PluginTestView = {
    ok: !failed,
    plugin_id: result.plugin.id!,
    book: bookPath,
    library_root: root.path,
    library_root_from: root.from,
    layer_errors: preview.errors,
    received: call.received as unknown as Record<string, unknown>,
    outcome: call.outcome,
    returned: call.returned,
    accepted: call.accepted,
    rejected: call.rejected,
    warnings: call.warnings,
    error: call.error,
    duration_ms: call.duration_ms,
    output: result.output,
    log_file: result.log_file,
  };
  // The plugin's words (and the folder's name) on the one line they are given: stderr prints a message's line breaks, and
  // a break in an error a plugin threw printed a line of its own that read as shelfwise's (`shelfwise: ... passed`).
  const failure = new UserError(`plugin ${report.plugin_id} failed on ${shown(bookPath)}: ${call.outcome}${call.error ? `: ${shown(call.error)}` : ""}`);
  if (opts.json) {
    printJson(report);
    if (failed) throw failure;
    return;
  }
  const lines = [`plugin ${shown(report.plugin_id)} on ${shown(bookPath)}`, `library folder: ${shown(root.path)} (${LIBRARY_ROOT_FROM[root.from]})`, "", "received:", ...terminalSafeLines(JSON.stringify(call.received, null, 2)).split("\n").map((l) => `  ${l}`)];
  lines.push("", `outcome: ${call.outcome} (${call.duration_ms.toFixed(1)} ms)`, `returned: ${shown(JSON.stringify(call.returned))}`);
  if (call.error) lines.push(`error: ${shown(call.error)}`);
  for (const a of call.accepted) lines.push(`accepted: ${a.field} = ${shown(a.value)}`);
  for (const r of call.rejected) lines.push(`rejected: ${shown(r.field)} = ${shown(r.value)} (${shown(r.reason)})`);
  for (const w of call.warnings) lines.push(`warning: ${shown(w)}`);
  if ((call.outcome === "skipped" || call.outcome === "no_result") && !readsLibrary(result.plugin.manifest)) {
    // Inside the wall the library is not there: a plugin written for Library Manager that checks
    // os.path.isdir(book_data["path"]) skips every book without an error to say why.
    lines.push(
      `note: this plugin cannot see the library (manifest.json has no "permissions": {"filesystem": "read"}), so the book's folder and files do not exist for it; declare that if it reads them`,
    );
  }
  if (report.output.length > 0) lines.push("", "plugin output (print, console, logging, tracebacks):", ...report.output.map((l) => `  ${shown(l)}`));
  if (report.log_file && (failed || report.output.length > 0)) lines.push(`full log: ${shown(report.log_file)}`);
  printLines(...lines);
  if (failed) throw failure;
}

const LIBRARY_ROOT_FROM: Record<LibraryRoot["from"], string> = {
  option: "--library",
  config: "a library folder of config.json",
  current_folder: "the first folder of --book below the current folder; --library ROOT chooses another",
  parent: "the book is outside the current folder and the library folders of config.json; --library ROOT chooses its library",
};

function readsLibrary(manifest: unknown): boolean {
  const permissions = (manifest as { permissions?: { filesystem?: unknown } } | null)?.permissions;
  return permissions?.filesystem === "read";
}


/**
 * The book at PATH the way a scan would see it (a folder with audio, or one audio file), with the library
 * root the path layer reads it from, so the author and series folders are read as `process` reads them.
 */
async function findBook(bookPath: string, root: LibraryRoot) {
  // A scan root is never a folder book itself, so the book is looked for from its parent folder
  // (it is then judged exactly as `shelfwise scan` judges it; a lone audio file is a book there).
  const scan = await scanLibrary([path.dirname(bookPath)]);
  const match = scan.books.find((b) => b.path === bookPath);
  if (!match) {
    throw new UserError(`${bookPath} is not a book: give a folder that holds audio files, or an audio file`, 2);
  }
  return { path: match.path, kind: match.kind, library_root: root.path, files: match.files.map((f) => ({ path: f.path, size: f.size })), sidecars: match.sidecars.map((f) => f.path) };
}

type LibraryRoot = { path: string; from: "option" | "config" | "current_folder" | "parent" };

/**
 * The library folder the book is read from, the first that applies: --library; the library folder of
 * config.json holding it; else, for a book below the current folder, the first folder under it on the way
 * (`--book "lib/Frank Herbert/Dune"` reads as a book of the library `lib`, as `shelfwise scan lib` would);
 * else the folder holding the book (a lone audio file: the one above), whose own folders then say little.
 */
export function libraryRootOf(bookPath: string, isFolder: boolean, libraryPaths: readonly string[], dataDir: string, option: string | undefined, cwd = process.cwd()): LibraryRoot {
  if (option !== undefined) {
    const root = userPath(option);
    if (!strictlyInside(root, bookPath)) throw new UserError(`--library ${root} does not hold --book ${bookPath}: give the library folder the book is in`, EXIT.badInput);
    return { path: root, from: "option" };
  }
  const configured = containingLibrary(bookPath, libraryPaths, dataDir);
  if (configured !== null) return { path: configured, from: "config" };
  // Not from `/`: every path is below it, and its first folder (/home, /mnt) is no library.
  if (cwd !== path.parse(cwd).root && strictlyInside(cwd, bookPath)) {
    const first = path.relative(cwd, bookPath).split(path.sep)[0]!;
    const below = path.join(cwd, first);
    // A book in the current folder itself: the current folder is its library.
    return { path: below === bookPath ? cwd : below, from: "current_folder" };
  }
  // A lone audio file's folder may be its author's, so it is read from one folder higher, as before.
  return { path: isFolder ? path.dirname(bookPath) : path.dirname(path.dirname(bookPath)), from: "parent" };
}

function strictlyInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The innermost library folder holding `bookPath` (not the book itself), or null; relative library paths are relative to the data folder. */
function containingLibrary(bookPath: string, libraryPaths: readonly string[], dataDir: string): string | null {
  let best: string | null = null;
  for (const library of libraryPaths) {
    const root = userPath(library, dataDir);
    if (!strictlyInside(root, bookPath)) continue;
    if (best === null || root.length > best.length) best = root;
  }
  return best;
}
