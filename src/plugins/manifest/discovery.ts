/**
 * Finds plugin folders and decides, per folder, whether it can be loaded:
 * manifest valid, entry point inside the folder, required config and secrets
 * present, config matching config_schema. Never throws for a bad plugin: every
 * problem becomes a recorded reason naming the folder and the key.
 */
import { brokenLinkWords } from "../../config/broken-link-words.js";
import { pluginIdProblem } from "../../domain/plugin-id.js";
import { isInside } from "../../domain/path-inside.js";
import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_ORDER,
  MANIFEST_LIMITS,
  MAX_MANIFEST_BYTES,
  checkManifest,
  checkPluginConfig,
  preview,
  runtimeForEntry,
  type Manifest,
} from "./manifest-schema.js";
import type { PluginRuntime } from "../plugin-types.js";
import { OWN_SETTING_KEYS } from "./own-settings.js";
import { FileTooLargeError, readFileCapped } from "../read-capped.js";
import { jsonMemberText, repeatedMembers } from "./json-member-text.js";

export interface DiscoveryContext {
  /** The `plugin_configs` section of the config: plugin id -> its config object. */
  pluginConfigs: Record<string, unknown>;
  /** Names of the keys of secrets.json set to a usable value (never the values); see secretPresence. */
  secretNames: Set<string>;
  /** Names present in secrets.json but empty or white space: missing, said so in the reason. */
  blankSecretNames?: Set<string>;
  /**
   * Say in a missing-config reason what to write in config.json: `plugins list`, `status` and the web page
   * show only the reason. Off for the authoring harness, whose config comes from its options.
   */
  configHint?: boolean;
}

export interface DiscoveredPlugin {
  /** Absolute path of the folder as found (may be a symlink). */
  folder: string;
  /** Real path of the folder (symlinks resolved); null when it cannot be resolved. */
  real_folder: string | null;
  id: string | null;
  name: string | null;
  version: string | null;
  runtime: PluginRuntime | null;
  default_order: number;
  manifest: Manifest | null;
  /** ok = loadable; skipped = missing required config/secrets; invalid = broken. */
  state: "ok" | "invalid" | "skipped";
  /** All errors joined with "; " (invalid), or the missing keys (skipped). */
  reason: string | null;
  /** Every error on its own line, for `plugins validate`. */
  errors: string[];
  warnings: string[];
  entry_real_path: string | null;
  /**
   * The manifest's `version` as written when it is not a string (`1.0`): a Python plugin's `self.version`
   * is what Python's json makes of it, as in Library Manager (a float, an int). Null for a string or none.
   */
  version_json: string | null;
}

export interface DiscoveryResult {
  plugin_dir: string;
  /** One entry per folder, in folder-name byte order. */
  plugins: DiscoveredPlugin[];
}

const IGNORED_FOLDERS = new Set(["node_modules", "__pycache__"]);

/** Paths in messages: relative to the working directory when under it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

function emptyEntry(folder: string): DiscoveredPlugin {
  return {
    folder,
    real_folder: null,
    id: null,
    name: null,
    version: null,
    runtime: null,
    default_order: DEFAULT_ORDER,
    manifest: null,
    state: "invalid",
    reason: null,
    errors: [],
    warnings: [],
    entry_real_path: null,
    version_json: null,
  };
}

export function invalid(entry: DiscoveredPlugin, errors: string[]): DiscoveredPlugin {
  entry.state = "invalid";
  entry.errors.push(...errors);
  entry.reason = entry.errors.join("; ");
  return entry;
}

/** Reads manifest.json as untrusted input: size-capped, inside the folder, valid JSON. */
function readManifestJson(realFolder: string, folderLabel: string, label: string): { raw: unknown; text: string } | { error: string } {
  const file = path.join(realFolder, "manifest.json");
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if (errorCode(error) === "ENOENT") {
      return { error: fs.lstatSync(file, { throwIfNoEntry: false }) ? `${label}: is a broken symlink` : `${folderLabel}: no manifest.json` };
    }
    return { error: `${label}: cannot read (${(error as Error).message})` };
  }
  if (!stat.isFile()) return { error: `${label}: is not a file` };
  if (stat.size > MAX_MANIFEST_BYTES) {
    return { error: `${label}: is ${stat.size} bytes; a manifest may be at most ${MAX_MANIFEST_BYTES} bytes (1 MiB)` };
  }
  let text = "";
  try {
    const real = fs.realpathSync(file);
    if (real !== file && !isInside(real, realFolder)) {
      return { error: `${label}: is a symlink to ${real}, outside the plugin folder` };
    }
    const bytes = readFileCapped(real, MAX_MANIFEST_BYTES);
    const notUtf8 = notUtf8Problem(bytes);
    if (notUtf8) return { error: `${label}: ${notUtf8}` };
    text = bytes.toString("utf8").replace(/^\uFEFF/, "");
    return { raw: JSON.parse(text), text };
  } catch (error) {
    if (error instanceof SyntaxError) return { error: `${label}: invalid JSON: ${error.message}${jsonErrorPlace(text, error.message)}` };
    if (error instanceof FileTooLargeError) {
      return { error: `${label}: is ${error.size} bytes or more; a manifest may be at most ${MAX_MANIFEST_BYTES} bytes (1 MiB)` };
    }
    return { error: `${label}: cannot read (${(error as Error).message})` };
  }
}

