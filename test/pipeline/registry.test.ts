import { describe, expect, it } from "vitest";
import { ConfigSchema, isEnabled } from "../../src/config/config-schema.js";
import { LayerRegistry, LayerRegistryError, orderLayers } from "../../src/pipeline/layer-registry.js";
import { ids, testLayer } from "../support/test-layers.js";

// Shaped like the real pipeline: builtins at 10/20/30/60, a plugin at 50.
const layers = () => [
  testLayer("openlibrary", { order: 60 }),
  testLayer("plugin:x", { order: 50, kind: "plugin" }),
  testLayer("sidecar", { order: 30 }),
  testLayer("path", { order: 10 }),
  testLayer("embedded_tags", { order: 20 }),
];

describe("orderLayers", () => {
  it.each<[string, string[], string[], RegExp[]]>([
    ["no pipeline_order: default_order", [], ["path", "embedded_tags", "sidecar", "plugin:x", "openlibrary"], []],
    [
      "the full list is followed exactly",
      ["openlibrary", "plugin:x", "sidecar", "embedded_tags", "path"],
      ["openlibrary", "plugin:x", "sidecar", "embedded_tags", "path"],
      [],
    ],
    [
      "listing one layer keeps everything else in its default place",
      ["plugin:x"],
      ["path", "embedded_tags", "sidecar", "plugin:x", "openlibrary"],
      [],
    ],
    [
      "unlisted layers run after the last listed layer with a default_order not larger than theirs",
      ["openlibrary", "path"],
      ["openlibrary", "path", "embedded_tags", "sidecar", "plugin:x"],
      [],
    ],
    [
      "a swapped pair: unlisted layers keep their place relative to the listed ones",
      ["sidecar", "path"],
      ["sidecar", "path", "embedded_tags", "plugin:x", "openlibrary"],
      [],
    ],
    [
      "a plugin listed before path runs first; the rest follow path in default order",
      ["plugin:x", "path"],
      ["plugin:x", "path", "embedded_tags", "sidecar", "openlibrary"],
      [],
    ],
    [
      "unknown ids only warn",
      ["nope", "path", "plugin:gone"],
      ["path", "embedded_tags", "sidecar", "plugin:x", "openlibrary"],
      [/unknown layer "nope"/, /unknown layer "plugin:gone"/],
    ],
    [
      "a layer listed twice keeps its first place and warns",
      ["sidecar", "path", "sidecar"],
      ["sidecar", "path", "embedded_tags", "plugin:x", "openlibrary"],
      [/"sidecar" twice/],
    ],
  ])("%s", (_name, order, expected, warnings) => {
    const result = orderLayers(layers(), order);
    expect(ids(result.layers)).toEqual(expected);
    expect(result.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(result.warnings[i]).toMatch(w));
  });

  it("a layer with a smaller default_order than every listed one runs first", () => {
    const a = [testLayer("early", { order: 1 }), testLayer("mid", { order: 50 }), testLayer("late", { order: 90 })];
    expect(ids(orderLayers(a, ["late", "mid"]).layers)).toEqual(["early", "late", "mid"]);
  });

  it("equal default_order is broken by id, whatever the registration order", () => {
    const a = [testLayer("b", { order: 5 }), testLayer("a", { order: 5 }), testLayer("c", { order: 1 })];
    expect(ids(orderLayers(a, []).layers)).toEqual(["c", "a", "b"]);
    expect(ids(orderLayers([...a].reverse(), []).layers)).toEqual(["c", "a", "b"]);
  });
});

describe("LayerRegistry", () => {
  it("refuses a second layer with the same id", () => {
    const registry = new LayerRegistry();
    registry.register(testLayer("path"));
    expect(() => registry.register(testLayer("path"))).toThrow(LayerRegistryError);
    expect(() => registry.register(testLayer("path"))).toThrow(/"path" is registered twice/);
    expect(registry.all()).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["nothing set: every layer enabled except openlibrary (default false)", {}, ["path", "embedded_tags", "sidecar", "plugin:x"]],
    ["a key set to false disables its layer", { sidecar_enabled: false }, ["path", "embedded_tags", "plugin:x"]],
    ["true enables a layer that is off by default", { openlibrary_enabled: true }, ["path", "embedded_tags", "sidecar", "plugin:x", "openlibrary"]],
    ["a plugin's key (unknown to the schema) is honoured", { "plugin_x_enabled": false }, ["path", "embedded_tags", "sidecar"]],
    ["only false disables: a plugin key set to true stays on", { "plugin_x_enabled": true }, ["path", "embedded_tags", "sidecar", "plugin:x"]],
  ])("enable keys: %s", (_name, raw, expected) => {
    const registry = new LayerRegistry();
    for (const layer of layers()) {
      if (layer.info.layer_id === "plugin:x") layer.info.config_enable_key = "plugin_x_enabled";
      registry.register(layer);
    }
    const config = ConfigSchema.parse(raw);
    const { layers: enabled } = registry.enabled([], (layer) => isEnabled(config, layer.info.config_enable_key));
    expect(ids(enabled)).toEqual(expected);
  });
});
