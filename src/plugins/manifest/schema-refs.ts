/**
 * Where a config_schema's references lead, within the one document a manifest holds: `$ref` and `$dynamicRef`
 * to a JSON pointer, to an `$anchor` or `$dynamicAnchor`, to a draft-07 `"$id": "#name"`, or to a subschema's
 * `$id` (absolute or relative to the `$id` around it). What shelfwise reads out of the schema itself (its
 * secret settings, the requirements on its own keys) follows them as ajv does, not only `#/...` pointers.
 */
type Schema = Record<string, unknown>;

/** The base of a schema without `$id` (a URL needs one to resolve a relative `$id` against). */
const DEFAULT_BASE = "shelfwise:/config_schema";

/** Keywords whose values are data, never schemas: an `$id` inside a default is no subschema's. */
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);

export interface SchemaIndex {
  /** The subschema `ref` leads to from `from` (a subschema of the indexed root), or undefined when it leads outside. */
  resolve(ref: string, from: Schema): Schema | undefined;
  /** The JSON pointer of a subschema of the root ("#/$defs/base"), or undefined for an object not in it. */
  pointerOf(node: Schema): string | undefined;
  /** Whether `node` is in the root's own resource (no `$id` of a subschema around it changes its base), or not in the document. */
  inRootResource(node: Schema): boolean;
  /** The `$dynamicAnchor` names given more than once in the document (a dynamic reference to one depends on the path taken). */
  readonly dynamicAnchorsTwice: ReadonlySet<string>;
}

export function indexSchema(root: Schema): SchemaIndex {
  const bases = new Map<Schema, string>();
  const pointers = new Map<Schema, string>();
  const resources = new Map<string, Schema>();
  const anchors = new Map<string, Schema>();
  const dynamicNames = new Map<string, number>();
  const visit = (node: unknown, base: string, pointer: string, depth: number) => {
    if (!node || typeof node !== "object" || depth > 200) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, base, `${pointer}/${i}`, depth + 1));
      return;
    }
    const schema = node as Schema;
    let here = base;
    if (typeof schema.$id === "string") {
      if (schema.$id.startsWith("#")) {
        // draft-07: an `$id` that is only a fragment names the subschema, as `$anchor` does later.
        anchors.set(`${withoutFragment(base)}${schema.$id}`, schema);
      } else {
        const resolved = resolvedUrl(schema.$id, base);
        if (resolved) {
          here = withoutFragment(resolved);
          resources.set(here, schema);
        }
      }
    }
    for (const keyword of ["$anchor", "$dynamicAnchor"]) {
      const name = schema[keyword];
      if (typeof name === "string") anchors.set(`${withoutFragment(here)}#${name}`, schema);
    }
    if (typeof schema.$dynamicAnchor === "string") dynamicNames.set(schema.$dynamicAnchor, (dynamicNames.get(schema.$dynamicAnchor) ?? 0) + 1);
    bases.set(schema, here);
    pointers.set(schema, pointer);
    for (const [key, value] of Object.entries(schema)) {
      if (!DATA_KEYWORDS.has(key)) visit(value, here, `${pointer}/${encodePointerSegment(key)}`, depth + 1);
    }
  };
  resources.set(DEFAULT_BASE, root);
  visit(root, DEFAULT_BASE, "#", 0);
  return {
    resolve(ref, from) {
      const url = resolvedUrl(ref, bases.get(from) ?? DEFAULT_BASE);
      if (!url) return undefined;
      const hash = url.indexOf("#");
      const doc = hash < 0 ? url : url.slice(0, hash);
      const fragment = hash < 0 ? "" : url.slice(hash + 1);
      const resource = resources.get(doc);
      if (fragment === "") return resource;
      if (fragment.startsWith("/")) return resource ? pointed(resource, fragment) : undefined;
      return anchors.get(`${doc}#${safeDecode(fragment) ?? fragment}`);
    },
    pointerOf: (node) => pointers.get(node),
    // An object not in the document is a copy made of it, its references already written from the root.
    inRootResource: (node) => (bases.get(node) ?? bases.get(root)) === bases.get(root),
    dynamicAnchorsTwice: new Set([...dynamicNames].filter(([, count]) => count > 1).map(([name]) => name)),
  };
}

