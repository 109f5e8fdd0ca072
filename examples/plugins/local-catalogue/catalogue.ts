/**
 * The catalogue: a CSV file with a header row, matched on normalized title and
 * author. Kept apart from index.ts so the plugin shows a multi-file layout.
 */

/** Columns the plugin can return; title and author are what it matches on. */
export const RETURNED_COLUMNS = ["narrator", "year", "series", "series_num", "language", "edition"] as const;
export type ReturnedColumn = (typeof RETURNED_COLUMNS)[number];
export type Entry = Partial<Record<ReturnedColumn, string>>;

export interface Catalogue {
  entries: Map<string, Entry>;
  /** Rows that could not be used, one line each, for the plugin log. */
  problems: string[];
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ""));
}

/** "The Final Empire" and "final empire", "Frank Herbert" and "Herbert, Frank" match. */
export function normalize(text: string, kind: "title" | "author"): string {
  let value = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  if (kind === "author") {
    const [last, first, ...more] = value.split(",");
    if (more.length === 0 && first !== undefined && first.trim() !== "") value = `${first} ${last}`;
  }
  value = value.replace(/&/g, " and ").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return kind === "title" ? value.replace(/^(the|a|an) /, "") : value;
}

export function catalogueKey(title: string, author: string): string {
  return `${normalize(title, "title")}\u0000${normalize(author, "author")}`;
}

export function buildCatalogue(text: string): Catalogue {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!header) return { entries: new Map(), problems: ["the catalogue is empty"] };
  const columns = header.map((name) => name.trim().toLowerCase());
  const titleAt = columns.indexOf("title");
  const authorAt = columns.indexOf("author");
  if (titleAt === -1 || authorAt === -1) {
    throw new Error(`the catalogue's header must name a "title" and an "author" column (got: ${columns.join(", ")})`);
  }
  const entries = new Map<string, Entry>();
  const problems: string[] = [];
  rows.forEach((cells, index) => {
    const line = index + 2;
    const title = cells[titleAt]?.trim() ?? "";
    const author = cells[authorAt]?.trim() ?? "";
    if (!title || !author) return void problems.push(`row ${line}: no title or no author, skipped`);
    const key = catalogueKey(title, author);
    if (entries.has(key)) return void problems.push(`row ${line}: "${title}" by ${author} is listed twice; the first row counts`);
    const entry: Entry = {};
    for (const column of RETURNED_COLUMNS) {
      const value = cells[columns.indexOf(column)]?.trim();
      if (value) entry[column] = value;
    }
    entries.set(key, entry);
  });
  return { entries, problems };
}
