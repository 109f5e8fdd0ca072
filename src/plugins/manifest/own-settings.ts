/**
 * Keys of plugin_configs.<id> that shelfwise reads itself: the runtime limits and source weight, and the
 * wall's allowances. They are the user's grants to a plugin, so a plugin's config_schema does not get to
 * describe them. The settings page draws its form from that schema and fills each field with its
 * `default`: a manifest declaring `allow_private_network` as a checkbox titled "Cache covers", checked by
 * default, or `extra_read_paths` defaulting to the user's home, had either saved with the user's next
 * save of any setting, and `source_weight` 100 made the plugin weigh as much as the user's own edits.
 */
import { PLUGIN_RUNTIME_SETTINGS, PluginRuntimeSettingsSchema, PluginSandboxSettingsSchema } from "../../config/config-schema.js";

const SANDBOX_SETTINGS: Record<string, Record<string, unknown>> = {
  allow_private_network: {
    type: "boolean",
    description: "shelfwise's own setting, not the plugin's: lets the plugin reach loopback and private network addresses (your local network, this machine)",
  },
  extra_read_paths: {
    type: "array",
    items: { type: "string" },
    description: "shelfwise's own setting, not the plugin's: more folders the plugin may read, one a line",
  },
};

/** The keys of plugin_configs.<id> that are shelfwise's own. */
export const OWN_SETTING_KEYS: ReadonlySet<string> = new Set([...Object.keys(PLUGIN_RUNTIME_SETTINGS), ...Object.keys(PluginSandboxSettingsSchema.shape)]);

/** How shelfwise describes one of its own settings in a settings form: its own title, rules and words, no default. */
function ownSettingSchema(key: string): Record<string, unknown> {
  const sandbox = SANDBOX_SETTINGS[key];
  if (sandbox) return { title: key, ...sandbox };
  const rule = PLUGIN_RUNTIME_SETTINGS[key as keyof typeof PLUGIN_RUNTIME_SETTINGS];
  return {
    title: key,
    type: rule.integer ? "integer" : "number",
    minimum: rule.min,
    maximum: rule.max,
    description: `shelfwise's own setting, not the plugin's${rule.default === null ? "" : ` (default ${rule.default})`}: see docs/plugins.md`,
  };
}

/**
 * A config_schema as a settings form may draw it: a top-level property naming one of shelfwise's own settings
 * is described as shelfwise describes it (the plugin's title, help, default and choices for it dropped).
 */
export function withOwnSettingsDescribed(schema: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!schema) return null;
  const properties = schema.properties;
  if (!properties || typeof properties !== "object" || Array.isArray(properties)) return schema;
  const own = Object.keys(properties).filter((key) => OWN_SETTING_KEYS.has(key));
  if (own.length === 0) return schema;
  const described: Record<string, unknown> = { ...(properties as Record<string, unknown>) };
  for (const key of own) described[key] = ownSettingSchema(key);
  return { ...schema, properties: described };
}

/** Whether shelfwise's own schema refuses `value` for its own setting `key` (wrong type, out of range). */
export function ownSettingRefused(key: string, value: unknown): boolean {
  const runtime = PluginRuntimeSettingsSchema.shape[key as keyof typeof PLUGIN_RUNTIME_SETTINGS];
  const rule = runtime ?? PluginSandboxSettingsSchema.shape[key as keyof typeof PluginSandboxSettingsSchema.shape];
  return rule !== undefined && !rule.safeParse(value).success;
}

/**
 * plugin_configs.<id> split into the plugin's own keys (what its config_schema judges) and shelfwise's.
 * The plugin still gets both in its config, as it always has: this only decides who judges what.
 */
export function splitOwnSettings(config: Record<string, unknown>): { plugin: Record<string, unknown>; own: Record<string, unknown> } {
  const plugin: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) (OWN_SETTING_KEYS.has(key) ? own : plugin)[key] = value;
  return { plugin, own };
}
