/**
 * Which of a plugin's settings hold a secret: the top-level config_schema
 * properties marked JSON Schema's `writeOnly: true`, `format: "password"`, or
 * `secret: true` (an API key kept in plugin_configs). The web app never sends
 * their values to a page; the plugin's process masks them like its declared
 * secrets (in its log, its errors and its answers).
 */
export function secretSettingNames(schema: unknown): string[] {
  const properties = schema && typeof schema === "object" ? (schema as { properties?: unknown }).properties : undefined;
  if (!properties || typeof properties !== "object") return [];
  return Object.entries(properties as Record<string, unknown>)
    .filter(([, sub]) => {
      const p = (sub ?? {}) as Record<string, unknown>;
      return p.writeOnly === true || p.format === "password" || p.secret === true;
    })
    .map(([name]) => name);
}

/** The values of those settings in a plugin's config (strings only: what a key is). */
export function secretSettingValues(schema: unknown, config: Record<string, unknown>): string[] {
  return secretSettingNames(schema)
    .map((name) => config[name])
    .filter((value): value is string => typeof value === "string" && value !== "");
}
