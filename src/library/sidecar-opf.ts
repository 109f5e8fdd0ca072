/**
 * OPF package metadata (calibre, Audiobookshelf, EPUB tooling): Dublin Core
 * title/creator/date/language/description, creator roles from `opf:role`
 * (OPF 2) or `<meta refines="#id" property="role">` (OPF 3), and series from
 * calibre's `calibre:series`/`calibre:series_index` or OPF 3
 * `belongs-to-collection` + `group-position`.
 */
import type { Claim } from "../domain/fields.js";
import { jsonNestedDeeperThan } from "../domain/json-depth.js";
import { cleanDescription, cleanText, joinNames, narratorClaim, normalizeSeriesNum, parseYear, splitSeries } from "./claim-values.js";
import { attrLocal, descendants, parseXml, textOf, type XmlElement } from "./xml-lite.js";

export interface SidecarResult {
  claims: Claim[];
  description: string | null;
}

/** Throws (XmlError or Error) with a short reason when the text is not usable OPF. */
export function parseOpf(text: string): SidecarResult {
  const all = descendants(parseXml(text));
  const metadata = all.find((e) => e.local === "metadata");
  if (!metadata) throw new Error("no <metadata> element");
  const elements = descendants(metadata);
  const dc = (local: string) => elements.filter((e) => e.local === local);
  const refinements = refinementsById(elements);

  const authors: string[] = [];
  const narrators: string[] = [];
  // Narrators come as dc:creator or dc:contributor with role "nrt" (Calibre, Audiobookshelf and Libation exports
  // differ); a contributor without a role (Calibre's own "bkp" line) names no one of ours.
  const people = [...dc("creator").map((e) => ({ e, fallback: "aut" })), ...dc("contributor").map((e) => ({ e, fallback: "" }))];
  for (const { e: creator, fallback } of people) {
    const role = (attrLocal(creator, "role") ?? refinements.get(creator.attrs.id ?? "")?.get("role") ?? fallback).trim().toLowerCase();
    const name = cleanText(textOf(creator));
    if (!name) continue;
    const relator = ROLE_WORDS.get(role) ?? role;
    if (relator === "aut") authors.push(name);
    else if (relator === "nrt") narrators.push(name);
  }

  // Calibre keeps what it has no field for in custom columns ("#narrator", "#reader"): read when no role names one.
  const columns = calibreColumns(elements);
  if (narrators.length === 0) narrators.push(...columns.narrators);

  const claims: Claim[] = [];
  const add = (field: Claim["field"], value: string | null) => {
    if (value) claims.push({ field, value });
  };
  add("title", firstText(dc("title")));
  // Audiobookshelf's OPF layout writes <dc:subtitle> (not Dublin Core, but what ABS and its exporters use).
  add("subtitle", firstText(dc("subtitle")));
  const author = joinNames(authors);
  add("author", author);
  add("narrator", narratorClaim(narrators, author));
  const series = seriesOf(elements, refinements) ?? columns.series;
  add("series", series?.series ?? null);
  add("series_num", series?.num ?? null);
  add("year", parseYear(firstText(dc("date"))));
  add("language", firstText(dc("language")));
  const description = dc("description").map((e) => cleanDescription(textOf(e))).find((d) => d !== null) ?? null;
  return { claims, description };
}

/** Roles written as words where MARC's codes belong (hand-made and scripted OPFs: opf:role="narrator"). */
const ROLE_WORDS: ReadonlyMap<string, string> = new Map([
  ...["author", "writer"].map((word) => [word, "aut"] as const),
  ...["narrator", "reader", "read by", "narrated by", "performer"].map((word) => [word, "nrt"] as const),
]);

type Refinements = Map<string, Map<string, string>>;

/** OPF 3: `<meta refines="#c1" property="role">nrt</meta>` keyed by the refined id. */
function refinementsById(elements: XmlElement[]): Refinements {
  const byId: Refinements = new Map();
  for (const meta of elements) {
    const target = meta.local === "meta" ? meta.attrs.refines : undefined;
    const property = meta.attrs.property;
    if (!target?.startsWith("#") || !property) continue;
    const id = target.slice(1);
    const props = byId.get(id) ?? new Map<string, string>();
    const key = property.slice(property.lastIndexOf(":") + 1).toLowerCase();
    if (!props.has(key)) props.set(key, textOf(meta).trim());
    byId.set(id, props);
  }
  return byId;
}

