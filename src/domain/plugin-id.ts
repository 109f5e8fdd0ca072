/**
 * The id rule for everything that becomes a pipeline layer from outside
 * shelfwise (plugins, HTTP sources): it is a folder name, a config key part and
 * a layer id, so it is kept to characters that are safe in all three.
 */
export const PLUGIN_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const PLUGIN_ID_RULE = "must be 1 to 64 letters, digits, _ or -";
/** Ids that can never be used: a folder name npm owns. */
export const RESERVED_PLUGIN_IDS: ReadonlySet<string> = new Set(["node_modules"]);

/** What is wrong with the id, or null when it follows the rule. */
export function pluginIdProblem(id: string): string | null {
  if (!PLUGIN_ID_PATTERN.test(id)) return PLUGIN_ID_RULE;
  if (RESERVED_PLUGIN_IDS.has(id)) return `"${id}" is reserved`;
  return null;
}