/** The reference a subschema makes (`$ref`, else `$dynamicRef`, else `$recursiveRef`), or null. */
export function referenceOf(schema: Schema): string | null {
  for (const keyword of ["$ref", "$dynamicRef", "$recursiveRef"]) if (typeof schema[keyword] === "string") return schema[keyword] as string;
  return null;
}

function resolvedUrl(ref: string, base: string): string | null {
  try {
    return new URL(ref, base).href;
  } catch {
    return null;
  }
}

function withoutFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash < 0 ? url : url.slice(0, hash);
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function encodePointerSegment(key: string): string {
  return encodeURIComponent(key.replace(/~/g, "~0").replace(/\//g, "~1")).replace(/%24/g, "$");
}

/** The value at JSON pointer `pointer` ("/$defs/base", already without its "#") inside `resource`. */
function pointed(resource: Schema, pointer: string): Schema | undefined {
  let at: unknown = resource;
  for (const raw of pointer.split("/").slice(1)) {
    const decoded = safeDecode(raw);
    if (decoded === null) return undefined;
    const segment = decoded.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!at || typeof at !== "object" || !Object.hasOwn(at, segment)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at && typeof at === "object" && !Array.isArray(at) ? (at as Schema) : undefined;
}

/**
 * The schema with each `$dynamicRef` that can lead to one subschema only written as the `$ref` it then is: its
 * anchor named once in the document (or not a `$dynamicAnchor` at all). ajv resolved `{"$dynamicRef": "#key"}`
 * to the root instead ("must be object" for a string setting). A name given twice is left to ajv. The same
 * object when there is nothing to change.
 */
export function withStaticDynamicRefs(root: Schema): Schema {
  if (!JSON.stringify(root).includes('"$dynamicRef"')) return root;
  const index = indexSchema(root);
  const rewrite = (value: unknown, inSchema: boolean, depth: number): unknown => {
    if (!value || typeof value !== "object" || depth > 200) return value;
    if (Array.isArray(value)) {
      const items = value.map((item) => rewrite(item, inSchema, depth + 1));
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (!inSchema) return value;
    const schema = value as Schema;
    let out: Schema | null = null;
    for (const [key, inner] of Object.entries(schema)) {
      const next = rewrite(inner, !DATA_KEYWORDS.has(key), depth + 1);
      if (next !== inner) (out ??= { ...schema })[key] = next;
    }
    const ref = schema.$dynamicRef;
    if (typeof ref === "string" && schema.$ref === undefined) {
      const hash = ref.indexOf("#");
      const name = hash < 0 ? "" : safeDecode(ref.slice(hash + 1)) ?? "";
      const target = index.dynamicAnchorsTwice.has(name) ? undefined : index.resolve(ref, schema);
      const pointer = target && index.pointerOf(target);
      if (pointer && index.inRootResource(schema)) {
        out ??= { ...schema };
        delete out.$dynamicRef;
        out.$ref = pointer;
      }
    }
    return out ?? schema;
  };
  return rewrite(root, true, 0) as Schema;
}

/**
 * The first `$dynamicRef` of the schema that leads nowhere in it, as a problem naming it and the fix, or null.
 * ajv took one to a missing anchor (`"#nope"`) as a reference to the root, so a setting was judged by the whole
 * schema and a typo went unseen.
 */
export function danglingDynamicRef(root: Schema): string | null {
  if (!JSON.stringify(root).includes('"$dynamicRef"')) return null;
  const index = indexSchema(root);
  let found: string | null = null;
  const visit = (value: unknown, inSchema: boolean, depth: number) => {
    if (found !== null || !value || typeof value !== "object" || depth > 200) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, inSchema, depth + 1);
      return;
    }
    if (!inSchema) return;
    const schema = value as Schema;
    const ref = schema.$dynamicRef;
    if (typeof ref === "string" && ref.startsWith("#") && index.resolve(ref, schema) === undefined) {
      const where = index.pointerOf(schema) ?? "#";
      found = `"$dynamicRef": ${JSON.stringify(ref)} at ${where} leads to nothing in the schema (no "$dynamicAnchor", "$anchor" or pointer ${JSON.stringify(ref)}): name the subschema it means with "$dynamicAnchor": ${JSON.stringify(ref.slice(1))}, or point at it with "$ref"`;
      return;
    }
    for (const [key, inner] of Object.entries(schema)) visit(inner, !DATA_KEYWORDS.has(key), depth + 1);
  };
  visit(root, true, 0);
  return found;
}
