import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { dataDirLayout } from "./data-dir.js";
import { closestName } from "./closest-name.js";
import { jsonSyntaxProblem } from "./json-position.js";
import { ConfigSchema, KNOWN_CONFIG_KEYS, RESERVED_SECRET_NAMES, type Config } from "./config-schema.js";

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
  const raw = readJsonObject(file) ?? {};
  const config = validateConfig(raw, file);
  return { config, raw, warnings: unknownKeyWarnings(raw, file), file };
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

function validateConfig(raw: Record<string, unknown>, file: string): Config {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}: ${describeIssues(parsed.error)}`);
  for (const [key, value] of Object.entries(raw)) {
    if (key.endsWith("_enabled") && typeof value !== "boolean") {
      throw new ConfigError(`${file}: ${key}: must be true or false (got ${JSON.stringify(value)})`);
    }
  }
  return parsed.data;
}

/**
 * Changes config.json by applying `change` to the object on disk, validates
 * the result, and replaces the file atomically. Keys the change does not
 * touch, unknown keys included, are kept as they were.
 */
export function updateConfig(dataDir: string, change: (raw: Record<string, unknown>) => void): Config {
  const file = configPath(dataDir);
  const raw = readJsonObject(file) ?? {};
  // A file that is already wrong is the user's to fix; a change must not paper over it.
  validateConfig(raw, file);
  change(raw);
  const config = validateConfig(raw, file);
  writeJsonAtomic(file, raw);
  return config;
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

function readJsonObject(file: string, options: { secret?: boolean } = {}): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const problem = jsonSyntaxProblem(text, error as Error);
    const what = options.secret ? "syntax error (the content is not shown)" : problem.message;
    throw new ConfigError(`${file}: not valid JSON: line ${problem.line}, column ${problem.column}: ${what}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${file}: must hold a JSON object ({ ... })`);
  }
  return value as Record<string, unknown>;
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
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w", mode ?? (existing ? existing.mode & 0o7777 : 0o666));
  try {
    try {
      if (existing && mode === undefined) fs.fchmodSync(fd, existing.mode & 0o7777);
      if (existing && process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) fs.fchownSync(fd, existing.uid, existing.gid);
      fs.writeFileSync(fd, JSON.stringify(value, null, 2) + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join(".") : "(top level)";
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}
