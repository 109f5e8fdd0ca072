/**
 * `config get|set|unset KEY`: one key of config.json read, parsed from the command line and written, checked by the
 * config schema (config/config-schema.ts) and written as every settings change is (app/settings-writes.ts).
 */
import { shellWord } from "../domain/shell-word.js";
import { z } from "zod";
import { ConfigError, loadConfig, loadSecrets, readConfigObject } from "../config/config-file.js";
import { ConfigSchema, defaultConfig, KNOWN_CONFIG_KEYS, PLUGIN_RUNTIME_SETTINGS, PluginSandboxSettingsSchema, PluginRuntimeSettingsSchema } from "../config/config-schema.js";
import { closestName } from "../domain/closest-name.js";
import { quotedInput } from "../domain/quoted-input.js";
import { isOwnPluginSetting, ownSettingProblem } from "../config/own-setting-check.js";
import { changeConfig } from "../app/settings-writes.js";
import { folderSettingProblem } from "../app/folder-settings.js";
import { dataDirLayout } from "../config/data-dir.js";
import { userPath } from "../config/user-path.js";
import { unmeantInJson } from "../config/text-rules.js";
import { discoverPlugins } from "../plugins/manifest/discovery.js";
import { secretSettingName, secretSettingNames } from "../plugins/manifest/secret-settings.js";
import type { ConfigChangeView, ConfigEntryView, ConfigListView } from "../app/views/settings.js";
import type { Config } from "../config/config-schema.js";
import { handWrittenSecretSettings, type HandWrittenSecretSetting } from "./secret-settings-in-config.js";

/** Keys with a command of their own, which checks what a plain value could not. */
const OWN_COMMAND: Record<string, string> = {
  library_paths: "`shelfwise library add PATH` and `shelfwise library remove PATH` edit it, with their checks",
  http_sources: "edit config.json by hand (README: HTTP sources); `shelfwise sources list` checks it and `sources enable|disable ID` switches one",
  plugin_configs: "set one plugin's setting with `shelfwise config set plugin_configs.ID.KEY VALUE`",
};

/** A name a credential goes by: such a setting belongs in secrets.json. */
const SECRET_NAME = /secret|token|passw|api[_-]?key|apikey|credential|private[_-]?key|^auth/i;

const PLUGIN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

type Key = { kind: "top"; key: string } | { kind: "plugin"; id: string; key: string };

export function parseKey(text: string, mode: "get" | "set" | "unset", raw: Record<string, unknown>): Key {
  const forWriting = mode !== "get";
  const dotted = /^plugin_configs\.([^.]+)\.(.+)$/.exec(text);
  if (dotted) {
    const [, id, key] = dotted as unknown as [string, string, string];
    // Names an object has by itself would reach Object.prototype through `configs[id]`, not a key of the file.
    if (FORBIDDEN_NAMES.has(id) || FORBIDDEN_NAMES.has(key)) throw new ConfigError(`${quotedInput(text)} cannot be a key of config.json (nothing was changed)`);
    if (!PLUGIN_ID.test(id)) throw new ConfigError(`${quotedInput(id)} is not a plugin id (1 to 64 letters, digits, _ or -); nothing was changed`);
    if (key.trim() === "" || key.length > 128) throw new ConfigError(`the setting's name after plugin_configs.${id}. must be 1 to 128 characters; nothing was changed`);
    return { kind: "plugin", id, key };
  }
  if (KNOWN_CONFIG_KEYS.has(text)) return { kind: "top", key: text };
  // Unknown keys already in the file are shown and can be removed; a new one is not written (a typo would be kept for good).
  if (Object.prototype.hasOwnProperty.call(raw, text) && mode !== "set") return { kind: "top", key: text };
  if (isPluginSwitch(text)) return { kind: "top", key: text };
  const guess = closestName(text, KNOWN_CONFIG_KEYS);
  const hint = guess ? `did you mean ${guess}? ` : "";
  throw new ConfigError(`unknown config key ${quotedInput(text)}: ${hint}\`shelfwise config list\` shows every key${SECRET_NAME.test(text) ? "; a secret goes into secrets.json: `shelfwise secrets set NAME`" : ""}${forWriting ? " (nothing was changed)" : ""}`);
}

