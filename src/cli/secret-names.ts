/**
 * `secrets list|set|unset`: secrets.json's names, who asks for each, and one name's value set or removed. No value
 * leaves this module: not in a view, a message or a log.
 */
import { shellWord } from "../domain/shell-word.js";
import { ConfigError, configPath, loadConfig, loadSecrets, readConfigObject, secretsPath } from "../config/config-file.js";
import { userPath } from "../config/user-path.js";
import { dataDirLayout } from "../config/data-dir.js";
import { WEB_TOKEN_SECRET } from "../config/config-schema.js";
import { quotedInput } from "../domain/quoted-input.js";
import { discoverPlugins } from "../plugins/manifest/discovery.js";
import { isSecretSettingName, SECRET_SETTING_PREFIX, secretIsSet, secretSettingKeyProblem, secretSettingName, secretSettingNames } from "../plugins/manifest/secret-settings.js";
import { shownTextProblem } from "../domain/user-value.js";
import { changeConfig, changeSecrets } from "../app/settings-writes.js";
import type { SecretChangeView, SecretListView, SecretRow } from "../app/views/settings.js";

/**
 * Every name a plugin may ask for (manifest-schema.ts: requires_secrets takes 1 to 200 characters, no control
 * character) or an HTTP source may name (a subset: letters, digits, _ . -), so that each can be set here; a name
 * with a space is given quoted (`shelfwise secrets set 'My Key'`). A plugin's secret setting is
 * `plugin_configs.<id>.<key>`, its key checked by the rule the manifest's config_schema is (secretSettingKeyProblem).
 */
const MAX_SECRET_NAME = 200;
const PLUGIN_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** No key or token comes near this; more is a file piped by mistake (`secrets set X < book.mp3`). */
export const MAX_SECRET_BYTES = 64 * 1024;

type User = SecretRow["used_by"][number];

/** Who asks for each name: plugins' manifests (read, not started), HTTP sources' credentials, shelfwise's own. */
function usersByName(dataDir: string): Map<string, User[]> {
  const users = new Map<string, User[]>();
  const add = (name: string, user: User) => users.set(name, [...(users.get(name) ?? []), user]);
  add(WEB_TOKEN_SECRET, { kind: "shelfwise", id: "web" });
  const { config } = loadConfig(dataDir);
  const layout = dataDirLayout(dataDir);
  const pluginDir = config.plugin_dir ? userPath(config.plugin_dir, layout.root) : layout.defaultPluginDir;
  for (const plugin of discoverPlugins(pluginDir, { pluginConfigs: {}, secretNames: new Set() }).plugins) {
    if (plugin.id === null || !plugin.manifest) continue;
    for (const name of new Set(plugin.manifest.requires_secrets)) add(name, { kind: "plugin", id: plugin.id });
    // Its settings marked secret are kept here too, under plugin_configs.<id>.<key>.
    for (const key of secretSettingNames(plugin.manifest.config_schema)) add(secretSettingName(plugin.id, key), { kind: "plugin", id: plugin.id });
  }
  for (const source of config.http_sources) {
    const auth = source.auth as { credential?: unknown } | undefined;
    if (typeof auth?.credential === "string") add(auth.credential, { kind: "http_source", id: source.id });
  }
  return users;
}

export function secretList(dataDir: string): SecretListView {
  const secrets = loadSecrets(dataDir);
  const users = usersByName(dataDir);
  const names = [...new Set([...Object.keys(secrets), ...users.keys()])].filter((name) => name in secrets || name !== WEB_TOKEN_SECRET);
  return names
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, state: !(name in secrets) ? "not_set" : secretIsSet(secrets[name]) ? "set" : "blank", used_by: users.get(name) ?? [] }));
}

/** Why `name` cannot be set or unset here, or null. */
export function secretNameProblem(name: string, action: "set" | "unset"): string | null {
  const problem = nameProblem(name);
  if (problem !== null) return `${quotedInput(name)} is not a secret name: ${problem} (nothing was changed)`;
  if (name === WEB_TOKEN_SECRET && action === "set") {
    return `"${WEB_TOKEN_SECRET}" is the web app's access token, which \`serve\` makes itself (random, and shown when it starts); \`shelfwise secrets unset ${WEB_TOKEN_SECRET}\` makes the next \`serve\` make a new one (nothing was changed)`;
  }
  return null;
}

