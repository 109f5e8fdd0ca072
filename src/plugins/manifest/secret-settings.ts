import { indexSchema, referenceOf, type SchemaIndex } from "./schema-refs.js";

/**
 * Which of a plugin's settings hold a secret: the top-level config_schema
 * properties marked JSON Schema's `writeOnly: true`, `format: "password"`, or
 * `secret: true` (an API key kept in plugin_configs). The web app never sends
 * their values to a page; the plugin's process masks them like its declared
 * secrets (in its log, its errors and its answers). Both the properties and the
 * mark are followed through `$ref`/`$dynamicRef` (pointer, `$anchor`, `$id`) and
 * allOf/anyOf/oneOf/then/else: a key marked in a shared definition is as secret.
 */
export function secretSettingNames(schema: unknown): string[] {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return [];
  const root = schema as Schema;
  let index: SchemaIndex | null = null;
  const follow = (node: Schema): Schema | undefined => {
    const ref = referenceOf(node);
    return ref === null ? undefined : (index ??= indexSchema(root)).resolve(ref, node);
  };
  const names = new Set<string>();
  const seen = new Set<Schema>();
  const objectLevel = (node: unknown, depth: number) => {
    if (!isSchema(node) || seen.has(node) || depth > MAX_FOLLOWED) return;
    seen.add(node);
    const properties = node.properties;
    if (isSchema(properties)) for (const [name, sub] of Object.entries(properties)) if (marksSecret(sub, follow, new Set(), 0)) names.add(name);
    objectLevel(follow(node), depth + 1);
    for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(node[key])) for (const entry of node[key] as unknown[]) objectLevel(entry, depth + 1);
    for (const key of ["then", "else"]) objectLevel(node[key], depth + 1);
  };
  objectLevel(root, 0);
  return [...names];
}

type Schema = Record<string, unknown>;

/** How many references and branches deep a mark or a property is looked for (a loop ends at the first repeat). */
const MAX_FOLLOWED = 64;

function isSchema(value: unknown): value is Schema {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

function marksSecret(node: unknown, follow: (node: Schema) => Schema | undefined, seen: Set<Schema>, depth: number): boolean {
  if (!isSchema(node) || seen.has(node) || depth > MAX_FOLLOWED) return false;
  seen.add(node);
  if (node.writeOnly === true || node.format === "password" || node.secret === true) return true;
  if (marksSecret(follow(node), follow, seen, depth + 1)) return true;
  return Array.isArray(node.allOf) && node.allOf.some((entry) => marksSecret(entry, follow, seen, depth + 1));
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
