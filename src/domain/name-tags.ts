/**
 * Bracketed tags in a book's folder or file name that describe the recording
 * rather than name it: the language ("[German]", "(Deutsch)", "[DE]",
 * "(French Edition)"), the edition ("(Abridged)") and the variant
 * ("(Dramatized)", "[Full Cast]", "(BBC Radio Drama)"). Audible titles and
 * tracker names carry them; read as junk they were dropped, or left in the
 * title, when they are facts the profile has fields for.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { foldText, knownLanguage } from "./normalize.js";
import { nameScore } from "./person-name.js";

export interface NameTags {
  /** The name without the tags that were read. */
  rest: string;
  /** ISO 639-1 code. */
  language?: string;
  /** "Abridged". */
  edition?: string;
  /** "Dramatized", "Full Cast", "BBC Radio Drama". */
  variant?: string;
}

const BRACKET_GROUP = /[[(]([^[\](){}]{2,60})[\])]/gu;
const BRACE_GROUP = /\{([^[\](){}]{2,60})\}/gu;
const LANGUAGE_TAG = lazyRegExp(() => /^(?:in\s+)?(\p{L}{2,12})(?:\s+(?:edition|version|language|audio(?:book)?|ausgabe|fassung|h[öo]rbuch|dub(?:bed)?))?$/iu);
const AUDIOBOOK_CODE_HINT = /audio|rbuch/iu;
const AUDIOBOOK_CODE = lazyRegExp(() => /^(?:[Aa]udio\s?[Bb]ooks?|AUDIO\s?BOOKS?|[Hh](?:ö|oe)rbuch|H(?:Ö|OE)RBUCH|[Aa]udiolibro|[Ll]ivre\s+audio)[\s,;]+([A-Z]{2,3})$/u);
const TWO_LETTER_CODE = lazyRegExp(() => /^\p{Lu}{2}$/u);
/** A dramatization rather than a reading: the same book, another recording. */
const VARIANT_TAG =
  /^(?:dramatic\s+reading|(?:full[\s-]cast\s+)?dramati[sz](?:ed|ation)(?:\s+(?:adaptation|edition|version))?|full[\s-]cast(?:\s+(?:dramati[sz]ation|production|recording|edition|audio\s*drama))?|(?:bbc\s+)?radio(?:\s+\d)?\s+(?:drama|play|dramati[sz]ation|adaptation)|audio\s*(?:drama|play)|h(?:ö|oe|o)rspiel(?:\s+(?:fassung|version|adaption))?|graphic\s*audio(?:\s+(?:production|adaptation|edition|version|dramati[sz]ation))?|(?:(?:focus\s+on\s+the\s+family|colonial|bbc|audible)\s+)?(?:radio|audio)\s+theat(?:re|er)(?:\s+(?:production|dramati[sz]ation|presentation))?|audible\s+original\s+drama|(?:h(?:ö|oe|o)rspiel|hoorspel|radiospektakl)|радиоспектакль|аудиоспектакль|pi[eè]ce\s+radiophonique|fiction\s+radiophonique|radionovela|radiodramma|s[łl]uchowisko)$/iu;
// GraphicAudio records full-cast dramatizations only: "(GraphicAudio)", "[A GraphicAudio Production]".
const VARIANT_WORD = /\bdramati[sz](?:ed|ation)\b|\bfull[\s-]cast\b|\bradio\s+(?:drama|play)\b|\baudio\s*(?:drama|play)\b|\bgraphic\s*audio\b/iu;
const VARIANT_FILLER = /\b(?:a|an|the|bbc|radio|\d|full[\s-]cast|dramati[sz](?:ed|ation)|drama|play|audio|graphic\s*audio|production|recording|adaptation|edition|version|performance|cast|multi[\s-]?voice)\b/giu;

/** "BBC Radio 4 Full-Cast Dramatisation", "A Full Cast Audio Production": the words of a dramatization in any order. */
function isVariantPhrase(inner: string): boolean {
  return VARIANT_WORD.test(inner) && inner.replace(VARIANT_FILLER, "").replace(/[\s,;:&+\-–]+/gu, "") === "";
}

/** "GraphicAudio", "Focus on the Family Radio Theatre", "BBC Radio Drama": a whole name that only names a dramatization. */
export function isVariantName(name: string): boolean {
  const inner = name.trim().replace(SPACES, " ");
  return inner.length <= 60 && VARIANT_HINT.test(inner) && (VARIANT_TAG.test(inner) || isVariantPhrase(inner));
}