function isPluginSwitch(key: string): boolean {
  return /^plugin_[A-Za-z0-9_-]{1,64}_enabled$/.test(key);
}

function show(key: Key): string {
  return key.kind === "top" ? key.key : `plugin_configs.${key.id}.${key.key}`;
}

function defaultOf(key: Key): unknown {
  if (key.kind === "top") return KNOWN_CONFIG_KEYS.has(key.key) ? (defaultConfig() as Record<string, unknown>)[key.key] : null;
  if (Object.hasOwn(PLUGIN_RUNTIME_SETTINGS, key.key)) return PLUGIN_RUNTIME_SETTINGS[key.key as keyof typeof PLUGIN_RUNTIME_SETTINGS].default;
  // Own members only: "toString" is a plugin's setting, not the shape's inherited method.
  if (!Object.hasOwn(PluginSandboxSettingsSchema.shape, key.key)) return null;
  return PluginSandboxSettingsSchema.shape[key.key as keyof typeof PluginSandboxSettingsSchema.shape].parse(undefined);
}

function storedOf(raw: Record<string, unknown>, key: Key): { set: boolean; value: unknown } {
  if (key.kind === "top") return Object.prototype.hasOwnProperty.call(raw, key.key) ? { set: true, value: raw[key.key] } : { set: false, value: undefined };
  const configs = raw.plugin_configs;
  const own = isObject(configs) ? configs[key.id] : undefined;
  return isObject(own) && Object.prototype.hasOwnProperty.call(own, key.key) ? { set: true, value: own[key.key] } : { set: false, value: undefined };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** config.json's hand-written copies of plugins' secret settings (secret-settings-in-config.ts). */
export function configHandWrittenSecrets(dataDir: string): HandWrittenSecretSetting[] {
  const { config, raw } = loadConfig(dataDir);
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  return handWrittenSecretSettings(dataDir, pluginDir, raw.plugin_configs);
}

export function configList(dataDir: string): ConfigListView {
  const { config, raw } = loadConfig(dataDir);
  const defaults = defaultConfig() as Record<string, unknown>;
  const used = config as Record<string, unknown>;
  const known = [...KNOWN_CONFIG_KEYS].map((key) => ({ key, value: key === "plugin_configs" ? shownPluginConfigs(dataDir, config, used[key]) : used[key], default: defaults[key], set: Object.prototype.hasOwnProperty.call(raw, key), known: true }));
  const other = Object.keys(raw)
    .filter((key) => !KNOWN_CONFIG_KEYS.has(key))
    .map((key) => ({ key, value: raw[key], default: null, set: true, known: false }));
  return [...known, ...other];
}

export function configEntry(dataDir: string, text: string, options: { showValue?: boolean } = {}): ConfigEntryView {
  const { config, raw } = loadConfig(dataDir);
  const whole = /^plugin_configs\.([^.]+)$/.exec(text);
  if (whole) return pluginConfigEntry(dataDir, config, raw, whole[1]!, options.showValue ?? false);
  const key = parseKey(text, "get", raw);
  if (key.kind === "plugin") {
    const secret = secretSettingEntry(dataDir, config, raw, key);
    if (secret !== null) return secret;
  }
  const stored = storedOf(raw, key);
  const fallback = defaultOf(key);
  // No manifest says whether it holds a secret (the plugin is not installed): its value is printed only when asked.
  if (key.kind === "plugin" && stored.set && !options.showValue && !isOwnPluginSetting(key.key) && !installedPluginIds(dataDir, config).has(key.id)) {
    return { key: show(key), value: null, default: fallback ?? null, set: true, known: true, value_not_shown: "plugin_not_installed" };
  }
  const known = key.kind === "top" && KNOWN_CONFIG_KEYS.has(key.key);
  const value = known ? (key.key === "plugin_configs" ? shownPluginConfigs(dataDir, config, config.plugin_configs) : (config as Record<string, unknown>)[key.key]) : stored.set ? stored.value : fallback;
  return { key: show(key), value: value ?? null, default: fallback ?? null, set: stored.set, known: key.kind === "plugin" || KNOWN_CONFIG_KEYS.has(key.key) };
}

/**
 * `config get plugin_configs.ID`: one plugin's settings as config.json holds them, but for those that hold a secret
 * (marked so by the manifest's config_schema, see secret-settings.ts, or named like a credential): only whether each
 * is set, never its value, as the web app's plugin page shows them. A plugin id neither in config.json nor installed
 * is refused as an unknown key is.
 */
function pluginConfigEntry(dataDir: string, config: Config, raw: Record<string, unknown>, id: string, showValue: boolean): ConfigEntryView {
  const text = `plugin_configs.${id}`;
  if (FORBIDDEN_NAMES.has(id)) throw new ConfigError(`${quotedInput(text)} cannot be a key of config.json`);
  if (!PLUGIN_ID.test(id)) throw new ConfigError(`${quotedInput(id)} is not a plugin id (1 to 64 letters, digits, _ or -)`);
  const configs = isObject(raw.plugin_configs) ? raw.plugin_configs : {};
  const stored = Object.prototype.hasOwnProperty.call(configs, id) ? configs[id] : undefined;
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  const plugin = discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins.find((p) => p.id === id);
  if (stored === undefined && plugin === undefined) {
    throw new ConfigError(`unknown config key ${quotedInput(text)}: no plugin with id ${quotedInput(id)} is installed or has settings in config.json; \`shelfwise plugins list\` shows the plugins and their ids`);
  }
  const own = isObject(stored) ? stored : {};
  const hidden = hiddenSettings(plugin?.manifest?.config_schema, own);
  const unknown = plugin === undefined && !showValue ? unknownSecrecy(own).filter((name) => !hidden.includes(name)) : [];
  const value = isObject(stored) ? Object.fromEntries(Object.entries(own).filter(([name]) => !hidden.includes(name) && !unknown.includes(name))) : (stored ?? {});
  // Such a setting is kept in secrets.json (plugin_configs.<id>.<key>, secret-settings.ts); a copy written into
  // config.json by hand counts too.
  let secrets: Record<string, string> = {};
  try {
    secrets = loadSecrets(dataDir);
  } catch {
    // An unreadable secrets.json is for `secrets` to say.
  }
  const holds = (value: unknown) => value !== undefined && value !== null && (typeof value !== "string" || value.trim() !== "");
  const secretSettings = hidden.map((name) => ({ name, set: holds(own[name]) || holds(secrets[secretSettingName(id, name)]) }));
  return { key: text, value, default: {}, set: stored !== undefined, known: true, secret_settings: secretSettings, ...(unknown.length > 0 ? { unshown_settings: unknown } : {}) };
}

/** The settings of a plugin that is not installed whose secrecy nothing tells (no manifest): all but shelfwise's own. */
function unknownSecrecy(own: Record<string, unknown>): string[] {
  return Object.keys(own).filter((name) => !isOwnPluginSetting(name));
}

function installedPluginIds(dataDir: string, config: Config): Set<string> {
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  return new Set(discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins.flatMap((p) => (p.id === null ? [] : [p.id])));
}

/**
 * `config get plugin_configs.ID.KEY` of a setting that holds a secret (marked so by the plugin's config_schema, or
 * named like a credential): never its value, wherever it is kept; whether it is set, and where: secrets.json (where
 * shelfwise keeps it, and the copy used) or config.json (written there by hand: `secret_setting.kept_in` says so and
 * the text says how to move it). Null for any other setting.
 */
function secretSettingEntry(dataDir: string, config: Config, raw: Record<string, unknown>, key: { id: string; key: string }): ConfigEntryView | null {
  const configs = isObject(raw.plugin_configs) ? raw.plugin_configs : {};
  const own = Object.hasOwn(configs, key.id) && isObject(configs[key.id]) ? (configs[key.id] as Record<string, unknown>) : {};
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  const plugin = discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins.find((p) => p.id === key.id);
  const marked = secretSettingNames(plugin?.manifest?.config_schema).includes(key.key);
  if (!marked && !SECRET_NAME.test(key.key)) return null;
  let secrets: Record<string, string> = {};
  try {
    secrets = loadSecrets(dataDir);
  } catch {
    // An unreadable secrets.json is for `secrets` to say.
  }
  const holds = (value: unknown) => value !== undefined && value !== null && (typeof value !== "string" || value.trim() !== "");
  const inSecrets = holds(secrets[secretSettingName(key.id, key.key)]);
  const inConfig = Object.hasOwn(own, key.key) && holds(own[key.key]);
  const keptIn = inSecrets ? "secrets.json" : inConfig ? "config.json" : null;
  return {
    key: `plugin_configs.${key.id}.${key.key}`,
    value: null,
    default: null,
    set: Object.hasOwn(own, key.key),
    known: true,
    secret_setting: { set: keptIn !== null, kept_in: keptIn, also_in_config: inSecrets && inConfig },
  };
}

/** What `config set|unset` shows in place of a secret setting's value. */
const SECRET_NOT_SHOWN = "(a secret setting: its value is not shown)";

/** Whether a plugin's setting holds a secret: marked so by its manifest's config_schema, or named like a credential. */
function isSecretSetting(dataDir: string, config: Config, key: { id: string; key: string }): boolean {
  if (SECRET_NAME.test(key.key)) return true;
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  const plugin = discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins.find((p) => p.id === key.id);
  return secretSettingNames(plugin?.manifest?.config_schema).includes(key.key);
}

/** A plugin's settings that hold a secret: marked so by its config_schema, or named like a credential. */
function hiddenSettings(schema: unknown, own: Record<string, unknown>): string[] {
  return [...new Set([...secretSettingNames(schema), ...Object.keys(own).filter((name) => SECRET_NAME.test(name))])];
}

/**
 * plugin_configs as `config list` and `config get plugin_configs` show it: every plugin's secret settings left out
 * (`config get plugin_configs.ID` says which are set), so that listing the settings never prints a key.
 */
function shownPluginConfigs(dataDir: string, config: Config, configs: unknown): unknown {
  if (!isObject(configs) || Object.keys(configs).length === 0) return configs;
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  const schemas = new Map<string, unknown>();
  for (const plugin of discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins) if (plugin.id !== null) schemas.set(plugin.id, plugin.manifest?.config_schema);
  return Object.fromEntries(
    Object.entries(configs).map(([id, own]) => {
      if (!isObject(own)) return [id, own];
      // A plugin not installed has no manifest to say which of its settings are secret: only shelfwise's own are shown.
      const hidden = schemas.has(id) ? hiddenSettings(schemas.get(id), own) : [...hiddenSettings(undefined, own), ...unknownSecrecy(own)];
      return [id, Object.fromEntries(Object.entries(own).filter(([name]) => !hidden.includes(name)))];
    }),
  );
}

/** The schema one key's value must meet, or null when any JSON value goes (a plugin's own setting, an unknown key). */
function schemaOf(key: Key): z.ZodType | null {
  if (key.kind === "top") return (ConfigSchema.shape as Record<string, z.ZodType>)[key.key] ?? (isPluginSwitch(key.key) ? z.boolean() : null);
  if (Object.hasOwn(PLUGIN_RUNTIME_SETTINGS, key.key)) return PluginRuntimeSettingsSchema.shape[key.key as keyof typeof PLUGIN_RUNTIME_SETTINGS];
  return Object.hasOwn(PluginSandboxSettingsSchema.shape, key.key) ? (PluginSandboxSettingsSchema.shape as Record<string, z.ZodType>)[key.key]! : null;
}

/** A number as the CLI reads one: decimal digits, an optional fraction (and sign, for the range to judge). */
const PLAIN_NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, on: true, off: false };