/**
 * Why a manifest's bytes are not UTF-8 text, with the fix, or null. JSON is UTF-8: one saved as UTF-16 (an
 * editor's "Unicode") read as "Unexpected token '\uFFFD'", and one in a Windows code page had its "é" turned
 * into U+FFFD in the plugin's name without a word.
 */
function notUtf8Problem(bytes: Buffer): string | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return `is UTF-16 (it starts with a UTF-16 byte-order mark ${bytes[0] === 0xff ? "FF FE" : "FE FF"}); JSON is read as UTF-8: save it as UTF-8`;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return null;
  } catch {
    // The first byte that does not start or continue a valid sequence: a prefix that decodes (allowing a sequence
    // cut at its end) stays valid when shortened, so the range is halved rather than every prefix decoded.
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (validUtf8Prefix(bytes.subarray(0, mid + 1), true)) low = mid + 1;
      else high = mid;
    }
    let offset = low;
    // Found at the byte after a sequence's start ("Caf\xE9 x" fails at the space): named at that start.
    for (let back = 0; back < 3 && offset > 0 && !validUtf8Prefix(bytes.subarray(0, offset), false); back++) offset--;
    const before = bytes.subarray(0, offset).toString("utf8");
    const line = before.split("\n").length;
    const column = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1;
    return `is not UTF-8 (byte 0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")} at line ${line}, column ${column}; saved in another encoding, such as Windows-1252 or Latin-1): save it as UTF-8`;
  }
}

/** Whether `bytes` is UTF-8 up to its end (`cutAllowed`: a sequence cut by that end counts as valid). */
function validUtf8Prefix(bytes: Buffer, cutAllowed: boolean): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: cutAllowed });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where in the manifest JSON.parse stopped, as an editor shows it (Node 20 says only "at position 507"), and
 * the usual cause when it is one: a comma after the last entry, which JavaScript allows and JSON does not.
 */
function jsonErrorPlace(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at || /\(line \d+ column \d+\)/.test(message)) return "";
  const position = Math.min(Number(at[1]), text.length);
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return ` (line ${line}, column ${column}${jsonErrorCause(text, position, before)})`;
}

/** The usual slip behind a JSON syntax error at `position`, as `: <why>`, or "" when none is recognized. */
function jsonErrorCause(text: string, position: number, before: string): string {
  const previous = before.trimEnd().slice(-1);
  const here = text[position];
  if (previous === "," && (here === "}" || here === "]")) return ": a comma after the last entry, which JSON does not allow";
  if (here === "'") return ": JSON wants double quotes (\") around names and text, not single ones";
  if (here === "/" && (text[position + 1] === "/" || text[position + 1] === "*")) return ": JSON has no comments (put a note in \"description\")";
  if (here !== undefined && /[A-Za-z_$]/.test(here) && (previous === "{" || previous === ",")) return ": a name without double quotes around it (write \"name\": ...)";
  if (here === '"' && (previous === '"' || previous === "}" || previous === "]" || /[\d el]/.test(previous))) return ": a comma is missing before this entry";
  return "";
}

/** Files of the plugin folder an entry point is looked for among when it names none (a big folder is not listed). */
const MAX_FILES_LOOKED_AT = 1000;
const MAX_CANDIDATES_NAMED = 5;

/**
 * What the folder holds that could be the entry point, for "file not found": the file in other letter case
 * (`Layer.py`, found on the author's case-insensitive disk but not here), else the entry files beside the
 * manifest (`index.ts` when the manifest says `index.js`, a scaffold's file renamed).
 */
