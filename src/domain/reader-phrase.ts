/**
 * The one list of phrases that name a book's reader, in English, Chinese, Japanese, Korean, German, French,
 * Spanish, Portuguese, Italian, Dutch, Swedish, Polish, Czech and Russian. Folder names ("Dune [Narrated by Scott Brick]", "Tintenherz (gelesen von
 * Rainer Strecker)") and narrator values in tags and sidecars ("Lu par Bernard Giraudeau", "Sprecher: David Nathan")
 * read them the same way, so a phrase learned here is learned everywhere.
 */
import { lazyRegExp } from "./lazy-regexp.js";

// 朗読/朗读 reading, 播音/主播/演播 broadcast reading, ナレーター narrator, 낭독 reading, 성우 voice actor.
const NARRATED_BY = /^(?:(?:narrated|read|performed|voiced)\s+by\b\s*:?|narrators?\s*[:\-–]|narr\.(?:\s*by\b)?:?|(?:朗読|朗读|朗讀|播音|主播|演播者?|讲述|講述|ナレーター|ナレーション|낭독|내레이션|성우)\s*[:\-–]?)\s*(.+)$/iu;
/**
 * "gelesen von", "Sprecher:", "lu par", "narrado por", "leído por", "letto da", "voorgelezen door", "läst av": a
 * reader named in German, French, Spanish, Italian, Dutch, Swedish, Norwegian ("lest av", "opplest av") or Danish
 * ("læst af", "indlæst af") or Finnish ("lukija:"). The name must open with a capital, as
 * names do in these languages, so a title ("Lu par hasard") is never taken for one; the phrase is written in
 * lower case after its first letter, so a reader called "Lu Parker" keeps his name.
 */
const FOREIGN_READER =
  lazyRegExp(() => /^(?:[Nn]arrators?\s+(?=\p{Lu}\S*\s+\p{Lu})|[Rr]eaders?\s*:|[Gg]elesen\s+von|[Gg]esprochen\s+von|[Ss]precher(?:in)?(?:\s*:|\s+)|[Ll]u\s+par|[Nn]arr[ée]\s+par|[Rr]aconté\s+par|[Nn]arrado\s+por|[Ll]e[ií]do\s+por|[Ll]etto\s+da|[Nn]arrato\s+da|[Vv]oorgelezen\s+door|[Gg]elezen\s+door|[Ii]ngelezen\s+door|[Ll]äst\s+av|[Ll]est\s+av|[Oo]pplest\s+av|[Ii]nnlest\s+av|[Ll]æst\s+af|[Ii]ndlæst\s+af|[Ll]ukija\s*:|[Uu]ppläsare:?|[Cc]zyta(?:ją)?:?|[Ll]ektor(?:ka)?\s*:|[Čč]te:?|[Ll]ido\s+por|[Чч]итает|[Чч]итают|[Чч]ит\.|[Чч]итал[аи]?(?=\s)|[Чч]тец(?:\s*:|\s+(?=\p{Lu}))|[Чч]итає|[Чч]итають|[Чч]итець\s*:?|[Ии]сполнитель\s*:|[Uu]ppläst\s+av|[Ll]etta\s+da|[Ll]ue\s+par|[Ll]e[ií]da\s+por):?\s*(\p{Lu}.*)$/u);
