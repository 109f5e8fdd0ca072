import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { dataDirLayout } from "./data-dir.js";
import { giveFolderOwner } from "./folder-owner.js";
import { closestName } from "../domain/closest-name.js";
import { duplicateKeys, jsonSyntaxProblem, valuePosition, withoutBom } from "./json-position.js";
import { chosenWords, issueWords, keyName, kindWords, valueAt } from "./issue-words.js";
import { quotedInput } from "../domain/quoted-input.js";
import { ConfigSchema, KNOWN_CONFIG_KEYS, RESERVED_SECRET_NAMES, type Config } from "./config-schema.js";
import { isRunning } from "./process-running.js";
import { outputFolderProblem } from "./library-folders.js";

export { ConfigError };

export interface LoadedConfig {
  config: Config;
  /** The object as found on disk (defaults not filled in), kept for writing back. */
  raw: Record<string, unknown>;
  warnings: string[];
  file: string;
}

export function configPath(dataDir: string): string {
  return dataDirLayout(dataDir).config;
}

export function secretsPath(dataDir: string): string {
  return dataDirLayout(dataDir).secrets;
}

/** Reads config.json; a missing file means defaults. Never writes. */
export function loadConfig(dataDir: string): LoadedConfig {
  const file = configPath(dataDir);
  const read = readJsonFile(file);
  const raw = read?.value ?? {};
  const config = validateConfig(raw, file, read?.text);
  return { config, raw, warnings: [...unknownKeyWarnings(raw, file), ...secretsModeWarnings(dataDir)], file };
}

/** secrets.json readable by other users of the machine: said at every command until fixed (shelfwise writes it 0600). */
function secretsModeWarnings(dataDir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(secretsPath(dataDir));
  } catch {
    return [];
  }
  if (!stat.isFile() || (stat.mode & 0o077) === 0) return [];
  const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
  return [`${secretsPath(dataDir)}: other users of this machine may read it (mode ${mode}); make it private with \`chmod 600 ${secretsPath(dataDir)}\``];
}

/**
 * One warning per key the schema does not know, with the known key it was
 * probably meant to be. Enable keys of plugins (`plugin_<id>_enabled`) and
 * of layers shelfwise does not know yet are left alone unless they are a
 * near miss of a known key.
 */
function unknownKeyWarnings(raw: Record<string, unknown>, file: string): string[] {
  return Object.keys(raw).flatMap((key) => {
    if (KNOWN_CONFIG_KEYS.has(key) || key.startsWith("plugin_") && key.endsWith("_enabled")) return [];
    const guess = closestName(key, KNOWN_CONFIG_KEYS);
    if (key.endsWith("_enabled") && !guess) return [];
    const hint = guess ? ` (did you mean "${guess}"?)` : "";
    return [`${file}: unknown key "${key}"${hint}; it is kept, but shelfwise does not use it`];
  });
}

/** config.json's object as written, checked for syntax only ({} when there is none); never writes. */
export function readConfigObject(dataDir: string): Record<string, unknown> {
  return readJsonFile(configPath(dataDir))?.value ?? {};
}

