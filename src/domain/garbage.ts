/**
 * Garbage checks: values that look like data but are placeholders, folder
 * names, track markers or release pollution are refused before they become
 * evidence, so they can never outvote a real value. Refusals carry a reason.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { DISC_SUFFIX } from "./book-segment.js";
import type { FieldName } from "./fields.js";
import { cleanValue, foldText, normalizeKey } from "./normalize.js";
import { parseSeriesNum } from "./series-num.js";
import { stripJunk } from "./path-junk.js";
import { isAudiobookWord } from "./audiobook-words.js";
import { seriesInTitle } from "./subtitle.js";
import { displayName } from "./person-name.js";
import { latestYear, MIN_YEAR, parseYear } from "./year.js";
import { isManyWritersName } from "./no-writer-names.js";

export type GarbageVerdict =
  | { ok: true; value: string }
  | { ok: false; value: string; reason: string };

const MAX_NAME_LENGTH = 200;

// "Unknown", "Unknown Author", "Various Artists", "unknown - unknown", "Unbekannt"...
const UNKNOWN_PATTERN =
  /^(?:(?:unknown|unkown|various|unbekannt|inconnu|desconocido|sconosciuto|onbekend)(?: (?:artists?|authors?|narrators?|readers?|writers?|titles?|series|album|books?|language))?(?: |$))+$/;

const PLACEHOLDERS = new Set([
  "n a", "na", "none", "null", "undefined", "nil", "nan", "tbd", "tba", "untitled",
  "new folder", "new folder 2", "untitled folder", "default", "test",
]);

const PERSON_PLACEHOLDERS = new Set([
  "va", "author", "authors", "artist", "artists", "narrator", "reader", "writer",
  "audiobook", "audiobooks", "audio book", "audio books", "audio", "book", "books", "ebook",
  "mp3", "m4b", "downloads", "download", "library", "misc", "miscellaneous", "other", "others",
  "no author",
]);

// Folder names of libraries sorted by genre, easily mistaken for an author.
const GENRE_WORDS = new Set([
  "fiction", "nonfiction", "non fiction", "fantasy", "science fiction", "sci fi", "scifi", "sf",
  "history", "historical", "biography", "biographies", "mystery", "mysteries", "thriller",
  "thrillers", "crime", "true crime", "romance", "horror", "classics", "classic", "poetry",
  "children", "childrens", "kids", "young adult", "ya", "self help", "business", "philosophy",
  "religion", "science", "comedy", "drama", "short stories", "memoir", "memoirs", "podcast",
  "podcasts", "lectures", "courses", "great courses", "literature", "adventure", "western",
  "westerns", "military", "politics", "psychology", "health", "travel",
]);

const HISTORICAL_TOPIC =
  /^(?:world war(?: (?:i{1,3}|1|2|one|two))?|ww ?(?:i{1,2}|1|2)|wwi{1,2}|the great war|(?:american )?civil war|cold war|vietnam war|korean war|the holocaust|ancient (?:rome|greece|egypt))$/;

const TITLE_PLACEHOLDERS = new Set([
  "unknown title", "no title", "title", "audiobook", "audiobooks", "audio book", "track",
  "tracks", "chapter", "chapters", "unknown album", "album", "mp3", "m4b", "book", "cd",
]);

const SERIES_PLACEHOLDERS = new Set([
  "standalone", "stand alone", "no series", "series", "not a series", "single", "audiobooks",
]);

// "xxx": ID3's own "unknown language" (taggers write it to TLAN and COMM).
const LANGUAGE_PLACEHOLDERS = new Set(["und", "undetermined", "mul", "multiple", "zxx", "mis", "xx", "xxx"]);

// Real books whose title is a number; folded form ("11/22/63" → "11 22 63").
const NUMERIC_TITLES = new Set([
  "1984", "2001", "2010", "2061", "3001", "1776", "2312", "11 22 63", "1491", "1493", "1917",
  "1066", "1453", "1421", "1876", "1861",
]);

const BARE_NUMBER = /^[\d ]+$/;
const SINGLE_LETTER = lazyRegExp(() => /^\s*\p{L}\s*$/u);
// "1/2", "3 of 7": a place and a count, of which a person's series number keeps one.
const SERIES_OUT_OF = lazyRegExp(() => /^(.+?)\s*(?:\/|\bof\b)\s*\d+$/iu);
const BARE_YEAR = /^\d{4}$/;
const TRACK_MARKER =
  /^(?:\d+ )?(?:chapter|chap|ch|kapitel|chapitre|track|trk|disc|disk|cd|side|episode|ep)(?: ?\d+| [ivx]+\b)/;
const SERIES_MARKER =
  /^(?:book|bk|volume|vol|part|pt|tome|number|no|band|teil) ?(?:\d+|[ivx]+|one|two|three|four|five|six|seven|eight|nine|ten)$/;
const VOLUME_INSIDE = /\b(?:vol|volume|book|bk) ?\d+\b/;
const LEADING_TAG = /^\s*\[[^\]]*\]/;
const RELEASE_WORDS = /\b(?:scan|scans|rip|ripped|retail|unabridged|abridged|mp3|m4b|m4a|flac|aac|kbps|torrent)\b/;
const WEB_ADDRESS = /(?:https?:\/\/|www\.)|\.(?:com|net|org|info|ru|to)\b/i;
const PUBLISHER_PRESENTS =
  /^(?:.*\b(?:audio|audiobooks?|studios?|publishing|publishers|productions?|media|recorded books|books on tape|audible|tantor|blackstone|brilliance|podium|naxos|macmillan|harper|penguin|hachette|simon schuster|random house|bbc)) presents?\b/;
const BITRATE = /\b(?:\d{2,3} ?(?:kbps|kbit|kb s|kbits)|(?:32|48|56|64|96|128|160|192|256|320) ?k)\b/;
const FORMAT_WORDS = /\b(?:mp3|m4b|m4a|flac|aac|vbr|cbr|kbps)\b/;
// Left over from XML or HTML (an OPF's `&xxe;`, an escaped `&amp;lt;i&amp;gt;`): a reader that
// decodes what it knows leaves the rest as written, and such text names nothing.
const ENTITY_REFERENCE = /&(?:#x[0-9a-f]+|#\d+|[a-z_][\w.-]*);/i;
// Closing or self-closing tags, tags with attributes, known HTML and OPF element names, comments,
// CDATA, declarations: not "<Unknown>" or "Part <One>", which people do write around words.
const MARKUP =
  /<\/[a-z][\w:.-]*\s*>|<[a-z][\w:.-]*(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))+\s*\/?>|<[a-z][\w:.-]*\s*\/>|<(?:b|i|u|s|em|strong|br|hr|p|div|span|a|img|font|sup|sub|h[1-6]|li|ul|ol|script|style|iframe|svg|meta|dc:[a-z]+|opf:[a-z]+)\s*>|<!\[CDATA\[|\]\]>|<!(?:--|doctype\b|entity\b|element\b|attlist\b)|<\?xml\b/i;

/** Clean a claimed value and decide whether it may become evidence for a field. */
export function checkClaim(field: FieldName, raw: string, options: { keepJunk?: boolean; keepMarkup?: boolean } = {}): GarbageVerdict {
  const cleaned = cleanValue(raw.includes("&") ? decodeEscapes(raw) : raw);
  // The user's own words ("Watchers (Unabridged)" on purpose) are kept; only what is never a value is refused.
  const value = options.keepJunk ? cleaned : withoutJunk(field, cleaned);
  const reason = rejectionReason(field, raw, value, options.keepJunk === true, options.keepMarkup === true);
  return reason === null ? { ok: true, value } : { ok: false, value, reason };
}