/**
 * A shortened reading ("Unabridged" says nothing: it is what an audiobook is unless told otherwise), or a named
 * edition of the text, often recorded anew: "(50th Anniversary Edition)", "(Tenth Anniversary Edition)",
 * "(Author's Preferred Text)", "(Revised and Expanded Edition)", "(Complete and Uncut)", "(10th Anniversary Author's
 * Definitive Edition)". None is part of the title.
 */
// "(Movie Tie-In)", "- The Complete & Uncut Edition": a film's cover or an article before the edition's words too.
const EDITION_TAG =
  /^(?:the\s+)?(?:abridged(?:\s+(?:edition|version))?|(?:movie|film|tv|netflix)\s+tie[\s-]?in(?:\s+(?:edition|version))?|(?:\d{1,3}(?:st|nd|rd|th)|tenth|twentieth|twenty[\s-]fifth|thirtieth|fortieth|fiftieth|sixtieth|seventy[\s-]fifth|hundredth|centennial)\s+anniversary(?:(?:\s+[\p{L}'’]+){0,3}?\s+(?:edition|release|version))?|(?:author['’]?s\s+)?(?:revised|expanded|updated|special|deluxe|collector['’]?s|definitive|author['’]?s\s+preferred|uncut)(?:\s+(?:and|&)\s+(?:revised|expanded|updated|uncut))?\s+(?:edition|version|text)|complete\s+(?:and|&)\s+uncut(?:\s+edition)?)$/iu;
/** German "gekürzt" (shortened), alone or with "Lesung"/"Fassung"/"Ausgabe": the Abridged edition, named in English. */
const GERMAN_ABRIDGED = /^(?:h(?:ö|oe|o)rbuch\s*,\s*)?gek(?:ü|ue|u)rzte?(?:\s+(?:lesung|fassung|ausgabe|h(?:ö|oe|o)rbuch(?:fassung)?))?$/iu;
const HINT = /[[(]/;
const RELEASE_DOT = lazyRegExp(() => /\p{L}[._]\p{L}[^._]*[._]\p{L}/u);
const RELEASE_SPLIT = /[._]/u;
const CAPITALISED = lazyRegExp(() => /^\p{Lu}/u);
/** What a release name closes with after its language: a year, the format, "AUDIOBOOK", "Hoerbuch", a release group. */
const RELEASE_TAIL = /^(?:(?:19|20)\d\d|audio-?books?|h(?:ö|oe|o)rbuch|ungek(?:ü|ue|u)rzt|unabridged|retail|web|mp3|m4b|aac|flac|\d{2,3}k(?:bps)?)(?:-[\p{L}\p{N}]+)?$/iu;
const RECORDING_VERSION = /^(?:librivox\s+)?(?:version|v\.)\s*(\d{1,2})$/iu;
const VARIANT_HINT = /dramati|version\s+\d|cast|radio|drama|play|h(?:ö|oe|o)rspiel|graphic\s*audio|theat|hoorspel|спектакль|s[łl]uchowisk/iu;
const EDITION_HINT = /abridged|anniversary|edition|version|text|uncut|tie[\s-]?in|gek(?:ü|ue|u)rzt/iu;
/** The last piece after a spaced dash, with no brackets in it. */
const DASHED_TAIL = /\s[-–—]\s+([^-–—[\](){}]{2,60})$/u;
const SPACES = /\s+/gu;
const YEAR_NOTE_HINT = lazyRegExp(() => /\d\s*[)\]]\s+\p{L}/u);
const NOTE_WORD = String.raw`(?:complete|unabridged|abridged|uncut|dramati[sz]ed|dramati[sz]ation|full[\s-]cast|cast|bbc|radio|\d|extra|retail|remaster(?:ed)?|edition|version|production|drama|play|audio|original|and|&)`;
const YEAR_NOTE_TAIL = lazyRegExp(() => new RegExp(String.raw`([([]\s*(?:1[5-9]|20)\d\d\s*[)\]])\s+((?:complete|unabridged|abridged|uncut|dramati[sz]ed|dramati[sz]ation|full[\s-]cast|bbc|radio|retail|remaster(?:ed)?)(?:\s+${NOTE_WORD})*)\s*$`, "iu"));

const SPACED_DASH = /\s+[-–—]\s+/u;
/** "Writer - Full Cast - Title" as "Writer - Title [Full Cast]": the one middle piece that only names a dramatization, moved into brackets. */
function withoutMiddleVariant(name: string): string {
  const pieces = name.split(SPACED_DASH);
  if (pieces.length < 3) return name;
  for (let i = 1; i < pieces.length - 1; i++) {
    const inner = pieces[i].trim().replace(SPACES, " ");
    if (VARIANT_TAG.test(inner) || isVariantPhrase(inner)) {
      return `${[...pieces.slice(0, i), ...pieces.slice(i + 1)].join(" - ")} [${inner}]`;
    }
  }
  return name;
}

// Where a recording's language is spoken, in the words dubbing and trackers' notes use ("[Latin America]", "(Español
// Latino)", "[Castellano]", "[Brasil]", "(Québécois)"): folded, so "México" and "Mexico" are one. No person bears these.
const REGION_WORDS: () => ReadonlySet<string> = (() => {
  let set: Set<string> | undefined;
  return () =>
    (set ??= new Set(
      "latam latinoamerica latinoamericano latinoamericana hispanoamerica hispanoamericano latino latina castellano castilian neutro neutral espana spain mexico mexicano argentina argentino colombia chile brasil brazil brasileiro brazilian portugal europeu european europe iberian canada canadian canadien canadienne quebec quebecois quebecoise france uk us usa gb british american australian australia osterreich austria austrian schweiz suisse swiss belgique belgium belgian vlaams flemish nederland netherlands dub doblaje dublado doublage".split(" "),
    ));
})();
const LATIN_AMERICA = lazyRegExp(() => /\blatin[\s-]+americ(?:a|an)\b/gu);

/**
 * "[Latin America]", "(Español Latino)", "[Portuguese - Brasil]": a language note naming a region (and perhaps the
 * language), never a reader. Every word is a region's or a language's, one a region's at least; the language named, if any.
 */
function regionNote(inner: string): { language: string | null } | null {
  const words = foldText(inner).replace(LATIN_AMERICA(), "latam").split(" ").filter((w) => w.length > 0 && w !== "de" && w !== "do" && w !== "da");
  if (words.length === 0 || words.length > 4) return null;
  let region = false;
  let language: string | null = null;
  for (const word of words) {
    if (REGION_WORDS().has(word)) region = true;
    else if (word.length >= 4 && knownLanguage(word) !== null) language ??= knownLanguage(word);
    else return null;
  }
  return region ? { language } : null;
}

/** "Bill Bryson - English" is a writer's book "English": a language closes a title, never a person's name alone. */
function languageMayClose(before: string): boolean {
  return / [-–—] /u.test(before) || nameScore(before.trim()) < 1;
}

/** "Deutsch", "German", "German Edition", "Français": a language named in a word of four letters or more. */
function isLanguageWord(inner: string): boolean {
  const m = LANGUAGE_TAG().exec(inner);
  return m !== null && m[1].length >= 4 && knownLanguage(m[1]) !== null;
}

/**
 * Reads language, edition and variant tags out of one name segment; `rest` is the name without them.
 */
export function readNameTags(name: string): NameTags {
  // "The Sandman - Act I - Dramatized", "The Hobbit - BBC Radio Drama": the variant as the last dashed piece is
  // read as if it were in brackets ("The Sandman - Act I (Dramatized)"), never as a title or a writer.
  // "Hackers - Heroes of the Computer Revolution - 25th Anniversary Edition": an edition the same way.
  // "Tintenherz - Deutsch", "Il nome della rosa - Italiano": a language named in full as the last dashed piece too
  // (never a code: "Es - DE" may be a title).
  // "Neil Gaiman - Full Cast - Good Omens": a dramatization's marker as a middle dashed piece names neither the title
  // nor the series between writer and title; it is the recording's variant, as "[Full Cast]" is.
  if (VARIANT_HINT.test(name) && name.includes(" - ")) name = withoutMiddleVariant(name);
  // "Dune (1965) Complete", "Dune (1965) BBC Radio", "Title (2011) Complete Edition" (release names): words after the
  // bracketed year that only note the recording or the edition are read as in brackets; no title goes on past its year.
  if (YEAR_NOTE_HINT().test(name)) name = name.replace(YEAR_NOTE_TAIL(), "$1 ($2)");
  const dashed = VARIANT_HINT.test(name) || EDITION_HINT.test(name) ? DASHED_TAIL.exec(name) : null;
  if (dashed !== null) {
    const inner = dashed[1].trim().replace(SPACES, " ");
    if (VARIANT_TAG.test(inner) || isVariantPhrase(inner) || EDITION_TAG.test(inner) || GERMAN_ABRIDGED.test(inner)) name = `${name.slice(0, dashed.index)} (${inner})`;
  } else {
    // Asked of every dashed name: one look at the last piece, read only when it is a word or two.
    const at = name.lastIndexOf(" - ");
    const inner = at > 0 ? name.slice(at + 3).trim() : "";
    if (inner.length >= 4 && inner.length <= 30 && !inner.includes(" - ") && isLanguageWord(inner) && languageMayClose(name.slice(0, at))) name = `${name.slice(0, at)} (${inner})`;
  }
  const out: NameTags = { rest: name };
  if (!name.includes(" ") && RELEASE_DOT().test(name)) {
    // "Ken.Follett.Die.Saeulen.der.Erde.GERMAN.2008.AUDIOBOOK": a release names its language as a dotted word, after
    // the title and before only its year and tags; "The.English.Patient" goes on with its title.
    const tokens = name.split(RELEASE_SPLIT);
    for (let i = tokens.length - 1; i >= 3; i--) {
      if (!RELEASE_TAIL.test(tokens[i]) && tokens[i] !== "") {
        if (isLanguageWord(tokens[i]) && CAPITALISED().test(tokens[i])) {
          out.language = knownLanguage(tokens[i]) ?? undefined;
          name = out.rest = [...tokens.slice(0, i), ...tokens.slice(i + 1)].join(".");
        }
        break;
      }
    }
  }
  if (name.includes("{")) {
    // "Good Omens {Full Cast}", "Dune {Dramatized}": Audiobookshelf's braces name the reader, but a recording's marker
    // there names no person: the variant (or the edition) as in round or square brackets; anything else stays the
    // reader's.
    name = out.rest = name.replace(BRACE_GROUP, (whole: string, content: string) => {
      const inner = content.trim().replace(SPACES, " ");
      if (VARIANT_TAG.test(inner) || isVariantPhrase(inner)) out.variant ??= inner;
      else if (EDITION_TAG.test(inner)) out.edition ??= inner;
      else return whole;
      return " ";
    });
  }
  if (!HINT.test(name)) return out;
  out.rest = name.replace(BRACKET_GROUP, (whole: string, content: string) => {
    const inner = content.trim().replace(SPACES, " ");
    if (VARIANT_TAG.test(inner) || isVariantPhrase(inner)) {
      // "(GraphicAudio)", "(Dramatized)", "[Full Cast]" name the recording, never the book (nor, as a bracketed name
      // would, its reader): the variant field holds it, so "Dune" and "Dune (Dramatized)" share one title and the
      // naming template's {variant} tells the two recordings apart. (Until path-27 a round bracket stayed in the title.)
      out.variant ??= inner;
      return " ";
    }
    const version = RECORDING_VERSION.exec(inner);
    if (version !== null) {
      // LibriVox's "(version 2)": another recording of the same text, told apart as a variant, never a series "version".
      out.variant ??= `Version ${version[1]}`;
      return " ";
    }
    if (EDITION_TAG.test(inner)) {
      out.edition ??= inner;
      return " ";
    }
    if (GERMAN_ABRIDGED.test(inner)) {
      out.edition ??= "Abridged";
      return " ";
    }
    // "(audiobook PL)", "(Hörbuch DE)", "[Audiobook, ENG]": Polish and German trackers' tag, the code in capitals after
    // the word for an audiobook, names the language in either bracket.
    const tagged = AUDIOBOOK_CODE_HINT.test(inner) ? AUDIOBOOK_CODE().exec(inner) : null;
    const taggedCode = tagged === null ? null : knownLanguage(tagged[1], true);
    if (taggedCode !== null) {
      out.language ??= taggedCode;
      return " ";
    }
    const language = LANGUAGE_TAG().exec(inner);
    if (language !== null) {
      // "[DE]", never "(It)": a bare code only in capitals or square brackets ("(Cat)", "(Dan)" are words).
      const word = language[1];
      const code = word.length <= 3 && whole[0] !== "[" && word !== word.toUpperCase() ? null : knownLanguage(word, whole[0] === "[" && TWO_LETTER_CODE().test(inner));
      if (code !== null) {
        out.language ??= code;
        return " ";
      }
    }
    const region = regionNote(inner);
    if (region !== null) {
      if (region.language !== null) out.language ??= region.language;
      return " ";
    }
    return whole;
  });
  return out;
}