/** `text`: the file as read, to say on which line a refused value is (none for a value a command is about to write). */
function validateConfig(raw: Record<string, unknown>, file: string, text?: string): Config {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}: ${describeIssues(parsed.error, raw, text)}`);
  for (const [key, value] of Object.entries(raw)) {
    if (key.endsWith("_enabled") && typeof value !== "boolean") {
      throw new ConfigError(`${file}: ${lineOf(text, [key])}"${key}" is ${shownValue(value)}: must be true or false`);
    }
  }
  return parsed.data;
}

/**
 * Changes config.json by applying `change` to the object on disk, validates
 * the result, and replaces the file atomically. Keys the change does not
 * touch, unknown keys included, are kept as they were.
 */
export function updateConfig(dataDir: string, change: (raw: Record<string, unknown>) => void, options: { fixing?: string } = {}): Config {
  const file = configPath(dataDir);
  const read = readJsonFile(file);
  const raw = read?.value ?? {};
  // A file that is already wrong is the user's to fix; a change must not paper over it. Only the key the change
  // replaces (`config set KEY`) may be the wrong one: setting it right is the fix.
  const { [options.fixing ?? ""]: _replaced, ...others } = raw;
  validateConfig(options.fixing === undefined ? raw : others, file, read?.text);
  const before = JSON.stringify([raw.output_path, raw.library_paths]);
  change(raw);
  const config = validateConfig(raw, file);
  // Only a change that makes it so is refused here: an output_path that already was too broad is for plan and scan to say.
  if (JSON.stringify([raw.output_path, raw.library_paths]) !== before) {
    const problem = outputFolderProblem(config, dataDir);
    if (problem !== null) throw new ConfigError(`${file}: ${problem}`);
  }
  writeJsonAtomic(file, raw);
  return config;
}

/**
 * Changes secrets.json by applying `change` to the secrets on disk and
 * replaces the file atomically, private (0600) whatever its mode was.
 * Secrets the change does not touch are kept; a file that does not parse is
 * refused (loadSecrets), never replaced.
 */
export function updateSecrets(dataDir: string, change: (secrets: Record<string, string>) => void): void {
  const secrets = loadSecrets(dataDir);
  change(secrets);
  for (const [key, value] of Object.entries(secrets)) {
    if (typeof value !== "string") throw new ConfigError(`${secretsPath(dataDir)}: ${key}: must be a string (the value is not shown)`);
  }
  writeJsonAtomic(secretsPath(dataDir), { ...secrets }, 0o600);
}

/**
 * The secrets plugins and HTTP sources may be given: secrets.json without
 * shelfwise's own (RESERVED_SECRET_NAMES: the web app's access token), never
 * handed to a plugin or an HTTP source, whatever it declares.
 */
export function loadSharedSecrets(dataDir: string): Record<string, string> {
  const secrets = loadSecrets(dataDir);
  for (const name of RESERVED_SECRET_NAMES) delete secrets[name];
  return secrets;
}

/** Why `name` cannot be a plugin's or source's secret (nor be replaced through their secret forms), or null when it can. */
export function ownSecretProblem(name: string): string | null {
  return RESERVED_SECRET_NAMES.has(name) ? `"${name}" is shelfwise's own web access token, not a secret a plugin or source may use or set` : null;
}

/** secrets.json: a flat object of names to string values. Values never appear in messages. */
export function loadSecrets(dataDir: string): Record<string, string> {
  const file = secretsPath(dataDir);
  const raw = readJsonObject(file, { secret: true });
  if (!raw) return {};
  const secrets: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") {
      throw new ConfigError(`${file}: ${key}: must be a string (the value is not shown)`);
    }
    secrets[key] = value;
  }
  return secrets;
}

/** No settings file comes near this; a bigger one is a mistake (a log or an audio file copied over it), refused before it is read whole. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

function readJsonObject(file: string, options: { secret?: boolean } = {}): Record<string, unknown> | null {
  return readJsonFile(file, options)?.value ?? null;
}

function readJsonFile(file: string, options: { secret?: boolean } = {}): { value: Record<string, unknown>; text: string } | null {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new ConfigError(`${file}: is a folder, not a file; move it away`);
    // A pipe or a device would block the read, or never end.
    if (!stat.isFile()) throw new ConfigError(`${file}: is not a regular file; replace it with one`);
    const size = stat.size;
    if (size > MAX_JSON_BYTES) throw new ConfigError(`${file}: is ${size} bytes, not a settings file (at most ${MAX_JSON_BYTES} bytes); restore it or remove it`);
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    // The machine refused (another user's file, no read permission, a failing disk): no mistake in the
    // file, so not "bad input"; the entry points word it with the path (permission denied: ...; exit 1).
    if (code === "EACCES" || code === "EPERM" || code === "EIO") throw error;
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  text = withoutBom(text);
  // An empty file is no mistake of syntax but a write cut short (an editor's save on a full disk, a crash):
  // "found the end of the file" told the user nothing they could act on.
  if (text.trim() === "") throw new ConfigError(`${file}: is empty${text.length > 0 ? " (blank)" : ""}: ${cutShortAdvice(file)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The content of secrets.json is never quoted, not even one character of it.
    const problem = jsonSyntaxProblem(text, { quote: !options.secret }) ?? { line: 1, column: 1, message: (error as Error).message };
    const cut = /found the end of the file$|is not closed/.test(problem.message) ? `; it ends too early: ${cutShortAdvice(file)}` : "";
    throw new ConfigError(`${file}: not valid JSON: line ${problem.line}, column ${problem.column}: ${problem.message}${cut}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${file}: must hold a JSON object ({ ... })`);
  }
  // JSON.parse keeps the last of two equal keys, and the next rewrite would silently drop the other value.
  const twice = duplicateKeys(text)[0];
  if (twice) {
    throw new ConfigError(`${file}: line ${twice.line}, column ${twice.column}: key "${twice.key}" is given twice in one object (first on line ${twice.firstLine}); keep one of them`);
  }
  return { value: value as Record<string, unknown>, text };
}

/**
 * What to do about a settings file cut short. shelfwise itself replaces these files whole (writeJsonAtomic), so
 * a part is another program's write or a crash of the disk; a copy shelfwise was writing when it was killed
 * (`<name>.<pid>.w…tmp`, complete: it is renamed only once written and synced) is named first, being the newest.
 */
