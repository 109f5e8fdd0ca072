/**
 * `config list|get|set|unset|path` and `secrets list|set|unset`: config.json and secrets.json edited from the
 * command line, with the config schema's checks, holding the data-folder lock as `library add` does.
 */
import fs from "node:fs";
import path from "node:path";
import { shellWord } from "../../domain/shell-word.js";
import { configEntry, configHandWrittenSecrets, configList, setConfigKey, unsetConfigKey } from "../config-keys.js";
import { secretList, secretNameProblem, secretValueProblem, setSecret, unsetSecret } from "../secret-names.js";
import type { ConfigChangeView, ConfigEntryView, SecretChangeView, SecretRow } from "../../app/views/settings.js";
import { EXIT } from "../../app/exit-codes.js";
import { configPath, ConfigError, loadConfig, SettingsWriteError } from "../../config/config-file.js";
import { classifyFault } from "../../store/store-error.js";
import { resultReported } from "../interrupt.js";
import { printJson, printLines, printTable, shown, warnLine } from "../output.js";
import { outputPathNotes } from "../../app/folder-settings.js";
import { handWrittenSecretAdvice } from "../secret-settings-in-config.js";
import { readSecretValue } from "../secret-input.js";
import { requireDataFolder } from "../session.js";
import { UserError } from "../errors.js";
import { withWriteLock } from "../write-lock.js";

type Opts = { json?: boolean; wait?: string; showValue?: boolean };

/**
 * withWriteLock for a settings file. The lock is taken first, and in a folder this user may not write (or on a
 * read-only mount) taking it fails first, in SQLite's words of a database: the user was told the database was
 * read-only, not that the settings were left as they were nor which folder to open up. Said as the settings
 * file's own write would have been (app/environment-words.ts).
 */
async function withSettingsLock<T>(dataDir: string, command: string, name: "config.json" | "secrets.json", wait: string | undefined, work: () => Promise<T>): Promise<T> {
  let locked = false;
  try {
    return await withWriteLock(dataDir, command, wait, async () => {
      locked = true;
      return work();
    });
  } catch (error) {
    if (locked) throw error;
    throw lockRefusedAsSettings(error, dataDir, name);
  }
}

function lockRefusedAsSettings(error: unknown, dataDir: string, name: string): unknown {
  const folder = path.resolve(dataDir);
  const fault = classifyFault(error, folder);
  if (fault !== "read_only" && fault !== "permission") return error;
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    // The folder is writable: a file of its own is what refused, and the error's words name it.
    return error;
  } catch (refused) {
    const file = path.join(folder, name);
    return new SettingsWriteError(file, fs.existsSync(file), refused, folder);
  }
}

/** A value as a person reads it in one cell or line: text as it is, anything else as JSON. */
function valueText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
}

export async function configListCommand(dataDir: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  const rows = configList(dataDir);
  for (const found of configHandWrittenSecrets(dataDir)) warnLine(handWrittenSecretAdvice(found));
  if (opts.json) return printJson(rows);
  await printTable(
    ["KEY", "VALUE", "FROM"],
    rows.map((r) => [r.key, valueText(r.value), !r.known ? "config.json (not a key shelfwise uses)" : r.set ? "config.json" : "default"]),
    { cut: ["VALUE"] },
  );
}

export async function configGetCommand(dataDir: string, key: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  const entry: ConfigEntryView = configEntry(dataDir, key, { showValue: opts.showValue === true });
  if (opts.json) return printJson(entry);
  if (entry.secret_setting) return printLines(shown(secretSettingLine(entry.key, entry.secret_setting)));
  if (entry.value_not_shown) {
    const id = entry.key.split(".")[1]!;
    return printLines(shown(`${entry.key}: set in config.json; its value is not shown: plugin ${id} is not installed, so no manifest says whether it holds a secret; \`shelfwise config get ${shellWord(entry.key)} --show-value\` prints it`));
  }
  // A plugin's secret settings are left out of its object; each is named on a line of its own, set or not.
  const secrets = (entry.secret_settings ?? []).map((s) => `${s.name}: ${s.set ? "set" : "not set"} (a secret setting: its value is not shown)`);
  const unshown = (entry.unshown_settings ?? []).map((name) => `${name}: set (plugin not installed, so no manifest says whether it holds a secret: its value is not shown; \`shelfwise config get ${shellWord(`${entry.key}.${name}`)} --show-value\` prints it)`);
  printLines(shown(valueText(entry.value)), ...secrets.map(shown), ...unshown.map(shown));
}

function secretSettingLine(key: string, secret: NonNullable<ConfigEntryView["secret_setting"]>): string {
  const hidden = "(a secret setting: its value is not shown)";
  if (secret.kept_in === null) return `${key}: not set ${hidden}; \`shelfwise secrets set ${shellWord(key)}\` sets it`;
  if (secret.kept_in === "secrets.json") {
    return `${key}: set in secrets.json ${hidden}${secret.also_in_config ? `; config.json holds a copy by hand, not used: \`shelfwise config unset ${shellWord(key)}\` removes it` : ""}`;
  }
  return `${key}: set in config.json, written there by hand ${hidden}; config.json is shown and copied, secrets.json is private: move it with \`shelfwise secrets set ${shellWord(key)}\` (reads the value from stdin; config.json's copy is then removed)`;
}

