/**
 * The wall's settings for one plugin, from config.json: the global switches
 * (sandbox_required, sandbox_disable) and the user's per-plugin allowances
 * (plugin_configs.<id>.allow_private_network, .extra_read_paths).
 */
import path from "node:path";
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
  const extra = pluginConfig.extra_read_paths;
  return {
    required: global?.required ?? false,
    disable: global?.disable ?? [],
    allow_private_network: pluginConfig.allow_private_network === true,
    extra_read_paths: Array.isArray(extra)
      ? extra.filter((p): p is string => typeof p === "string" && p.trim() !== "").map((p) => path.resolve(baseDir, p))
      : [],
    protect,
  };
}

/** Mistyped allowances are ignored (nothing extra is allowed), and the user is told. */
export function sandboxSettingWarnings(id: string, pluginConfig: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  const allow = pluginConfig.allow_private_network;
  if (allow !== undefined && typeof allow !== "boolean") {
    warnings.push(`plugin_configs.${id}.allow_private_network: must be true or false (got ${JSON.stringify(allow)}); private addresses stay refused`);
  }
  const extra = pluginConfig.extra_read_paths;
  if (extra !== undefined && (!Array.isArray(extra) || extra.some((p) => typeof p !== "string"))) {
    warnings.push(`plugin_configs.${id}.extra_read_paths: must be a list of folder paths (got ${JSON.stringify(extra)}); entries that are not strings are ignored`);
  }
  return warnings;
}
