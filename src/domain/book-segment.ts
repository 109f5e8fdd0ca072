/**
 * Reads one book segment ("Author - Series 01 - Title (2019) [Narrator]") into
 * dash-separated parts plus what brackets and markers say. Which part is the
 * author is decided later, with the parent folders in view (path-analysis.ts).
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { isOneNameWriter, isTitleWord, nameScore, STOPPED_ABBREVIATIONS } from "./person-name.js";
import { tidy } from "./path-junk.js";
import { isKnownReader } from "./known-readers.js";
import { SERIES_HEROES } from "./hero-names.js";
import { BOOK_NOUN_TITLE, findMarker, normalizeNum, type MarkerKind } from "./series-marker.js";
import { FOREIGN_POSITION_WORDS, seriesNumToken } from "./series-num.js";
import { isPlausibleYear } from "./year.js";
import { isWriter, mayNameReader, readerIn, withoutEtAl } from "./reader-phrase.js";
import { DISC_SUFFIX, DISC_WORDS, PART_NUMBER, PART_WORDS, PIECE_CORE, PIECE_WORDS } from "./part-words.js";
import { isKnownNumberTitle, isNumberTitle } from "./number-titles.js";
import { endsWithShelfWord, isShelfPiece, seriesBeforeShelf } from "./series-shelf.js";
import { bareSeriesPosition } from "./subtitle.js";
import { stoppedVolume, volumeAndPart } from "./volume-part.js";
import { isPublisherLabel } from "./no-writer-names.js";
import { isPenNameOf } from "./pen-names.js";
import { isSeriesNamed, partPlace } from "./series-words.js";

export interface Part {
  text: string;
  num?: string;
  kind?: MarkerKind;
  /** The position was a piece of its own ("Title - Vol 2 - Subtitle"), not written into this one. */
  detached?: boolean;
}

/** What one book segment says on its own, before its parent folders are weighed. */
export interface BookReading {
  parts: Part[];
  narrator?: string;
  year?: string;
  /** From "(Mistborn #1)" or "[Mistborn, Book 1]". */
  series?: string;
  seriesNum?: string;
  /** "01 - Title": a position if a series is known, else a track number. */
  leadNum?: string;
  /** Lead number written with "Book"/"Vol"/"#": a position even without a series. */
  leadExplicit?: boolean;
  /** "(Stephen King)": a name in parentheses, used as author when nothing better exists. */
  parenName?: string;
  /** The parenthesised name closes the segment ("Title (Stephen Fry)"): where a reader is named. */
  parenNameLast?: boolean;
  /** The parenthesised name was written with "by" ("Title (by Sophie Veldhuizen)"): the writer, never the reader. */
  parenNameBy?: boolean;
  /** "Andy Weir (R.C. Bray) - The Martian": the name the parenthesised one closes, when a dash follows it. */
  parenNameAfter?: string;
  /**
   * "Schwarzes Prisma (Bodo Primus)": a name-shaped pair in parentheses closing the segment whose given name no list
   * holds. Kept in the title; the whole shape decides (a writer, a series and its position named: the reader).
   */
  parenPerson?: string;
  /** "Война и мир. Том 1. Часть 1": a volume's place, then a part of that volume kept in the title (volume-part.ts). */
  volumePart?: boolean;
  /** "Title by Author": parts[0] is the author, never swap. */
  authorFirst?: boolean;
  /**
   * The year led the name and an article opens what follows ("1996 - A Game of Thrones"): the shape of
   * "2001 - A Space Odyssey" too, whose number is the title's. Read as a year, but a doubtful one.
   */
  yearDoubtful?: boolean;
}

