/**
 * A layer's warnings for the run's summary, one line per warning text with the books that gave it. A Library
 * Manager plugin returning an extra key ("confidence") in every answer printed the same line once per book,
 * `book 1: ignored unknown field "confidence"`, `book 2: ...`, twenty lines that said one thing.
 */

/** Book ids named on a line; the rest are counted. */
const IDS_SHOWN = 5;

export interface BookWarnings {
  add(bookId: number, warning: string): void;
  /** The lines, in the order each warning was first given: `book 7: W` or `3 books (1, 2, 5): W`. */
  lines(): string[];
}

export function bookWarnings(maxLines: number): BookWarnings {
  const byText = new Map<string, { ids: number[]; count: number }>();
  return {
    add(bookId, warning) {
      let entry = byText.get(warning);
      if (!entry) {
        // A new text past the cap is left out, as before: the first ones are kept.
        if (byText.size >= maxLines) return;
        entry = { ids: [], count: 0 };
        byText.set(warning, entry);
      }
      if (entry.ids.includes(bookId)) return;
      entry.count++;
      if (entry.ids.length < IDS_SHOWN) entry.ids.push(bookId);
    },
    lines() {
      return [...byText].map(([warning, { ids, count }]) =>
        count === 1 ? `book ${ids[0]}: ${warning}` : `${count} books (${ids.join(", ")}${count > ids.length ? ", ..." : ""}): ${warning}`,
      );
    },
  };
}