function cutShortAdvice(file: string): string {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let copies: string[] = [];
  try {
    copies = fs
      .readdirSync(dir)
      .filter((name) => {
        // A live writer's copy is still being written: only a killed one's is whole.
        const temp = atomicTempOf(name);
        return temp?.file === base && temp.pid !== process.pid && !isRunning(temp.pid);
      })
      .map((name) => path.join(dir, name))
      .filter((copy) => {
        try {
          const parsed: unknown = JSON.parse(withoutBom(fs.readFileSync(copy, "utf8")));
          return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
        } catch {
          return false;
        }
      })
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  } catch {
    // The folder cannot be listed: no copy to offer.
  }
  const what = base === "secrets.json" ? "the secrets" : "the settings";
  const keep = base === "secrets.json"
    ? "remove it and write your secrets into it again (a flat object of names to strings), or set them on the web app's Settings page"
    : "remove it to start from the defaults and add your library folders again (`shelfwise library add PATH`)";
  const restore = copies.length > 0
    ? `a complete copy shelfwise was writing is at ${copies[0]}: check it, then \`mv ${JSON.stringify(copies[0])} ${JSON.stringify(file)}\``
    : `restore it from a backup, or ${keep}`;
  return `was it cut short (a full disk or a crash while it was saved)? ${restore}; your books, corrections and moves are in shelfwise.db, not in ${base}, and are not lost (only ${what} are in it)`;
}

/**
 * Replaces `file` with `value` so that a reader, a crash or a full disk sees
 * either the old file or the new one, never a part. What the user chose about
 * the file itself is kept: its permissions (a config.json made private stays
 * private; `mode` is for files shelfwise creates private, like secrets.json),
 * its owner (when root writes it) and a symlink (the file it points to is
 * replaced, the link stays). A failed write leaves no temporary file behind.
 */
