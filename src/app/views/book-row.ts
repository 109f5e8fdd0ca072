/** `books --json` (and the API's book list): one row per book. */
import { z } from "zod";
import type { BookRow } from "../../store/books.js";
import { BOOK_STATUSES } from "../../store/books.js";
import { pickView, viewDoc } from "./view.js";

const text = (meaning: string) => z.string().nullable().describe(meaning);

export const bookRowFields = {
  id: z.number().int().positive().describe("book id, for `book ID`"),
  path: z.string().describe("absolute path of the book folder, or of the audio file for a loose-file book"),
  status: z.enum(BOOK_STATUSES).describe("`identified` and `needs_attention` are final; `missing`: no longer found by a scan (kept, never deleted)"),
  confidence: z.number().int().min(0).max(100).describe("0..100"),
  author: text("current value"),
  title: text("current value"),
  series: text("current value"),
  series_num: text('current value, a string: `"1"`, `"2.5"`'),
  narrator: text("current value"),
  year: text('current value, a string: `"2021"`'),
  language: text("current value (ISO 639-1 where known, e.g. `en`)"),
  proposed_path: text("the relative path `naming_template` proposes (null until the book has a final status)"),
  locked: z.boolean().describe("locked by the user (`book ID --lock`, or by `undo`): the pipeline and plans leave it alone"),
};

export const BookRowView = z.object(bookRowFields).describe("One book with its current values");
export type BookRowView = z.infer<typeof BookRowView>;
export const BookListView = z.array(BookRowView).describe("Every book, ordered by path");
export type BookListView = z.infer<typeof BookListView>;

export function bookRowView(row: BookRow): BookRowView {
  return { ...pickView(BookRowView, row), confidence: Math.round(row.confidence), locked: row.locked !== 0 };
}

export const bookListDoc = viewDoc(BookListView, "`books [--status S] [--author NAME] [--series NAME] --json`", "An array, one object per book, ordered by path.", [
    {
      id: 2,
      path: "…/library/Andy Weir - Project Hail Mary (2021) {Ray Porter}",
      status: "identified",
      confidence: 98,
      author: "Andy Weir",
      title: "Project Hail Mary",
      series: null,
      series_num: null,
      narrator: "Ray Porter",
      year: "2021",
      language: "en",
      proposed_path: "Andy Weir/Project Hail Mary",
      locked: false,
    },
  ]);
