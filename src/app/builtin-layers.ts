import type { Config } from "../config/config-schema.js";
import type { Layer } from "../pipeline/layer.js";
import { LOCAL_LAYER_IDS, type BuiltinLayerId } from "../pipeline/layers/builtin-ids.js";
import { builtinLayerIdentity } from "./builtin-identity.js";
import { createPathLayer } from "../pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../pipeline/layers/sidecar-layer.js";
import { createOpenLibraryLayer } from "../pipeline/layers/openlibrary.js";
import { ownServerPorts } from "../config/own-server.js";

/** Every built-in layer by id (BUILTIN_LAYER_IDS is the list; a test checks the ids match). */
const FACTORIES: Record<BuiltinLayerId, (config: Config) => Layer> = {
  path: () => createPathLayer(),
  embedded_tags: () => createEmbeddedTagsLayer(),
  sidecar: () => createSidecarLayer(),
  openlibrary: (config) =>
    createOpenLibraryLayer({
      url: config.openlibrary_url,
      timeoutMs: config.openlibrary_timeout_ms,
      ratePerSec: config.openlibrary_rate_per_sec,
      breakerFailures: config.openlibrary_breaker_failures,
      breakerCooldownS: config.openlibrary_breaker_cooldown_s,
      confidenceThreshold: config.confidence_threshold,
      // This process's server (a run of serve's); the layer is built from config alone, without the data folder.
      ownServerPorts: () => ownServerPorts(null),
    }),
};

function create(id: BuiltinLayerId, config: Config): Layer {
  const layer = FACTORIES[id](config);
  layer.identity = builtinLayerIdentity(id, config);
  return layer;
}

export function builtinLayers(config: Config): Layer[] {
  return (Object.keys(FACTORIES) as BuiltinLayerId[]).map((id) => create(id, config));
}

/** The built-in layers that read only local files, in order. */
export function localLayers(config: Config): Layer[] {
  return LOCAL_LAYER_IDS.map((id) => create(id, config));
}

/** The settings the built-in layers are built from: a change of one needs the layers built again. */
export const BUILTIN_LAYER_KEYS = [
  "openlibrary_url",
  "openlibrary_timeout_ms",
  "openlibrary_rate_per_sec",
  "openlibrary_breaker_failures",
  "openlibrary_breaker_cooldown_s",
  "confidence_threshold",
] as const satisfies readonly (keyof Config)[];

/**
 * Registers a new Open Library layer built from `config` in place of the one in `registry` when a setting it is
 * built from differs from `builtFrom` (a running `serve` whose config.json was changed by the Settings page, a
 * command or by hand: the old url and rate kept being used until a restart). The old one is closed; a run
 * holding it finishes with it. Returns whether it was replaced.
 */
export async function replaceChangedBuiltinLayers(registry: { get(id: string): Layer | undefined; unregister(id: string): void; register(layer: Layer): void }, builtFrom: Config, config: Config): Promise<boolean> {
  if (BUILTIN_LAYER_KEYS.every((key) => builtFrom[key] === config[key])) return false;
  const old = registry.get("openlibrary");
  if (old === undefined) return false;
  registry.unregister("openlibrary");
  registry.register(create("openlibrary", config));
  await old.close?.();
  return true;
}
