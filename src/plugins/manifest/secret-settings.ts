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

/**
 * Whether a secrets.json value counts as present for `requires_secrets`. Library
 * Manager skips a plugin whose secret is falsy (`if not secrets.get(name)`): an
 * empty string is missing there, and here. A value of only white space is
 * missing here too: no API key is blank, and starting the plugin with one only
 * turns a clear "missing secrets" into failed calls.
 */
export function secretIsSet(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** What discovery needs to know of secrets.json: the names set to a usable value, and those present but blank. */
export function secretPresence(secrets: Record<string, unknown>): { secretNames: Set<string>; blankSecretNames: Set<string> } {
  const secretNames = new Set<string>();
  const blankSecretNames = new Set<string>();
  for (const [name, value] of Object.entries(secrets)) (secretIsSet(value) ? secretNames : blankSecretNames).add(name);
  return { secretNames, blankSecretNames };
}
