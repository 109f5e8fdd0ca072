/**
 * A plugin's secret setting (its config_schema marks it writeOnly, `format: "password"` or `secret: true`) written
 * into config.json by hand, where shelfwise kept them before secrets.json did (`plugin_configs.<id>.<key>`). It still
 * works (secrets.json's copy wins), but config.json is the file people show, copy and paste into issues: `config
 * list`, `plugins list` and `status` say which to move, and `secrets set plugin_configs.ID.KEY` moves it (the copy in
 * config.json is removed once secrets.json holds the value). Nothing moves unasked: a command that only reads never
 * writes, and a value typed into config.json is the user's until they say where it goes.
 */
import { shellWord } from "../domain/shell-word.js";
import { discoverPlugins } from "../plugins/manifest/discovery.js";
import { secretSettingName, secretSettingNames } from "../plugins/manifest/secret-settings.js";
import { withSchemaVerdicts } from "../plugins/manifest/manifest-schema.js";
import { readSchemaVerdicts } from "../plugins/manifest/schema-verdicts.js";
import { loadSecrets } from "../config/config-file.js";

export interface HandWrittenSecretSetting {
  /** `plugin_configs.<id>.<key>`: the name `secrets set` takes, and config.json's path to the copy. */
  name: string;
  /** secrets.json holds a value too: config.json's copy is not used. */
  alsoInSecrets: boolean;
}

/** The manifest-marked secret settings config.json holds a value for, plugin by plugin. */
export function handWrittenSecretSettings(dataDir: string, pluginDir: string, pluginConfigs: unknown): HandWrittenSecretSetting[] {
  if (!isObject(pluginConfigs) || Object.keys(pluginConfigs).length === 0) return [];
  let secrets: Record<string, string> = {};
  try {
    secrets = loadSecrets(dataDir);
  } catch {
    // An unreadable secrets.json is for `secrets` to say.
  }
  const found: HandWrittenSecretSetting[] = [];
  // With the verdicts `plugins list` and `process` stored and the config as it is: `status` runs this at every
  // start, and a config_schema asked about afresh loads ajv (~40 ms) to be told what it was told before.
  const discovered = withSchemaVerdicts(readSchemaVerdicts(dataDir), () => discoverPlugins(pluginDir, { pluginConfigs, secretNames: new Set() }));
  for (const plugin of discovered.plugins) {
    if (plugin.id === null || !Object.hasOwn(pluginConfigs, plugin.id)) continue;
    const own = pluginConfigs[plugin.id];
    if (!isObject(own)) continue;
    for (const key of secretSettingNames(plugin.manifest?.config_schema)) {
      const value = own[key];
      if (!Object.hasOwn(own, key) || value === null || value === "") continue;
      const name = secretSettingName(plugin.id, key);
      found.push({ name, alsoInSecrets: name in secrets });
    }
  }
  return found;
}

/** What to do about one, in words: the same line from every command that says it. */
export function handWrittenSecretAdvice(found: HandWrittenSecretSetting): string {
  return found.alsoInSecrets
    ? `config.json holds ${found.name}, a secret setting, by hand; secrets.json's value is the one used: remove config.json's copy with \`shelfwise config unset ${shellWord(found.name)}\``
    : `config.json holds ${found.name}, a secret setting, by hand (config.json is shown and copied; secrets.json is private): move it with \`shelfwise secrets set ${shellWord(found.name)}\` (reads the value from stdin; config.json's copy is then removed)`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