/** " - ", " – ", "Author -Title": a dash with a space on at least one side; "Spider-Man" is one word. */
// "Kinder- und Hausmärchen", "Ein- und Ausgang", "Natur- en milieu": a hyphen glued to a word and followed by a
// conjunction is a German/Dutch elision of the word's second half, no separator (a spaced " - " still separates).
export const SEPARATOR = /\s+[-–—―~|]+\s*|\s*(?:[–—―]|-(?!\s+(?:und|oder|bis|sowie|bzw\.|u\.|en|of|tot|och|eller|og|and|or|&)\s))[-–—―]*\s+/iu;
const BRACKET_GROUP = /[[({]([^[\](){}]*)[\])}]/gu;
const LEADING_BRACKET = /^[[{]([^[\](){}]*)[\]}]\s*/u;
const EDITED_BY = lazyRegExp(() => /^\s*(?:[Ee]dited\s+by|[Ee]ds?\.\s*(?:by\s+)?|[Cc]ompiled\s+by|[Hh]erausgegeben\s+von|[Hh]rsg\.\s*(?:von\s+)?|sous\s+la\s+direction\s+de|a\s+cura\s+di)\s*(\p{Lu}.*?)\s*$/u);
// "(tr. Reg Keeland)", "(trad. Lucia Graves)", "(vert. X)", "(przeł. X)", "(пер. X)": catalogues' short forms too.
const TRANSLATED_BY = /^(?:translated\s+by|translator\s*[:\-–]?|transl?\.\s*(?:by\s+)?|trans\s+by|tr\.\s*(?:by\s+)?|trad\.\s*(?:de\s+|di\s+)?|traduzione\s+di|traducci[óo]n\s+de|traduction\s+de|vert\.|prze[łl]\.|prze[łl]o[żz]y[łl]a?|t[łl]um\.|пер\.|перевод\s|[üu]bersetzt\s+von|[üu]bersetzer(?:in)?\s*:|[üu]bers\.|traduit\s+par|traducido\s+por|tradotto\s+da|vertaald\s+door)\s*\S/iu;
const TRANSLATED_INLINE = lazyRegExp(() => /^(.*?\p{L}.*?)[\s,;]+(?:trans(?:l|lated)?\.?\s+(?:by\s+)?|translated\s+by\s+|[üu]bersetzt\s+von\s+|traduit\s+par\s+|traducido\s+por\s+|traducci[óo]n\s+de\s+|tradotto\s+da\s+|vertaald\s+door\s+|prze[łl]o[żz]y[łl](?:a)?\s+|t[łl]um\.\s+)(\p{Lu}.+)$/u);
/** "(Constance Garnett translation)": whose translation it is. */
const TRANSLATION_NAMED = lazyRegExp(() => /^[\p{L}.'’\s&-]{2,60}\s+translation$/iu);
/** The roles besides reading that takeNarrator looks for: "by", "(Author)", "written by", translators. */
const OTHER_ROLE_HINT = /by|eds?\.|hrsg|cura|direction|auth|aut|writ|trans|von|par|por|door|prze|t[łl]um|[üu]bers|tradu|vertal|liest|sprech|erz[äa]hl|vorles|lect|lett|narr|voorlez|vertel|lektor|t[łl]umacz|vers[äa]tt|訳|译|譯|朗/i;
/** A translator's role as written after the name: "(Translator)", "(Übersetzer)", "(traductor)", "(vertaler)". */
const TRANSLATOR_WORDS = String.raw`translator|transl\.|trans\.|tr\.|[üu]bersetzer(?:in)?|[üu]bersetzung|[üu]bers\.|traduct(?:or|ora|eur|rice|ion)|tradutor(?:a)?|traduttore|traduttrice|traduzione|vertaler|vertaling|t[łl]umacz(?:ka|enie)?|[öo]vers[äa]ttare|overs[æa]e?tter|oversetter|переводчик|翻訳|訳者|译者|翻译|翻譯|譯者`;
/**
 * A reader's or a writer's role as written after the name, in the languages of part-words.ts and Polish: "(Narrator)",
 * German "(Sprecher)", French "(lecteur)", Spanish "(narrador)", Italian "(lettore)", Dutch "(voorlezer)", Polish
 * "(lektor)", Japanese "(朗読)"; "(Author)", "(Autor)", "(auteur)".
 */
const READER_WORDS = String.raw`narrator|narr\.?|reader|read\s+by|sprecher(?:in)?|erz[äa]hler(?:in)?|vorleser(?:in)?|lecteur|lectrice|narrateur|narratrice|narrador(?:a)?|narratore|narratrice|lettore|lettrice|voorlezer|verteller|lektor(?:ka)?|czyta|朗読|朗读`;
const WRITER_WORDS = String.raw`author|writer|written\s+by|autor(?:in)?|auteur|autore|autrice`;
const TRANSLATOR_ROLE = lazyRegExp(() => new RegExp(String.raw`^(?:${TRANSLATOR_WORDS})$`, "iu"));
/** "(Richard Pevear, Translator)", "(Wibke Kuhn, Übersetzerin)": a translator named in a bracket of its own. */
const TRANSLATOR_CREDIT = lazyRegExp(() => new RegExp(String.raw`^(.{2,80}?)\s*[,:-]?\s+(?:${TRANSLATOR_WORDS})$`, "iu"));
const ROLE_AFTER = lazyRegExp(() => new RegExp(String.raw`^(.+?)\s*[([（]\s*(${READER_WORDS}|${WRITER_WORDS}|${TRANSLATOR_WORDS})\s*[)\]）]$`, "iu"));
/**
 * German's "Simon Jäger liest", "liest Simon Jäger", "Es liest: X" as a bracket or piece, and "Simon Jäger liest Passagier
 * 23" (the reader, then the title) as a whole name: the reader. Only when what stands beside "liest" reads as a person.
 */
const LIEST = /^(?:(?:es\s+)?liest\s*:?\s+(.+)|(.+?)\s+liest)$/iu;
const LIEST_TITLE = /^(.+?)\s+liest\s+(.+)$/iu;
function readerLiest(text: string): string | null {
  if (!/liest/iu.test(text)) return null;
  const m = LIEST.exec(text);
  const name = m === null ? undefined : (m[1] ?? m[2]);
  return name !== undefined && nameScore(name) >= 1 ? tidy(name) : null;
}
/** The last of a list of people: "Leo Tolstoy, Richard Pevear" before "(Translator)" names one translator, the last. */
const LAST_OF_LIST = /^(.+?)\s*(?:,|&|\band\b|\bund\b)\s*([^,&]+)$/iu;
const BRACKET_HINT = /[([（]/u;
const READER_ROLE = lazyRegExp(() => new RegExp(String.raw`^(?:${READER_WORDS})$`, "iu"));
// "(Teil 2)", "(Disque 1)": the pieces' words of part-words.ts, never a series called "Teil".
const PART_WORD = lazyRegExp(() => new RegExp(String.raw`^(?:${PIECE_WORDS}|${DISC_WORDS}|chapter|ch|track|take|season|episode)\.?$`, "iu"));
/**
 * "Part 1", "CD 2", "Chapter 01", German "Teil 1 von 3", French "Partie 1", Spanish "Parte 1": a piece of a book, never
 * its name. The piece words are the scanner's (part-words.ts); chapters and tracks are pieces only here, never folders.
 */
/** "Part 2 - Captain Trips", "Teil 1: Die Gefährten": a part of the book the folder above names, then the part's own name. */
export const PART_LED = lazyRegExp(() => new RegExp(String.raw`^((?:${PART_WORDS})\.?\s*(?:${PART_NUMBER}))\s*[-–—:.]\s+(\S.*)$`, "iu"));
export const PART_ONLY = lazyRegExp(() => new RegExp(String.raw`^(?:(?:chapter|track)\.?\s*\d{1,3}(?:\s*(?:of|\/)\s*\d{1,3})?|${PIECE_CORE})$`, "iu"));
/** "The Stand - Disc 1", "The Stand (Disc 1 of 3)": a disc of the book named before it (part-words.ts). */
export { DISC_SUFFIX };
const DASH_IN_BRACKETS = /\s+[-–—]+\s+/gu;
const KEPT_DASH = /\u0000/g;
const HAS_BRACKET = /[[({]/;
const NARRATED_INLINE = /^(.+?)[\s,]+(?:narrated|read|performed)\s+by\s+(.+)$/iu;
const BRACKETED_POSITION = /^#?\s*\d{1,3}(?:\.\d{1,2})?$/u;
const LOWER_LETTER = lazyRegExp(() => /\p{Ll}/u);
/** "1. Title", "01 - Title", "#2 Title", "1.5 - Title": a position opening what follows a bracket. */
const POSITION_AFTER = /^\s*#?\d{1,3}(?:\.\d{1,2})?(?:\.\s+|\s*[-–—:)]\s*|\s+)(?=\S)/u;
const HASH = /#\s*/u;
/** "Revelation Space 01 Revelation Space": a zero-padded position between two names, no dash around it. */
const INNER_POSITION = lazyRegExp(() => /^(.+?\S)\s+(0\d{1,2}(?:\.\d{1,2})?)\s+(?=[\p{Lu}\p{N}])(.+)$/u);
const YEAR_IN_BRACKETS = /^\s*((?:1[89]|20)\d\d)\s*$/u;
/**
 * "(Part 1 of 2)", "(1 of 2)": one piece of a book split over folders, kept in
 * the title as "(Part 2)" is, so the two pieces stay apart; never "Part 1 of"
 * as a series with position 2.
 */
const PART_OF = lazyRegExp(() => new RegExp(String.raw`^(?:(?:${PART_WORDS})\.?\s*)?(?:${PART_NUMBER})\s*(?:of|von|sur|de|di|\/)\s*(?:${PART_NUMBER})$`, "iu"));
/** "Part 1", "Part One", "Part II", "Teil Zwei", "Partie 2 sur 3": a part of a book, as a piece of its name or in brackets. */
const PART_PIECE = lazyRegExp(() => new RegExp(String.raw`^(?:${PART_WORDS})\.?\s*(?:${PART_NUMBER})(?:\s*(?:of|von|sur|de|di|\/)\s*(?:${PART_NUMBER}))?$`, "iu"));
const PEN_NAME = /^(?:as|writing\s+as|pseud(?:onym)?\.?:?)\s+(.+)$/iu;
const WITH_PERSON = /^(?:with|and)\s+(.+)$/iu;
const BY_PERSON = /^by\s+(.+)$/iu;
/** "(Book 2 of 3)": the position in a series the name does not give. */
const BOOK_OF = /^(?:books?|bk|vol(?:ume)?|tome)\.?\s*(\d{1,3}(?:\.\d{1,2})?)\s*(?:of|\/)\s*\d{1,3}$/iu;
const BOOK_OF_SERIES = /^(?:books?|bk|vol(?:ume)?|tome|part)\.?\s*(\d{1,3}(?:\.\d{1,2})?|[ivxl]{1,7}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:of|in)\s+(?!(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|(?:the\s+|this\s+|a\s+)?(?:series|saga|trilogy|set|collection|cycle)$))(.{2,})$/iu;
const LOWER_THE = /^the\s/u;
const BOOK_OF_GENERIC = /^(?:books?|bk|vol(?:ume)?|tome)\.?\s*(\d{1,3}(?:\.\d{1,2})?|[ivxl]{1,7}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:of|in)\s+(?:the\s+|this\s+|a\s+)?(?:series|saga|trilogy|set|collection|cycle)$/iu;
const MEANINGFUL_SERIES = lazyRegExp(() => /\p{L}{2}/u);
const ARTICLE_LED = /^an?\s/iu;
const SERIES_PIECE_HINT = /era|season|arc|phase|cycle|trilogy|sequence| of | in /iu;
const SHELF_NUMBER_END = /[\s,:;-]*\d{1,2}$/u;
const NUMBER_PIECE = /^\d{3,4}$/u;
const BARE_YEAR = /^(?:1[89]|20)\d\d$/u;
const BARE_POSITION_LEAD = lazyRegExp(() => /^(\d{1,2}(?:\.\d)?)\s+(?=\p{Lu})/u);
// Only readers' or release brackets may follow it: "Азазель (Фандорин-1) [Александр Клюквин]".
const HYPHENED_PLACE = lazyRegExp(() => /(?<=\S\s*)\((\p{L}[\p{L}\s'’]*\p{L}{2})-(\d{1,2})\)(?=(?:\s*\[[^[\]]*\])*$)/u);
const OMNIBUS_HINT = /\d\s*(?:&|and|\+|,)\s*\d/iu;
// "Books 1 & 2", "Book 1, 2 & 3" (a list of positions): the range from the first to the last.
const OMNIBUS_PAIR = /\b(books?|bk|vol(?:ume)?s?\.?)\s*(\d{1,3})(?:\s*(?:&|and|\+|,)\s*\d{1,3}(?!\d))*\s*(?:&|and|\+|,)\s*(\d{1,3})(?!\d)/giu;
/** "(Jane Hawk Series)", "【ガリレオシリーズ】", "(三体系列)": the series a book belongs to, named without a position. */
const NAMED_SERIES = /^(.+?)(?:\s+(?:series|saga)|\s*(?:シリーズ|系列|시리즈))$/iu;
const NOT_A_SERIES_NAME = /^(?:the\s+)?(?:complete|full|entire|whole|new|tv|netflix|book|audio|radio|hit|bestselling)$/iu;
/** "2034 - A Novel of the Next World War": a year still to come is a title, not a date. */
function isYearPiece(piece: string): boolean {
  return BARE_YEAR.test(piece) && isPlausibleYear(Number(piece));
}
const WRITTEN_BY = /^(.+?),?\s+[Bb]y\s+(.+)$/u;
const EPISODE_LEAD = /^(?:folge|episode|episodio|épisode|odcinek)\b/iu;
const PADDED_EPISODE = /^0\d\d$/u;
const PURE_LEAD = lazyRegExp(() => new RegExp(
  String.raw`^(?:(?:books?|bk|vol(?:ume)?s?|tome|${FOREIGN_POSITION_WORDS})\.?\s*(\d{1,3}[-–]\d{1,3}|\d{1,4}(?:\.\d{1,2})?)|#\s*(\d{1,3}[-–]\d{1,3}|\d{1,4}(?:\.\d{1,2})?)|(\d{1,3}[-–]\d{1,3}|\d{1,3}(?:\.\d{1,2})?))$`,
  "iu",
));
const LEAD_PREFIX = lazyRegExp(() => new RegExp(
  String.raw`^(?:(?:book|bk|vol(?:ume)?|${FOREIGN_POSITION_WORDS})\.?\s*(\d{1,3}(?:\.\d{1,2})?)[\s.:)]+|#\s*(\d{1,3}(?:\.\d{1,2})?)[\s.:)]+|(0\d{0,2})[\s.)]+|(\d{1,3})[.)]\s+)(?=\S)`,
  "iu",
));

/**
 * `writerMayLead` says whether a person's name may be the book's writer when only a shelf stands beside it
 * ("Stephen King - Season 1"): at the root or under that writer's folder, not under another's ("Lee Child/Jack
 * Reacher - Season 2" names a series called for a person).
 */
const OF_TOTAL_HINT = /\d\s+(?:of|von|sur|de)\s+\d/iu;
const BOOK_OF_TOTAL = /(?<![\p{L}\p{N}])((?:books?|bk|vol(?:ume)?|tome|band|tomo|libro)\.?\s*\d{1,3})\s+(?:of|von|sur|de)\s+\d{1,3}(?![\p{L}\p{N}])/giu;
const SERIES_PLACE_OF = lazyRegExp(() => /^(\p{L}[^,()[\]\d]*?\p{L})[\s,]+#?(\d{1,3})\s+(?:of|von|sur|de)\s+\d{1,3}$/u);
const YEAR_AFTER_BRACKET = /[)\]}]\s+((?:1[89]|20)\d\d)$/u;
/** "The Stand 2021 (Frank Muller)": a year after a word, before brackets closing the name. */
const YEAR_BEFORE_BRACKET = lazyRegExp(() => /(?<=\p{L}[\p{L}'’!?]*)\s+((?:1[89]|20)\d\d)(?=\s*[([{][^()[\]{}]*[)\]}](?:\s*[([{][^()[\]{}]*[)\]}])*\s*$)/u);
const PEOPLE_AFTER_YEAR_HINT = /\d\s*[)\]]\s+\S/u;
const PEOPLE_AFTER_YEAR = lazyRegExp(() => /(?<=[\p{L}\p{N}'’!?]\s*)[([]\s*((?:1[5-9]|20)\d\d)\s*[)\]]\s+(\p{Lu}[^()[\]{}\d]*?)\s*((?:[([{][^()[\]{}]*[)\]}]\s*)*)$/u);
const NOT_READER_WORDS = /\b(?:full|cast|unabridged|abridged|complete|dramati[sz]ed|edition|retail|remaster(?:ed)?|bbc|radio)\b/iu;
/** "Ray Porter", "Simon Vance, Scott Brick": one or more people, each shaped as a name or known as a reader. */
function isReaderList(text: string): boolean {
  if (NOT_READER_WORDS.test(text)) return false;
  const people = text.split(CAST_SEPARATOR);
  return people.length <= 4 && people.every((person) => person.split(" ").length <= 4 && (nameScore(person) >= 1 || isKnownReader(person)));
}
/** "1978. The Stand": a year parted from the title by a full stop, as a dash parts it in "1978 - The Stand". */
const STOPPED_LEAD_YEAR = lazyRegExp(() => /^((?:1[5-9]|20)\d\d)\.\s+(?=[\p{Lu}\p{Lt}\p{Lo}])/u);

const COMMA_PLACE_HINT = /,\s*(?:book|bk|vol(?:ume)?|tome|band|tomo|libro|livre|deel|del)\.?\s*\d{1,3}(?:\.\d{1,2})?$/iu;
const COMMA_PLACE = lazyRegExp(() => /(?:^|(?<=\s[-–]\s))([^()[\]{}\-–,]*\p{L}[^()[\]{}\-–,]*),\s*((?:book|bk|vol(?:ume)?|tome|band|tomo|libro|livre|deel|del)\.?\s*\d{1,3}(?:\.\d{1,2})?)$/iu);
const COMMA_PLACE_MID_HINT = /,\s*(?:book|bk|vol|tome|band|tomo|libro|livre|deel|del)\.?\s*\d{1,3}(?:\.\d{1,2})?\s[-–]\s/iu;
const COMMA_PLACE_BEFORE_PEOPLE = lazyRegExp(() => /^([^()[\]{}\-–,]*\p{L}[^()[\]{}\-–,]*),\s*((?:book|bk|vol(?:ume)?|tome|band|tomo|libro|livre|deel|del)\.?\s*\d{1,3}(?:\.\d{1,2})?)(?=\s[-–]\s)/iu);
const TITLE_INSIDE = lazyRegExp(() => /\p{L}['’]s\s|\s(?:and|und|et|y|e|en)\s(?:the|der|die|das|le|la|les|el|los|il|de)\s/iu);
const PART_END_HINT = /\d$/u;
// Not after a book's own word ("Watchers Book 2 of 3" is the series' place, BOOK_OF_TOTAL), a disc's, a track's or a
// part's (its count goes with it: "Title - Part 2 of 3").
const PART_END = lazyRegExp(
  () =>
    new RegExp(
      String.raw`(?<=\p{L}[\p{L}'’!?]*)(?<!(?:^|\s)(?:books?|bk|vol(?:ume)?|tome|band|tomo|libro|livre|deel|del|cd|dis[ck]|disque|track|chapter|kapitel|folge|episode|season|staffel|${PART_WORDS}))(?:(?<!(?:^|[\s.])(?:${STOPPED_ABBREVIATIONS}))\.\s+((?:${PART_WORDS})\.?\s*\d{1,3}(?:\s*(?:of|von|sur|de|di|van|\/)\s*\d{1,3})?)|\s+((?:(?:${PART_WORDS})\.?\s*)?\d{1,3}\s+(?:of|von|sur|de|di|van)\s+\d{1,3}))$`,
      "iu",
    ),
);
const PART_TAIL_HINT = /(?:part|pt|teil|partie|parte|часть|частина|część|czesc)\.?$/iu;
const PART_TAIL = lazyRegExp(() => new RegExp(String.raw`(?<=\p{L}.*?)[\s,]+(?:${PART_WORDS})\.?$`, "iu"));
const GLUED_PART_END = lazyRegExp(
  () =>
    new RegExp(
      String.raw`(?<=\p{L}[\p{L}'’!?]*)(?<!(?:^|\s)(?:books?|bk|vol(?:ume)?|tome|band|tomo|libro|livre|deel|del|cd|dis[ck]|disque|track|chapter|kapitel|folge|episode|season|staffel|${PART_WORDS}))(?:\s*,\s*|\s+)((?:${PART_WORDS})\.?\s*(?:${PART_NUMBER})(?:\s*(?:of|von|sur|de|di|van|\/)\s*\d{1,3})?)$`,
      "iu",
    ),
);
function isTitleShaped(name: string): boolean {
  return name.trim().split(/\s+/u).length >= 5 || TITLE_INSIDE().test(name);
}

/**
 * What the name belongs to: a folder holds no track ("Mistborn - 01" places a book); a track's file ("Dune 001.mp3")
 * numbers a piece of its book; a whole book's file, a tag or anything else ("book") may be either.
 */
export type NameKind = "folder" | "track" | "book";

export function readBook(text: string, writerMayLead: (name: string) => boolean = () => false, kind: NameKind = "book"): BookReading {
  const reading: BookReading = { parts: [] };
  // "Books 1 & 2", "Vol. 1 and 2": an omnibus, the range "1-2".
  let s = OMNIBUS_HINT.test(text) ? text.replace(OMNIBUS_PAIR, "$1 $2-$3") : text;
  // "Atomic Habits- An Easy & Proven Way": a hyphen glued to the word before it and spaced from the one after is the
  // colon a file system refused (Windows tools write ": " so), never a dash parting writer and title.
  if (GLUED_HYPHEN_HINT.test(s)) s = s.replace(COLON_AS_HYPHEN(), ": ");
  const stoppedYear = STOPPED_LEAD_YEAR().exec(s);
  if (stoppedYear !== null && isPlausibleYear(Number(stoppedYear[1]))) s = `${stoppedYear[1]} - ${s.slice(stoppedYear[0].length)}`;
  // "Mistborn Book 1 The Final Empire" (no dash anywhere): a series, its book's word and number, then a capitalised
  // title reads as "Mistborn Book 1 - The Final Empire" does.
  if (INNER_BOOK_HINT.test(s) && !SEPARATOR.test(s)) {
    const inner = INNER_BOOK().exec(s);
    // "The Jungle Book 2 The Sequel": "Book" closing a title's own noun ("The Jungle Book", "The Graveyard Book") is
    // that title's word, no series "The Jungle" before its book's word.
    if (inner !== null && !BOOK_NOUN_TITLE().test(inner[1])) s = `${inner[1]} - ${inner[2]}`;
  }
  const volumePart = volumeAndPart(s);
  if (volumePart !== null) {
    s = volumePart;
    reading.volumePart = true;
  } else {
    s = stoppedVolume(s) ?? s;
  }
  // "Ночной дозор (Дозоры-1)" (Russian trackers' form): a series and its place joined by a hyphen in the brackets
  // closing the name, as "(Дозоры #1)" is; "(Apollo-13)", "(Day-2)" stay as written (subtitle.ts's bare position).
  const hyphened = s.endsWith(")") || s.endsWith("]") ? HYPHENED_PLACE().exec(s) : null;
  if (hyphened !== null && bareSeriesPosition(`${hyphened[1]} ${hyphened[2]}`) !== null) s = `${s.slice(0, hyphened.index)}(${hyphened[1]} #${hyphened[2]})${s.slice(hyphened.index + hyphened[0].length)}`;
  // "Dune - Book 1 of 6 - Dune": the count of books says nothing the position does not.
  if (OF_TOTAL_HINT.test(s)) s = s.replace(BOOK_OF_TOTAL, "$1");
  // "Harry Potter and the Sorcerer's Stone, Book 1" (Audible's titles, Libation#644): a comma then a position closing
  // the name gives the book's place; what is before it is the title, as in "Title (Book 1)". "Leviathan Wakes: The
  // Expanse, Book 1" names its series after the colon, and "Mistborn, Book 1 - Title" has a title after it.
  // Only a name shaped as a title is read so: five words or more, or a possessive or "and the" inside
  // ("The Dark Tower, Book 1" and "Jack Reacher, Book 1" stay a series and its place).
  const placed = COMMA_PLACE_HINT.test(s) ? COMMA_PLACE().exec(s) : null;
  // Only after nothing or a person: "The Lightning Thief - Percy Jackson and the Olympians, Book 1" names a series.
  const before = placed === null ? "" : s.slice(0, placed.index).replace(/\s[-–]\s*$/u, "").trim();
  if (placed !== null && !/[:,]/u.test(placed[1]) && isTitleShaped(placed[1]) && (before === "" || nameScore(before) >= 1)) s = `${s.slice(0, placed.index)}${placed[1]} (${placed[2]})`;
  else if (placed === null && COMMA_PLACE_MID_HINT.test(s)) {
    // "Harry Potter and the Goblet of Fire, Book 4 - J.K. Rowling - Jim Dale": the same with only people after it
    // (path-40); a title after it ("Mistborn, Book 1 - The Final Empire") keeps the series' reading.
    const mid = COMMA_PLACE_BEFORE_PEOPLE().exec(s);
    const people = mid === null ? [] : s.slice(mid.index + mid[0].length).replace(/^\s[-–]\s/u, "").split(/\s[-–]\s/u).map((p) => p.trim());
    if (mid !== null && people.length > 0 && people.length <= 2 && people.every((p) => nameScore(p) >= 2 || isKnownReader(p)) && !/[:,]/u.test(mid[1]) && isTitleShaped(mid[1])) {
      s = `${s.slice(0, mid.index)}${mid[1]} (${mid[2]})${s.slice(mid.index + mid[0].length)}`;
    }
  }
  const bracketed = HAS_BRACKET.test(s);
  if (bracketed) {
    // "Andy Weir - Project Hail Mary (2021) Ray Porter" (release names): people named after the bracketed year that
    // closes the title read it; no title goes on past its year.
    const tail = PEOPLE_AFTER_YEAR_HINT.test(s) ? PEOPLE_AFTER_YEAR().exec(s) : null;
    if (tail !== null && isPlausibleYear(Number(tail[1])) && isReaderList(tail[2])) {
      reading.narrator ??= tidy(tail[2]);
      s = `${s.slice(0, tail.index + tail[0].length - tail[2].length - tail[3].length)}${tail[3]}`;
    }
    // "The Name of the Wind (Nick Podehl) 2007": a year after a bracket closing the name is no part of the title.
    const yearAfter = YEAR_AFTER_BRACKET.exec(s);
    if (yearAfter !== null && isPlausibleYear(Number(yearAfter[1]))) s = `${s.slice(0, yearAfter.index + 1)} (${yearAfter[1]})`;
    // "The Stand 2021 (Frank Muller)": a year glued before the brackets closing the name dates the book, as "(2021)"
    // does; a year still to come stays the title's ("Blade Runner 2049 (Full Cast)").
    const yearBefore = YEAR_BEFORE_BRACKET().exec(s);
    if (yearBefore !== null && isPlausibleYear(Number(yearBefore[1]))) s = `${s.slice(0, yearBefore.index)} (${yearBefore[1]})${s.slice(yearBefore.index + yearBefore[0].length)}`;
    s = extractBrackets(s, reading);
    const leading = LEADING_BRACKET.exec(s);
    if (leading) s = `${leading[1]} - ${s.slice(leading[0].length)}`;
    // A dash inside "(Author's Text - 10th Anniversary)" separates nothing.
    s = s.replace(BRACKET_GROUP, (group: string) => group.replace(DASH_IN_BRACKETS, "\u0000"));
    s = tidy(s);
  }
  // "Братья Карамазовы. Часть 1", "Title. Part 1": a part after a full stop closes the name as after a dash;
  // "Wizard's First Rule 1 of 3", "Title Part 1 of 3", "Titel Teil 1 von 3": a count of pieces closing the name is one
  // piece of a split book, never the title's words. Both read as "Title - Part 1", kept as "Title (Part 1)".
  if (PART_END_HINT.test(s)) s = s.replace(PART_END(), (_m: string, stopped?: string, counted?: string) => ` - ${stopped ?? counted}`);
  // "The Way of Kings Part 1", "The Stand, Part 2", "Der Zauberberg Teil Zwei": a part glued on closing the name is the
  // same part as after a dash ("The Way of Kings - Part 1"): one title "The Way of Kings (Part 1)" however it is written.
  if (GLUED_PART_HINT.test(s)) s = s.replace(GLUED_PART_END(), " - $1");
  // "Братья Карамазовы. Часть 1. Книга первая": a full stop after a part's number parts it from what follows, as a dash does.
  if (GLUED_PART_HINT.test(s)) s = s.replace(STOPPED_PART_NUMBER(), "$1 - ");
  let pieces: string[] = [];
  for (const piece of s.split(SEPARATOR)) {
    const kept = tidy(bracketed ? piece.replace(KEPT_DASH, " - ") : piece);
    if (kept.length > 0) pieces.push(kept);
  }
  // "Rowling, J.K. - HP1 - Harry Potter and the Philosopher's Stone", "WoT01 - The Eye of the World": a series'
  // initials glued to a number between other pieces are a shelf's code for the book's place, no series named "HP1".
  // "Tolkien - LotR1 - The Fellowship of the Ring": the code names the series by its letters, so the one piece before it
  // is the book's writer (often by surname alone), never a series "Tolkien".
  let codeWriter: string | undefined;
  if (pieces.length >= 2) {
    for (let i = 0; i < pieces.length - 1; i += 1) {
      const code = DIGIT_END.test(pieces[i]) ? SERIES_CODE().exec(pieces[i]) : null;
      if (code !== null) {
        pieces[i] = code[1];
        if (i === 1 && !DIGIT_END.test(pieces[0]) && nameScore(pieces[0]) >= 0) codeWriter = pieces[0];
      }
    }
  }
  // "The Martian - Track 03", "Title - Chapter 12", "Title_Track03": a ripper's track or chapter number closing the name
  // counts the file's place inside the book, never a book in a series named "Track" or "Title Track".
  // "The Hobbit - Chapter 01 - An Unexpected Party": a chapter's or a track's number as a piece of its own after the
  // title starts the file's own name inside the book; it and what follows it name no book.
  const trackAt = TRACK_END_HINT.test(s) ? pieces.findIndex((p, i) => i >= 1 && i < pieces.length - 1 && TRACK_PIECE_ONLY().test(p)) : -1;
  if (trackAt > 0) pieces = pieces.slice(0, trackAt);
  let trackCut = trackAt > 0;
  // "Dune - 001.mp3", "Frank Herbert - Dune - 01.mp3": a lone zero-led number after a title is a track of that title, as "Title -
  // Track 01" is; never book 1 of a series named for the title ("Mistborn - 1 - Title" keeps its unpadded place).
  // A folder holds no track: "Mistborn - 01", "Die drei ??? - 001" as a folder is a book's place in its series.
  if (kind !== "folder" && pieces.length >= 2 && BARE_TRACK_PIECE.test(pieces[pieces.length - 1]) && !NUMBER_ONLY.test(pieces[pieces.length - 2])) {
    pieces.pop();
    trackCut = true;
  }
  if (TRACK_END_HINT.test(s) && pieces.length >= 1) {
    const last = pieces[pieces.length - 1];
    const glued = TRACK_END().exec(last);
    if (glued !== null && (glued.index > 0 || pieces.length >= 2)) {
      const head = last.slice(0, glued.index).trim();
      trackCut = true;
      if (head.length > 0) pieces[pieces.length - 1] = head;
      else pieces.pop();
      // "The Shining - 01 - Chapter 1", "The Shining 01 - Chapter 1": the track's number before its chapter's goes with it.
      if (pieces.length >= 2 && BARE_TRACK_PIECE.test(pieces[pieces.length - 1])) pieces.pop();
      else if (pieces.length >= 1 && glued.index === 0) {
        const padded = PADDED_TRACK_END.exec(pieces[pieces.length - 1]);
        if (padded !== null) pieces[pieces.length - 1] = padded[1];
      }
    }
  }
  // "Dune 001.mp3", "Project Hail Mary 01.mp3" (a splitter's or a ripper's "<title> <track>", no dash): a zero-led number
  // closing a track's file is the track's, as after a dash; a whole book's "Mistborn 01.m4b" stays a series' place.
  if (kind === "track" && !trackCut && pieces.length >= 1) {
    const padded = PADDED_TRACK_END.exec(pieces[pieces.length - 1]);
    // "1984 01.mp3", "11.22.63 01.mp3": a title of digits alone is a book's too (no series' name has no letter).
    if (padded !== null && (MEANINGFUL_SERIES().test(padded[1]) || NUMBER_ONLY_TITLE.test(padded[1])) && !PART_WORD().test(padded[1].slice(padded[1].lastIndexOf(" ") + 1))) {
      pieces[pieces.length - 1] = padded[1];
      trackCut = true;
    }
  }
  // "The Shining (Disc 1) - Track 01.mp3": a track's file names its disc in brackets after the book, as "The Shining
  // (Disc 1).mp3" does; the disc is a piece of the book, no title's words.
  if (trackCut && pieces.length >= 1 && DISC_IN_BRACKETS.test(pieces[pieces.length - 1])) {
    const bare = pieces[pieces.length - 1].replace(DISC_SUFFIX(), "").trim();
    if (bare.length > 0) pieces[pieces.length - 1] = bare;
  }
  if (pieces.length >= 2 && isPartPiece(pieces[pieces.length - 1])) {
    // "The Way of Kings - Part 1": one piece of a book split over folders, kept in the title as "(Part 1)" is; no series "The Way of Kings".
    // "Title - 01 of 20" (a split's count with no part word): the same, never a series "Title" and a title "of 20".
    const part = pieces.pop()!;
    pieces[pieces.length - 1] = `${pieces[pieces.length - 1]} ${partInBrackets(part)}`;
  }
  pieces = takeNarrator(pieces, reading);
  pieces = withPartPieces(pieces);
  if (pieces.length > 1) pieces = takeByPiece(pieces, reading);
  if (pieces.length > 1) pieces = takeSeriesPieces(pieces, reading, writerMayLead);
  if (pieces.length === 1) pieces = splitWrittenBy(pieces[0], reading);
  if (pieces.length >= 2) pieces = joinNumberTitles(pieces);
  pieces = takeYear(pieces, reading);
  pieces = takeLeadNumber(pieces, reading);
  // "Vol 2 - 2007 - Title": the year follows the position.
  if (reading.leadNum !== undefined && reading.year === undefined) pieces = takeYear(pieces, reading, true);
  if (pieces.some((p) => p.includes(" 0") && INNER_POSITION().test(p))) pieces = pieces.flatMap(splitInnerPosition);
  reading.parts = markParts(pieces, reading.authorFirst === true, codeWriter);
  return reading;
}

/**
 * A piece that is a part of a book: "Part 1", "Teil Zwei", "Part 1 of 3", "01 of 20", also with brackets of its own
 * after it ("Teil 1 (Live)", "Part 2 (Dramatized)"), which say something of the part, not that it is none.
 */
function isPartPiece(piece: string): boolean {
  const bare = withoutTrailingBrackets(piece).bare;
  return PART_PIECE().test(bare) || PART_OF().test(bare);
}

/** "Teil 1 (Live)" -> "(Teil 1) (Live)": the part as the title keeps it, its own brackets after it. */
function partInBrackets(piece: string): string {
  const { bare, trail } = withoutTrailingBrackets(piece);
  return trail === "" ? `(${partName(bare)})` : `(${partName(bare)}) ${trail}`;
}

const TRAILING_BRACKETS = /(?:\s*[([][^()[\]]*[)\]])+$/u;
function withoutTrailingBrackets(piece: string): { bare: string; trail: string } {
  const m = HAS_BRACKET.test(piece) ? TRAILING_BRACKETS.exec(piece) : null;
  if (m === null || m.index === 0) return { bare: piece, trail: "" };
  return { bare: piece.slice(0, m.index).trim(), trail: m[0].trim() };
}

/**
 * "Author - Title - Part 1 - Prelude": a part of the title before it, then the part's own name; never a series "Part"
 * making "Author - Title" the writer. The name is kept after the part ("Title (Part 1): Prelude"): the same shape also
 * writes a series' book ("The Lord of the Rings - Part 2 - The Two Towers"), whose title must not be lost. A person
 * closing the name after the part's name, or right after the part ("... - Part 2 - Captain Trips - Grover Gardner")
 * stays a piece of its own, for the assignment to read as the reader (or, alone beside a title, the writer).
 * "Stephen King - Part 2 - The Stand" (a person, the part, then the book): the part follows the title it divides.
 */
function withPartPieces(input: string[]): string[] {
  // "Stephen King - The Stand Part 2 - Captain Trips", "The Stand, Part 2 - Captain Trips": a part glued to the title
  // before the part's name is the same part, never a series "The Stand Part".
  const pieces = input.length >= 2 && input.some((p, i) => i < input.length - 1 && GLUED_PART_HINT.test(p)) ? input.flatMap((p, i) => splitGluedPart(p, i < input.length - 1)) : input;
  const at = pieces.findIndex((p, i) => i >= 1 && i <= pieces.length - 2 && isPartPiece(p));
  if (at < 0) return pieces;
  // "Kerstin Gier - Edelstein-Trilogie Teil 1 - Rubinrot": a part of a name that is a series of books is its place in
  // that series (series-words.ts), read as "Edelstein-Trilogie 1 - Rubinrot".
  const place = isSeriesNamed(pieces[at - 1]) ? partPlace(pieces[at]) : null;
  if (place !== null) return [...pieces.slice(0, at - 1), `${pieces[at - 1]} ${place}`, ...pieces.slice(at + 1)];
  // "Harry Potter Part 1 - Title": a part glued on divides the name it is glued to, whatever that name looks like.
  const glued = pieces.length > input.length;
  const part = partInBrackets(pieces[at]);
  let tail = pieces.slice(at + 1);
  const person = tail.length <= 2 && nameScore(tail[tail.length - 1]) >= 2 && (tail.length === 2 ? nameScore(tail[0]) < 2 : at >= 2 ? nameScore(pieces[0]) >= 1 : nameScore(pieces[0]) < 1) ? tail[tail.length - 1] : undefined;
  if (person !== undefined) tail = tail.slice(0, -1);
  if (!glued && at === 1 && nameScore(pieces[0]) >= 1 && tail.length === 1 && person === undefined && !isPartPiece(tail[0])) return [pieces[0], `${tail[0]} ${part}`];
  if (!glued && at === 1 && nameScore(pieces[0]) >= 1 && person === undefined) return pieces;
  if (tail.length > 1) return pieces;
  const title = tail.length === 1 ? `${pieces[at - 1]} ${part}: ${tail[0]}` : `${pieces[at - 1]} ${part}`;
  return [...pieces.slice(0, at - 1), title, ...(person === undefined ? [] : [person])];
}

const PADDED_TRACK_END = /^(.*\S)\s+0\d{1,3}$/u;
const NUMBER_ONLY_TITLE = /^[1-9][\d.,:]{2,}$/u;
const BARE_TRACK_PIECE = /^0\d{1,3}$/u;
// A track's or a chapter's word as rippers and splitters write it: English, German, French, Italian, Spanish, Dutch,
// Scandinavian ("Spor", "Spår"), Polish ("Rozdział") and Russian ("Глава", "Трек").
const INNER_BOOK_HINT = /\s(?:book|vol|volume|band|tome)\.?\s+\d/iu;
const INNER_BOOK = lazyRegExp(() => /^(\p{Lu}[^()[\]{}]*?\S\s+(?:[Bb]ook|[Vv]ol\.?|[Vv]olume|[Bb]and|[Tt]ome)\s+\d{1,3})\s+(\p{Lu}[^()[\]{}]*)$/u);
// Two letters before the hyphen: "X- " after an initial or a digit is a list's or a range's.
const GLUED_HYPHEN_HINT = /[^\s-]- /u;
const DIGIT_END = /\d$/u;
const COLON_AS_HYPHEN = lazyRegExp(() => /(?<=[\p{Ll}\p{Lu}]{2})-\s+(?=[\p{Lu}\p{Lt}\p{Lo}\d])/gu);
// Two to six letters with two capitals or more ("HP", "WoT", "ASOIAF", "LotR") glued to the place; spaced ("WoT 01")
// it stays a series named by its initials, as read before.
const SERIES_CODE = lazyRegExp(() => /^(?=(?:\p{Ll}*\p{Lu}){2})\p{L}{2,6}0*(\d{1,3})$/u);
// Nouns that "Book" closes into a title of its own (The Jungle Book, The Graveyard Book, Doomsday Book, The Book
// Thief is no such case): before "Book N" they are the title's words, not a series' name.
const NUMBER_ONLY = /^[\d\s.]+$/u;
const DISC_IN_BRACKETS = /[([]\s*(?:cd|dis[ck]|disque|disco)\s*\d{1,3}[^()[\]]*[)\]]$/iu;
const TRACK_WORDS = String.raw`track|chapter|kapitel|chapitre|piste|pista|traccia|cap[ií]tulo|capitolo|hoofdstuk|spor|spår|rozdzia[łl]|глава|трек`;
const TRACK_PIECE_ONLY = lazyRegExp(() => new RegExp(String.raw`^(?:${TRACK_WORDS})[\s._]*\d{1,4}$`, "iu"));
const TRACK_END_HINT = /track|chap|kapit|piste|pista|tracc|cap[ií]t|hoofd|sp[oå]r|rozdz|глав|трек/iu;
const TRACK_END = lazyRegExp(() => new RegExp(String.raw`(?<=^|[\s_])(?:${TRACK_WORDS})[\s._]*\d{1,4}$`, "iu"));
// Polish "Część" too ("Wiedźmin Część 1" as "Der Schwarm Teil 2": path-40).
const GLUED_PART_HINT = /\s(?:part|teil|partie|parte|часть|частина|część|czesc)\s/iu;
// "The Stand. Part 2 - Captain Trips": a full stop before the part ends the title as a comma does.
const GLUED_PART = lazyRegExp(() => new RegExp(String.raw`^(.*\p{L}.*?)(?:\.\s+|[\s,]+)((?:part|teil|partie|parte|часть|частина|część|czesc)\s+(?:${PART_NUMBER}))$`, "iu"));
function splitGluedPart(piece: string, middle: boolean): string[] {
  const m = middle ? GLUED_PART().exec(piece) : null;
  if (m === null) return [piece];
  // "Dr. Part 1 - X", "Tolkien J. R. R. Part 1 - X": an abbreviation's or an initial's full stop is its own, no
  // separator: the name keeps it, as "Dr Part 1 - X" would be read ("Dr. (Part 1)").
  const head = piece.charAt(m[1].length) === "." && ABBREVIATION_END().test(m[1]) ? `${m[1]}.` : m[1];
  return [tidy(head), m[2]];
}
const ABBREVIATION_END = lazyRegExp(() => new RegExp(String.raw`(?:^|[\s.])(?:${STOPPED_ABBREVIATIONS})$`, "iu"));

/** "pt01", "pt. 2": the abbreviation written out ("Part 1"), so the parts read alike however a folder shortens them. */
function partName(part: string): string {
  // "Part 01 of 12" is "Part 1 of 12" as "Part 01" is "Part 1"; a bare "01 of 20" keeps what it wrote.
  // "Part1", "part1" (American_Gods_Part1.mp3): the word glued to its number, and in lower case, reads "Part 1".
  const spaced = GLUED_PART_NUMBER().test(part) ? part.replace(GLUED_PART_NUMBER(), (_m: string, w: string, n: string) => `${w.charAt(0).toUpperCase()}${w.slice(1)} ${n}`) : part;
  return spaced.replace(PT_ABBREVIATION, (_m: string, n: string) => `Part ${n.replace(/^0+(?=\d)/u, "")}`).replace(PADDED_PART(), "$1");
}
const GLUED_PART_NUMBER = lazyRegExp(() => new RegExp(String.raw`^(${PART_WORDS})(\d{1,3})`, "iu"));
const PT_ABBREVIATION = /^pt\.?\s*(\d{1,3})/iu;
const PADDED_PART = lazyRegExp(() => new RegExp(String.raw`^((?:${PART_WORDS})\.?\s*)0+(?=\d)`, "iu"));

/** Pulls narrator, year, series and names out of (), [] and {}; returns the rest. */
function extractBrackets(text: string, reading: BookReading): string {
  // The reader taken from a plain "[Name]": a second one after it shows the first was the writer.
  let bracketReader: string | undefined;
  return text.replace(BRACKET_GROUP, (whole: string, content: string, offset: number) => {
    // "[Scott Brick, Simon Vance, et al.]": the readers named, the rest of the cast left out.
    const inner = tidy(withoutEtAl(content));
    const narrated = readerIn(inner) ?? readerLiest(inner);
    if (narrated !== null) {
      reading.narrator ??= tidy(narrated);
      return " ";
    }
    // "(translated by Reg Keeland)": the translator, whom no field holds, is no part of the title.
    if (TRANSLATED_BY.test(inner) || TRANSLATION_NAMED().test(inner)) return " ";
    const translator = TRANSLATOR_CREDIT().exec(inner);
    if (translator !== null && nameScore(translator[1]) >= 1) return " ";
    if (BRACKETED_POSITION.test(inner) && text.slice(offset + whole.length).trim() !== "") {
      // "The Lightbringer Saga [01] The Black Prism", "[03] Title": a position between series and title.
      return ` ${inner.replace(HASH, "")} - `;
    }
    const year = YEAR_IN_BRACKETS.exec(inner);
    if (year) {
      reading.year ??= year[1];
      return " ";
    }
    // "[Клюквин Александр, 2005, 96 kbps, MP3]", "(Grover Gardner, 2008)": the reader, the year and the release's
    // fields in one bracket, as Russian trackers name every book (its format and rate already gone as junk).
    const credit = inner.includes(",") ? readerYearCredit(inner) : null;
    if (credit !== null) {
      // "(2014, Podium Publishing)": a publisher's label beside the year dates the release and reads no one.
      if (!isPublisherLabel(credit.reader)) reading.narrator ??= credit.reader;
      reading.year ??= credit.year;
      return " ";
    }
    // "(Part One)", "(Teil 2)", "(Part 1 of 2)": kept in the title, so the parts of one book stay apart.
    // "[1 of 2]" and "[Part 01]" are the same part as "(1 of 2)" and "(Part 1)": one way of writing it in the title.
    if (PART_OF().test(inner) || PART_PIECE().test(inner)) return `(${partName(inner)})`;
    // "Stephen King (as Richard Bachman)": a pen name beside the writer is no part of any name.
    const penName = PEN_NAME.exec(inner);
    if (penName && nameScore(penName[1]) >= 1) return " ";
    // "Good Omens (with Terry Pratchett)": a co-writer credited after the title is no part of it.
    const withPerson = WITH_PERSON.exec(inner);
    if (withPerson && nameScore(withPerson[1]) >= 1) return " ";
    // "Nooit meer (by Sophie Veldhuizen)": a person after "by" in brackets: the writer when none is named, else the reader.
    const byPerson = BY_PERSON.exec(inner);
    if (byPerson && whole[0] !== "{" && nameScore(byPerson[1]) >= 1 && reading.parenName === undefined) {
      reading.parenName = tidy(byPerson[1]);
      reading.parenNameLast = true;
      reading.parenNameBy = true;
      return " ";
    }
    const bookOf = BOOK_OF.exec(inner);
    if (bookOf) {
      reading.seriesNum ??= normalizeNum(bookOf[1]);
      return " ";
    }
    // "(Wheel of Time 1 of 14)", "(Dozory, 2 of 6)": a series' name, its place, then how many books it has; the count
    // names nothing ("(1 of 14)" alone stays a part's count in the title).
    const counted = OF_TOTAL_HINT.test(inner) ? SERIES_PLACE_OF().exec(inner) : null;
    if (counted !== null && !PART_WORD().test(counted[1].split(/\s+/u).pop()!) && bareSeriesPosition(`${counted[1]} ${counted[2]}`) !== null) {
      reading.series ??= counted[1];
      reading.seriesNum ??= normalizeNum(counted[2]);
      return " ";
    }
    // "(Book 1 of The Expanse)", "(Book Three of the Farseer Trilogy)": Amazon's and Goodreads' way of naming the position.
    // "(Book 1 in the Series)": the position only.
    const ofGeneric = BOOK_OF_GENERIC.exec(inner);
    const genericNum = ofGeneric === null ? null : seriesNumToken(ofGeneric[1]);
    if (genericNum !== null) {
      reading.seriesNum ??= genericNum;
      return " ";
    }
    const ofSeries = BOOK_OF_SERIES.exec(inner);
    const ofNum = ofSeries === null ? null : seriesNumToken(ofSeries[1]);
    if (ofSeries !== null && ofNum !== null && MEANINGFUL_SERIES().test(ofSeries[2])) {
      reading.seriesNum ??= ofNum;
      reading.series ??= tidy(ofSeries[2]).replace(LOWER_THE, "The ");
      return " ";
    }
    const marker = findMarker(inner, true);
    if (marker && endsWithShelfWord(marker.prefix.replace(SHELF_NUMBER_END, ""))) {
      // "(Mistborn Era 2, Book 1)": the series before its shelf, the position as written; "(Era 2, Book 1)" names no series.
      const series = seriesBeforeShelf(marker.prefix);
      if (series === null) return " ";
      reading.series ??= series;
      reading.seriesNum ??= marker.num;
      return " ";
    }
    if (marker && !PART_WORD().test(marker.prefix)) {
      // "Rubinrot (Edelstein-Trilogie Teil 1)", "Eragon (Inheritance Cycle, Part 1)": the part word before the place
      // counts the series' books, no word of its name.
      if (marker.prefix) reading.series ??= PART_TAIL_HINT.test(marker.prefix) ? marker.prefix.replace(PART_TAIL(), "") : marker.prefix;
      reading.seriesNum ??= marker.num;
      return " ";
    }
    const named = NAMED_SERIES.exec(inner);
    if (named && !NOT_A_SERIES_NAME.test(named[1]) && text.replace(whole, "").trim() !== "") {
      reading.series ??= tidy(named[1]);
      return " ";
    }
    // "Der Name der Rose (Originaltitel: Il nome della rosa)", "Оно (It)": the original's title beside a translation's
    // names the same book, no part of this title (the title as published here is what stands before it).
    if (ORIGINAL_TITLE().test(inner) || (offset > 0 && isOriginalTitle(inner, text.slice(0, offset), text.slice(offset + whole.length)))) return " ";
    const score = nameScore(inner);
    // "[Discworld] 1. The Colour of Magic" (Audiobookshelf's documented form): a leading bracket followed by a
    // position is the series, with no series folder above as much as under one. A release tag is no lower-case word.
    if (offset === 0 && whole[0] === "[" && score < 2 && LOWER_LETTER().test(inner) && !NOT_A_SERIES_NAME.test(inner) && POSITION_AFTER.test(text.slice(whole.length))) {
      reading.series ??= inner;
      return " ";
    }
    // "[Dean Koontz] Watchers" names the author; "[ABB] Watchers" is a release tag.
    if (offset === 0 && whole[0] !== "(") return score >= 2 ? whole : " ";
    if (whole[0] === "(") {
      // "The Stand (Scott Brick, Simon Vance, Orlagh Cassidy)": three or more people listed after a title are its
      // cast of readers; co-writers are rarely more than two, and two stay the writer's place ("Title (A & B)").
      if (inner.includes(",") && isCastList(inner)) {
        reading.narrator ??= inner;
        return " ";
      }
      // "The Martian (Bahni Turpin)": a known reader counts as a person whatever the given-name list knows.
      if (score < 2 && !isKnownReader(inner)) {
        const shaped = score >= 0 && PERSON_SHAPE().test(inner) && !inner.split(" ").some((w) => isTitleWord(w));
        const person = shaped && text.slice(offset + whole.length).replace(BRACKET_GROUP, "").trim() === "";
        // "Ready Player One - Ernest Cline (Wil Wheaton)": a name of a person's shape right after a sure person (a known
        // given name, initials) closing the name reads it, as "Andy Weir (R.C. Bray) - The Martian" does; no title is a
        // person, so the given-name list need not know the reader. After a title ("Andy Weir - The Martian (Bodo
        // Primus)") the shape says no more than before.
        // "Ernest Cline (Wil Wheaton) - Ready Player One": the same before the dash, as "Andy Weir (R.C. Bray) - The Martian".
        const beforeDash = shaped && !person && DASH_AFTER.test(text.slice(offset + whole.length)) && !SPACED_DASH_IN.test(text.slice(0, offset));
        const writer = person || beforeDash ? lastPiece(text.slice(0, offset)) : "";
        if ((person || beforeDash) && score >= 1 && reading.narrator === undefined && nameScore(writer) >= 2 && !isPenNameOf(inner, writer)) {
          reading.narrator = inner;
          return " ";
        }
        if (person) reading.parenPerson ??= inner;
        return whole;
      }
      if (reading.parenName === undefined) {
        reading.parenName = inner;
        // "Title (Stephen Fry) [2000]": only other brackets after it still closes the name.
        reading.parenNameLast = text.slice(offset + whole.length).replace(BRACKET_GROUP, "").trim() === "";
        const lead = text.slice(0, offset);
        if (DASH_AFTER.test(text.slice(offset + whole.length)) && !SPACED_DASH_IN.test(lead) && lead.trim() !== "") reading.parenNameAfter = lead.trim();
      }
      return " ";
    }
    // "Title (Reader) [2006] [Tor Audio]": the publisher's label closing a release name reads no one.
    if (score >= 1 && !isPublisherLabel(inner)) {
      if (reading.narrator === undefined) {
        reading.narrator = inner;
        bracketReader = inner;
      } else if (bracketReader !== undefined && reading.parenName === undefined) {
        // "The Stand [Stephen King] [Grover Gardner]": two people in brackets after a title, the writer then the reader.
        reading.parenName = bracketReader;
        reading.parenNameLast = false;
        reading.narrator = inner;
        bracketReader = undefined;
      }
    }
    return " ";
  });
}


/** "(orig. The Shining)", "(Originaltitel: Shining)", "(titre original : ...)", "(оригинал: It)": a bracket naming the original. */
const ORIGINAL_TITLE = lazyRegExp(() => /^(?:orig\.|original(?:\s+title)?\s*:|originaltitel\s*:?|org\.\s*titel\s*:?|titre\s+original\s*:|t[íi]tulo\s+original\s*:|titolo\s+originale\s*:|oorspronkelijke\s+titel\s*:|originalets\s+titel\s*:|оригинал(?:ьное\s+название)?\s*:|в\s+оригинале\s*:?)\s*\S/iu);
/**
 * "Оно (It)", "Игра престолов (A Game of Thrones)", "ノルウェイの森 (Norwegian Wood)": a bracket closing the name whose
 * words are in another script than the title before it is the original's (or the translation's) title. Never a
 * person's name ("Оно (Stephen King)" names its writer or reader), and the title before it must have letters.
 */
function isOriginalTitle(inner: string, before: string, after: string): boolean {
  if (after.replace(BRACKET_GROUP, "").trim() !== "") return false;
  const own = scriptOf(before);
  const other = scriptOf(inner);
  if (own === null || other === null || own === other) return false;
  return nameScore(inner) < 2 && !isKnownReader(inner) && !isOneNameWriter(inner);
}
const SCRIPTS: readonly [string, () => RegExp][] = [
  ["latin", lazyRegExp(() => /\p{Script=Latin}/u)],
  ["cyrillic", lazyRegExp(() => /\p{Script=Cyrillic}/u)],
  ["greek", lazyRegExp(() => /\p{Script=Greek}/u)],
  ["cjk", lazyRegExp(() => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u)],
  ["arabic", lazyRegExp(() => /\p{Script=Arabic}/u)],
  ["hebrew", lazyRegExp(() => /\p{Script=Hebrew}/u)],
];
/** `name` (Hebrew or Arabic words) is a series' or its hero's, by the title after it or its own words. */
function caselessSeries(name: string, title: string): boolean {
  const words = name.trim().split(SPACES);
  if (CASELESS_SERIES_WORDS.has(words[0])) return true;
  // "המשחקים הרעבים" ("The Hunger Games"): every word led by Hebrew's article "ה" is a title's, as "The ..." is.
  if (words.every((w) => w.length > 2 && w.startsWith("ה"))) return true;
  const titleWords = new Set(title.trim().split(SPACES).flatMap((w) => [w, w.slice(1)]));
  return words.every((w) => titleWords.has(w));
}
// "series of", "the series" in Hebrew and Arabic; "trilogy", "saga" likewise.
const CASELESS_SERIES_WORDS: ReadonlySet<string> = new Set(["סדרת", "הסדרה", "סדרה", "טרילוגיית", "סאגת", "سلسلة", "ثلاثية", "رباعية", "ملحمة"]);
const CASELESS_NAME = lazyRegExp(() => /^(?:[\p{Script=Hebrew}'"׳״-]+(?: [\p{Script=Hebrew}'"׳״-]+){1,2}|[\p{Script=Arabic}]+(?: [\p{Script=Arabic}]+){1,2})$/u);
const FIRST_LETTER = lazyRegExp(() => /\p{L}/u);
/** The script of the first letter of `text` among those names are written in, or null. */
function scriptOf(text: string): string | null {
  const letter = FIRST_LETTER().exec(text)?.[0];
  if (letter === undefined) return null;
  for (const [name, pattern] of SCRIPTS) if (pattern().test(letter)) return name;
  return null;
}

// "Bodo Primus", "Anna Thalbach", "Jean-Pierre Marielle": two or three capitalised words, as a person's name is written.
/** The last dashed piece of `text` ("Ernest Cline" of "Ready Player One - Ernest Cline "), looked for from its end. */
function lastPiece(text: string): string {
  const tail = text.length > 200 ? text.slice(-200) : text;
  const at = tail.search(LAST_DASH);
  return tidy(at < 0 ? tail : tail.slice(at).replace(LEADING_DASH, ""));
}
const LAST_DASH = /\s[-–—]\s(?!.*\s[-–—]\s)/u;
const LEADING_DASH = /^\s[-–—]\s/u;
const PERSON_SHAPE = lazyRegExp(() => /^\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?(?: (?:\p{Lu}\.|\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?)){1,2}$/u);

/** Three or more people, each a name of two or three words, at least one a sure person; commas between them. */
function isCastList(inner: string): boolean {
  const people = inner.split(CAST_SEPARATOR);
  if (people.length < 3) return false;
  let sure = false;
  for (const person of people) {
    const words = person.trim().split(SPACES).length;
    const score = nameScore(person);
    if (words < 2 || words > 3 || score < 1) return false;
    if (score >= 2) sure = true;
  }
  return sure;
}
const CAST_SEPARATOR = /\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+/u;

/** "Reader, Year" and nothing else but the commas junk left: a person (or a list of people) or a publisher's label, and a year. */
function readerYearCredit(inner: string): { reader: string; year: string } | null {
  const fields = inner.split(CREDIT_COMMA).map((f) => f.trim()).filter((f) => f.length > 0);
  if (fields.length !== 2) return null;
  // "[Santino Fontana, 2019]", and the other order other trackers write: "[2019, Santino Fontana, 64kbps MP3]".
  const [reader, year] = YEAR_IN_BRACKETS.test(fields[1]) ? fields : YEAR_IN_BRACKETS.test(fields[0]) ? [fields[1], fields[0]] : [null, null];
  return reader !== null && year !== null && (nameScore(reader) >= 1 || isPublisherLabel(reader)) ? { reader, year } : null;
}
/** "Pevear", "Garnett": one capitalised word, no title's word, as a translator's credit names a surname alone. */
function isLoneSurname(text: string): boolean {
  const word = text.trim();
  return LONE_SURNAME().test(word) && !isTitleWord(word);
}
const LONE_SURNAME = lazyRegExp(() => /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u);
const CREDIT_COMMA = /\s*,\s*/u;
const DASH_AFTER = /^\s+[-–—]+\s+\S/u;
const SPACED_DASH_IN = /\s[-–—]+\s/u;

function takeNarrator(pieces: string[], reading: BookReading): string[] {
  // The reader phrases' words are reader-phrase.ts's one list, not repeated here.
  if (!pieces.some((p) => mayNameReader(p) || OTHER_ROLE_HINT.test(p))) return pieces;
  const out: string[] = [];
  for (const piece of pieces) {
    // "Grover Gardner (Narrator)", "Stephen King (Author)": a person with the role written after the name.
    const role = ROLE_AFTER().exec(piece);
    if (role !== null && TRANSLATOR_ROLE().test(role[2])) {
      // "Leo Tolstoy, Richard Pevear (Translator)": the translator, whom no field holds, is no writer; the rest of the
      // list stays. "Richard Pevear (Translator)" alone is dropped whole.
      const list = LAST_OF_LIST.exec(role[1]);
      if (list !== null && (nameScore(list[2]) >= 1 || isLoneSurname(list[2]))) out.push(tidy(list[1]));
      // "War and Peace - Leo Tolstoy - Pevear (Translator)": a translator credited by surname alone, a piece of its own.
      else if (pieces.length > 1 && isLoneSurname(role[1])) continue;
      // "Il nome della rosa (Translator)": a role with no person before it is a credit line copied without its name;
      // the words before it are the book's.
      else if (nameScore(role[1]) < 1) out.push(BRACKET_HINT.test(role[1]) ? piece : tidy(role[1]));
      continue;
    }
    if (role !== null && nameScore(role[1]) >= 1) {
      if (READER_ROLE().test(role[2])) reading.narrator ??= tidy(role[1]);
      else out.push(tidy(role[1]));
      continue;
    }
    // "The Stand (Narrator)", "Der Name der Rose (Sprecher)": the same, for a reader's or a writer's role.
    if (role !== null) {
      // "Frank Herbert (Author), Scott Brick (Narrator)": a list of credits is not read here; it stays as written.
      out.push(BRACKET_HINT.test(role[1]) ? piece : tidy(role[1]));
      continue;
    }
    const whole = readerIn(piece) ?? (out.length > 0 ? readerLiest(piece) : null);
    if (whole !== null) {
      reading.narrator ??= tidy(whole);
      continue;
    }
    const liestTitle = pieces.length === 1 ? LIEST_TITLE.exec(piece) : null;
    if (liestTitle !== null && nameScore(liestTitle[1]) >= 1 && reading.narrator === undefined) {
      reading.narrator = tidy(liestTitle[1]);
      out.push(tidy(liestTitle[2]));
      continue;
    }
    // "Tales of Terror - edited by Peter Haining", "Title - ed. by X", "Title - hrsg. von X": an anthology's editor
    // stands where its writer would (Audible, Goodreads and library catalogues credit the editor as its author), so
    // the piece is read as that name alone.
    const edited = EDITED_BY().exec(piece);
    if (edited !== null && nameScore(edited[1]) >= 1) {
      out.push(tidy(edited[1]));
      continue;
    }
    // "Homer - The Odyssey - translated by Robert Fagles": the translator, whom no field holds.
    if (TRANSLATED_BY.test(piece)) continue;
    // "Don Quixote trans Edith Grossman", "Anna Karenina, translated by Rosamund Bartlett" (library-manager#61): the same,
    // written on after the title.
    const translatedInline = TRANSLATED_INLINE().exec(piece);
    if (translatedInline !== null && nameScore(translatedInline[2]) >= 1) {
      out.push(tidy(translatedInline[1]));
      continue;
    }
    const inline = NARRATED_INLINE.exec(piece);
    if (inline) {
      reading.narrator ??= tidy(inline[2]);
      out.push(tidy(inline[1]));
      continue;
    }
    // "Оно, читает Игорь Князев", "Der Augenjäger, gelesen von Simon Jäger": another language's reader phrase after a
    // comma closing the title, as "Title, read by X" is.
    const comma = piece.indexOf(", ");
    const afterComma = comma > 0 ? readerIn(piece.slice(comma + 2)) : null;
    if (afterComma !== null && !isWriter(afterComma)) {
      reading.narrator ??= tidy(afterComma);
      out.push(tidy(piece.slice(0, comma)));
      continue;
    }
    out.push(piece);
  }
  return out;
}

/**
 * "Author - Series - Era 2 - Book 1 - Title": a shelf inside the series as a piece of its own says nothing
 * of the book; "Royal Assassin - Book Two of the Farseer Trilogy": the position and series, written out.
 */
function takeSeriesPieces(pieces: string[], reading: BookReading, writerMayLead: (name: string) => boolean): string[] {
  if (!pieces.some((p) => SERIES_PIECE_HINT.test(p))) return pieces;
  const out: string[] = [];
  let droppedShelf = false;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const last = i === pieces.length - 1;
    if (isShelfPiece(piece)) {
      droppedShelf = true;
      // "Doctor Who - Season 2 - The Stone Rose": what stands before the shelf, when no one, is the series.
      const before = out[out.length - 1];
      if (!last && before !== undefined && out.length >= 1 && nameScore(before) < 1 && reading.series === undefined) {
        reading.series = before;
        out.pop();
      }
      continue;
    }
    // "Mistborn Era 2 - The Alloy of Law": a series named with its shelf, then the book.
    const shelved = last ? null : seriesBeforeShelf(piece);
    if (shelved !== null && reading.series === undefined && nameScore(piece) < 1) {
      reading.series = shelved;
      continue;
    }
    const of = i > 0 ? BOOK_OF_SERIES.exec(piece) : null;
    const num = of === null ? null : seriesNumToken(of[1]);
    if (of !== null && num !== null && MEANINGFUL_SERIES().test(of[2]) && reading.seriesNum === undefined) {
      reading.seriesNum = num;
      reading.series ??= tidy(of[2]).replace(LOWER_THE, "The ");
      continue;
    }
    out.push(piece);
  }
  // "Stephen King - Season 1": with the shelf gone only a writer would be left, and a writer is no title; the shelf
  // stays the name of what the writer's folder holds, as "Stephen King/Season 1" reads.
  if (droppedShelf && out.length === 1 && reading.series === undefined && nameScore(out[0]) >= 2 && writerMayLead(out[0])) return pieces;
  return out.length > 0 ? out : pieces;
}

/**
 * "Book One of The Wheel of Time" (Audible's subtitle: "The Eye of the World: Book One of The Wheel of Time", written
 * "_ " for ": " in file names): the position and the series, as the same words after a dash are read.
 */
export function bookOfSeriesPiece(piece: string): { series: string; num: string } | null {
  const of = BOOK_OF_SERIES.exec(piece.trim());
  const num = of === null ? null : seriesNumToken(of[1]);
  return of !== null && num !== null && MEANINGFUL_SERIES().test(of[2]) ? { series: tidy(of[2]).replace(LOWER_THE, "The "), num } : null;
}

const BY_PIECE = lazyRegExp(() => /^(?:(?:written\s+)?by|von|par|door)\s+(\p{Lu}.*)$/u);
const BY_PIECE_HINT = /^(?:written\s+by|by|von|par|door)\s/iu;

/**
 * "Dune - by Frank Herbert", "Die Therapie - von Sebastian Fitzek", "L'Étranger - par Albert Camus": the writer as
 * a piece of its own after the title reads as "Dune by Frank Herbert" does ("Stand - by Me" names no one).
 */
function takeByPiece(pieces: string[], reading: BookReading): string[] {
  if (reading.authorFirst === true) return pieces;
  const at = pieces.findIndex((p, i) => i > 0 && BY_PIECE_HINT.test(p));
  if (at < 0) return pieces;
  const m = BY_PIECE().exec(pieces[at]);
  if (m === null || nameScore(m[1]) < 1) return pieces;
  reading.authorFirst = true;
  return [tidy(m[1]), ...pieces.filter((_, i) => i !== at)];
}

function splitWrittenBy(piece: string, reading: BookReading): string[] {
  const by = WRITTEN_BY.exec(piece);
  if (!by || nameScore(by[2]) < 1) return [piece];
  reading.authorFirst = true;
  return [tidy(by[2]), tidy(by[1])];
}

/**
 * "2018 - Title" and "Author - Title - 2018" carry a year; "George Orwell - 1984"
 * and "1984 - George Orwell" carry a title.
 */
function takeYear(pieces: string[], reading: BookReading, afterPosition = false): string[] {
  if (pieces.length < 2) return pieces;
  const first = pieces[0];
  // After "Vol 2 - " a year is a date, never the title "1984" of "1984 - George Orwell". Only a clear person
  // (a known given name, initials) beside it makes the number a title: "1945 - Animal Farm" is a year and a title.
  if (isYearPiece(first) && (afterPosition || !(pieces.length === 2 && isSurePerson(pieces[1])))) {
    if (reading.year === undefined && !afterPosition && ARTICLE_LED.test(pieces[1])) reading.yearDoubtful = true;
    reading.year ??= first;
    pieces = pieces.slice(1);
  }
  const lastIndex = pieces.length - 1;
  // "01 - 1984", "Book 1 - 1984": a year after nothing but a position is the title.
  if (lastIndex > 0 && isYearPiece(pieces[lastIndex]) && !(lastIndex === 1 && (isSurePerson(pieces[0]) || PURE_LEAD().test(pieces[0])))) {
    reading.year ??= pieces[lastIndex];
    pieces = pieces.slice(0, lastIndex);
  }
  if (pieces.length >= 3) {
    // "Andy Weir - 2014 - The Martian": a year between two pieces is a date, never a series.
    const middle = pieces.findIndex((p, i) => i > 0 && i < pieces.length - 1 && isYearPiece(p));
    // "George Orwell - 1984 - Simon Prebble": between a writer and a reader, the number is the title.
    const betweenPeople = pieces.length === 3 && nameScore(pieces[0]) >= 1 && nameScore(pieces[2]) >= 2;
    if (middle > 0 && !betweenPeople) {
      reading.year ??= pieces[middle];
      pieces = pieces.filter((_, i) => i !== middle);
    }
  }
  return pieces;
}

/**
 * "2001 - A Space Odyssey": a year-sized number whose words show it opens the title (number-titles.ts)
 * is joined to them the way the title is written, "2001: A Space Odyssey", which no source splits.
 */
function joinNumberTitles(pieces: string[]): string[] {
  if (!pieces.some((p) => NUMBER_PIECE.test(p))) return pieces;
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const next = pieces[i + 1];
    const num = pieces[i];
    if (next !== undefined && NUMBER_PIECE.test(num) && (isYearPiece(num) ? isNumberTitle(num, next) : isNumberLedTitle(num, next))) {
      out.push(`${pieces[i]}: ${next}`);
      i++;
    } else out.push(pieces[i]);
  }
  return out;
}

/**
 * "2034 - A Novel of the Next World War", "1491 - New Revelations of the Americas Before Columbus": a
 * four-digit number that cannot be a year is the title's opening, and tags write it "2034: A Novel of the
 * Next World War", which the profile never splits (a number before a colon may be a position). Read apart,
 * path and tags would disagree on the title. Three digits stay apart: they are also positions in long
 * series ("Perry Rhodan - 100 - Title"); a person after the number is a writer or reader, no title.
 */
function isNumberLedTitle(num: string, next: string): boolean {
  return isKnownNumberTitle(num, next) || (FOUR_DIGIT_TITLE.test(num) && nameScore(next) < 1);
}
const FOUR_DIGIT_TITLE = /^[1-9]\d{3}$/u;

const SPELLED_LEAD_HINT = /^(?:book|vol|volume|tome|band|tomo|libro|livre)\.?\s+[A-Z]/iu;
const SPELLED_LEAD = lazyRegExp(() => /^(?:[Bb]ook|BOOK|[Vv]ol|[Vv]olume|[Tt]ome|[Bb]and|[Tt]omo|[Ll]ibro|[Ll]ivre)\.?\s+((?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Thirteen|Fourteen|Fifteen|Sixteen|Seventeen|Eighteen|Nineteen|Twenty)|[IVX]{2,5}|[VX]|I(?=\s+(?:The|An?)\s))(?:\s*:)?\s+(?=\p{Lu}|\p{Lo})/u);

/**
 * "Book Three The Hero of Ages", "Book One: The Final Empire" (a colon after it, "_ " in Libation's file names): the
 * position spelled or in roman numerals, and the title after it; null otherwise.
 */
export function spelledLead(text: string): { num: string; rest: string } | null {
  const spelled = SPELLED_LEAD_HINT.test(text) ? SPELLED_LEAD().exec(text) : null;
  const num = spelled === null ? null : seriesNumToken(spelled[1]);
  return spelled === null || num === null ? null : { num, rest: text.slice(spelled[0].length) };
}

/** A known given name, initials, or a writer known by one name ("Orwell - 1984"): no title beside a number. */
function isSurePerson(piece: string): boolean {
  return nameScore(piece) >= 2 || isOneNameWriter(piece);
}

function takeLeadNumber(pieces: string[], reading: BookReading): string[] {
  if (pieces.length === 0) return pieces;
  const pure = PURE_LEAD().exec(pieces[0]);
  if (pure && pure[3] !== undefined && isTrackOfTotal(pure[3])) {
    // "001-190 - The Girl with All the Gifts": track 1 of 190, no omnibus of books.
    return pieces.slice(1);
  }
  if (pure) {
    reading.leadNum = normalizeNum(pure[1] ?? pure[2] ?? pure[3]);
    reading.leadExplicit = pure[3] === undefined;
    return pieces.slice(1);
  }
  // "Book Three The Hero of Ages", "Book III The Gunslinger", "Tome II La Fille du Feu": a position word, its number
  // spelled or in roman numerals, then the title's capital with no separator between them (one piece, as with digits).
  const spelled = spelledLead(pieces[0]);
  if (spelled !== null) {
    reading.leadNum = spelled.num;
    reading.leadExplicit = true;
    return [spelled.rest, ...pieces.slice(1)];
  }
  const prefix = LEAD_PREFIX().exec(pieces[0]);
  if (prefix) {
    reading.leadNum = normalizeNum(prefix[1] ?? prefix[2] ?? prefix[3] ?? prefix[4]);
    reading.leadExplicit = prefix[1] !== undefined || prefix[2] !== undefined;
    return [pieces[0].slice(prefix[0].length), ...pieces.slice(1)];
  }
  return pieces;
}

const RANGE_ENDS = /^(\d{1,3})[-–](\d{1,3})$/u;

/** "001-190": a first number no smaller than the second, or one too far from it, counts tracks, not books. */
function isTrackOfTotal(digits: string): boolean {
  const m = RANGE_ENDS.exec(digits);
  if (m === null) return false;
  const [from, to] = [Number(m[1]), Number(m[2])];
  return from >= to || to - from > 30;
}

/** A writer, then a title that looks less like a person: "Jim Butcher - Storm Front", "Cornelia Funke - Tintenherz". */
/** "The Final Empire - Brandon Sanderson": a piece no one's name, then a sure person. */
function titleThenWriter(title: string, writer: string): boolean {
  return nameScore(writer) >= 2 && nameScore(title) < nameScore(writer);
}

function writerThenTitle(writer: string, title: string): boolean {
  const score = nameScore(writer);
  return score >= 2 ? nameScore(title) < 2 : score >= 1 && nameScore(title) < 1;
}

/** "Pippi Langstrumpf 1" then "Pippi Langstrumpf": the second piece is the first's words before its closing number. */
function repeatsHead(piece: string, next: string): boolean {
  const m = TRAILING_NUMBER.exec(piece);
  return m !== null && m[1].toLowerCase() === next.trim().toLowerCase();
}
const TRAILING_NUMBER = /^(.+?)\s+\d{1,3}$/u;

function splitInnerPosition(piece: string): string[] {
  const m = INNER_POSITION().exec(piece);
  return m === null ? [piece] : [`${m[1]} ${m[2]}`, m[3]];
}

/** Finds series positions; a lone "01"/"Book 2" piece belongs to the piece before it. */
/** A full stop closing words (no initial: "Vol. J." is no sentence), with nothing after it. */
const SENTENCE_DOT_END = lazyRegExp(() => /(?<=\p{L}\p{L})\.\s*$/u);
/**
 * "Братья Карамазовы (Часть 1): Книга первая", "The Stand (Part 2) - Book One": a position after a part of a work is a
 * division inside that part (the novel's own "books"), no place in a series named after the work.
 */
const AFTER_PART = lazyRegExp(() => new RegExp(String.raw`\((?:${PART_WORDS})\.?\s*[^()]*\)\s*:?\s*$`, "iu"));
const STOPPED_PART_NUMBER = lazyRegExp(() => new RegExp(String.raw`(\s(?:${PART_WORDS})\s+(?:${PART_NUMBER}))\.\s+(?=\p{L})`, "iu"));

const SPACES = /\s+/u;

function markParts(pieces: string[], authorFirst: boolean, codeWriter?: string): Part[] {
  const parts: Part[] = [];
  const lastIndex = pieces.length - 1;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const pure = i > 0 ? PURE_LEAD().exec(piece) : null;
    const prev = parts[parts.length - 1];
    if (pure && prev && prev.num === undefined && AFTER_PART().test(prev.text)) {
      prev.text = `${prev.text}: ${piece}`;
      continue;
    }
    if (pure && prev && prev.num === undefined) {
      const num = normalizeNum(pure[1] ?? pure[2] ?? pure[3]);
      // "Dean Koontz - Book 2 - Watchers": a position, but a person is no series; after the writer a series may
      // be named for a person ("Lee Child - Jack Reacher - Book 1 - Killing Floor").
      // "Benjamin Blümchen - Folge 1 - Title", "John Sinclair - Episode 3 - Title": episodes number a series named for
      // its hero, never a writer's books.
      // "Benjamin Blümchen - 001 - Title": a number padded to three places between two pieces counts a radio play's
      // episodes, as "Folge 1" does; a writer's books are numbered "01" if at all.
      const episode = EPISODE_LEAD.test(piece) || (i < lastIndex && PADDED_EPISODE.test(piece.trim()));
      // "Harry Potter - 01 - The Philosopher's Stone": a series' hero of a person's shape (hero-names.ts) is the series.
      // "דוד גרוסמן - 1 - Title": two or three words in a script without capitals before a place and a title read as
      // a writer numbering their books, as a sure person does; no capitals or given-name list can say more.
      // A name the title repeats ("הארי פוטר - 1 - הארי פוטר ואבן החכמים"), opening with a word for a series ("سلسلة",
      // "סדרת") or a hero's the list knows is the series and its hero, no writer: a writer's name is in no title of theirs.
      const caselessWriter = i === 1 && i < lastIndex && CASELESS_NAME().test(prev.text.trim()) && nameScore(prev.text) >= 0 && !caselessSeries(prev.text, pieces.slice(i + 1).join(" "));
      if ((nameScore(prev.text) >= 2 || caselessWriter || (prev.text === codeWriter && i === 1)) && parts.length === 1 && !episode && !SERIES_HEROES.has(prev.text.trim().toLowerCase())) {
        parts.push({ text: "", num, kind: "keyword" });
      } else {
        prev.num = num;
        prev.kind = "keyword";
        // "Mistborn - 01", "Mistborn - #1": a bare number or a hash is a series' place, as in "Mistborn 01"; only a
        // volume's word ("The Stand - Book 1", "War and Peace - Volume 2") may number the volumes of one work.
        if (pure[1] !== undefined) prev.detached = true;
      }
      continue;
    }
    const lead = i > 0 && prev && prev.num === undefined && prev.text ? LEAD_PREFIX().exec(piece) : null;
    const leadNum = lead?.[1] ?? lead?.[2] ?? lead?.[3] ?? lead?.[4];
    if (lead && leadNum !== undefined && parts.length === 1 && nameScore(prev!.text) >= 2) {
      // "J.K. Rowling - #01 Harry Potter and the Philosopher's Stone", "Lee Child - 01 Killing Floor": after the writer,
      // a position leads the title, as it does written "Lee Child - 01 - Killing Floor".
      parts.push({ text: "", num: normalizeNum(leadNum), kind: "keyword" });
      parts.push({ text: piece.slice(lead[0].length) });
      continue;
    }
    if (lead && (lead[1] ?? lead[2] ?? lead[3]) !== undefined && nameScore(prev!.text) < 2) {
      // "Steven Brust - Khaavren Romances - 01 The Phoenix Guards": the position leads the title, after the series.
      prev!.num = normalizeNum((lead[1] ?? lead[2] ?? lead[3])!);
      prev!.kind = "keyword";
      parts.push({ text: piece.slice(lead[0].length) });
      continue;
    }
    // "Steven Erikson - Malazan - 10 The Crippled God": writer, series, then a bare position before the title.
    const bare = i >= 2 && i === lastIndex && prev && prev.num === undefined && prev.text && nameScore(prev.text) < 1 && nameScore(parts[0].text) >= 1 ? BARE_POSITION_LEAD().exec(piece) : null;
    if (bare !== null) {
      prev!.num = normalizeNum(bare[1]);
      prev!.kind = "keyword";
      parts.push({ text: piece.slice(bare[0].length) });
      continue;
    }
    const middle = i > 0 && i < lastIndex;
    // "Pippi Langstrumpf 1 - Pippi Langstrumpf": the name before the number again after it is the first book's title,
    // however much the series' name looks like a person's.
    // "The Expanse 1 - Leviathan Wakes": a title may have a name's shape ("Leviathan Wakes" scores as "First Last"); only
    // a surer person after one word and a number keeps it a title ("Catch 22 - Joseph Heller", "Apollo 13 - Jim Lovell").
    // "Expanse 1 - Leviathan Wakes - James S.A. Corey": a surer person closing the name than the piece after the number
    // makes that piece the title, the first the series and its place.
    // "Expanse 1 - Leviathan Wakes - James S.A. Corey - Jefferson Mays": the reader may follow the writer.
    const surerLast = (lastIndex === 2 || (lastIndex === 3 && (nameScore(pieces[3]) >= 1 || isKnownReader(pieces[3])))) && nameScore(pieces[2]) >= 2 && nameScore(pieces[2]) > nameScore(pieces[1]);
    // "The Dark Tower 1 - Frank Muller": a person known for reading books aloud (known-readers.ts) after a name and a
    // number reads that series' book, as "The Dark Tower Book 1 - Frank Muller" says; one word and a number stays a
    // title ("Passagier 23 - Simon Jäger", "Catch 22").
    const firstOfMore = i === 0 && lastIndex > 0 && !authorFirst && (nameScore(pieces[1]) < 1 || (lastIndex === 1 && isKnownReader(pieces[1]) && piece.trim().split(SPACES).length >= 3) || (nameScore(pieces[1]) === 1 && (piece.trim().split(SPACES).length >= 3 || surerLast)) || repeatsHead(piece, pieces[1]));
    // "Brandon Sanderson - The Final Empire - Mistborn 1": after the writer and a title, a name and a small number close
    // the name as "Mistborn, Book 1" does ("Apollo 13", "Season 2" count no book: bareSeriesPosition).
    // "Robert Jordan - The Eye of the World - Wheel of Time 1 - Michael Kramer": the readers may follow.
    // "The Final Empire - Brandon Sanderson - Mistborn 1": the title before its writer, the series closing them alike.
    const closing =
      i === 2 && !authorFirst && ((lastIndex === 2 || (lastIndex === 3 && nameScore(pieces[3]) >= 2)) && writerThenTitle(pieces[0], pieces[1]) || (lastIndex === 2 && titleThenWriter(pieces[0], pieces[1])))
        ? bareSeriesPosition(piece)
        : null;
    if (closing !== null) {
      parts.push({ text: closing.series, num: closing.num, kind: "bare" });
      continue;
    }
    const found = authorFirst && i === 0 ? null : findMarker(piece, middle || firstOfMore);
    const marker = found !== null && found.prefix !== "" && AFTER_PART().test(found.prefix) ? null : found;
    if (marker && marker.prefix === "" && marker.kind === "keyword" && prev && prev.num === undefined && prev.text && nameScore(prev.text) < 2) {
      // "War and Peace - Volume II", "Mistborn - Book Two": a position in words or roman numerals, as "Book 2" is.
      prev.num = marker.num;
      prev.kind = "keyword";
      prev.detached = true;
      continue;
    }
    if (marker && marker.kind === "keyword" && SENTENCE_DOT_END().test(marker.prefix)) {
      // "Война и мир. Том 1", "Les Misérables. Tome 2": a full stop parts the name from its volume, as a dash does.
      parts.push({ text: marker.prefix.replace(SENTENCE_DOT_END(), ""), num: marker.num, kind: marker.kind, detached: true });
      continue;
    }
    parts.push(marker ? { text: marker.prefix, num: marker.num, kind: marker.kind } : { text: piece });
  }
  return parts;
}
