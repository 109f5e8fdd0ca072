/**
 * The one check of a value given for one of shelfwise's own settings of plugin_configs.<id> (the runtime limits,
 * source weight and the wall's allowances), shared by `config set plugin_configs.ID.KEY` and the settings page's
 * save: both refuse the same values with the same words. A run reads config.json more leniently (clamped, or
 * ignored, with a warning: a hand-written typo never stops a library run); a value given now is refused.
 */
import { quotedInput } from "../domain/quoted-input.js";
import { PLUGIN_RUNTIME_SETTINGS, PluginRuntimeSettingsSchema, PluginSandboxSettingsSchema } from "./config-schema.js";

/** How much of a value given as JSON a refusal quotes (a long list of paths is cut). */
const SHOWN_JSON = 200;

/** Whether `key` is one of shelfwise's own settings of plugin_configs.<id>. */
export function isOwnPluginSetting(key: string): boolean {
  return Object.hasOwn(PLUGIN_RUNTIME_SETTINGS, key) || Object.hasOwn(PluginSandboxSettingsSchema.shape, key);
}

/**
 * Where a value is given: a command's VALUE (a list as JSON or comma-separated), or the settings page's field
 * (a list one item a line): the rule says how to give it there.
 */
export type GivenAt = "command" | "page";

/** What a value of shelfwise's own setting `key` must be, in words, or null when `key` is no such setting. */
export function ownSettingRule(key: string, at: GivenAt = "command"): string | null {
  if (Object.hasOwn(PLUGIN_RUNTIME_SETTINGS, key)) {
    const range = PLUGIN_RUNTIME_SETTINGS[key as keyof typeof PLUGIN_RUNTIME_SETTINGS];
    return `must be ${range.integer ? "a whole number" : "a number"} from ${range.min} to ${range.max}${range.default === null ? ", or null (no limit)" : ""}`;
  }
  if (key === "allow_private_network") return "must be true or false";
  if (key === "extra_read_paths") return at === "page" ? "must be a list of folder paths, one a line" : "must be a list of folder paths (JSON, or comma-separated)";
  return null;
}

/**
 * The refusal of `value` for shelfwise's own setting `key` of plugin `id` ("plugin_configs.ID.KEY is VALUE: must
 * be ..."), with the rule alone for a form's field; null when it is accepted or `key` is the plugin's own.
 */
export function ownSettingProblem(id: string, key: string, value: unknown, at: GivenAt = "command"): { message: string; rule: string } | null {
  if (!isOwnPluginSetting(key)) return null;
  const schema = Object.hasOwn(PLUGIN_RUNTIME_SETTINGS, key)
    ? PluginRuntimeSettingsSchema.shape[key as keyof typeof PLUGIN_RUNTIME_SETTINGS]
    : PluginSandboxSettingsSchema.shape[key as keyof typeof PluginSandboxSettingsSchema.shape];
  // undefined is "not set" (the default), never a value given.
  if (value === undefined || schema.safeParse(value).success) return null;
  const rule = ownSettingRule(key, at)!;
  const json = JSON.stringify(value) ?? String(value);
  const given = typeof value === "string" ? quotedInput(value) : json.length > SHOWN_JSON ? `${json.slice(0, SHOWN_JSON)}…` : json;
  return { message: `plugin_configs.${id}.${key} is ${given}: ${rule}`, rule };
}