export function writeJsonAtomic(file: string, value: unknown, mode?: number): void {
  let target = file;
  let existing: fs.Stats | null = null;
  try {
    target = fs.realpathSync(file);
    existing = fs.statSync(target);
  } catch {
    // Not there yet (or a dangling link): written where it was asked.
  }
  // A file the user made read-only (or that this user may not write) is not replaced behind their back:
  // the rename below needs only the folder's permission, and root's needs nothing at all.
  if (existing) refuseReadOnly(target, existing, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The pid alone is not unique: two threads of one process (workers), or two copies of this module in one (a
  // bundle beside a plugin's own import), would write one temporary file, each removing or renaming the other's.
  const tmp = `${target}.${process.pid}.w${(tempCount++).toString(36)}${randomBytes(4).toString("hex")}.tmp`;
  // A temporary file left by a killed run with this name (or a link planted there) is never written through.
  fs.rmSync(tmp, { force: true });
  removeDeadTemps(target);
  const text = JSON.stringify(value, null, 2) + "\n";
  const crlf = existing ? hasCrlfLines(target) : false;
  try {
    let fd: number;
    try {
      fd = fs.openSync(tmp, "wx", mode ?? (existing ? existing.mode & 0o7777 : 0o666));
    } catch (error) {
      // The temporary file is shelfwise's own name, unknown to the user: what refused it is the folder (not writable
      // by this user, or on a read-only mount), and that is what to name and fix.
      const code = (error as NodeJS.ErrnoException)?.code ?? "";
      if (FOLDER_REFUSALS.has(code)) throw new SettingsWriteError(file, existing !== null, error, path.dirname(target));
      throw error;
    }
    try {
      if (existing && mode === undefined) fs.fchmodSync(fd, existing.mode & 0o7777);
      if (existing && process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) fs.fchownSync(fd, existing.uid, existing.gid);
      // A new file made by root in someone's data folder is theirs.
      if (!existing) giveFolderOwner(tmp);
      // JSON.stringify escapes every CR and LF inside a value: each "\n" here is a line break of the layout.
      fs.writeFileSync(fd, crlf ? text.replaceAll("\n", "\r\n") : text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (error) {
    if (error instanceof SettingsWriteError) throw error;
    fs.rmSync(tmp, { force: true });
    // A failed write, fsync or close names no file (a descriptor's), a failed rename the temporary one: the
    // file the user knows is the one to name, and until the rename it is untouched. A refusal to create the
    // temporary file (a folder not writable, read-only) keeps its own words, which are about the folder.
    const cause = error as NodeJS.ErrnoException;
    if (typeof cause?.path !== "string" || DISK_FAILURES.has(cause.code ?? "")) throw new SettingsWriteError(file, existing !== null, error);
    throw error;
  }
  syncFolder(path.dirname(target));
}

/**
 * A settings file that could not be replaced (the disk refused a write, an fsync, the rename): it names the
 * file, keeps the system's code for the words of the fault (app/environment-words.ts), and says the file
 * is as it was (`existed`) or was not created, since writeJsonAtomic renames only a complete, synced copy.
 */
export class SettingsWriteError extends Error {
  readonly code: string | undefined;
  readonly syscall: string | undefined;
  readonly path: string;
  /** The settings file not written (config.json, secrets.json). */
  readonly file: string;
  /**
   * `folder`: the folder holding the file, when it is what refused the write (no new file may be made in it: not
   * writable by this user, or a read-only mount); `path` is then that folder, the one thing to fix.
   */
  constructor(file: string, readonly existed: boolean, cause: unknown, readonly folder?: string) {
    super(`${file}: not written: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "SettingsWriteError";
    this.path = folder ?? file;
    this.file = file;
    const code = (cause as { code?: unknown })?.code;
    this.code = typeof code === "string" ? code : undefined;
    const syscall = (cause as { syscall?: unknown })?.syscall;
    this.syscall = typeof syscall === "string" ? syscall : undefined;
  }
}

/** A folder refusing a new file in it: what SettingsWriteError says of the folder. */
const FOLDER_REFUSALS = new Set(["EACCES", "EPERM", "EROFS"]);

/** The disk failing a write of a file already being written: what SettingsWriteError says of the file. */
const DISK_FAILURES = new Set(["EIO", "ENOSPC", "EDQUOT"]);

/**
 * Whether most line breaks of the file now on disk are CRLF: a hand edit on Windows leaves them, and its editor and
 * version control expect them back (a rewrite in LF showed every line changed). A byte order mark is not kept:
 * shelfwise reads past one, but JSON must not start with it (RFC 8259, 8.1) and other readers (jq, Python's
 * json) refuse it, so the rewrite writes plain UTF-8.
 */
function hasCrlfLines(file: string): boolean {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return false;
  }
  let lf = 0;
  let crlf = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    lf++;
    if (i > 0 && bytes[i - 1] === 0x0d) crlf++;
  }
  return crlf * 2 > lf;
}

/** Counts this copy's temporary files: with the random part, no two writes in a process share one name. */
let tempCount = 0;

/**
 * The temporary name writeJsonAtomic gives `name` while writing it: `<name>.<pid>.w<count><random>.tmp`
 * (`<name>.<pid>.tmp` before: a killed older shelfwise's is still recognized).
 * Returns the file it was for and the writer's pid, or null for any other name.
 */
export function atomicTempOf(name: string): { file: string; pid: number } | null {
  const match = /^(.+)\.([1-9]\d{0,9})(?:\.w[0-9a-z]{1,24})?\.tmp$/.exec(name);
  return match ? { file: match[1]!, pid: Number(match[2]) } : null;
}

/**
 * A run killed between writing its temporary file and renaming it (kill -9, a power cut) leaves
 * `<name>.<pid>.tmp` for ever, a copy of secrets.json included. Removed on the next write of the
 * same file, only for a writer that is no longer running: a live one is mid-write.
 */
function removeDeadTemps(target: string): void {
  const dir = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const temp = atomicTempOf(name);
    if (!temp || temp.file !== base || temp.pid === process.pid || isRunning(temp.pid)) continue;
    // Unlinks the name only: a link there is removed, never followed.
    fs.rmSync(path.join(dir, name), { force: true });
  }
}


function refuseReadOnly(file: string, stat: fs.Stats, asked: string): void {
  let denied = (stat.mode & 0o222) === 0;
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (error) {
    // A read-only mount: no file of that folder can be replaced, whatever its mode; the folder is what to name.
    if ((error as NodeJS.ErrnoException).code === "EROFS") throw new SettingsWriteError(asked, true, error, path.dirname(file));
    denied = true;
  }
  if (!denied) return;
  throw Object.assign(new Error(`EACCES: permission denied, open '${file}' (the file is read-only)`), { code: "EACCES", errno: -13, syscall: "open", path: file });
}

/** The rename is on disk only once its folder is: best effort, some file systems refuse to sync a folder. */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Not supported here; the file itself was synced.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The schema's problems in the words of the file: where (line), which key, the value found there and what is
 * allowed. zod's own words ("Invalid input: expected string, received number", "Too small: expected string to
 * have >=1 characters") are a programmer's; each key is named once, by its first problem.
 */
function describeIssues(error: z.ZodError, raw: Record<string, unknown>, text?: string): string {
  const seen = new Set<string>();
  const problems: { at: number; line: string }[] = [];
  for (const issue of error.issues) {
    const key = keyName(issue.path);
    if (seen.has(key)) continue;
    seen.add(key);
    const given = valueAt(raw, issue.path);
    const position = text === undefined ? null : valuePosition(text, issue.path);
    const where = position ? `line ${position.line}, column ${position.column}: ` : "";
    let allowed = allowedText(issue, given.value);
    if (!given.present) allowed = allowed.replace(/^is /, "");
    // An HTTP source's or a plugin's settings may hold a key pasted where its name belongs (auth, headers): never echoed.
    const hidden = issue.path[0] === "http_sources" || issue.path[0] === "plugin_configs";
    const what = issue.path.length === 0 ? "" : !given.present ? `"${key}" is not given: ` : hidden ? `"${key}": ` : `"${key}" is ${shownValue(given.value)}: `;
    problems.push({ at: position ? position.line * 1e6 + position.column : Number.MAX_SAFE_INTEGER, line: `${where}${what}${allowed}` });
  }
  // In the order of the file, as the user reads it and fixes it.
  problems.sort((a, b) => a.at - b.at);
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) => problem.line);
  if (problems.length > MAX_PROBLEMS_SHOWN) shown.push(`and ${problems.length - MAX_PROBLEMS_SHOWN} more`);
  return shown.join("; ");
}

const MAX_PROBLEMS_SHOWN = 5;

function lineOf(text: string | undefined, at: readonly PropertyKey[]): string {
  const position = text === undefined ? null : valuePosition(text, at);
  return position ? `line ${position.line}, column ${position.column}: ` : "";
}

/** A value as found in the file, cut: a pasted blob is not echoed whole. */
function shownValue(value: unknown): string {
  if (typeof value === "string") return quotedInput(value, 80);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 80)}… (${Array.isArray(value) ? "a list" : "an object"})` : json;
}

function allowedText(issue: z.core.$ZodIssue, given: unknown): string {
  if (issue.code === "invalid_type" && chosenWords(issue) !== null) return chosenWords(issue)!;
  if (issue.code === "invalid_type") {
    // A key that may also be null (output_path, plugin_dir) says so, as its default is.
    const nullable = issue.path.length === 1 && issue.expected !== "null" && ConfigSchema.shape[issue.path[0] as keyof typeof ConfigSchema.shape]?.safeParse(null).success;
    const text = `${kindWords(issue.expected)}${nullable ? ", or null" : ""}`;
    // A number of the wrong kind (2.5 for a count) names the whole range, as one out of range does.
    return issue.expected === "int" || issue.expected === "number" ? rangeText(issue.path, text).replace(/^must be (a whole number|a number) from (\S+) to (\S+)$/, (range) => `${range}${nullable ? ", or null" : ""}`) : text;
  }
  const message = issueWords(issue, given);
  if (issue.code === "too_small" && issue.origin === "number" || issue.code === "too_big" && issue.origin === "number") return rangeText(issue.path, message);
  return message;
}

/** A number out of range names the whole range, not only the bound it crossed. */
function rangeText(at: readonly PropertyKey[], fallback: string): string {
  if (at.length !== 1) return fallback;
  const schema = ConfigSchema.shape[at[0] as keyof typeof ConfigSchema.shape] as unknown as { unwrap?: () => { minValue?: number | null; maxValue?: number | null; isInt?: boolean } } | undefined;
  const inner = schema?.unwrap?.();
  if (!inner || typeof inner.minValue !== "number" || typeof inner.maxValue !== "number") return fallback;
  return `must be ${inner.isInt ? "a whole number" : "a number"} from ${inner.minValue} to ${inner.maxValue}`;
}
