/** `layers --json` (and the API's pipeline page): every layer in execution order with its true state. */
import path from "node:path";
import { z } from "zod";
import { enableKeyFor, type PluginEntry } from "../../plugins/manager/plugin-manager.js";
import { layerEnabled, type Session } from "../session.js";
import { viewDoc } from "./view.js";
import { attachedSources } from "../attach-http-sources.js";
import { httpSourceInfo } from "../../pipeline/sources/http-source-layer.js";
import { resolveSource } from "../../pipeline/sources/presets.js";

export const LAYER_STATES = ["enabled", "disabled", "auto-disabled", "skipped", "invalid", "failed"] as const;

export const LayerRowView = z.object({
  position: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe("1-based place in the pipeline (after `pipeline_order`); null for a plugin that cannot run"),
  layer_id: z.string(),
  layer_name: z.string(),
  description: z.string(),
  config_enable_key: z.string().describe("the `config.json` key that switches the layer off when `false`"),
  default_order: z.number().int().describe("1..999"),
  kind: z.enum(["builtin", "plugin", "http"]).describe("`http`: a no-code HTTP source"),
  enabled: z.boolean().describe("true when `process` runs the layer (state `enabled`)"),
  state: z
    .enum(LAYER_STATES)
    .describe(
      "`enabled`; `disabled` (config, `plugins disable` or `sources disable`); for plugins and HTTP sources also `auto-disabled` and `invalid` (manifest; a source's id taken or credential missing), for plugins `skipped` (missing config or secrets) or `failed` (did not load or set up)",
    ),
  reason: z.string().nullable().describe("why the state, when not `enabled`"),
  source_weight: z.number().nullable().describe("weight of the layer's evidence; null when the plugin's manifest could not be read"),
});
export type LayerRowView = z.infer<typeof LayerRowView>;
export const LayerListView = z.array(LayerRowView).describe("Every layer: runnable ones in execution order, then plugins that cannot run");
export type LayerListView = z.infer<typeof LayerListView>;

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

export const layerListDoc = viewDoc({
  title: "`layers --json`",
  intro:
    "An array: the layers `process` would consider, in execution order, then every plugin that cannot run (failed to load, invalid, skipped, auto-disabled) with `position: null`. `layers` starts the plugins to find out whether they load.",
  schema: LayerListView,
  example: [
    {
      position: 4,
      layer_id: "local-catalogue",
      layer_name: "Local catalogue",
      description: "Looks books up by title and author in a CSV catalogue kept in the plugin folder",
      config_enable_key: "plugin_local-catalogue_enabled",
      default_order: 40,
      kind: "plugin",
      enabled: true,
      state: "enabled",
      reason: null,
      source_weight: 60,
    },
    {
      position: null,
      layer_id: "flaky",
      layer_name: "Flaky",
      description: "Asks a lookup service that often fails",
      config_enable_key: "plugin_flaky_enabled",
      default_order: 50,
      kind: "plugin",
      enabled: false,
      state: "auto-disabled",
      reason: "5 failures in a row (last: lookup service said 503); `shelfwise plugins reset flaky` retries",
      source_weight: 50,
    },
  ],
});