function entryCandidates(realFolder: string, entryPoint: string): string {
  let names: string[];
  try {
    // Named only from inside the plugin folder: a subfolder linked elsewhere is not listed in a message.
    const where = fs.realpathSync(path.join(realFolder, path.dirname(entryPoint)));
    if (where !== realFolder && !isInside(where, realFolder)) return "";
    const dir = fs.opendirSync(where);
    names = [];
    try {
      for (let entry = dir.readSync(); entry !== null && names.length < MAX_FILES_LOOKED_AT; entry = dir.readSync()) {
        if ((entry.isFile() || entry.isSymbolicLink()) && runtimeForEntry(entry.name) !== null) names.push(entry.name);
      }
    } finally {
      dir.closeSync();
    }
  } catch {
    return "";
  }
  const base = path.basename(entryPoint);
  const sameLetters = names.find((name) => name.toLowerCase() === base.toLowerCase());
  const inFolder = path.dirname(entryPoint) === "." ? "" : `${path.dirname(entryPoint)}/`;
  if (sameLetters !== undefined) return ` (the folder has ${preview(inFolder + sameLetters)}: names are case-sensitive)`;
  if (names.length === 0) return "";
  names.sort();
  const shownNames = names.slice(0, MAX_CANDIDATES_NAMED).map((name) => preview(inFolder + name));
  const more = names.length > MAX_CANDIDATES_NAMED ? `, and ${names.length - MAX_CANDIDATES_NAMED} more` : "";
  return ` (the folder has ${shownNames.join(", ")}${more})`;
}

/** The entry point on disk: exists, is a file, real path inside the real folder. */
function checkEntryPoint(realFolder: string, entryPoint: string, label: string): { real: string } | { error: string } {
  const where = `${label}: entry_point`;
  const joined = path.join(realFolder, entryPoint);
  let real: string;
  try {
    real = fs.realpathSync(joined);
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") {
      return { error: `${where}: file not found: ${preview(entryPoint)}${entryCandidates(realFolder, entryPoint)}` };
    }
    return { error: `${where}: cannot resolve ${preview(entryPoint)} (${(error as Error).message})` };
  }
  if (!isInside(real, realFolder)) {
    return { error: `${where}: ${preview(entryPoint)} resolves to ${real}, outside the plugin folder (through a symlink)` };
  }
  const kind = fs.statSync(real);
  if (kind.isDirectory()) {
    // Node's `main: "lib"` habit: a folder, which neither runtime loads as a plugin's module.
    const inside = entryCandidates(realFolder, path.join(entryPoint, "index.js"));
    return { error: `${where}: ${preview(entryPoint)} is a folder, not a file: name the module file in it${inside ? ` ${inside.trim()}` : ` (e.g. "${entryPoint.replace(/\/+$/, "")}/index.js")`}` };
  }
  if (!kind.isFile()) return { error: `${where}: ${preview(entryPoint)} is not a file` };
  if (runtimeForEntry(real) !== runtimeForEntry(entryPoint)) {
    return { error: `${where}: ${preview(entryPoint)} resolves to ${path.basename(real)}, which has a different file type` };
  }
  return { real };
}

/** Salvages id/name from a rejected manifest so lists and duplicate checks can still name it. */
function salvageIdentity(entry: DiscoveredPlugin, raw: unknown): void {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return;
  const { id, name } = raw as Record<string, unknown>;
  if (typeof id === "string" && pluginIdProblem(id) === null) entry.id = id;
  // Only a name the manifest was allowed to have: a rejected 1 MiB name must not fill `plugins list`.
  if (typeof name === "string" && name.trim() !== "" && name.trim().length <= MANIFEST_LIMITS.name) entry.name = name.trim();
}

/**
 * Whether a `plugin_configs` key counts as present for `requires_config`: set,
 * not null, and not a string that is empty or only white space, the rule of
 * `requires_secrets` (secretIsSet): a blank URL or key is no setting, and
 * starting the plugin with one only turns a clear "missing config" into failed
 * calls. Numbers and booleans count, 0 and false included: they are values.
 */
export function configIsSet(config: Record<string, unknown>, key: string): boolean {
  if (!Object.hasOwn(config, key)) return false;
  const value = config[key];
  return value !== null && value !== undefined && !(typeof value === "string" && value.trim() === "");
}

/**
 * The keys of requires_config this config lacks. shelfwise's own keys are the user's grants: a manifest requiring
 * one (allow_private_network) would keep the plugin from running until the user granted it, so they are never
 * missing (the manifest gets a warning).
 */
