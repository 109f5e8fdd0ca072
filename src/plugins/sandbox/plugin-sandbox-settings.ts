/**
 * The wall's settings for one plugin, from config.json: the global switches
 * (sandbox_required, sandbox_disable) and the user's per-plugin allowances
 * (plugin_configs.<id>.allow_private_network, .extra_read_paths), whose schema
 * lives with the other per-plugin settings in config/config-schema.ts.
 */
import path from "node:path";
import { resolvePluginSandbox } from "../../config/config-schema.js";
import type { SandboxSettings } from "./sandbox-types.js";

export interface GlobalSandboxConfig {
  required: boolean;
  disable: readonly string[];
}

export function pluginSandboxSettings(
  global: GlobalSandboxConfig | undefined,
  pluginConfig: Record<string, unknown>,
  protect: string[],
  baseDir: string,
): SandboxSettings {
  const allowances = resolvePluginSandbox("", pluginConfig).settings;
  return {
    required: global?.required ?? false,
    disable: global?.disable ?? [],
    allow_private_network: allowances.allow_private_network,
    extra_read_paths: allowances.extra_read_paths.map((p) => path.resolve(baseDir, p)),
    protect,
  };
}

/** Mistyped allowances are ignored (nothing extra is allowed), and the user is told. */
export function sandboxSettingWarnings(id: string, pluginConfig: Record<string, unknown>): string[] {
  return resolvePluginSandbox(id, pluginConfig).warnings;
}
