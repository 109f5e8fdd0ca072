/** Plain objects implementing Layer, recording what they were given. */
import type { Claim } from "../../src/domain/fields.js";
import type { Layer, LayerBook, LayerInfo, LayerOutcome } from "../../src/pipeline/layer.js";

export interface RecordingLayer extends Layer {
  /** The books of every processBatch call, in call order. */
  calls: LayerBook[][];
}

export interface TestLayerOptions {
  order?: number;
  weight?: number;
  kind?: LayerInfo["kind"];
  enableKey?: string;
  wants?: (book: LayerBook) => boolean;
  /** Outcomes for one batch; default: no claims for every book. */
  answer?: (books: LayerBook[]) => LayerOutcome[] | Promise<LayerOutcome[]>;
}

export function testLayer(id: string, options: TestLayerOptions = {}): RecordingLayer {
  const calls: LayerBook[][] = [];
  const answer = options.answer ?? ((books) => books.map((b) => ({ book_id: b.book_id, claims: [] })));
  return {
    info: {
      layer_id: id,
      layer_name: `Test ${id}`,
      description: `test layer ${id}`,
      config_enable_key: options.enableKey ?? `${id}_enabled`,
      default_order: options.order ?? 50,
      kind: options.kind ?? "builtin",
    },
    sourceId: id,
    weight: options.weight ?? 50,
    wants: options.wants,
    calls,
    async processBatch(books) {
      calls.push(books);
      return answer(books);
    },
  };
}

/** A layer that claims the same fields for every book, computed from the book. */
export function claimingLayer(id: string, claims: (book: LayerBook) => Claim[], options: TestLayerOptions = {}): RecordingLayer {
  return testLayer(id, { ...options, answer: (books) => books.map((b) => ({ book_id: b.book_id, claims: claims(b) })) });
}

export const ids = (layers: Layer[]): string[] => layers.map((l) => l.info.layer_id);
