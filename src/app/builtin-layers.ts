import type { Config } from "../config/config-schema.js";
import type { Layer } from "../pipeline/layer.js";
import { settingsIdentity } from "../pipeline/layer-identity.js";
import { createPathLayer } from "../pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../pipeline/layers/sidecar-layer.js";
import { createOpenLibraryLayer } from "../pipeline/layers/openlibrary.js";

/**
 * Revisions of the built-in layers' logic: bump one when a release changes
 * what that layer answers, so every library runs it again (see Layer.identity).
 */
const REVISIONS = { path: "path-1", embedded_tags: "embedded_tags-1", sidecar: "sidecar-1", openlibrary: "openlibrary-1" } as const;

export function builtinLayers(config: Config): Layer[] {
  const layers = [
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
  // Only settings that change answers: Open Library's server and which books it looks up, not its pacing.
  const settings: Record<string, Record<string, unknown>> = {
    openlibrary: { url: config.openlibrary_url, confidence_threshold: config.confidence_threshold },
  };
  for (const layer of layers) {
    const id = layer.info.layer_id as keyof typeof REVISIONS;
    layer.identity = settingsIdentity(REVISIONS[id] ?? id, settings[id] ?? {});
  }
  return layers;
}