/**
 * VALUE as typed, read as the key takes it: a number for a number (`70`), true/false (also yes/no, on/off) for a
 * switch, `null` where the key may be null, a list as JSON (`["a","b"]`) or comma-separated (`a,b`), else the
 * text itself. The first reading the key's schema accepts wins; none: the most natural one, for the refusal to quote.
 */
function readValue(key: Key, text: string): unknown {
  const schema = schemaOf(key);
  const candidates: unknown[] = [];
  let json: unknown;
  let isJson = false;
  try {
    json = JSON.parse(text);
    isJson = true;
  } catch {
    // Not JSON: the text itself.
  }
  if (schema === null) return isJson ? json : text;
  if (isJson) candidates.push(json);
  // `05` is not JSON, but `--wait 05` is 5 seconds: the same text, the same number.
  else if (PLAIN_NUMBER.test(text)) candidates.push(Number(text));
  const word = BOOLEAN_WORDS[text.trim().toLowerCase()];
  if (word !== undefined) candidates.push(word);
  // The same slip given as JSON (`["path","","tags"]`): an empty id names no layer either.
  if (Array.isArray(json) && schema.safeParse([]).success) {
    const empty = json.findIndex((item) => typeof item === "string" && item.trim() === "");
    if (empty >= 0) throw new ConfigError(`"${show(key)}[${empty}]" is empty: item ${empty + 1} of ${quotedInput(text)} has nothing in it; remove it or put a value there (nothing was changed)`);
  }
  let list: string[] | undefined;
  if (!text.trimStart().startsWith("[") && schema.safeParse([]).success && !schema.safeParse("").success) {
    // An empty item (`a,,b`, `a,b,`) is a slip of the fingers, not a wish: dropping it silently wrote a list other than
    // the one typed. Only a blank text is the empty list.
    list = text.trim() === "" ? [] : text.split(",").map((item) => item.trim());
    const empty = list.indexOf("");
    if (empty >= 0) {
      throw new ConfigError(
        `"${show(key)}[${empty}]" is empty: item ${empty + 1} of ${quotedInput(text)} has nothing in it; remove the extra comma or put a value there (nothing was changed)`,
      );
    }
    candidates.push(list);
  }
  candidates.push(text);
  const taken = candidates.find((value) => value !== undefined && schema.safeParse(value).success);
  // JSON reads `1e3`, `1E3` or `1.0e1` as a number, but `--wait 1e3` and every other number typed on the command line
  // or in an API query is refused (decimal digits only, domain/number-text.ts): one rule, so a typo is not a setting.
  if (typeof taken === "number" && !PLAIN_NUMBER.test(text)) {
    throw new ConfigError(`"${show(key)}" is ${quotedInput(text)}: must be a number in decimal digits (${taken}, not ${text.trim()}), as --wait and every other number option take them (nothing was changed)`);
  }
  if (taken !== undefined) return taken;
  // A list key's refusal quotes the list typed (`sandbox_disable all,bogus`: the item at fault, and the values it takes),
  // not the whole text as if no list had been given ("must be a list").
  return isJson ? json : (list ?? text);
}

