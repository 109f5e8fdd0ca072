/**
 * Names that stand where a writer's would and are none: the word taggers and shops write for an anthology's many
 * writers ("Various Authors", "Diverse", "Разные авторы", "AA.VV.") and the audiobook publishers and labels some
 * libraries are sorted by ("Audible Studios/", "Brilliance Audio/", "Der Hörverlag/"). A folder so named names no
 * writer (path-junk.ts reads it as a shelf) and a dashed piece so named is cut from a book's name (path-analysis.ts).
 * No source's claim of an anthology's many writers counts as a person (garbage.ts); a publisher named as the author
 * by the tags stays a claim, as a corporate author may be ("BBC Radio" for "The Archers"), and is outweighed by any
 * source naming a person. Matched whole, folded (any case, with or without
 * diacritics or punctuation: "HARPERAUDIO", "Horverlag", "Simon & Schuster Audio").
 *
 * To extend: add the folded spelling (lower case, letters and digits, single spaces) to the list it belongs to. A
 * publisher goes in only under a name no writer bears and no book is titled: "Brilliance Audio", never "Brilliance"
 * (a Marcus Sakey novel), nor "Blackstone" alone (a surname).
 */
import { foldText } from "./normalize.js";
import { lazyRegExp } from "./lazy-regexp.js";

/** An anthology's many writers, in the languages libraries are kept in. */
export const MANY_WRITERS_NAMES: readonly string[] = [
  "various", "various authors", "various writers", "various artists", "multiple authors", "many authors", "assorted authors",
  "diverse", "diverse autoren", "diverse forfattere", "diverse forfattare", "diverse auteurs", "div forfattere",
  "olika forfattare", "verschiedene", "verschiedene autoren", "verschillende auteurs", "divers", "divers auteurs",
  "auteurs divers", "collectif", "varios", "varios autores", "autores varios", "vari", "autori vari", "aa vv", "aavv",
  "vv aa", "vvaa", "ouvrage collectif", "antologia autori vari", "anthology", "antologia", "anthologie", "антология", "разные", "разные авторы", "различные авторы",
  "коллектив авторов", "сборник авторов", "різні автори", "rozni autorzy", "praca zbiorowa", "kolektiv autoru",
];

/** Audiobook publishers and labels, under names no writer bears. */
export const PUBLISHER_NAMES: readonly string[] = [
  "audible studios", "audible originals", "audible original", "audible audio", "graphicaudio", "graphic audio",
  "brilliance audio", "brilliance publishing", "blackstone audio", "blackstone publishing", "blackstone audiobooks",
  "tantor", "tantor audio", "tantor media", "recorded books", "penguin audio", "penguin random house audio",
  "random house audio", "podium audio", "podium publishing", "macmillan audio", "harperaudio", "harper audio",
  "harpercollins audio", "simon schuster audio", "hachette audio",
  "naxos audiobooks", "listening library", "highbridge audio", "dreamscape media", "audiogo", "isis audio books",
  "oakhill publishing", "w f howes", "hörverlag", "der hörverlag", "hörbuch hamburg", "argon verlag",
  "argon hörbuch", "der audio verlag", "lübbe audio", "random house audio deutschland", "audio media verlag",
  "audiolib", "bbc radio", "bbc radio 3", "bbc radio 4", "bbc radio 4 extra", "bbc radio 7", "bbc radio collection",
  "bbc audio", "bbc audiobooks", "bbc audiobooks ltd", "bbc worldwide", "bbc physical audio", "ардис", "аудиокнига азбука", "звуковая книга", "аудиокнига клуб",
];

const MANY = new Set(MANY_WRITERS_NAMES.map(foldText));
const PUBLISHERS = new Set(PUBLISHER_NAMES.map(foldText));

/** An anthology's many writers: "Various Authors", "Diverse", "Разные авторы", "AA.VV.". */
export function isManyWritersName(name: string): boolean {
  return MANY.has(foldText(name));
}

/** An audiobook publisher or label: "Audible Studios", "Brilliance Audio", "Der Hörverlag". */
export function isPublisherName(name: string): boolean {
  return PUBLISHERS.has(foldText(name));
}

/** Either: a name that stands where a writer's would and is none. */
export function isNoWriterName(name: string): boolean {
  const key = foldText(name);
  return MANY.has(key) || PUBLISHERS.has(key);
}

/**
 * "[Tor Audio]", "[Orion Audiobooks]", "[Hörbuch Hamburg]": a label on the list, or a name closing with a publisher's
 * word. Only for a bracket after a title, where a person would be the reader: "Audio" ends no one's name there.
 */
export function isPublisherLabel(name: string): boolean {
  return isPublisherName(name) || PUBLISHER_WORD_END().test(name.trim());
}
const PUBLISHER_WORD_END = lazyRegExp(() => /\s(?:audio|audiobooks?|publishing|publishers|media|verlag|h(?:ö|oe?)rverlag|studios|productions|press)$/iu);
