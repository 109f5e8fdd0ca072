/**
 * The fields shelfwise identifies for every book, and the evidence shapes that
 * every source (path, tags, sidecars, plugins, the user) produces.
 */

export const FIELD_NAMES = [
  "author",
  "title",
  /** "A Brief History of Humankind" of "Sapiens: A Brief History of Humankind"; templates choose whether to show it. */
  "subtitle",
  /** Every author, "; "-separated, each in "First Last" form; `author` is the display form ("A & B"). */
  "authors",
  "narrator",
  "series",
  "series_num",
  "year",
  "language",
  "edition",
  "variant",
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

export function isFieldName(value: unknown): value is FieldName {
  return typeof value === "string" && (FIELD_NAMES as readonly string[]).includes(value);
}

/** One source's claim about one field, before it is weighed. */
export interface Claim {
  field: FieldName;
  value: string;
  /**
   * This claim's weight when it differs from the source's default (0..100).
   * Only built-in layers set it (the path layer, when the folder structure is
   * conventional); plugin claims are rebuilt from field/value pairs.
   */
  weight?: number;
  /** Why the source believes it, shown in status_reason ("author folder holding 6 books"). */
  basis?: string;
}

/** A claim as stored in a profile: who said it, what they said, how much it counts. */
export interface Evidence {
  source: string;
  value: string;
  weight: number;
  basis?: string;
}

/**
 * The basis a tag reader gives an author claim "Andy Weir, Ray Porter" read from an artist with nothing naming the
 * reader: Audible's way of crediting writer and reader, or two writers. Another source naming only the first
 * settles it (profile.ts).
 */
export const LIST_MAY_NAME_READER = "an artist of two names with no reader tagged: the second may be the reader";

/**
 * The basis a tag reader gives the author and narrator claims of an artist "Andy Weir - Ray Porter" (nothing else
 * naming anyone): the writer and the reader, or two writers ("Stephen King - Peter Straub"). Another source naming
 * both as the authors settles it (profile.ts).
 */
export const DASH_MAY_NAME_WRITER = "an artist of two names set apart by a dash, no reader tagged: the second may be a co-writer";

/** Separator of the `authors` list value. */
export const AUTHORS_SEPARATOR = "; ";

/** A value a source offered that the garbage checks refused; kept so users can see why. */
export interface RejectedEvidence {
  source: string;
  field: FieldName;
  value: string;
  reason: string;
}

/** Default weight of each kind of source (DEVELOPERS: user 100 ... path 40). */
export const SOURCE_WEIGHTS = {
  user: 100,
  embedded_tags: 80,
  sidecar: 75,
  plugin: 60,
  openlibrary: 45,
  path: 40,
} as const;

/**
 * Evidence from this source (a correction by the user) always wins its field, at confidence 100. Here, not in
 * profile.ts, so that the store can tell a user's values without loading the name parsing profile.ts needs.
 */
export const USER_SOURCE = "user";
