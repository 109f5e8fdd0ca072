/** The one rule for a plugin id: manifests, discovery and `plugins new` all use it. */
export const PLUGIN_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const PLUGIN_ID_RULE = "must be 1 to 64 letters, digits, _ or -";
/** Would shadow the SDK link folder in the plugin dir. */
export const RESERVED_PLUGIN_IDS: ReadonlySet<string> = new Set(["node_modules"]);

export function isPluginId(id: string): boolean {
  return PLUGIN_ID_PATTERN.test(id) && !RESERVED_PLUGIN_IDS.has(id);
}
