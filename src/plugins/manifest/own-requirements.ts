/**
 * A config_schema with shelfwise's own keys (own-settings.ts) taken out of what it requires of the config
 * itself. The config the schema is shown never holds them, so a requirement on one could only ever fail:
 * the plugin was judged invalid for a key the user does not set and the plugin does not own.
 */
import { OWN_SETTING_KEYS } from "./own-settings.js";

/** Where the copies of referenced definitions stripped of shelfwise's keys are added in the root's $defs. */
const STRIPPED_DEF_PREFIX = "shelfwise-own-stripped-";

type Schema = Record<string, unknown>;

interface Walk {
  root: Schema;
  /** Original pointer → pointer to its stripped copy (itself when nothing in it needed stripping, or while it is being stripped). */
  refs: Map<string, string>;
  added: Record<string, unknown>;
}

/**
 * The schema with shelfwise's keys taken out of `required`, `dependentRequired` and `dependencies`, also inside
 * what judges the same object: allOf/anyOf/oneOf/then/else/dependentSchemas, and a local `$ref` (to $defs,
 * definitions or any pointer in the schema), which is pointed at a stripped copy of its target added to the
 * root's $defs (a reference rather than an inlined copy: a chain of definitions each used twice would double
 * at each step). The target itself is left as written, since a nested property may refer to it too, where a
 * key named like one of shelfwise's is the plugin's own. The same object when it requires none of them, so
 * ajv's cache of compiled schemas still serves it. `if` and `not` are left as written: a condition on a key
 * that is never there is simply never met.
 */
export function withoutOwnRequirements(schema: Schema): Schema {
  const walk: Walk = { root: schema, refs: new Map(), added: {} };
  const stripped = strip(schema, walk) as Schema;
  if (Object.keys(walk.added).length === 0) return stripped;
  const defs = stripped.$defs;
  const base = defs && typeof defs === "object" && !Array.isArray(defs) ? (defs as Schema) : {};
  return { ...stripped, $defs: { ...base, ...walk.added } };
}

function strip(schema: unknown, walk: Walk): unknown {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const source = schema as Schema;
  let copy: Schema | null = null;
  const set = (key: string, value: unknown) => {
    if (value === source[key]) return;
    copy ??= { ...source };
    copy[key] = value;
  };
  const names = (list: unknown) => (Array.isArray(list) && list.some(isOwn) ? list.filter((n) => !isOwn(n)) : list);
  const eachValue = (map: unknown, change: (value: unknown) => unknown) => {
    if (!map || typeof map !== "object" || Array.isArray(map)) return map;
    let changed = false;
    const out: Schema = {};
    for (const [key, value] of Object.entries(map)) {
      // A requirement triggered by one of shelfwise's keys never triggers: the config seen has none.
      if (OWN_SETTING_KEYS.has(key)) {
        changed = true;
        continue;
      }
      out[key] = change(value);
      if (out[key] !== value) changed = true;
    }
    return changed ? out : map;
  };
  const inner = (value: unknown) => strip(value, walk);
  set("required", names(source.required));
  set("dependentRequired", eachValue(source.dependentRequired, names));
  set("dependencies", eachValue(source.dependencies, (value) => (Array.isArray(value) ? names(value) : inner(value))));
  set("dependentSchemas", eachValue(source.dependentSchemas, inner));
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    const list = source[key];
    if (!Array.isArray(list)) continue;
    const stripped = list.map(inner);
    if (stripped.some((entry, i) => entry !== list[i])) set(key, stripped);
  }
  for (const key of ["then", "else"]) set(key, inner(source[key]));
  if (typeof source.$ref === "string") set("$ref", strippedRef(source.$ref, walk));
  return copy ?? source;
}

function isOwn(name: unknown): boolean {
  return typeof name === "string" && OWN_SETTING_KEYS.has(name);
}

/** The reference to use for `ref` at the config's own level: a stripped copy's when its target requires one of shelfwise's keys. */
function strippedRef(ref: string, walk: Walk): string {
  if (ref !== "#" && !ref.startsWith("#/")) return ref;
  const known = walk.refs.get(ref);
  if (known !== undefined) return known;
  // While its target is being stripped, a reference back to it (a recursive definition) stays as written.
  walk.refs.set(ref, ref);
  const target = resolvePointer(walk.root, ref);
  // The root itself is being stripped already; a target naming an id or anchor cannot be copied (ajv refuses one named twice).
  if (target === undefined || target === walk.root || /"\$(?:id|anchor|dynamicAnchor|recursiveAnchor)"/.test(JSON.stringify(target) ?? "")) return ref;
  const stripped = strip(target, walk);
  if (stripped === target) return ref;
  const name = `${STRIPPED_DEF_PREFIX}${Object.keys(walk.added).length}`;
  walk.added[name] = stripped;
  const pointer = `#/$defs/${name}`;
  walk.refs.set(ref, pointer);
  return pointer;
}

/** The value at a local JSON pointer ("#/$defs/base"), or undefined. */
function resolvePointer(root: Schema, ref: string): unknown {
  let at: unknown = root;
  const path = ref.slice(1);
  if (path === "") return root;
  for (const raw of path.split("/").slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return undefined;
    }
    if (!at || typeof at !== "object" || !Object.hasOwn(at, segment)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}
