/**
 * The `layers` view built from a live session: the registry in pipeline
 * order, the plugins as attached and the no-code HTTP sources. Apart from
 * views/layer-row.ts (its schema) because it needs the whole session.
 */
import path from "node:path";
import { enableKeyFor, type PluginEntry } from "../plugins/manager/plugin-manager.js";
import { layerEnabled, type Session } from "./session.js";
import { attachedSources } from "./attach-http-sources.js";
import { httpSourceInfo } from "../pipeline/sources/http-source-layer.js";
import { resolveSource } from "../pipeline/sources/presets.js";
import type { LayerListView, LayerRowView } from "./views/layer-row.js";

/**
 * Every layer with its true state: the registered ones in pipeline order
 * (built-in layers switched off in config.json are `disabled`), then each
 * plugin that is not running (`entries` as attached, started or not).
 */
export function layerListView(session: Session, entries: PluginEntry[]): { rows: LayerListView; warnings: string[] } {
  const { layers, warnings } = session.registry.ordered(session.config.pipeline_order);
  const running = layers.map((layer, index): LayerRowView => {
    const enabled = layerEnabled(session.config, layer);
    return {
      position: index + 1,
      ...layer.info,
      enabled,
      state: enabled ? "enabled" : "disabled",
      reason: enabled ? null : `switched off in config.json (${layer.info.config_enable_key}: false)`,
      source_weight: layer.weight,
    };
  });
  const registered = new Set(layers.map((l) => l.info.layer_id));
  const idle = entries
    .filter((e) => !(e.id && registered.has(e.id)))
    .sort((a, b) => a.default_order - b.default_order)
    .map((entry): LayerRowView => {
      const id = entry.id ?? path.basename(entry.folder);
      return {
        position: null,
        layer_id: id,
        layer_name: entry.name ?? id,
        description: entry.discovered.manifest?.description ?? "",
        config_enable_key: enableKeyFor(id),
        default_order: entry.default_order,
        kind: "plugin",
        enabled: false,
        state: entry.state === "active" ? "failed" : entry.state,
        reason: entry.reason ?? (entry.state === "active" ? "not registered" : null),
        source_weight: null,
      };
    });
  const idleSources = attachedSources(session)
    .filter((source) => source.layer === null)
    .map((source): LayerRowView => {
      const info = httpSourceInfo(resolveSource(source.definition));
      return { position: null, ...info, enabled: false, state: source.state === "active" ? "failed" : source.state, reason: source.reason, source_weight: source.definition.source_weight };
    });
  return { rows: [...running, ...idle, ...idleSources], warnings };
}