/**
 * A plugin's setting shelfwise reads itself, out of its range: the config schema lets plugin_configs hold anything
 * (a run clamps it, with a warning), but a value typed now is refused with the range, as a top-level key's is.
 */
function pluginValueProblem(key: Key, value: unknown): string | null {
  if (key.kind !== "plugin") return null;
  const schema = schemaOf(key);
  if (schema === null) {
    // A plugin's own setting takes any JSON, but typed on a command line a control character or a line break in
    // its text is a paste gone wrong, never meant (the plugin's config_schema checks the rest when it runs).
    const found = unmeantInJson(value, "text");
    if (found === null) return null;
    const where = found.path.length > 0 ? found.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("") : "";
    return `plugin_configs.${key.id}.${key.key}${where}: ${found.message} (a plugin's own setting takes any JSON value, but text typed here is on one line; a value that must hold a line break goes into config.json by hand)`;
  }
  return ownSettingProblem(key.id, key.key, value)?.message ?? null;
}

/** A value a secret would be: config.json never holds one (it is shown, copied, pasted into issues). */
function secretProblem(dataDir: string, key: Key, value: unknown): string | null {
  const name = show(key);
  if (typeof value === "string" && key.kind === "plugin" && SECRET_NAME.test(key.key)) {
    return `${name} reads as a secret, and config.json never holds secrets: put it into secrets.json with \`shelfwise secrets set ${key.key}\` (it reads the value from stdin), and list the name in the plugin's requires_secrets`;
  }
  const text = JSON.stringify(value) ?? "";
  if (/[a-z][a-z0-9+.-]*:\/\/[^/\s"@]*:[^/\s"@]*@/i.test(text)) return `${name}: a URL with a user name and password puts a secret into config.json; give the URL without them`;
  let secrets: Record<string, string> = {};
  try {
    secrets = loadSecrets(dataDir);
  } catch {
    // An unreadable secrets.json is for `secrets` to say.
  }
  for (const [secret, stored] of Object.entries(secrets)) {
    if (stored.trim().length >= 6 && text.includes(stored.trim())) return `the value of ${name} holds the value of secret "${secret}": config.json never holds secrets; name the secret instead`;
  }
  return null;
}