// "(Author Narrated)", "(Author-Read)", "Read by Author" with no article: Audible's and shops' tags for a writer's own reading.
const READ_BY_WRITER = /^(?:the\s+)?author[\s-]+(?:narrated|read)$|^(?:gelesen|gesprochen)\s+vo(?:m|n\s+der)\s+autor(?:in)?$|^(?:lu|narr[ée])\s+par\s+l['’]\s?auteure?$|^(?:narrado|le[ií]do)\s+por\s+(?:el|la)\s+autora?$|^(?:voorgelezen|gelezen)\s+door\s+de\s+auteur$/iu;
/**
 * A word every phrase above holds, in any of its languages: a cheap test that lets names without one skip the
 * phrases (readerIn here, book-segment.ts before it looks for a reader in a folder's name). A phrase added above
 * adds its word here; test/domain/reader-phrase.test.ts checks each phrase it reads passes this test.
 */
const READER_PHRASE_HINT = /narr|read|perform|voic|朗|播|讲|講|ナレ|낭독|내레|성우|gelesen|gesprochen|sprecher|liest|\bpar\b|\bpor\b|\bda\b|door|läst|uppläs|lest\s+av|læst\s+af|lukija|czyta|lektor|čte|lido|чит|чтец|исполнит/iu;

/** The text may hold a reader phrase: false means readerIn finds none. */
export function mayNameReader(text: string): boolean {
  return READER_PHRASE_HINT.test(text);
}
/**
 * What stands for the writer once the phrase is cut: "the Author", "Author himself", "vom Autor", "l'auteur",
 * "el autor", "de auteur".
 */
const THE_WRITER = /^(?:the\s+)?(?:authors?|writer)(?:\s+(?:himself|herself|themselves))?$|^(?:vom|von\s+der|dem|der)\s+autor(?:in)?$|^(?:l['’]\s?)?auteure?$|^(?:el|la)\s+autora?$|^de\s+auteur$/iu;

/** What readerIn returns when the writer reads ("gelesen vom Autor", "lu par l'auteur", "leído por el autor"). */
export const WRITER_READS = "the author";

const CJK_READER_AFTER = lazyRegExp(() => /^((?:\p{Script=Han}|[·・]){2,8})\s*(?:播讲|播講|演播|朗读|朗讀|播音|讲述|講述)$/u);
/** The reader a phrase names: "Narrated by X", "Read by: X", "gelesen von X"; WRITER_READS when the writer reads; null without a phrase. */
export function readerIn(text: string): string | null {
  if (!READER_PHRASE_HINT.test(text)) return null;
  const narrated = NARRATED_BY.exec(text);
  if (narrated !== null) return narrated[1];
  const foreign = FOREIGN_READER().exec(text);
  if (foreign !== null) return foreign[1];
  // "周建龙播讲", "冯雪松 演播": Chinese writes the verb after the reader's name as often as before it.
  const after = CJK_READER_AFTER().exec(text);
  if (after !== null) return after[1];
  return READ_BY_WRITER.test(text) ? WRITER_READS : null;
}

/** "Scott Brick, Simon Vance, et al.", "X and others", "X u. a.": the readers named, without the cast left unnamed. */
export function withoutEtAl(text: string): string {
  if (!ET_AL_HINT.test(text)) return text;
  // Read on the last characters only: the pattern's runs of spaces would be tried from every place of a long name.
  const from = Math.max(0, text.trimEnd().length - 24);
  const m = ET_AL_END.exec(text.slice(from));
  return m === null ? text : text.slice(0, from + m.index);
}
const ET_AL_HINT = /\bet\s+al\b|\bothers\s*$|\bu\.\s?a\.\s*$/iu;
const ET_AL_END = /\s*(?:[,;&]|\band\b)?\s*(?:et\s+al\.?|(?:and|&)\s+others|u\.\s?a\.)\s*$/iu;

/** "the Author", "vom Autor", "l'auteur": the reader is the writer, to be named as the writer is. */
export function isWriter(reader: string): boolean {
  return THE_WRITER.test(reader.trim());
}

/**
 * A narrator value as a tag or sidecar writes it, its reader phrase cut: "Narrated by Ray Porter" -> "Ray Porter",
 * "gelesen vom Autor" and "Read by the author" -> WRITER_READS, "Kate Reading" -> itself.
 */
export function narratorIn(value: string): string {
  const text = withoutEtAl(value).trim();
  const named = readerIn(text)?.trim() ?? text;
  return isWriter(named) ? WRITER_READS : named;
}

/**
 * The reader a description or comment names in passing: "... save the earth. (Narrated by Ray Porter)", "Read by
 * Kate Reading and Michael Kramer." A phrase in prose ("a tale narrated by a dog", "read by millions") names no
 * reader, so the words after it must be a name: capitalised words (initials, "de", "van" allowed), up to the
 * bracket, sentence or line that ends it; "Read by the author" is WRITER_READS. The phrases of other languages
 * are read the same way ("Ungekürzte Lesung. Gelesen von Rufus Beck.", "Es liest: David Nathan", "Lu par
 * Guillaume Gallienne", "Narrado por José Ferrer", "Voorgelezen door Jeroen Krabbé"), names joined by "und", "et",
 * "y", "en", "och" as by "and".
 */
export function readerInProse(text: string): string | null {
  if (typeof text !== "string" || !READER_PHRASE_HINT.test(text)) return null;
  for (const m of text.matchAll(PROSE_READER())) {
    const names = m[1].trim().replace(/[,;]$/u, "").trim();
    // "Read by the author." names the writer, once the caller knows who that is.
    if (isWriter(names)) return WRITER_READS;
    const parts = names.split(PROSE_AND()).filter((p) => p !== "");
    if (parts.length > 0 && parts.every((p) => NAME_WORDS().test(p))) return names;
  }
  return null;
}
// "\b" knows only Latin letters: Polish "i" and Russian "и" stand between spaces.
const PROSE_AND = lazyRegExp(() => /\s*(?:,|&|\b(?:and|und|et|y|en|och|e)\b|(?<=\s)(?:i|и)(?=\s))\s*/u);
const PROSE_READER =
  lazyRegExp(() => /(?:^|[([{.;:!?\n]\s*|\s[-–—]\s*)(?:(?:[Nn]arrated|[Rr]ead|[Pp]erformed)\s+[Bb]y|[Gg]elesen\s+von|[Gg]esprochen\s+von|[Ee]s\s+liest|[Ss]precher(?:in)?|[Ll]u\s+par|[Nn]arr[ée]\s+par|[Rr]aconté\s+par|[Nn]arrado\s+por|[Ll]e[ií]do\s+por|[Ll]etto\s+da|[Nn]arrato\s+da|(?:[Vv]oor|[Ii]n)?[Gg]elezen\s+door|[Ll]äst\s+av|[Ll]est\s+av|[Oo]pplest\s+av|[Ii]nnlest\s+av|[Ll]æst\s+af|[Ii]ndlæst\s+af|[Ll]ukija\s*:|[Uu]ppläsare|[Cc]zyta(?:ją)?|[Ll]ektor(?:ka)?|[Čč]te|[Ll]ido\s+por|[Чч]итает|[Чч]итают|[Чч]тец|[Ии]сполнитель)\s*:?\s+((?:\p{Lu}\.\s*|[^()[\]{}.;!?\n])+)/gu);
/** One to five words, each capitalised, an initial, or a name's particle. */
const NAME_WORDS = lazyRegExp(() => /^(?:(?:\p{Lu}[\p{L}'’-]*\.?|de|van|von|der|la|le|du|di|da)\s+){0,4}\p{Lu}[\p{L}'’-]*\.?$/u);