function seriesOf(elements: XmlElement[], refinements: Refinements): { series: string; num: string | null } | null {
  const named = (name: string) => elements.find((e) => e.local === "meta" && e.attrs.name === name)?.attrs.content;
  const calibre = cleanText(named("calibre:series"));
  if (calibre) {
    const split = splitSeries(calibre);
    return split && { series: split.series, num: normalizeSeriesNum(named("calibre:series_index")) ?? split.num };
  }
  const collection = elements.find((e) => e.local === "meta" && e.attrs.property === "belongs-to-collection");
  const name = collection ? cleanText(textOf(collection)) : null;
  if (!collection || !name) return null;
  const props = refinements.get(collection.attrs.id ?? "");
  const type = props?.get("collection-type");
  if (type && type.toLowerCase() !== "series") return null;
  return { series: name, num: normalizeSeriesNum(props?.get("group-position")) };
}

interface CalibreColumns {
  narrators: string[];
  series: { series: string; num: string | null } | null;
}

/**
 * Words a column's lookup name or its label use for the reader: "#narrator", "#narrators", "#reader", "#read_by",
 * "#narrated_by", "#performer" (audio libraries' "Performer", as music taggers call a reader), "#audiobook_narrator",
 * "#voice", and the same in other languages ("#sprecher", "#lecteur", "#narrador", "#lektor", "#чтец").
 */
const READER_WORDS = String.raw`(?:narrators?|narrated[_ ]?by|readers?|read[_ ]?by|performers?|performed[_ ]?by|voices?|voiced[_ ]?by|sprecher(?:in)?|vorleser(?:in)?|erz(?:ä|ae)hler(?:in)?|lecteurs?|lectrices?|lu[_ ]?par|narrateur|narratrice|lector(?:a|es)?|narrador(?:a|es)?|lettore|voorlezer|lektor(?:ka)?|чтецы?|исполнители?)`;
const NARRATOR_COLUMN = new RegExp(String.raw`^#(?:[\p{L}\d]+_)?${READER_WORDS}$`, "iu");
/** A column's label ("name" in its JSON) saying the same, whatever its lookup name ("#column3" labelled "Narrator"). */
const NARRATOR_LABEL = new RegExp(String.raw`^${READER_WORDS}$`, "iu");
/** A column of Calibre's "series" type, or one named so ("#series", "#audiobook_series"), with "#extra#" its index. */
const SERIES_COLUMN = /^#(?:\w*_)?series$/iu;
/** A column's JSON is a few hundred characters; more is no metadata worth parsing. */
const MAX_COLUMN_CHARS = 16_384;
const MAX_COLUMN_DEPTH = 4;
const MAX_COLUMN_VALUES = 20;

/**
 * Calibre's custom columns: `<meta name="calibre:user_metadata:#narrator" content='{"#value#": "Kate Reading", ...}'/>`,
 * JSON in an attribute. Anything not shaped as Calibre writes it (invalid JSON, too long, too deep, values that are not
 * text) is passed over: the rest of the OPF still counts.
 */
function calibreColumns(elements: XmlElement[]): CalibreColumns {
  const out: CalibreColumns = { narrators: [], series: null };
  for (const meta of elements) {
    const name = meta.local === "meta" ? meta.attrs.name : undefined;
    if (name === undefined || !name.startsWith(CALIBRE_COLUMN)) continue;
    const key = name.slice(CALIBRE_COLUMN.length);
    const column = columnJson(meta.attrs.content);
    if (column === null) continue;
    const seriesType = column.datatype === "series" || SERIES_COLUMN.test(key);
    const label = typeof column.name === "string" ? column.name.trim() : "";
    if ((NARRATOR_COLUMN.test(key) || NARRATOR_LABEL.test(label)) && out.narrators.length === 0) out.narrators = columnTexts(column["#value#"]);
    else if (seriesType && out.series === null) {
      const [value] = columnTexts(column["#value#"]);
      const split = value === undefined ? null : splitSeries(value);
      const extra = column["#extra#"];
      if (split) out.series = { series: split.series, num: normalizeSeriesNum(typeof extra === "number" || typeof extra === "string" ? String(extra) : null) ?? split.num };
    }
  }
  return out;
}
const CALIBRE_COLUMN = "calibre:user_metadata:";

function columnJson(content: string | undefined): Record<string, unknown> | null {
  if (content === undefined || content.length > MAX_COLUMN_CHARS || jsonNestedDeeperThan(content, MAX_COLUMN_DEPTH)) return null;
  try {
    const parsed: unknown = JSON.parse(content);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** "#value#" as Calibre writes it: one text, or a list of texts (a column holding several names). */
function columnTexts(value: unknown): string[] {
  const values = Array.isArray(value) ? value.slice(0, MAX_COLUMN_VALUES) : [value];
  return values.map((v) => (typeof v === "string" ? cleanText(v) : null)).filter((v): v is string => v !== null);
}

function firstText(elements: XmlElement[]): string | null {
  for (const e of elements) {
    const text = cleanText(textOf(e));
    if (text) return text;
  }
  return null;
}