export function setConfigKey(dataDir: string, keyText: string, valueText: string): ConfigChangeView {
  const before = loadRawForKeys(dataDir);
  const key = parseKey(keyText, "set", before);
  ownCommand(key);
  secretSettingRefusal(dataDir, key, before);
  const value = readValue(key, valueText);
  const folder = key.kind === "top" ? folderSettingProblem(dataDir, key.key, value) : null;
  if (folder !== null) throw new ConfigError(`${folder} (nothing was changed)`);
  const refused = pluginValueProblem(key, value);
  if (refused !== null) throw new ConfigError(`${refused} (nothing was changed)`);
  const problem = secretProblem(dataDir, key, value);
  if (problem !== null) throw new ConfigError(`${problem} (nothing was changed)`);
  return change(dataDir, key, "set", (raw) => {
    if (key.kind === "top") raw[key.key] = value;
    else {
      const configs = isObject(raw.plugin_configs) ? raw.plugin_configs : (raw.plugin_configs = {} as Record<string, unknown>);
      const own = Object.hasOwn(configs, key.id) && isObject(configs[key.id]) ? (configs[key.id] as Record<string, unknown>) : (configs[key.id] = {} as Record<string, unknown>);
      own[key.key] = value;
    }
  });
}

export function unsetConfigKey(dataDir: string, keyText: string): ConfigChangeView {
  const before = loadRawForKeys(dataDir);
  const key = parseKey(keyText, "unset", before);
  ownCommand(key);
  return change(dataDir, key, "unset", (raw) => {
    if (key.kind === "top") delete raw[key.key];
    else if (isObject(raw.plugin_configs) && isObject(raw.plugin_configs[key.id])) {
      const own = raw.plugin_configs[key.id] as Record<string, unknown>;
      delete own[key.key];
      // An emptied plugin entry goes too: config.json reads as the user wrote it.
      if (Object.keys(own).length === 0) delete raw.plugin_configs[key.id];
      if (Object.keys(raw.plugin_configs).length === 0) delete raw.plugin_configs;
    }
  });
}

