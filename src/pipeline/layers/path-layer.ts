import fs from "node:fs/promises";
import path from "node:path";
import { readPath } from "../../domain/path-analysis.js";
import { mayBeRomanPosition } from "../../domain/roman-series.js";
import { pathAuthorWeight, pathEvidence, summarizeFolder, type FolderSummary } from "../../domain/path-structure.js";
import { isAudioFile, stripAudioExtension } from "../../domain/audio-extensions.js";
import { SOURCE_WEIGHTS, isFieldName, type Claim } from "../../domain/fields.js";
import type { Layer } from "../layer.js";

/** Folder summaries kept per layer instance (one pipeline run); author and series folders repeat for every book. */
const SUMMARY_CACHE_SIZE = 20_000;
/** The structure only looks this far up: Genre/Author/Series/Book. */
const MAX_DEPTH = 4;

export function createPathLayer(): Layer {
  // One listing per folder serves both its summary and the names beside a book read in it.
  const listings = new Map<string, Promise<{ names: string[]; summary: FolderSummary } | undefined>>();
  const listingOf = (dir: string): Promise<{ names: string[]; summary: FolderSummary } | undefined> => {
    let pending = listings.get(dir);
    if (pending === undefined) {
      if (listings.size >= SUMMARY_CACHE_SIZE) listings.clear();
      pending = listFolder(dir);
      listings.set(dir, pending);
    }
    return pending;
  };
  const tops = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  const topFoldersOf = (root: string): Promise<ReadonlySet<string> | undefined> => {
    let pending = tops.get(root);
    if (pending === undefined) {
      pending = listingOf(root).then((listing) => (listing === undefined ? undefined : new Set(listing.names.map((n) => n.toLowerCase()))));
      tops.set(root, pending);
    }
    return pending;
  };
  const summaryOf = async (dir: string): Promise<FolderSummary | undefined> => (await listingOf(dir))?.summary;
  // Books in one folder share their chain of ancestors: look it up once per parent folder.
  const chains = new Map<string, Promise<Map<number, FolderSummary | undefined>>>();
  const chainOf = (root: string, segments: readonly string[]): Promise<Map<number, FolderSummary | undefined>> => {
    const parent = segments.slice(0, -1).join("/");
    const key = `${root}\u0000${parent}`;
    let pending = chains.get(key);
    if (pending === undefined) {
      if (chains.size >= SUMMARY_CACHE_SIZE) chains.clear();
      pending = (async () => {
        const known = new Map<number, FolderSummary | undefined>();
        const from = Math.max(0, segments.length - MAX_DEPTH);
        for (let depth = from; depth < segments.length; depth++) {
          known.set(depth, await summaryOf(depth === 0 ? root : path.join(root, ...segments.slice(0, depth))));
        }
        return known;
      })();
      chains.set(key, pending);
    }
    return pending;
  };
  return {
    info: {
      layer_id: "path",
      layer_name: "Path analysis",
      description: "Author, title, series, number, year and narrator hints from folder and file names, weighed by how conventional the library's layout is",
      config_enable_key: "path_enabled",
      default_order: 10,
      kind: "builtin",
    },
    sourceId: "path",
    sharedPass: true,
    weight: SOURCE_WEIGHTS.path,
    async processBatch(books) {
      const read = await Promise.all(books.map(async (book) => {
        const relative = path.relative(book.library_root, book.path).split(path.sep).join("/");
        const isFile = book.kind === "file";
        // "The Dark Tower V - Wolves of the Calla": only its siblings tell a series' position from "World War II - A History";
        // "Ron Chernow/Alexander Hamilton" beside his other books is no title folder above its writer. The listing of a
        // book's folder is shared by every book in it, and the structure below reads the same folder.
        const own = path.basename(book.path);
        const inFolder = relative.includes("/") || mayBeRomanPosition(own);
        const siblings = !relative.startsWith("..") && inFolder ? (await listingOf(path.dirname(book.path)))?.names : undefined;
        // "Downloads/Steve Jobs - Walter Isaacson": the library's top folders name its writers (one listing per root).
        const topFolders = relative.startsWith("..") ? undefined : await topFoldersOf(book.library_root);
        const { hints, doubtful } = readPath(relative, { isFile, siblings, topFolders });
        const segments = relative.split("/").filter((s) => s.length > 0 && s !== "." && s !== "..");
        const structured = hints.author !== undefined && hints.title !== undefined && !relative.startsWith("..");
        return { book, isFile, hints, doubtful, segments, chain: structured ? chainOf(book.library_root, segments) : undefined };
      }));
      // Books of one folder share one chain promise, so this waits once per folder, not per book.
      const chains = await Promise.all(read.map((r) => r.chain ?? NO_CHAIN_PROMISE));
      return read.map(({ book, isFile, hints, doubtful, segments }, i) => {
        const known = chains[i]!;
        const evidence = pathEvidence(segments, hints, (depth) => known.get(depth), isFile);
        const basis = evidence.basis.length > 0 ? evidence.basis.join(", ") : undefined;
        const claims: Claim[] = [];
        for (const [field, value] of Object.entries(hints)) {
          if (!isFieldName(field) || typeof value !== "string" || !value) continue;
          const claim: Claim = { field, value };
          // "1996 - A Game of Thrones" is shaped like "2001 - A Space Odyssey": its year counts for half.
          const halved = (doubtful as readonly string[]).includes(field);
          let weight = halved ? Math.round(evidence.weight / 2) : evidence.weight;
          // A writer the reading already doubts ("Koontz - Watchers": a lone word) is halved once, not again for its shape.
          if (field === "author") weight = evidence.doubtfulAuthor === true ? Math.round(weight / 2) : halved ? weight : pathAuthorWeight(value, weight);
          if (weight !== SOURCE_WEIGHTS.path) claim.weight = weight;
          // Once per book is enough for status_reason to quote it.
          if (basis !== undefined && field === "author") claim.basis = basis;
          claims.push(claim);
        }
        return { book_id: book.book_id, claims };
      });
    },
  };
}

const NO_CHAIN: Map<number, FolderSummary | undefined> = new Map();
const NO_CHAIN_PROMISE = Promise.resolve(NO_CHAIN);


/** A folder's entries that may be books or groups of books; undefined when it cannot be read. */
async function listFolder(dir: string): Promise<{ names: string[]; summary: FolderSummary } | undefined> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const names: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) names.push(entry.name);
      else if (entry.isFile() && isAudioFile(entry.name)) names.push(stripAudioExtension(entry.name));
    }
    names.sort();
    return { names, summary: summarizeFolder(names) };
  } catch {
    return undefined;
  }
}
