/**
 * The id rule for everything that becomes a pipeline layer from outside
 * shelfwise (plugins, HTTP sources): it is a folder name, a config key part and
 * a layer id, so it is kept to characters that are safe in all three. It is
 * also typed as an argument (`plugins enable ID`, `rm -r plugins/ID`): an id
 * that starts with - reads as an option to shelfwise and to a shell command
 * (`plugins new -- -rf` made a folder `-rf`), so it may not start with one.
 */
export const PLUGIN_ID_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,63}$/;
export const PLUGIN_ID_RULE = "must be 1 to 64 letters, digits, _ or -, not starting with -";
/**
 * Names every JavaScript object has by itself (`__proto__`, `constructor`, `toString`...). An id is a key of
 * plugin_configs, of the secret grants and of many maps: under `__proto__` a saved setting went into the object's
 * prototype and was lost from config.json, and `constructor` read the Object function as the plugin's settings.
 */
const OBJECT_OWN_NAMES = ["prototype", ...Object.getOwnPropertyNames(Object.prototype)].filter((name) => PLUGIN_ID_PATTERN.test(name));

/** Ids that can never be used: a folder name npm owns, and the names of every object. */
export const RESERVED_PLUGIN_IDS: ReadonlySet<string> = new Set(["node_modules", ...OBJECT_OWN_NAMES]);

/** Why a reserved id is refused (null: it is not reserved). */
export function reservedIdProblem(id: string): string | null {
  if (!RESERVED_PLUGIN_IDS.has(id)) return null;
  return id === "node_modules" ? `"${id}" is reserved` : `"${id}" is reserved (a name every JavaScript object has); choose another id`;
}

/** What is wrong with the id, or null when it follows the rule. */
export function pluginIdProblem(id: string): string | null {
  if (!PLUGIN_ID_PATTERN.test(id)) return PLUGIN_ID_RULE;
  return reservedIdProblem(id);
}

/** Ids of shelfwise's own layers: a plugin or source with one of these would take a built-in layer's place. */
export const BUILTIN_LAYER_IDS: ReadonlySet<string> = new Set(["path", "embedded_tags", "sidecar", "openlibrary"]);

/**
 * The one rule for an id that would become a layer next to the built-in ones
 * (`plugins list`, `plugins validate`, `plugins test`, `plugins new`, the
 * pipeline): null when it may be used.
 */
export function builtinIdProblem(id: string): string | null {
  const key = lookalikeKey(id);
  const builtin = [...BUILTIN_LAYER_IDS].find((other) => lookalikeKey(other) === key);
  if (builtin === undefined) return null;
  return builtin === id ? `id "${id}" is the id of a built-in layer; choose another id` : `id "${id}" reads as the built-in layer "${builtin}" (ids are told apart without case, and - as _); choose another id`;
}

/**
 * What an id reads as next to others in a list (`process`, `status`, the pages): letter case and - against _
 * do not tell two ids apart to a reader, so a plugin named `Path` or `embedded-tags` would pass for a built-in.
 */
export function lookalikeKey(id: string): string {
  return id.toLowerCase().replace(/-/g, "_");
}
