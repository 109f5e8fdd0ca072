import type { Config } from "../config/config-schema.js";
import type { Layer } from "../pipeline/layer.js";
import { createPathLayer } from "../pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../pipeline/layers/sidecar-layer.js";
import { createOpenLibraryLayer } from "../pipeline/layers/openlibrary.js";

export function builtinLayers(config: Config): Layer[] {
  return [
    createPathLayer(),
    createEmbeddedTagsLayer(),
    createSidecarLayer(),
    createOpenLibraryLayer({
      url: config.openlibrary_url,
      timeoutMs: config.openlibrary_timeout_ms,
      ratePerSec: config.openlibrary_rate_per_sec,
      breakerFailures: config.openlibrary_breaker_failures,
      breakerCooldownS: config.openlibrary_breaker_cooldown_s,
      confidenceThreshold: config.confidence_threshold,
    }),
  ];
}
