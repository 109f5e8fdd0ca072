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

/**
 * Where secrets.json keeps a plugin's secret setting: `plugin_configs.<id>.<key>`. A plugin id has no dot
 * (letters, digits, _ and -), so the name reads back to one id and one key, never another plugin's; and no
 * flat secret a user or a manifest names (an API key's name) starts so.
 */
export const SECRET_SETTING_PREFIX = "plugin_configs.";

export function secretSettingName(id: string, key: string): string {
  return `${SECRET_SETTING_PREFIX}${id}.${key}`;
}

export function isSecretSettingName(name: string): boolean {
  return name.startsWith(SECRET_SETTING_PREFIX);
}

/**
 * plugin_configs as a plugin is given it: each `plugin_configs.<id>.<key>` of secrets.json merged into its
 * plugin's entry (over a copy hand-written into config.json: the one shelfwise saved last). A copy is made:
 * the config read from config.json is never changed, so nothing writes these values back into it.
 */
export function withSecretSettings(
  pluginConfigs: Record<string, Record<string, unknown>>,
  secrets: Record<string, string>,
): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = { ...pluginConfigs };
  for (const [name, value] of Object.entries(secrets)) {
    if (!isSecretSettingName(name)) continue;
    const rest = name.slice(SECRET_SETTING_PREFIX.length);
    const dot = rest.indexOf(".");
    if (dot <= 0 || dot === rest.length - 1) continue;
    const id = rest.slice(0, dot);
    const key = rest.slice(dot + 1);
    const own = Object.hasOwn(merged, id) && merged[id] && typeof merged[id] === "object" ? merged[id] : {};
    // Defined, not assigned: a name such as plugin_configs.__proto__.x in a hand-edited secrets.json must not set a prototype.
    Object.defineProperty(merged, id, { value: { ...own, [key]: value }, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

/** One plugin's settings with its secret settings from secrets.json. */
export function withOwnSecretSettings(id: string, config: Record<string, unknown>, secrets: Record<string, string>): Record<string, unknown> {
  return withSecretSettings({ [id]: config }, Object.fromEntries(Object.entries(secrets).filter(([name]) => name.startsWith(secretSettingName(id, "")))))[id]!;
}

/** secrets.json without the plugin settings kept there: those are given as settings, never as a secret a manifest may ask for by name. */
export function withoutSecretSettings(secrets: Record<string, string>): Record<string, string> {
  const flat: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(secrets)) if (!isSecretSettingName(name)) flat[name] = value;
  return flat;
}

/**
 * The longest name of a setting a config_schema may mark secret: `config get|set|unset plugin_configs.ID.KEY` take
 * keys up to this long, and `secrets set plugin_configs.ID.KEY` must be able to name every one a manifest declares.
 */
export const MAX_SECRET_SETTING_KEY = 128;

/**
 * Why `key` cannot be the name of a secret setting, or null. The one rule for the manifest (a config_schema property
 * marked secret is refused with it) and for `secrets set|unset plugin_configs.ID.KEY` (which take every key it lets
 * through: a space, any letter, quoted on the command line). A control character or a line break cannot be typed as
 * one word, and a name past the limit cannot be addressed as a setting at all.
 */
export function secretSettingKeyProblem(key: string): string | null {
  if (key.trim() === "") return "is empty or only white space";
  if (key.length > MAX_SECRET_SETTING_KEY) return `is ${key.length} characters long, over ${MAX_SECRET_SETTING_KEY}`;
  const at = key.search(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  if (at >= 0) return `has a control character or a line break (U+${key.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0")}) at character ${at + 1}`;
  if (key === "__proto__" || key === "constructor" || key === "prototype") return "is a name every object has already";
  return null;
}