/**
 * A setting a plugin's config_schema marks secret (writeOnly, format "password", secret) is kept in
 * secrets.json, never in config.json: refused here (its value came through argv, which `ps` and the shell's
 * history show), pointing to `secrets set`, which reads it from stdin into the name the plugin is given it by.
 */
function secretSettingRefusal(dataDir: string, key: Key, raw: Record<string, unknown>): void {
  if (key.kind !== "plugin") return;
  const name = secretSettingName(key.id, key.key);
  let secret = false;
  try {
    secret = name in loadSecrets(dataDir);
  } catch {
    // An unreadable secrets.json is for `secrets` to say; the manifests still decide.
  }
  if (!secret) {
    const layout = dataDirLayout(dataDir);
    const pluginDir = typeof raw.plugin_dir === "string" && raw.plugin_dir !== "" ? userPath(raw.plugin_dir, layout.root) : layout.defaultPluginDir;
    const plugins = discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins;
    secret = plugins.some((plugin) => plugin.id === key.id && secretSettingNames(plugin.manifest?.config_schema).includes(key.key));
  }
  if (!secret) return;
  throw new ConfigError(
    `plugin_configs.${key.id}.${key.key} is a secret setting of plugin ${key.id} (its config_schema marks it secret), kept in secrets.json, never in config.json nor taken from the command line: \`shelfwise secrets set ${shellWord(name)}\` reads it from stdin (or asks for it on a terminal) and the plugin gets it in its config as before (nothing was changed)`,
  );
}