function nameProblem(name: string): string | null {
  if (isSecretSettingName(name)) {
    const rest = name.slice(SECRET_SETTING_PREFIX.length);
    const dot = rest.indexOf(".");
    const id = dot < 0 ? rest : rest.slice(0, dot);
    if (!PLUGIN_ID.test(id) || dot < 0) return `a plugin's secret setting is plugin_configs.ID.KEY, ID a plugin id (1 to 64 letters, digits, _ or -)`;
    const keyProblem = secretSettingKeyProblem(rest.slice(dot + 1));
    return keyProblem === null ? null : `its KEY (after plugin_configs.${id}.) ${keyProblem}`;
  }
  if (name.trim() === "") return "it is empty or only white space";
  if (name.length > MAX_SECRET_NAME) return `1 to ${MAX_SECRET_NAME} characters (got ${name.length})`;
  const bad = shownTextProblem(name, { controlsOnly: true });
  return bad === null ? null : `it ${bad}`;
}

/** Why `value` cannot be a secret, or null. Never quotes it. */
export function secretValueProblem(name: string, value: string): string | null {
  if (value.trim() === "") return `no value for secret "${name}": it is empty (\`shelfwise secrets unset ${shellWord(name)}\` removes one); nothing was changed`;
  if (Buffer.byteLength(value) > MAX_SECRET_BYTES) return `the value for secret "${name}" is ${Buffer.byteLength(value)} bytes, more than any key (at most ${MAX_SECRET_BYTES}); was a file piped in by mistake? nothing was changed`;
  return null;
}

export function setSecret(dataDir: string, name: string, value: string): SecretChangeView {
  const problem = secretNameProblem(name, "set") ?? secretValueProblem(name, value);
  if (problem !== null) throw new ConfigError(problem);
  // The same value again writes nothing (the file's time stays, and a running serve reloads nothing).
  const changed = loadSecrets(dataDir)[name] !== value;
  if (changed) {
    changeSecrets(dataDir, (secrets) => {
      secrets[name] = value;
    });
  }
  // secrets.json first, then config.json: a failure between the two leaves a copy in both, never none.
  const removed = removeConfigCopy(dataDir, name);
  return { action: "set", name, changed, secrets_file: secretsPath(dataDir), used_by: usedBy(dataDir, name), ...(removed ? { removed_from_config: removed } : {}) };
}

export function unsetSecret(dataDir: string, name: string): SecretChangeView {
  const problem = secretNameProblem(name, "unset");
  if (problem !== null) throw new ConfigError(problem);
  let changed = false;
  if (name in loadSecrets(dataDir)) {
    changeSecrets(dataDir, (secrets) => {
      changed = name in secrets;
      delete secrets[name];
    });
  }
  return { action: "unset", name, changed, secrets_file: secretsPath(dataDir), used_by: usedBy(dataDir, name) };
}

/**
 * A plugin's setting now kept in secrets.json (`plugin_configs.<id>.<key>`): a copy written into config.json by hand
 * is not used any more (secrets.json's wins) and is removed, so the key is in the private file only. Returns
 * config.json's path when it was changed.
 */
function removeConfigCopy(dataDir: string, name: string): string | null {
  if (!isSecretSettingName(name)) return null;
  const rest = name.slice(SECRET_SETTING_PREFIX.length);
  const dot = rest.indexOf(".");
  if (dot <= 0) return null;
  const id = rest.slice(0, dot);
  const key = rest.slice(dot + 1);
  const holds = (raw: Record<string, unknown>) => {
    const configs = raw.plugin_configs;
    const own = isObject(configs) && Object.hasOwn(configs, id) ? configs[id] : undefined;
    return isObject(own) && Object.hasOwn(own, key) ? own : null;
  };
  if (holds(readConfigObject(dataDir)) === null) return null;
  let removed = false;
  changeConfig(dataDir, (raw) => {
    const own = holds(raw);
    if (own === null) return;
    delete own[key];
    removed = true;
    const configs = raw.plugin_configs as Record<string, unknown>;
    if (Object.keys(own).length === 0) delete configs[id];
    if (Object.keys(configs).length === 0) delete raw.plugin_configs;
  }, { fixing: "plugin_configs" });
  return removed ? configPath(dataDir) : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function usedBy(dataDir: string, name: string): User[] {
  return usersByName(dataDir).get(name) ?? [];
}