export function configPathCommand(dataDir: string): void {
  printLines(configPath(dataDir));
}

export async function configSetCommand(dataDir: string, key: string, value: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  return withSettingsLock(dataDir, "config set", "config.json", opts.wait, async () => {
    const view = setConfigKey(dataDir, key, value);
    // Taken, but what the user should know of where apply will put books (the Settings page says the same).
    if (view.key === "output_path" && view.changed) for (const note of outputPathNotes(dataDir, loadConfig(dataDir).config, typeof view.value === "string" ? view.value : null)) warnLine(note);
    reportConfig(view, opts);
  });
}

export async function configUnsetCommand(dataDir: string, key: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  return withSettingsLock(dataDir, "config unset", "config.json", opts.wait, async () => reportConfig(unsetConfigKey(dataDir, key), opts));
}

function reportConfig(view: ConfigChangeView, opts: Opts): void {
  resultReported(0, `stopped while the change was reported; config.json is ${view.changed ? "saved" : "as it was"} (\`shelfwise config get ${view.key}\` shows it)`);
  if (opts.json) return printJson(view);
  const key = shown(view.key);
  const now = shown(valueText(view.value));
  if (!view.changed) return printLines(view.action === "set" ? `${key} is ${now} already; nothing changed` : `${key} is not in config.json; nothing changed (${now} is used)`);
  if (view.action === "set") return printLines(`${key}: ${view.previous === null ? "(default)" : shown(valueText(view.previous))} -> ${now} in ${shown(view.config_file)}`);
  printLines(`${key} removed from ${shown(view.config_file)}: ${view.value === null ? "not set" : `the default ${now} is used`}`);
}

export async function secretsListCommand(dataDir: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  const rows = secretList(dataDir);
  if (opts.json) return printJson(rows);
  if (rows.length === 0) return printLines("no secrets, and no plugin or HTTP source asks for one (`shelfwise secrets set NAME` adds one)");
  await printTable(
    ["NAME", "STATE", "USED BY"],
    rows.map((r) => [r.name, STATE_WORDS[r.state], usersText(r.used_by)]),
    { cut: ["USED BY"] },
  );
}

const STATE_WORDS: Record<SecretRow["state"], string> = { set: "set", not_set: "not set", blank: "blank (read as not set)" };

function usersText(users: SecretRow["used_by"]): string {
  if (users.length === 0) return "nobody";
  return users.map((u) => (u.kind === "shelfwise" ? "shelfwise (web access token)" : `${u.kind === "plugin" ? "plugin" : "source"} ${u.id}`)).join(", ");
}

export async function secretsSetCommand(dataDir: string, name: string, given: string[], opts: Opts): Promise<void> {
  if (given.length > 0) {
    throw new UserError(
      `a secret's value is never given on the command line (other users see it in \`ps\`, and it stays in your shell's history: remove it there): run \`shelfwise secrets set ${shellWord(name)}\` and type it, or pipe it in (\`pass show x | shelfwise secrets set ${shellWord(name)}\`); nothing was changed`,
      EXIT.badInput,
    );
  }
  requireDataFolder(dataDir);
  const nameProblem = secretNameProblem(name, "set");
  if (nameProblem !== null) throw new ConfigError(nameProblem);
  // Read before the lock: a person typing must not hold every other command up.
  const value = await readSecretValue(name);
  const valueProblem = secretValueProblem(name, value);
  if (valueProblem !== null) throw new ConfigError(valueProblem);
  return withSettingsLock(dataDir, "secrets set", "secrets.json", opts.wait, async () => reportSecret(setSecret(dataDir, name, value), opts));
}

export async function secretsUnsetCommand(dataDir: string, name: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  const problem = secretNameProblem(name, "unset");
  if (problem !== null) throw new ConfigError(problem);
  return withSettingsLock(dataDir, "secrets unset", "secrets.json", opts.wait, async () => reportSecret(unsetSecret(dataDir, name), opts));
}

function reportSecret(view: SecretChangeView, opts: Opts): void {
  resultReported(0, `stopped while the change was reported; secrets.json is ${view.changed ? "saved" : "as it was"} (\`shelfwise secrets list\` shows it)`);
  if (opts.json) return printJson(view);
  const name = shown(view.name);
  const users = view.used_by.length === 0 ? "no plugin or HTTP source asks for it yet" : `used by ${usersText(view.used_by)}`;
  if (view.action === "set") {
    const moved = view.removed_from_config ? `; config.json's copy, written there by hand, was removed from ${shown(view.removed_from_config)}` : "";
    return printLines(view.changed || moved ? `secret ${name} ${view.changed ? "set" : "already"} in ${shown(view.secrets_file)} (${users})${moved}` : `secret ${name} holds that value already; nothing changed`);
  }
  printLines(view.changed ? `secret ${name} removed from ${shown(view.secrets_file)} (${users})` : `secret ${name} is not set; nothing changed`);
}
