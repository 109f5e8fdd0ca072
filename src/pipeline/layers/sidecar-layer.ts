import path from "node:path";
import { SOURCE_WEIGHTS } from "../../domain/fields.js";
import { readSidecars } from "../../library/sidecar.js";
import { boundedMap } from "../../library/bounded-map.js";
import { LOCAL_BATCH_SIZE, type Layer, type LayerOutcome } from "../layer.js";

export function createSidecarLayer(): Layer {
  return {
    info: {
      layer_id: "sidecar",
      layer_name: "Sidecar files",
      description: "Audiobookshelf metadata.json or metadata.abs, OPF, book.json, desc.txt, reader.txt, release notes (.nfo, info.txt) and cue sheets beside the audio (a single file's own OPF, .nfo or cue sheet: Dune.opf beside Dune.m4b)",
      config_enable_key: "sidecar_enabled",
      default_order: 30,
      kind: "builtin",
    },
    sourceId: "sidecar",
    localBatchSize: LOCAL_BATCH_SIZE,
    sharedPass: true,
    weight: SOURCE_WEIGHTS.sidecar,
    async processBatch(books) {
      return boundedMap(books, 4, async (book): Promise<LayerOutcome> => {
        // A loose file shares its folder with other books: sidecars there describe none of them, but an OPF, release
        // notes or a cue sheet of its own (`Dune.opf`, `Dune.nfo`, `Dune.cue` beside `Dune.m4b`, listed as its companions
        // by the scan) do.
        const result =
          book.kind === "file"
            ? await readSidecars(path.dirname(book.path), (book.sidecars ?? []).map((p) => path.basename(p)).filter((name) => OWN_SIDECAR.test(name)))
            : await readSidecars(book.path, book.sidecars?.map((p) => path.basename(p)));
        return { book_id: book.book_id, claims: result.claims, warnings: result.problems };
      });
    },
  };
}

const OWN_SIDECAR = /\.(?:opf|nfo|cue)$/iu;
