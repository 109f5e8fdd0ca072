import path from "node:path";
import { analyzePath } from "../../domain/path-analysis.js";
import { SOURCE_WEIGHTS, isFieldName, type Claim } from "../../domain/fields.js";
import type { Layer } from "../layer.js";

export function createPathLayer(): Layer {
  return {
    info: {
      layer_id: "path",
      layer_name: "Path analysis",
      description: "Author, title, series, number, year and narrator hints from folder and file names",
      config_enable_key: "path_enabled",
      default_order: 10,
      kind: "builtin",
    },
    sourceId: "path",
    weight: SOURCE_WEIGHTS.path,
    async processBatch(books) {
      return books.map((book) => {
        const relative = path.relative(book.library_root, book.path).split(path.sep).join("/");
        const hints = analyzePath(relative, { isFile: book.kind === "file" });
        const claims: Claim[] = [];
        for (const [field, value] of Object.entries(hints)) {
          if (isFieldName(field) && typeof value === "string" && value) claims.push({ field, value });
        }
        return { book_id: book.book_id, claims };
      });
    },
  };
}
