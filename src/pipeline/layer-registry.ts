import type { Layer } from "./layer.js";

export class LayerRegistryError extends Error {}

export interface OrderedLayers {
  layers: Layer[];
  warnings: string[];
}

/** Holds every known layer; decides their order and which are enabled. */
export class LayerRegistry {
  private readonly byId = new Map<string, Layer>();

  register(layer: Layer): void {
    const id = layer.info.layer_id;
    if (this.byId.has(id)) throw new LayerRegistryError(`layer "${id}" is registered twice`);
    this.byId.set(id, layer);
  }

  unregister(id: string): void {
    this.byId.delete(id);
  }

  get(id: string): Layer | undefined {
    return this.byId.get(id);
  }

  all(): Layer[] {
    return [...this.byId.values()];
  }

  /** Every registered layer in execution order (see `orderLayers`). */
  ordered(pipelineOrder: readonly string[] = []): OrderedLayers {
    return orderLayers(this.all(), pipelineOrder);
  }

  /** Ordered, and only those whose enable key is not false. */
  enabled(pipelineOrder: readonly string[], isEnabled: (layer: Layer) => boolean): OrderedLayers {
    const { layers, warnings } = this.ordered(pipelineOrder);
    return { layers: layers.filter(isEnabled), warnings };
  }
}

const byDefaultOrder = (a: Layer, b: Layer) =>
  a.info.default_order - b.info.default_order || (a.info.layer_id < b.info.layer_id ? -1 : 1);

/**
 * Layers listed in `pipeline_order` run in that order. Unlisted layers keep
 * their default order relative to the listed ones: each runs right after the
 * last listed layer whose default_order is not larger than its own (first of
 * all when there is none), so a newly dropped-in plugin is never silently left
 * out, and listing ["my-plugin", "path"] really runs my-plugin first. Unknown
 * ids only warn.
 */
export function orderLayers(layers: Layer[], pipelineOrder: readonly string[]): OrderedLayers {
  const warnings: string[] = [];
  const byId = new Map(layers.map((layer) => [layer.info.layer_id, layer]));
  const listed: Layer[] = [];
  for (const id of pipelineOrder) {
    const layer = byId.get(id);
    if (!layer) warnings.push(`pipeline_order names unknown layer "${id}"; ignored`);
    else if (listed.includes(layer)) warnings.push(`pipeline_order names layer "${id}" twice; the first place counts`);
    else listed.push(layer);
  }
  // after[i + 1]: unlisted layers that follow listed[i]; after[0]: those that run before all listed.
  const after: Layer[][] = Array.from({ length: listed.length + 1 }, () => []);
  for (const layer of layers.filter((l) => !listed.includes(l)).sort(byDefaultOrder)) {
    let anchor = -1;
    listed.forEach((other, i) => {
      if (other.info.default_order <= layer.info.default_order) anchor = i;
    });
    after[anchor + 1]!.push(layer);
  }
  const result = [...after[0]!];
  listed.forEach((layer, i) => result.push(layer, ...after[i + 1]!));
  return { layers: result, warnings };
}
