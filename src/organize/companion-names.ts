/**
 * A single-file book's companions by name, as plan, apply and history show
 * them: the files beside the audio file with its stem (cover, OPF, cue
 * sheet...; library/scan.ts decides which), which move with it.
 */
import path from "node:path";

/** The stored sidecars beside a single-file book (the scan lists exactly its companions there); none for a folder book. */
export function companionNames(book: { path: string; kind: "folder" | "file"; sidecars: string }): string[] {
  if (book.kind !== "file" || book.sidecars.length <= 2) return NONE;
  const dir = path.dirname(book.path);
  return (JSON.parse(book.sidecars) as string[]).filter((p) => path.dirname(p) === dir).map((p) => path.basename(p));
}

/**
 * The one empty list of every book without companions (every folder book of a plan: one array each was ~0.4 MB per
 * 5,000 books). Frozen: nothing adds to a plan's lists, and should anything try, it throws rather than giving
 * companions to every book.
 */
const NONE = Object.freeze([]) as unknown as string[];

/** The names a journal row's `companions` column holds (a JSON array, or null). */
export function journaledCompanions(column: string | null | undefined): string[] {
  if (!column) return [];
  try {
    const names: unknown = JSON.parse(column);
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}
