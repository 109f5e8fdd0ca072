import os from "node:os";
import path from "node:path";
import { isAudioFile } from "../../domain/audio-extensions.js";
import { SOURCE_WEIGHTS } from "../../domain/fields.js";
import { boundedMap } from "../../library/bounded-map.js";
import { sharedTagReaderPool, type TagReaderPool } from "../../library/tag-reader-pool.js";
import { readBookTags } from "../../library/tags.js";
import type { Layer, LayerOutcome } from "../layer.js";


/** Tag reads are I/O plus parsing; a few in flight keep both cores busy. */
export const TAG_READ_CONCURRENCY = Math.max(2, Math.min(8, os.availableParallelism() * 2));

/**
 * Threads that parse: one per core (at most four). Each has its own heap and
 * compiles the parsers for itself, so more threads than cores cost more than
 * they give; each thread is handed the next file before it finishes one.
 */
export const TAG_READ_THREADS = Math.max(1, Math.min(4, os.availableParallelism()));

export interface EmbeddedTagsOptions {
  /** The threads that read files (default: the process's shared pool). */
  pool?: TagReaderPool;
}

export function createEmbeddedTagsLayer(options: EmbeddedTagsOptions = {}): Layer {
  return {
    info: {
      layer_id: "embedded_tags",
      layer_name: "Embedded tags",
      description: "Title, author, narrator, series, year and language from the audio files' tags",
      config_enable_key: "embedded_tags_enabled",
      default_order: 20,
      kind: "builtin",
    },
    sourceId: "embedded_tags",
    weight: SOURCE_WEIGHTS.embedded_tags,
    async processBatch(books) {
      // Files are read in threads that stop a file taking too long or too much memory (tag-reader-pool.ts).
      const pool = options.pool ?? sharedTagReaderPool(TAG_READ_THREADS);
      const read = pool.read.bind(pool);
      return boundedMap(books, TAG_READ_CONCURRENCY, async (book): Promise<LayerOutcome> => {
        const audio = book.files.filter((f) => isAudioFile(path.basename(f.path)));
        if (audio.length === 0) return { book_id: book.book_id, claims: [] };
        try {
          const tags = await readBookTags(
            audio.map((f) => f.path),
            audio.map((f) => f.size),
            read,
          );
          const outcome: LayerOutcome = { book_id: book.book_id, claims: tags.claims, tags: tags.raw };
          return tags.warnings.length > 0 ? { ...outcome, warnings: tags.warnings } : outcome;
        } catch (error) {
          return { book_id: book.book_id, error: (error as Error).message };
        }
      });
    },
  };
}
