/**
 * The built-in layers' ids, in their default order: the one list plugins are
 * checked against (a plugin may not take one of these ids) and the one
 * app/builtin-layers.ts builds. Kept apart from the layers themselves so
 * that checking an id does not load the tag reader or the HTTP client.
 */
export const BUILTIN_LAYER_IDS = ["path", "embedded_tags", "sidecar", "openlibrary"] as const;

export type BuiltinLayerId = (typeof BUILTIN_LAYER_IDS)[number];

/** The built-in layers that read only local files (no network): what `plugins test` runs before a plugin. */
export const LOCAL_LAYER_IDS = ["path", "embedded_tags", "sidecar"] as const satisfies readonly BuiltinLayerId[];

export function isBuiltinLayerId(id: string): id is BuiltinLayerId {
  return (BUILTIN_LAYER_IDS as readonly string[]).includes(id);
}
