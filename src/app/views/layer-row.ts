/**
 * `layers --json` (and the API's pipeline page): every layer in execution order with its true state.
 * Its builder needs the live session and the plugins, so it lives in ../layer-list.ts: importing the
 * views loads schemas only.
 */
import { z } from "zod";
import { viewDoc } from "./view.js";

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

export const layerListDoc = viewDoc(LayerListView, "`layers --json`", "An array: the layers `process` would consider, in execution order, then every plugin that cannot run (failed to load, invalid, skipped, auto-disabled) with `position: null`. `layers` starts the plugins to find out whether they load.", [
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
  ]);
