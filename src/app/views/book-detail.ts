/** `book ID --json` (and the API's book page): one book with the evidence behind every field. */
import { z } from "zod";
import { FIELD_NAMES } from "../../domain/fields.js";
import { explainField } from "../../domain/field-explanation.js";
import { parseProfile, resolveProfile } from "../../domain/profile.js";
import type { BookRow } from "../../store/books.js";
import type { LayerRunRow } from "../../store/layer-runs.js";
import { bookRowFields, bookRowView } from "./book-row.js";
import { viewDoc } from "./view.js";

const EvidenceView = z.object({
  source: z.string().describe("`user`, `path`, `embedded_tags`, `sidecar`, `openlibrary`, `plugin:<id>`"),
  value: z.string(),
  weight: z.number().describe("0..100"),
  basis: z.string().optional().describe('why the source believes it, e.g. the path\'s `"person-named author folder, holding 4 books"`'),
});

const FieldView = z.object({
  value: z.string().nullable().describe("the winning value"),
  confidence: z.number().int().min(0).max(100).describe("0..100"),
  sources: z.array(z.string()).describe("the sources behind the winning value"),
  why: z
    .string()
    .nullable()
    .describe('how the winner was chosen: `"embedded_tags, sidecar agree (weight 80 + 75 = 155, +10 for 2 sources); outvoted \"X\" (path, 40): -15"`, or `"your value (book --set): it always wins, at confidence 100"`; null without a value'),
  evidence: z.array(EvidenceView).describe("one entry per source that claimed the field"),
});

export const BookDetailView = z
  .object({
    ...bookRowFields,
    kind: z.enum(["folder", "file"]).describe("a book folder, or a loose audio file"),
    library_root: z.string().describe("the library folder the book was found in"),
    status_reason: z
      .string()
      .nullable()
      .describe('why the status: for an identified book the evidence it rests on, otherwise which field is doubtful and what to do, e.g. `"confidence 48 below threshold 60 (only a single weak source, path: …)"`'),
    flags: z.array(z.string()).describe('findings about the profile, e.g. `"author_equals_series"`'),
    profile: z
      .object(Object.fromEntries(FIELD_NAMES.map((f) => [f, FieldView])) as Record<(typeof FIELD_NAMES)[number], typeof FieldView>)
      .describe("one entry per field of src/domain/fields.ts, always all of them (`authors` is the author list, `; `-separated)"),
    rejected: z
      .array(
        z.object({
          source: z.string(),
          field: z.enum(FIELD_NAMES),
          value: z.string(),
          reason: z.string().describe('e.g. `"placeholder, not a value"`'),
        }),
      )
      .describe("values a source offered that were refused"),
    layers: z
      .array(
        z.object({
          layer_id: z.string(),
          status: z.enum(["ok", "error", "skipped"]),
          error: z.string().nullable(),
          warnings: z
            .array(z.string())
            .describe('what a built-in layer warned about this book (a file cut short, a tag left out), e.g. `"…/01.m4b: its moov box is cut short at byte 3000 of 9000 (an interrupted download?): the tags before the cut were read"`; empty for most'),
        }),
      )
      .describe("one entry per layer that ran on the book"),
  })
  .describe("One book with every field's value, confidence and evidence");
export type BookDetailView = z.infer<typeof BookDetailView>;

export function bookDetailView(row: BookRow, runs: Pick<LayerRunRow, "layer_id" | "status" | "error">[]): BookDetailView {
  const profile = parseProfile(row.profile);
  const resolved = resolveProfile(profile);
  return {
    ...bookRowView(row),
    kind: row.kind,
    library_root: row.library_root,
    status_reason: row.status_reason,
    flags: resolved.flags,
    profile: Object.fromEntries(
      FIELD_NAMES.map((field) => {
        const f = resolved.fields[field];
        return [
          field,
          {
            value: f.value,
            confidence: Math.round(f.confidence),
            sources: f.sources,
            why: explainField(field, f),
            evidence: f.evidence.map((e) => (e.basis === undefined ? { source: e.source, value: e.value, weight: e.weight } : { source: e.source, value: e.value, weight: e.weight, basis: e.basis })),
          },
        ];
      }),
    ) as BookDetailView["profile"],
    rejected: profile.rejected.map(({ source, field, value, reason }) => ({ source, field, value, reason })),
    // An ok run's `error` column holds its warnings (store/layer-runs.ts).
    layers: runs.map((r) =>
      r.status === "ok"
        ? { layer_id: r.layer_id, status: "ok" as const, error: null, warnings: r.error ? r.error.split("\n") : [] }
        : { layer_id: r.layer_id, status: r.status as "error" | "skipped", error: r.error, warnings: [] },
    ),
  };
}

const unknown = { value: null, confidence: 0, sources: [], why: null, evidence: [] };
const one = (source: string, value: string, weight: number) => ({ value, confidence: weight, sources: [source], why: `${source} alone (weight ${weight})`, evidence: [{ source, value, weight }] });

export const bookDetailDoc = viewDoc(BookDetailView, "`book ID --json`", "Everything of `books`, plus the evidence. An ID that names no book: exit 2, stdout empty.", {
    id: 8,
    path: "…/library/Shards of Earth/Adrian Tchaikovsky",
    status: "needs_attention",
    confidence: 48,
    author: "Adrian Tchaikovsky",
    title: "Shards of Earth",
    series: "The Final Architecture",
    series_num: "1",
    narrator: "Saskia Maarleveld",
    year: "2021",
    language: "en",
    proposed_path: "Adrian Tchaikovsky/The Final Architecture/1 - Shards of Earth",
    locked: false,
    kind: "folder",
    library_root: "…/library",
    status_reason: "confidence 48 below threshold 60 (only a single weak source, path: confirm author and title, or add tags or a sidecar)",
    flags: [],
    profile: {
      author: one("path", "Adrian Tchaikovsky", 40),
      title: one("path", "Shards of Earth", 40),
      subtitle: unknown,
      authors: { value: "Adrian Tchaikovsky", confidence: 40, sources: ["path"], why: "the winning author's names", evidence: [] },
      narrator: one("plugin:local-catalogue", "Saskia Maarleveld", 60),
      series: one("plugin:local-catalogue", "The Final Architecture", 60),
      series_num: one("plugin:local-catalogue", "1", 60),
      year: one("plugin:local-catalogue", "2021", 60),
      language: one("plugin:local-catalogue", "en", 60),
      edition: unknown,
      variant: unknown,
    },
    rejected: [{ source: "path", field: "title", value: "Unknown", reason: "placeholder, not a value" }],
    layers: [
      { layer_id: "path", status: "ok", error: null, warnings: [] },
      { layer_id: "embedded_tags", status: "ok", error: null, warnings: [] },
      { layer_id: "sidecar", status: "ok", error: null, warnings: [] },
      { layer_id: "local-catalogue", status: "ok", error: null, warnings: [] },
      { layer_id: "desc-narrator", status: "skipped", error: null, warnings: [] },
    ],
  });
