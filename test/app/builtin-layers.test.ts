import { describe, expect, it } from "vitest";
import { builtinLayers, localLayers } from "../../src/app/builtin-layers.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { BUILTIN_LAYER_IDS, LOCAL_LAYER_IDS } from "../../src/pipeline/layers/builtin-ids.js";

describe("the built-in layer list", () => {
  it("builds exactly the layers BUILTIN_LAYER_IDS names, in that order", () => {
    expect(builtinLayers(defaultConfig()).map((l) => l.info.layer_id)).toEqual([...BUILTIN_LAYER_IDS]);
    expect(builtinLayers(defaultConfig()).every((l) => l.info.kind === "builtin")).toBe(true);
  });

  it("the local layers are the offline ones, in pipeline order", () => {
    expect(localLayers(defaultConfig()).map((l) => l.info.layer_id)).toEqual([...LOCAL_LAYER_IDS]);
    const order = localLayers(defaultConfig()).map((l) => l.info.default_order);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
