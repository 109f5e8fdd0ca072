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
 * their default order relative to the listed ones: each goes in front of the
 * first listed layer with a larger default_order, so a newly dropped-in plugin
 * is never silently left out. Unknown ids only warn.
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
  const unlisted = layers.filter((layer) => !listed.includes(layer)).sort(byDefaultOrder);
  const result = [...listed];
  let floor = 0;
  for (const layer of unlisted) {
    let index = result.length;
    for (let i = floor; i < result.length; i++) {
      const other = result[i]!;
      if (listed.includes(other) && other.info.default_order > layer.info.default_order) {
        index = i;
        break;
      }
    }
    result.splice(index, 0, layer);
    floor = index + 1;
  }
  return { layers: result, warnings };
}
