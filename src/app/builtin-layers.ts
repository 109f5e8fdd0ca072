import type { Config } from "../config/config-schema.js";
import type { Layer } from "../pipeline/layer.js";
import { LOCAL_LAYER_IDS, type BuiltinLayerId } from "../pipeline/layers/builtin-ids.js";
import { createPathLayer } from "../pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../pipeline/layers/sidecar-layer.js";
import { createOpenLibraryLayer } from "../pipeline/layers/openlibrary.js";

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
    }),
};

export function builtinLayers(config: Config): Layer[] {
  return Object.values(FACTORIES).map((create) => create(config));
}

/** The built-in layers that read only local files, in order. */
export function localLayers(config: Config): Layer[] {
  return LOCAL_LAYER_IDS.map((id) => FACTORIES[id](config));
}
