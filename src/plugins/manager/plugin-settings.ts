/**
 * What the plugin manager needs to load plugins, built one way for every
 * caller (a session's pipeline, `plugins test`, `plugins validate`).
 */
import { libraryFolders } from "../../config/library-folders.js";
import { userPath } from "../../config/user-path.js";
import type { Config } from "../../config/config-schema.js";
import type { GlobalSandboxConfig } from "../sandbox/plugin-sandbox-settings.js";
import { withSecretSettings, withoutSecretSettings } from "../manifest/secret-settings.js";

export interface PluginSettings {
  pluginDir: string;
  /** The data folder (its layout: config/data-dir.ts). */
  dataDir: string;
  /** Library roots, absolute. */
  libraryPaths: string[];
  pluginConfigs: Record<string, Record<string, unknown>>;
  secrets: Record<string, string>;
  /** config.json's python_path. */
  pythonPath: string;
  autoDisableAfter: number;
  /** sandbox_required and sandbox_disable from config.json (absent: every mechanism, not required). */
  sandbox?: GlobalSandboxConfig;
  /** True when config.json switches this enable key off (`plugin_<id>_enabled: false`). */
  switchedOff?: (enableKey: string) => boolean;
}

export interface PluginSettingsInput {
  dataDir: string;
  pluginDir: string;
  config: Pick<Config, "library_paths" | "plugin_configs" | "python_path" | "auto_disable_after"> &
    Partial<Pick<Config, "sandbox_required" | "sandbox_disable" | "output_path">> &
    Record<string, unknown>;
  secrets: Record<string, string>;
}

/** The one place config.json's keys (snake_case) become the manager's settings (camelCase). */
export function buildPluginSettings(input: PluginSettingsInput): PluginSettings {
  const { config } = input;
  return pluginSettingsFrom({
    pluginDir: input.pluginDir,
    dataDir: input.dataDir,
    // Books apply moved to output_path are library books too: a plugin allowed to read the library reads them there.
    libraryPaths: libraryFolders({ library_paths: config.library_paths, output_path: config.output_path ?? null }, input.dataDir),
    // A setting its config_schema marks secret is kept in secrets.json (plugin_configs.<id>.<key>) and given back
    // to the plugin in its config, as if config.json held it; it is not a flat secret a manifest may ask for.
    pluginConfigs: withSecretSettings(config.plugin_configs as Record<string, Record<string, unknown>>, input.secrets),
    secrets: withoutSecretSettings(input.secrets),
    pythonPath: config.python_path,
    autoDisableAfter: config.auto_disable_after,
    sandbox: { required: config.sandbox_required ?? false, disable: config.sandbox_disable ?? [] },
    switchedOff: (key) => config[key] === false,
  });
}

/**
 * The one builder, from settings already in TypeScript's names (the harness's
 * options): library paths resolved against the data folder, as config.json documents.
 */
export function pluginSettingsFrom(values: PluginSettings): PluginSettings {
  return { ...values, libraryPaths: values.libraryPaths.map((p) => userPath(p, values.dataDir)) };
}
