/**
 * An HTTP source's identity (Layer.identity), apart from its layer so that `status` can compare it with the
 * one the source last ran with without building the layer (its HTTP client).
 */
import { settingsIdentity } from "../layer-identity.js";
import type { ResolvedHttpSource } from "./presets.js";

/** What its answers depend on: the definition (secret names, never values) and which books it asks about, not its pacing. */
export function httpSourceIdentity(source: ResolvedHttpSource, confidenceThreshold: number): string {
  const { timeout: _t, concurrency: _c, max_requests_per_minute: _m, breaker_failures: _f, breaker_cooldown_s: _b, ...answers } = source as typeof source & Record<string, unknown>;
  return settingsIdentity("http-1", { ...answers, only_below_confidence: source.only_below_confidence ?? confidenceThreshold });
}