export function missingConfigKeys(manifest: Manifest, config: Record<string, unknown>): string[] {
  return manifest.requires_config.filter((key) => !OWN_SETTING_KEYS.has(key) && !configIsSet(config, key));
}

/** requires_config / requires_secrets / config_schema against this installation's config. */
function checkRequirements(entry: DiscoveredPlugin, manifest: Manifest, label: string, ctx: DiscoveryContext): DiscoveredPlugin {
  const rawConfig = Object.hasOwn(ctx.pluginConfigs, manifest.id) ? ctx.pluginConfigs[manifest.id] : {};
  if (rawConfig === null || typeof rawConfig !== "object" || Array.isArray(rawConfig)) {
    return invalid(entry, [`${label}: plugin_configs.${manifest.id}: must be an object (got ${preview(rawConfig)})`]);
  }
  const config = rawConfig as Record<string, unknown>;
  const missingConfig = missingConfigKeys(manifest, config);
  const missingSecrets = manifest.requires_secrets.filter((key) => !ctx.secretNames.has(key));
  const missing: string[] = [];
  if (missingConfig.length) {
    const blank = missingConfig.filter((key) => typeof config[key] === "string");
    const where = `"plugin_configs": { ${JSON.stringify(manifest.id)}: { ${missingConfig.map((key) => `${JSON.stringify(key)}: ...`).join(", ")} } }`;
    const notes = [...(blank.length ? [`set but empty: ${blank.join(", ")}`] : []), ...(ctx.configHint ? [`write ${where} in config.json`] : [])];
    missing.push(`missing config plugin_configs.${manifest.id}: ${missingConfig.join(", ")}${notes.length ? ` (${notes.join("; ")})` : ""}`);
  }
  if (missingSecrets.length) {
    const blank = missingSecrets.filter((key) => ctx.blankSecretNames?.has(key));
    missing.push(`missing secrets: ${missingSecrets.join(", ")}${blank.length ? ` (set but empty: ${blank.join(", ")})` : ""}`);
  }
  if (missing.length) {
    entry.state = "skipped";
    entry.reason = missing.join("; ");
    return entry;
  }
  if (manifest.config_schema) {
    const problems = checkPluginConfig(manifest.id, manifest.config_schema, config);
    if (problems.length > 0) return invalid(entry, problems.map((e) => `${label}: ${e}`));
  }
  return entry;
}

/** One folder: resolve it, read and check its manifest and entry point. */
function loadFolder(folder: string, ctx: DiscoveryContext | null): DiscoveredPlugin {
  const entry = emptyEntry(folder);
  try {
    return checkFolder(entry, ctx);
  } catch (error) {
    // A folder changing under us (or an unreadable one) is that plugin's problem only.
    return invalid(entry, [`${displayPath(folder)}: ${(error as Error).message}`]);
  }
}

function checkFolder(entry: DiscoveredPlugin, ctx: DiscoveryContext | null): DiscoveredPlugin {
  const folder = entry.folder;
  const label = displayPath(path.join(folder, "manifest.json"));
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch (error) {
    const problem = errorCode(error) === "ENOENT" ? "is a broken symlink or does not exist" : (error as Error).message;
    return invalid(entry, [`${displayPath(folder)}: ${problem}`]);
  }
  entry.real_folder = realFolder;
  if (!fs.statSync(realFolder).isDirectory()) return invalid(entry, [`${displayPath(folder)}: is not a folder`]);

  const read = readManifestJson(realFolder, displayPath(folder), label);
  if ("error" in read) return invalid(entry, [read.error]);
  salvageIdentity(entry, read.raw);
  // A key given twice reads one way to shelfwise (and Python: the last) and another to a reader or an editor that
  // shows the first: a manifest reviewed as asking for no network could hold a second "permissions" that does.
  const repeated = repeatedMembers(read.text);
  if (repeated.length > 0) {
    const named = repeated.slice(0, 5).map((key) => JSON.stringify(key)).join(", ");
    return invalid(entry, [
      `${label}: ${named} ${repeated.length === 1 ? "is" : "are"} given more than once; JSON readers disagree on which one counts (shelfwise takes the last, an editor or a reader may see the first): keep one of each`,
    ]);
  }

  const check = checkManifest(read.raw, label, path.basename(folder));
  entry.warnings.push(...check.warnings);
  if (!check.manifest) return invalid(entry, check.errors);
  const manifest = check.manifest;
  Object.assign(entry, {
    manifest,
    id: manifest.id,
    name: manifest.name,
    version: manifest.version ?? null,
    default_order: manifest.default_order,
    runtime: runtimeForEntry(manifest.entry_point),
    version_json: typeof (read.raw as { version?: unknown }).version === "number" ? jsonMemberText(read.text, "version") : null,
  });

  const resolved = checkEntryPoint(realFolder, manifest.entry_point, label);
  if ("error" in resolved) return invalid(entry, [resolved.error]);
  entry.entry_real_path = resolved.real;
  entry.state = "ok";
  return ctx ? checkRequirements(entry, manifest, label, ctx) : entry;
}

