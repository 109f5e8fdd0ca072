/** Open Library's validated search result and the match rule applied to it (the shared web-source rule). */
import { DEFAULT_THRESHOLDS, pickBestCandidate } from "../http/candidate-match.js";

export {
  authorSimilarity,
  MIN_AUTHOR_SIMILARITY,
  MIN_TITLE_SIMILARITY,
  titleSimilarity,
} from "../http/candidate-match.js";

/** A search result after validation: only the parts the layer uses. */
export interface OpenLibraryDoc {
  title: string;
  authors: string[];
  year: number | null;
  languages: string[];
  key: string | null;
}

export function pickBestDoc(docs: OpenLibraryDoc[], title: string, author: string | null): OpenLibraryDoc | null {
  return pickBestCandidate(docs, title, author, DEFAULT_THRESHOLDS);
}
