/**
 * A config_schema with shelfwise's own keys (own-settings.ts) taken out of what it requires of the config
 * itself. The config the schema is shown never holds them, so a requirement on one could only ever fail:
 * the plugin was judged invalid for a key the user does not set and the plugin does not own.
 */
import { OWN_SETTING_KEYS } from "./own-settings.js";
import { indexSchema, type SchemaIndex } from "./schema-refs.js";

/** Where the copies of referenced definitions stripped of shelfwise's keys are added in the root's $defs. */
const STRIPPED_DEF_PREFIX = "shelfwise-own-stripped-";

type Schema = Record<string, unknown>;

interface Walk {
  root: Schema;
  index: SchemaIndex | null;
  /** Target → reference to its stripped copy (null when nothing in it needed stripping, or while it is being stripped). */
  refs: Map<Schema, string | null>;
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
  const walk: Walk = { root: schema, index: null, refs: new Map(), added: {} };
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
  if (typeof source.$ref === "string") set("$ref", strippedRef(source.$ref, source, walk) ?? source.$ref);
  // A $dynamicRef to a stripped copy is a plain $ref: the copy's pointer names no dynamic anchor, where the two mean the same.
  if (typeof source.$dynamicRef === "string" && source.$ref === undefined) {
    const copyRef = strippedRef(source.$dynamicRef, source, walk);
    if (copyRef !== null) {
      copy ??= { ...source };
      delete copy.$dynamicRef;
      copy.$ref = copyRef;
    }
  }
  return copy ?? source;
}

function isOwn(name: unknown): boolean {
  return typeof name === "string" && OWN_SETTING_KEYS.has(name);
}

/**
 * The reference to a stripped copy of what `ref` (written in `from`) leads to, or null when that target
 * requires none of shelfwise's keys (or cannot be copied). The target may be named by a pointer, an anchor or
 * an `$id`: the copy leaves out those names (ajv refuses one given twice) and points each reference inside it
 * at its target's place in the root, so that it still leads where it did.
 */
function strippedRef(ref: string, from: Schema, walk: Walk): string | null {
  const index = (walk.index ??= indexSchema(walk.root));
  const target = index.resolve(ref, from);
  // The root itself is being stripped already.
  if (target === undefined || target === walk.root) return null;
  const known = walk.refs.get(target);
  if (known !== undefined) return known;
  // While its target is being stripped, a reference back to it (a recursive definition) stays as written.
  walk.refs.set(target, null);
  const rootId = typeof walk.root.$id === "string" && !walk.root.$id.startsWith("#") ? walk.root.$id.replace(/#.*$/, "") : "";
  // "#/$defs/..." written inside a subschema with an `$id` of its own would lead into that subschema, not the root.
  if (!rootId && !index.inRootResource(from)) return null;
  const named = /"\$(?:id|anchor|dynamicAnchor|recursiveAnchor|ref|dynamicRef|recursiveRef)"/.test(JSON.stringify(target) ?? "");
  const source = named ? unnamedCopy(target, index, rootId) : target;
  if (source === null) return null;
  const stripped = strip(source, walk);
  if (stripped === source) return null;
  const name = `${STRIPPED_DEF_PREFIX}${Object.keys(walk.added).length}`;
  walk.added[name] = stripped;
  const pointer = `${rootId}#/$defs/${name}`;
  walk.refs.set(target, pointer);
  return pointer;
}

/**
 * A deep copy of `node` without the names it or its subschemas give themselves (`$id`, `$anchor`, ...), each
 * reference in it pointing at its target's place in the root; null when one leads outside the document or to a
 * `$dynamicAnchor` named twice (where it leads depends on the way taken, which a copy cannot keep).
 */
function unnamedCopy(node: Schema, index: SchemaIndex, rootId: string): Schema | null {
  let failed = false;
  const copy = (value: unknown, inSchema: boolean): unknown => {
    if (failed || !value || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((item) => copy(item, inSchema));
    if (!inSchema) return { ...(value as Schema) };
    const schema = value as Schema;
    const out: Schema = {};
    for (const [key, inner] of Object.entries(schema)) {
      if (key === "$id" || key === "$anchor" || key === "$dynamicAnchor" || key === "$recursiveAnchor") continue;
      if (key === "$ref" || key === "$dynamicRef" || key === "$recursiveRef") {
        const dynamic = key === "$dynamicRef" && typeof inner === "string" && index.dynamicAnchorsTwice.has(inner.replace(/^.*#/, ""));
        const target = typeof inner === "string" && !dynamic && key !== "$recursiveRef" ? index.resolve(inner, schema) : undefined;
        const pointer = target && index.pointerOf(target);
        if (!pointer) {
          failed = true;
          return value;
        }
        out.$ref = `${rootId}${pointer}`;
        continue;
      }
      // Data keywords hold values, not schemas: copied as they are.
      out[key] = copy(inner, !DATA_KEYWORDS.has(key));
    }
    return out;
  };
  const result = copy(node, true) as Schema;
  return failed ? null : result;
}

const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);