const JUNK_FIELDS: ReadonlySet<FieldName> = new Set(["title", "subtitle", "series", "author", "narrator"]);
const JUNK_HINT = lazyRegExp(() => /www\.|https?:|\.[a-z]{2,}\b|\d\s?(?:k|kbps|mb|gb|h)\b|abridged|audio ?book|mp3|m4b|[[{(]|-\p{Lu}/iu);

/**
 * "Some Title www.somesite.example", "Watchers [64k]", "Watchers (Unabridged)":
 * web addresses, release and format tags are cut, and the rest is judged, so a
 * real value with junk around it is cleaned instead of refused.
 */
function withoutJunk(field: FieldName, raw: string): string {
  const value = field === "author" || field === "narrator" ? withoutCredits(field, raw) : field === "title" ? withoutSeriesTail(raw) : raw;
  if (!JUNK_FIELDS.has(field) || !JUNK_HINT().test(value)) return value;
  const stripped = stripJunk(value);
  return stripped.length > 0 ? stripped : value;
}

const NARRATED_PREFIX = lazyRegExp(() => /^(?:(?:narrated|read|performed)\s+by(?!\p{L})\s*:?|narrators?\s*:)\s*(?=\S)/iu);
/** Roles that credit someone who did not write the book: dropped from the author when a writer is named. */
const OTHER_ROLES =
  "translators?|translated(?:\\s+by)?|trans\\.|tr\\.|foreword|introductions?|afterword|illustrators?|illustrated(?:\\s+by)?|contributors?|adaptation|adapters?|adapted(?:\\s+by)?|narrators?|narrated(?:\\s+by)?|readers?|read\\s+by|performers?|" +
  // The same credits as German, French, Spanish, Italian, Dutch and Polish shops write them: "Burkhart Kroeber
  // (Übersetzer)", "Rufus Beck (Sprecher)", "(traducteur)", "(narrador)", "(lettore)", "(vertaler)", "(lektor)".
  "(?:ü|ue|u)bersetzer(?:in)?|(?:ü|ue|u)bers\\.|traduct(?:eur|rice|or|ora)|tradutor(?:a)?|tradutt(?:ore|rice)|vertaler|t[łl]umacz(?:ka)?|" +
  "sprecher(?:in)?|erz(?:ä|ae|a)hler(?:in)?|vorleser(?:in)?|lecteur|lectrice|narrateur|narratrice|narrador(?:a)?|narratore|lettore|lettrice|voorlezer|verteller|lektor(?:ka)?";
/** Roles of the people a book is filed under: the role goes, the name stays. */
const WRITER_ROLES = "authors?|writers?|editors?|edited(?:\\s+by)?|eds?\\.|compilers?|compiled(?:\\s+by)?|autor(?:in)?|auteur|autore|autrice|herausgeber(?:in)?|hrsg\\.";
const CREDIT_HINT = lazyRegExp(() => new RegExp(`[-([]\\s*(?:${OTHER_ROLES}|${WRITER_ROLES})(?![\\p{L}])|\\bby\\s`, "iu"));
const ROLE_SUFFIX = lazyRegExp(() => new RegExp(`\\s*(?:-\\s*|\\(\\s*|\\[\\s*)(${OTHER_ROLES}|${WRITER_ROLES})\\s*[)\\]]?\\s*$`, "iu"));
/** "edited by X", "translated by X", "with a foreword by X", "introduction by X". */
const ROLE_PREFIX =
  /^(?:(?:an?\s+)?(?:(foreword|introduction|afterword|illustrations|translation)|(translated|illustrated|adapted|narrated|read|performed)|(edited|compiled|written))\s+by)\s+(?=\S)/iu;
const CREDIT_LIST = /\s*(?:[,;&]|\bwith\b)\s*/iu;
const WRITER_ROLE = lazyRegExp(() => new RegExp(`^(?:${WRITER_ROLES})$`, "iu"));
const NARRATOR_ROLE = /^(?:narrat|read|perform|sprecher|erz(?:ä|ae|a)hler|vorleser|lect(?:eur|rice)|lettor|lettric|voorlezer|verteller|lektor)/iu;

/**
 * Credits list everyone with a role: Audible's "Cixin Liu, Ken Liu - translator",
 * "Stephen Fry - introductions, Arthur Conan Doyle", retail tags' "Frank Herbert
 * (Author), Scott Brick (Narrator)", "Leo Tolstoy, translated by Richard Pevear",
 * "Dean Koontz with a foreword by X". The author is everyone named as a writer
 * (no role, author, editor), without the role; a list of only translators,
 * narrators... keeps its names (better a name than none). A narrator tag's
 * "Narrated by " is no part of the name.
 */
function withoutCredits(field: FieldName, value: string): string {
  const out = field === "narrator" ? value.replace(NARRATED_PREFIX(), "") : value;
  if (!CREDIT_HINT().test(out)) return out;
  const credited = credits(out);
  if (!credited.some((c) => c.role !== null)) return out;
  const wanted = field === "narrator" ? "narrator" : "writer";
  const named = credited.filter((c) => c.role === null || c.role === wanted);
  const kept = (named.length > 0 ? named : credited).map((c) => c.name).filter((n) => n.length > 0);
  return kept.length > 0 ? kept.join(" & ") : out;
}

type Role = "writer" | "narrator" | "other" | null;

/** The people of a credit line with their roles; "Tolkien, J.R.R. (Author)" stays one person. */
function credits(text: string): { name: string; role: Role }[] {
  const pieces = text.split(CREDIT_LIST).filter((piece) => piece.length > 0).map(creditOf);
  const out: { name: string; role: Role }[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const [a, b] = [pieces[i], pieces[i + 1]];
    if (b !== undefined && a.role === null && a.name !== "" && b.name !== "") {
      const joined = `${a.name}, ${b.name}`;
      if (displayName(joined) !== joined) {
        out.push({ name: joined, role: b.role });
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

function creditOf(piece: string): { name: string; role: Role } {
  const prefix = ROLE_PREFIX.exec(piece);
  if (prefix !== null) {
    const role: Role = prefix[3] !== undefined ? "writer" : prefix[2] !== undefined && NARRATOR_ROLE.test(prefix[2]) ? "narrator" : "other";
    return { name: piece.slice(prefix[0].length).trim(), role };
  }
  const suffix = ROLE_SUFFIX().exec(piece);
  if (suffix !== null) {
    const word = suffix[1].trim();
    return { name: piece.slice(0, suffix.index).trim(), role: WRITER_ROLE().test(word) ? "writer" : NARRATOR_ROLE.test(word) ? "narrator" : "other" };
  }
  return { name: piece.trim(), role: null };
}

/**
 * "The Way of Kings (The Stormlight Archive, Book 1)", "The Final Empire: Mistborn, Book 1": the series and
 * position Amazon and Audible append name no part of the title (a source that knows the series claims it).
 */
function withoutSeriesTail(value: string): string {
  const last = value.charCodeAt(value.length - 1);
  // Ends with ")", "]" or a digit: the only shapes that can hold a position or a disc.
  if (last !== 41 && last !== 93 && !(last >= 48 && last <= 57)) return value;
  // "Dune - Disc 1", "The Stand (CD 2 of 3)": an album tag of one disc of a ripped set names the book before it.
  const book = value.replace(DISC_SUFFIX(), "");
  if (book !== value && /[\p{L}\p{N}]/u.test(book)) return book.trim();
  return seriesInTitle(value)?.title ?? value;
}

/** What is wrong with a series number a person typed: "write it in digits" told someone who had typed 99999 nothing. */
/** What a person may write as a series number, said whenever one is refused: one rule, stated whole. */
export const SERIES_NUM_RULE =
  "write the book's place in the series: digits (2), a decimal for an in-between part (2.5 or 2,5), a range for an omnibus (1-3), a Roman numeral (IV), or an English number word or ordinal (three, third, 3rd), with or without a volume word (Book 3, #3)";

function userSeriesNumReason(value: string): string {
  const text = value.trim();
  // "1/2" read as "1 of 2" was stored as 1 without a word, and a person may have meant a half: the place alone says which.
  const outOf = SERIES_OUT_OF().exec(text);
  if (outOf !== null && parseSeriesNum(outOf[1]) !== null) {
    return `not a series number: "${text}" reads as a fraction or as a place out of a count; give the place alone (${parseSeriesNum(outOf[1])}), or 0.5 for a half; ${SERIES_NUM_RULE}`;
  }
  if (text.startsWith("-") && parseSeriesNum(text.slice(1)) !== null) return "not a series number: a position in a series is not negative (0 is fine, for a prequel)";
  if (/^\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(text)) return "not a series number: write it in plain digits (2, 2.5), not in exponent form";
  if (/^#?\d{5,}(?:[.,]\d+)?$/.test(text)) return "not a series number: at most 4 digits (a position up to 9999; 2.5 for an in-between part)";
  return `not a series number; ${SERIES_NUM_RULE}`;
}

/**
 * Why a value cannot be evidence, or null. The user's own values (`keepJunk`)
 * meet only what any value must: text with a letter or digit, no markup, a
 * year or series number that reads as one. The guesses about placeholders,
 * genres and bare numbers are for what sources say: a user who sets the title
 * "2034" or "Book", or the author "Various Artists", means it. `keepMarkup`: a folder's name
 * holding markup is the user's too (the path's claims), shown escaped.
 */
function rejectionReason(field: FieldName, raw: string, value: string, user: boolean, keepMarkup: boolean): string | null {
  if (value === "") return raw.trim() === "" ? "empty" : "control characters only";
  const markup = keepMarkup ? null : markupReason(value);
  if (markup) return markup;
  if (field === "series_num") {
    // A lone letter ("x", "v", "i") reads as a roman numeral, but from a person it is far more likely a slip.
    if (user && (SINGLE_LETTER().test(value) || SERIES_OUT_OF().test(value.trim()) || parseSeriesNum(value) === null)) return userSeriesNumReason(value);
    return parseSeriesNum(value) === null ? "not a series number" : null;
  }
  if (field === "year") return parseYear(value) === null ? `not a 4-digit year between ${MIN_YEAR} and ${latestYear()}` : null;
  if (user) return foldText(value) === "" ? "no letters or digits" : null;
  // Titles and series group by exactly this folded text, so asking the key cache primes it.
  const key = field === "title" || field === "series" ? normalizeKey(field, value) : foldText(value);
  if (key === "") return "no letters or digits";
  if (UNKNOWN_PATTERN.test(key) || PLACEHOLDERS.has(key)) return "placeholder, not a value";
  switch (field) {
    case "author":
    case "narrator":
      return personReason(raw, value, key);
    case "title":
      return titleReason(value, key);
    case "series":
      return seriesReason(value, key);
    case "language":
      return languageReason(key);
    default:
      return null;
  }
}

// HTML-escaped text is common in JSON sidecars and web answers ("Tom &amp; Jerry"): the five
// predefined references and numeric ones are decoded once; any other reference stays and is refused.
const ESCAPE = /&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi;
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEscapes(text: string): string {
  return text.replace(ESCAPE, (whole, body: string) => {
    const named = PREDEFINED[body.toLowerCase()];
    if (named) return named;
    const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

/** Entity references and tags are never part of a name, title or series; they mark text no reader decoded. */
function markupReason(value: string): string | null {
  if (!value.includes("&") && !value.includes("<") && !value.includes("]")) return null;
  const entity = ENTITY_REFERENCE.exec(value);
  if (entity) return `unexpanded entity reference ${entity[0]}, not a value`;
  if (MARKUP.test(value)) return "markup, not a value";
  return null;
}

function personReason(raw: string, value: string, key: string): string | null {
  if (PERSON_PLACEHOLDERS.has(key) || isAudiobookWord(key)) return "placeholder, not a person";
  if (isManyWritersName(key)) return "an anthology's many writers, not a person";
  if (BARE_YEAR.test(key)) return "bare year, not a person";
  if (BARE_NUMBER.test(key)) return "bare number, not a person";
  if (GENRE_WORDS.has(key)) return "genre or folder name, not a person";
  if (HISTORICAL_TOPIC.test(key)) return "historical topic, not a person";
  if (TRACK_MARKER.test(key)) return "track or chapter marker, not a person";
  if (SERIES_MARKER.test(key) || VOLUME_INSIDE.test(key)) return "volume marker, not a person";
  if (LEADING_TAG.test(raw) || RELEASE_WORDS.test(key)) return "release tag, not a person";
  if (WEB_ADDRESS.test(value)) return "web address, not a person";
  if (value.length > MAX_NAME_LENGTH) return `longer than ${MAX_NAME_LENGTH} characters, not a name`;
  return null;
}

function titleReason(value: string, key: string): string | null {
  if (TITLE_PLACEHOLDERS.has(key) || isAudiobookWord(key)) return "placeholder, not a title";
  if (BARE_NUMBER.test(key) && !NUMERIC_TITLES.has(key)) return "bare number, not a title";
  if (TRACK_MARKER.test(key)) return "track or chapter marker, not a title";
  if (SERIES_MARKER.test(key)) return "series number, not a title";
  if (PUBLISHER_PRESENTS.test(key)) return "publisher pollution";
  if (BITRATE.test(key) || FORMAT_WORDS.test(key)) return "bitrate or file format pollution";
  if (WEB_ADDRESS.test(value)) return "web address, not a title";
  return null;
}

function seriesReason(value: string, key: string): string | null {
  if (SERIES_PLACEHOLDERS.has(key) || isAudiobookWord(key)) return "placeholder, not a series";
  if (BARE_NUMBER.test(key)) return "bare number, not a series";
  if (TRACK_MARKER.test(key)) return "track or chapter marker, not a series";
  if (SERIES_MARKER.test(key)) return "series number, not a series name";
  if (WEB_ADDRESS.test(value)) return "web address, not a series";
  return null;
}

function languageReason(key: string): string | null {
  if (LANGUAGE_PLACEHOLDERS.has(key)) return "placeholder, not a language";
  if (BARE_NUMBER.test(key)) return "bare number, not a language";
  if (key.length > 40) return "too long for a language";
  return null;
}