/**
 * Checks one plugin folder anywhere (`plugins validate DIR`). Without `ctx`
 * the installation-specific checks (required config and secrets, config_schema
 * against the config) are left out.
 */
export function validateManifestFile(folder: string, ctx?: DiscoveryContext): DiscoveredPlugin {
  return loadFolder(path.resolve(folder), ctx ?? null);
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Folder names directly under pluginDir that could be plugins. */
function candidateFolders(pluginDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(pluginDir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === "ENOENT") return [];
    // Said as the file system's refusal (code and syscall kept) so that it reads as one line, not "unexpected error".
    if (errorCode(error) === "ENOTDIR") {
      const message = `the plugin folder ${pluginDir} is a file, not a folder: move the file away, or set plugin_dir in config.json to a folder`;
      throw Object.assign(new Error(message), { code: "ENOTDIR", syscall: "scandir", path: pluginDir });
    }
    // A link loop: the link is what to fix, which Node's "too many symbolic links encountered" does not say.
    const broken = errorCode(error) === "ELOOP" ? brokenLinkWords(pluginDir) : null;
    if (broken !== null) throw Object.assign(new Error(`the plugin folder ${pluginDir} ${broken}, or set plugin_dir in config.json to a folder`), { code: "ELOOP", syscall: "scandir", path: pluginDir });
    throw error;
  }
  return entries
    .filter((dirent) => !dirent.name.startsWith(".") && !IGNORED_FOLDERS.has(dirent.name))
    .filter((dirent) => {
      if (dirent.isDirectory()) return true;
      if (!dirent.isSymbolicLink()) return false;
      // A symlink to a folder is a plugin (developers link their work in); a
      // broken one is reported; a link to a file is not a plugin.
      const target = fs.statSync(path.join(pluginDir, dirent.name), { throwIfNoEntry: false });
      return !target || target.isDirectory();
    })
    .map((dirent) => dirent.name)
    .sort(byteOrder);
}

/**
 * Every plugin folder directly under pluginDir, checked, with no judgement yet
 * on folders that claim the same id: the plugin manager settles those against
 * the owners it remembers (id-claims.ts).
 */
export function discoverFolders(pluginDir: string, ctx: DiscoveryContext): DiscoveryResult {
  const root = path.resolve(pluginDir);
  return { plugin_dir: root, plugins: candidateFolders(root).map((name) => loadFolder(path.join(root, name), ctx)) };
}

/**
 * Every plugin folder directly under pluginDir, checked; a missing pluginDir is
 * empty. A second folder claiming an id is refused in folder order: enough for
 * looking ids up (scaffold, HTTP source ids), not for running plugins, which
 * go through loadPlugins and the remembered owners.
 */
export function discoverPlugins(pluginDir: string, ctx: DiscoveryContext): DiscoveryResult {
  const { plugin_dir: root, plugins } = discoverFolders(pluginDir, ctx);
  // Keyed without case: an id names the plugin's data folder, log and staging folder, which are one
  // folder on a case-insensitive file system (macOS, Windows): "Foo" would read and write "foo"'s data.
  const claimed = new Map<string, DiscoveredPlugin>();
  for (const plugin of plugins) {
    if (plugin.id === null) continue;
    const key = plugin.id.toLowerCase();
    const first = claimed.get(key);
    if (!first) {
      claimed.set(key, plugin);
      continue;
    }
    const sameCase = first.id === plugin.id;
    invalid(plugin, [
      `${displayPath(plugin.folder)}: id ${JSON.stringify(plugin.id)} is already used by ${displayPath(first.folder)}` +
        (sameCase ? "" : ` (as ${JSON.stringify(first.id)}: ids that differ only in case are the same id)`),
    ]);
  }
  return { plugin_dir: root, plugins };
}