function ownCommand(key: Key): void {
  if (key.kind === "top" && OWN_COMMAND[key.key]) throw new ConfigError(`${key.key} is not set with \`config\`: ${OWN_COMMAND[key.key]} (nothing was changed)`);
}

/** config.json as written, not checked by the schema: a key at fault may be the one being fixed. */
function loadRawForKeys(dataDir: string): Record<string, unknown> {
  return readConfigObject(dataDir);
}

function change(dataDir: string, key: Key, action: "set" | "unset", apply: (raw: Record<string, unknown>) => void): ConfigChangeView {
  let previous: { set: boolean; value: unknown } = { set: false, value: undefined };
  let changed = false;
  let file = "";
  try {
    changeConfig(
      dataDir,
      (raw) => {
        previous = storedOf(raw, key);
        const before = JSON.stringify(raw);
        apply(raw);
        changed = JSON.stringify(raw) !== before;
        if (!changed) throw new Unchanged();
      },
      { fixing: key.kind === "top" ? key.key : "plugin_configs" },
    );
  } catch (error) {
    if (error instanceof Unchanged) changed = false;
    else if (error instanceof ConfigError) throw new ConfigError(`${error.message}${/nothing was changed\)?$/.test(error.message) ? "" : " (config.json was not changed)"}`);
    else throw error;
  }
  const loaded = loadConfig(dataDir);
  file = loaded.file;
  const now = configEntryFrom(loaded, key);
  // `config unset` of a secret setting written into config.json by hand: the value it removes is never shown.
  const hidden = key.kind === "plugin" && isSecretSetting(dataDir, loaded.config, key);
  const shownPrevious = previous.set ? (hidden ? SECRET_NOT_SHOWN : previous.value) : null;
  return { action, key: show(key), value: hidden && now !== undefined && now !== null ? SECRET_NOT_SHOWN : (now ?? null), previous: shownPrevious, changed, config_file: file };
}

class Unchanged extends Error {}

function configEntryFrom(loaded: ReturnType<typeof loadConfig>, key: Key): unknown {
  if (key.kind === "top" && KNOWN_CONFIG_KEYS.has(key.key)) return (loaded.config as Record<string, unknown>)[key.key];
  const stored = storedOf(loaded.raw, key);
  return stored.set ? stored.value : defaultOf(key);
}
