/**
 * Text clean-up for folder and file names before they are read as hints:
 * hostile characters, release/tracker tags, quality tags and folders that
 * group books (genres, "Audiobooks", A-Z letters) rather than name them.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { cleanString } from "./clean-text.js";
import { foldCjkName } from "./cjk-names.js";
import { isTitleWord, nameScore } from "./person-name.js";
import { isAudiobookWord, isGenreShelf } from "./audiobook-words.js";
import { isVariantName } from "./name-tags.js";
import { isNoWriterName } from "./no-writer-names.js";

/** Longest segment we read; release names beyond this are noise, and it bounds regex work. */
export const MAX_SEGMENT_CHARS = 1000;

const NON_ASCII = /[^\u0000-\u007F]/;

/** Make a segment safe to read: no lone surrogates, no control characters, bounded length. */
export function sanitizeSegment(raw: string): string {
  const s = cleanString(raw, MAX_SEGMENT_CHARS);
  // macOS stores names decomposed; compose them so "é" reads the same from every disk.
  // Full-width "（上）" and "：" are the brackets and colon every rule looks for.
  return NON_ASCII.test(s) ? cleanString(foldCjkName(withWesternDigits(s.normalize("NFC"))), MAX_SEGMENT_CHARS) : s;
}

/**
 * "الثلاثية (١٩٥٦)", "شاهنامه ۱": Arabic-Indic digits (Arabic) and their extended forms (Persian, Urdu) as the
 * digits every rule reads, so a year or a volume written so is read as one.
 */
function withWesternDigits(s: string): string {
  return EASTERN_DIGIT_HINT.test(s) ? s.replace(EASTERN_DIGITS, (d) => String(d.charCodeAt(0) & 0xf)) : s;
}
const EASTERN_DIGIT_HINT = /[\u0660-\u0669\u06f0-\u06f9]/u;
const EASTERN_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/gu;


/**
 * "AynRand-AtlasShrugged", "CoryDoctorow-Little Brother": a name written in
 * CamelCase, its words glued, a hyphen between author and title. Only the
 * first hyphen piece is looked at: it must have no space and two capitalised
 * words glued ("Spider-Man", "McDonald-Smith" and "X-Men" do not qualify).
 */
export function isCamelName(s: string): boolean {
  const dash = s.indexOf("-");
  if (dash < 4 || dash === s.length - 1) return false;
  const head = s.slice(0, dash);
  return !head.includes(" ") && CAMEL_HEAD().test(head) && CAMEL_NEXT().test(s.slice(dash + 1));
}
const CAMEL_HEAD = lazyRegExp(() => /^\p{Lu}\p{Ll}+(?<!^(?:Mc|Mac|O|D|De|Di|Du|La|Le|Van|Von))(?:\p{Lu}+\p{Ll}*)+$/u);
const CAMEL_NEXT = lazyRegExp(() => /^[\p{Lu}\p{N}#]/u);

/** "ArthurCClarke-RendezvousWithRama" -> "Arthur C Clarke - Rendezvous With Rama"; spaced pieces stay as they are. */
export function uncamelName(s: string): string {
  return s
    .split("-")
    .map((piece) => (piece.includes(" ") ? piece.trim() : splitCamel(piece)))
    .join(" - ");
}
function splitCamel(word: string): string {
  return word
    .replace(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{N})(?=\p{L})/gu, " ")
    .replace(/(?<=\p{Lu})(?=\p{Lu}\p{Ll})/gu, " ")
    // "Part01" of "TheMartian-Part01": a part's or a track's word glued to its number.
    .replace(/(?<![\p{L}])(Part|Pt|Teil|Track|Chapter|Kapitel|Disc|Disk|CD)(?=\p{N})/gu, "$1 ")
    // "Mc Donald" of "JohnMcDonald": the prefix belongs to the word after it.
    .replace(/(?<![\p{L}])(Ma?c) (?=\p{Lu})/gu, "$1");
}

const CAMEL_RUN = lazyRegExp(() => /^(?:\p{Lu}\p{Ll}+|\p{Lu}(?=\p{Lu})|\p{N}+\p{Ll}*){3,}$/u);

/** "TheDailyStoic": a whole name of three or more capitalised words without spaces. */
export function isCamelRun(s: string): boolean {
  return s.length >= 8 && !s.includes(" ") && CAMEL_RUN().test(s);
}

/**
 * "ProjectHailMary_Track03", "TheMartian_Part01", "ProjectHailMary03": splitters glue the title's words and set a
 * part's or a track's number after it, by an underscore, a dot or nothing; the title's words are split as a whole
 * camel-cased name's are, the number kept apart.
 */
export function uncamelPieceName(s: string): string | null {
  if (s.length < 9 || s.includes(" ") || !CAMEL_PIECE_HINT.test(s)) return null;
  const m = CAMEL_PIECE().exec(s);
  if (m === null || !CAMEL_TITLE().test(m[1])) return null;
  return `${splitCamel(m[1])} - ${splitCamel(m[2].replace(PIECE_GLUE(), ""))}`;
}
const CAMEL_PIECE_HINT = /\d$/u;
const CAMEL_PIECE = lazyRegExp(() => /^(\p{Lu}[\p{L}]*?\p{Ll})[_.-]?((?:Part|Pt|Teil|Track|Chapter|Kapitel|Disc|Disk|CD|part|track|chapter)?[_.-]?\d{1,4})$/u);
// Two glued words are enough here ("TheMartian"): the piece's number after them says the name was glued by a tool.
const CAMEL_TITLE = lazyRegExp(() => /^(?:\p{Lu}\p{Ll}+){2,}$/u);
const PIECE_GLUE = lazyRegExp(() => /^[_.-]+|(?<=\p{L})[_.-]+(?=\d)/gu);

/** "TheDailyStoic" -> "The Daily Stoic". */
export function uncamelRun(s: string): string {
  return splitCamel(s);
}

/**
 * "Hannu Rajaniemi-The Quantum Thief", "Adrian Tchaikovsky-Time-#1-Children of Time":
 * a hyphen glued between a person's name and the rest. A hyphenated surname
 * ("Tim Pigott-Smith") has one word after the hyphen, so it never qualifies.
 */
export function unglueName(s: string, isPerson: (name: string) => boolean): string {
  let out = s.includes("-#") ? s.replace(GLUED_POSITION(), " - $1 - ") : s;
  const m = GLUED_HEAD().exec(out);
  if (m !== null && isPerson(m[1])) {
    const rest = out.slice(m[0].length);
    // "Arturo Pérez-Reverte - El club Dumas", "Jon Kabat-Zinn (2005)": one word after the hyphen, then a separator, a
    // bracket or nothing, is the second half of a double surname, not a title glued to its writer.
    const surnameTail = DOUBLE_SURNAME_TAIL().exec(rest);
    // "DE SAINT-EXUPÉRY, Antoine", "Pérez-Reverte, Arturo": a word glued by the hyphen then a comma is a double
    // surname written reversed; a hyphen with no space around it never parts the pieces of a name.
    const reversed = REVERSED_SURNAME_TAIL().exec(rest);
    const reversedTail = reversed !== null && !isTitleWord(reversed[1]);
    if (!reversedTail && (surnameTail === null || isTitleWord(surnameTail[1])) && (rest.includes(" ") || CAMEL_HEAD().test(rest.split(/[\s-]/u)[0]))) out = `${m[1]} - ${rest.includes(" ") ? rest : splitCamel(rest)}`;
  }
  return out;
}
// "Mark Fainaru-Wada and Steve Fainaru - Title": "and" or "&" after the second half ends that person, too.
const DOUBLE_SURNAME_TAIL = lazyRegExp(() => /^(\p{Lu}[\p{Ll}'’]+)(?:\s*$|\s+[-–—]\s|\s*[([{]|\s*[&;]|\s+(?:and|und|et|y)\s)/u);
const REVERSED_SURNAME_TAIL = lazyRegExp(() => /^\p{Lu}[\p{L}\p{M}'’]*\s*,\s*(\p{Lu}[\p{L}\p{M}'’.]*)/u);
const GLUED_POSITION = lazyRegExp(() => /(?<=\S)-(#\s?\d{1,3}(?:\.\d{1,2})?)-(?=\S)/gu);
const GLUED_HEAD = lazyRegExp(() => /^(\p{Lu}[\p{L}.'’]*(?: \p{Lu}[\p{L}.'’]*){1,3})-(?=[\p{Lu}\p{N}])/u);

/** True for release-style names that use dots or underscores instead of spaces. */
export function isSceneName(s: string): boolean {
  // Ideographs are written without spaces: "J.K.ローリング" is a name with initials, not a release.
  return !s.includes(" ") && (s.includes("_") || (HAS_WORD_DOT().test(s) && !CJK_TEXT().test(s)));
}
const CJK_TEXT = lazyRegExp(() => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u);

/**
 * "Dean.Koontz-Watchers" -> "Dean Koontz - Watchers": in a release-style name
 * dots are spaces and hyphens separate fields, but "11.22.63" and initials stay.
 */
export function unsceneName(s: string): string {
  const tokens = s.split(".");
  let out = tokens[0];
  for (let i = 1; i < tokens.length; i++) {
    const prev = tokens[i - 1];
    const next = tokens[i];
    const prevInitial = SINGLE_LETTER().test(prev) || LAST_INITIAL().test(prev);
    if (DIGIT_END.test(prev) && DIGIT_START.test(next)) out += ".";
    else if (SPACE_START.test(next)) out += ".";
    else if (prevInitial && (SINGLE_LETTER().test(next) || FIRST_INITIAL().test(next))) out += ".";
    else if (prevInitial) out += ". ";
    else out += " ";
    out += next;
  }
  // A field cut out by the junk pass ("-AUDIOBOOK-") leaves "- -": one separator.
  const fields = out.replace(EMPTY_FIELDS, "-").replace(SCENE_HYPHEN(), " - ");
  if (!fields.includes(" - ")) return fields;
  const all = fields.split(" - ");
  const kept = all.filter((field) => !SCENE_TAG.test(field.trim()));
  // "Stephen.King-It": a tag's spelling that leaves only one field was the title ("It", "IT"), not Italian.
  return (kept.length >= 2 || all.length > 2 ? kept : all).join(" - ");
}

/**
 * "Author-Title.2010.AUDIOBOOK.MP3-SCENE", "Author-Title-(Unabridged)-2010-ABEE": a scene release ends with its
 * group's name after the year or a format tag. Only there: "Stephen.King-It" and "Andy.Weir-Artemis" end with a title.
 */
export function withoutSceneGroup(name: string): string {
  const m = SCENE_GROUP_END().exec(name);
  if (m !== null) return TAG_BEFORE_GROUP.test(name.slice(0, m.index)) ? name.slice(0, m.index) : name;
  // "Author.-.Title.2021.MP3.TAoE": the group dotted on as one more word, only after a format tag (after a year the word
  // may be the title's: "Blade.Runner.2049.Final").
  const dotted = SCENE_GROUP_DOT_END().exec(name);
  return dotted === null || !FORMAT_BEFORE_GROUP.test(name.slice(0, dotted.index)) ? name : name.slice(0, dotted.index);
}
// A part or disc after the format ("Title.MP3.Part1") is a piece of the book, no group.
const SCENE_GROUP_DOT_END = lazyRegExp(() => /\.(?!(?:part|pt|disc|disk|cd|vol|book|teil)\d*$)(?=\p{N}*\p{L})[\p{L}\p{N}]{2,12}$/iu);
const FORMAT_BEFORE_GROUP = /(?:^|[._\-([])(?:mp3|m4b|m4a|aac|flac|ogg|opus|aax|audio-?books?|abook|(?:un)?abridged|\d{2,3}\s?k(?:bps)?)$/iu;
const SCENE_GROUP_END = lazyRegExp(() => /-(?=\p{N}*\p{L})[\p{L}\p{N}]{2,12}$/u);
const TAG_BEFORE_GROUP =
  /(?:^|[._\-\s([])(?:(?:19|20)\d\d|mp3|m4b|m4a|aac|flac|ogg|opus|aax|audio-?books?|abook|(?:un)?abridged|\d{2,3}\s?k(?:bps)?|web|retail|proper|repack|internal|readnfo|eng?|ger|de|fre?|es|nl|multi)[)\]]?$/iu;
/** Hyphens between fields: letters on both sides, a year after ("Title-2006"), a capital after a number ("Discworld_01-The_Colour"). */
const SCENE_HYPHEN = lazyRegExp(() => /(?<=[\p{L}.)\]])-(?=[\p{L}([])|(?<=[\p{L}\d)\]])-(?=(?:19|20)\d\d(?!\d))|(?<=\d)-(?=\p{Lu})/gu);
const EMPTY_FIELDS = /\s*-(?:\s*-)+\s*/gu;
/** Fields of a release name that describe the release: source, language, flags ("-WEB-EN-", "-iNTERNAL-"). */
const SCENE_TAG =
  /^(?:web|webrip|web-?dl|retail|internal|proper|repack|readnfo|dirfix|nfofix|abook|audiobooks?|(?:un)?abridged|en|eng|english|de|ger|german|fr|fre|french|es|spa|spanish|it|ita|italian|nl|dut|dutch|multi)$/iu;
// "Dune.2006.MP3": a word dotted to a year is a release name too.
const HAS_WORD_DOT = lazyRegExp(() => /\p{L}{2}\.\p{L}|\p{L}\.\p{L}{2}|\p{L}{2}\.(?:19|20)\d\d(?:\.|$)/u);
const DIGIT_END = /\d$/;
const DIGIT_START = /^\d/;
const SINGLE_LETTER = lazyRegExp(() => /^\p{L}$/u);
/** "[R" of "[R.C. Bray]": an initial after a bracket or space. */
const LAST_INITIAL = lazyRegExp(() => /[^\p{L}.]\p{L}$/u);
const FIRST_INITIAL = lazyRegExp(() => /^\p{L}(?=[^\p{L}]|$)/u);
const SPACE_START = /^\s/;

const TLD =
  "(?:com|org|net|to|me|io|cc|ws|info|xyz|se|ru|tv|lol|nu|eu|club|site|online|top|bz|pw|is|li|ag|am|co|uk|biz|sx|vip|rs|cx|gg|st|one|cloud|link|live|fun|space|website|pro|re|si|so)";
// A label is at most 63 characters and a host has few of them (DNS's own limits): bounded, a failed match costs the
// same wherever it starts, so a long dotted run with no address in it ("Ab.Ab.Ab...") is read in linear time.
const LABEL = "[a-z0-9-]{1,63}";
const DOMAIN = `(?:https?://)?(?:www\\.)?[a-z0-9][a-z0-9-]{0,62}(?:\\.${LABEL}){0,8}\\.${TLD}(?:/\\S*)?`;
const BOUNDED = (body: string): string => `(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`;

/** Tags that mean nothing about the book wherever they appear. */
const LOOSE_JUNK_BODY = [
  "(?:full[\\s-]+(?:length[\\s-]+)?|complete(?:[\\s-]+(?:and|&))?[\\s-]+|free[\\s-]+)?(?:un)?abridged(?:[\\s-]+audio[\\s-]?books?|[\\s-]+(?:edition|version|recording))?",
  "(?:full[\\s-]+(?:length[\\s-]+)?|complete[\\s-]+|free[\\s-]+)?audio[\\s-]?books?(?:[\\s-]+full[\\s-]+length)?",
  // "MP3-320", "M4B 64k", "320 MP3": a format with its bitrate, one tag (before the format alone below).
  // Only the bitrates encoders offer: "Apollo 13 MP3" keeps its 13.
  "(?:mp3|m4b|m4a|aac|flac|ogg|opus|aax|wma)(?:\\s*[-–_@]\\s*|\\s)?(?:32|48|56|64|80|96|112|128|160|192|224|256|320)\\s?(?:k(?:bps|b/s)?)?|(?:32|48|56|64|80|96|112|128|160|192|224|256|320)\\s?(?:k(?:bps)?)?[\\s_-]?(?:mp3|m4b|m4a|aac|flac|ogg|opus)",
  // A unit names a bit rate at any number; a bare "k" only at a rate encoders offer, so "Warhammer 40k" keeps its
  // millennium (in brackets any "[40k]" is a bit rate: see BRACKET_ONLY_JUNK_BODY).
  // "64kbps mono", "128k Stereo": the channels after the rate go with it (alone, "Mono" may be a title's word).
  "\\d{2,3}\\s?(?:kbps|kb/s|kbits?(?:/s)?)(?:[\\s,_-]+(?:joint[\\s-]?)?(?:mono|stereo))?",
  "(?:32|48|56|64|80|96|112|128|160|192|224|256|320)\\s?k(?:[\\s,_-]+(?:joint[\\s-]?)?(?:mono|stereo))?",
  "\\d{2,3}(?:[.,]\\d)?\\s?khz",
  "\\d+(?:[.,]\\d+)?\\s?(?:kb|mb|gb|mib|gib|kib)",
  "mp3|m4b|m4a|aac|flac|ogg|opus|aax|wma|vbr|cbr",
  // "12h 30m", "12 hrs 30 mins", "9h05m": a running time, never part of a title.
  "\\d{1,3}\\s?h(?:ours?|rs?)?[\\s,]*\\d{1,2}\\s?m(?:in(?:s|utes?)?)?(?:[\\s,]*\\d{1,2}\\s?s(?:ec(?:s|onds?)?)?)?",
  // "03:15:22": a timestamp (the dotted form is only junk after words: "11.22.63" is a title).
  "\\d{1,3}:\\d{2}:\\d{2}",
  // "Audiobook" in German, French, Spanish, Dutch and Swedish.
  "h(?:ö|oe|o)rbuch(?:fassung)?|livre\\s+audio|audiolibro|luisterboek|ljudbok",
  // LibriVox's own name in its downloads ("prideandprejudice_1208_librivox", "Title - LibriVox Recording"): the
  // project, never the book; the catalogue number before it goes with it.
  "(?:\\d{3,6}[\\s_-]+)?librivox(?:[\\s_-]+(?:recording|audiobook|edition))?",
  // German "ungekürzt" (unabridged), with "Lesung", "Fassung" or "Ausgabe" (reading, version, edition).
  "ungek(?:ü|ue|u)rzte?(?:[\\s-]+(?:lesung|fassung|ausgabe|h(?:ö|oe|o)rbuch(?:fassung)?))?",
].join("|");
/** Only inside brackets are these safe to call junk ("Mono" or "Retail" may be a title word). */
const BRACKET_ONLY_JUNK_BODY = [
  DOMAIN,
  "\\d{2,3}\\s?k",
  // "(Audible Original)", "[Audible Studios]": the shop that recorded or sells it, no part of the title.
  "mono|stereo|retail|repack|proper|ebook|e-book|audible(?:\\s+(?:originals?|studios|exclusive))?|chaptered|chapterized|v\\d|eng|english|multi",
  // An anthology's editors named as such: "Neil Gaiman (Editor)", "Gardner Dozois (ed.)", "(Hrsg.)"; the name is the
  // person a library shelves the book under.
  "eds?\\.?|editors?|editor\\s+in\\s+chief|hrsg\\.?|herausgeber(?:in)?|[ée]d\\.|a\\s+cura\\s+di",
  // German "(Lesung)", "(Autorenlesung)": a reading, as every audiobook is; the reader, when named, stands elsewhere.
  "(?:autoren)?lesung",
  // Video-site rips: "(HQ)", "[HD]", "[Official Audio]", "(Full Audiobook Free)".
  "hq|hd|lq|free|official(?:\\s+(?:audio(?:book)?|video|upload))?|(?:high|best)\\s+quality",
  // Trackers and indexers named without their address: "Frank Herbert [AudioBookBay]", "[MAM]".
  // A broadcaster or its station: "[BBC Radio 4]", "(BBC Radio)", "[BBC Audiobooks]".
  "bbc(?:\\s+radio(?:\\s+\\d{1,2}(?:\\s+extra)?)?)?(?:\\s+(?:audio(?:books?)?|worldwide|audiobooks\\s+ltd))?",
  "audio\\s?book\\s?bay|abb|mam|myanonamouse|audioz|avax(?:home)?|rutracker|tpb|the\\s?pirate\\s?bay|1337x|rarbg|bitsearch|usenet",
  "(?:complete\\s*(?:&|and)\\s*)?uncut|complete\\s+edition|unabridged\\s+edition",
  // Unabridged in French, Spanish, Italian, Dutch and Swedish; as words of a title ("L'Intégrale") only outside brackets.
  "(?:version\\s+|texte\\s+|lecture\\s+)?int[ée]grale?|(?:versi[óo]n\\s+)?[íi]ntegr[oa]|(?:versione\\s+)?integrale|onverkort(?:e\\s+(?:versie|uitgave))?|of[öo]rkortad",
  // A catalogue or shop id: "(2345678)", "[B00ABC1234]" (ASIN), an ISBN.
  // The audiobook's publisher, as shops list it and rippers copy it: "(Podium Audio)", "(Tantor)", "[Recorded Books]".
  "(?:random\\s+house|penguin(?:\\s+random\\s+house)?|hachette|harper|macmillan|simon\\s*(?:&|and)\\s*schuster|hodder|dreamscape|highbridge|oakhill|bolinda|podium|brilliance|blackstone|tantor|audible|naxos|l(?:ü|ue)bbe)\\s*(?:audio(?:\\s?books?)?|media|publishing|studios)|harperaudio|tantor|podium|blackstone|brilliance|recorded\\s+books|listening\\s+library|der\\s+h(?:ö|oe)rverlag|playaway|books\\s+on\\s+tape|audiogo|h(?:ö|oe)rbuch\\s+hamburg|argon\\s+(?:h(?:ö|oe)rbuch|verlag)",
  // Named too, as Audible exports and Libation write them: "(ASIN B002UZMLXM)", "[ASIN: B0...]", "(ISBN 9780...)".
  "(?:(?:asin|isbn(?:-?1[03])?)\\s*[:#]?\\s*)?(?:\\d{5,}|b0[0-9a-z]{8}|(?:97[89][\\s-]?)?\\d{9}[\\dx])",
  "a\\s+novel|novel|\\d{1,2}\\s?(?:cds?|discs?|parts?)|multi[\\s-]?file|single[\\s-]?file|audio|audiobook\\s+collection",
  "\\d{1,2}\\s?h(?:ours?|rs?)?(?:\\s?\\d{1,2}\\s?m(?:in(?:utes?)?)?)?|\\d{1,3}\\s?min(?:utes?)?",
].join("|");

const LOOSE_JUNK = lazyRegExp(() => new RegExp(BOUNDED(LOOSE_JUNK_BODY), "giu"));
const BRACKET_JUNK = lazyRegExp(() => new RegExp(BOUNDED(`${LOOSE_JUNK_BODY}|${BRACKET_ONLY_JUNK_BODY}`), "giu"));
const BRACKET_FILLER = /[\s,;+|/&.:@_\-–—]+/gu;
// "www." or a scheme names a web address whatever its ending ("www.somesite.example").
const WWW_DOMAIN = lazyRegExp(() => new RegExp(`(?<![\\p{L}\\p{N}])(?:https?://\\S+|www(?:\\.${LABEL}){2,9}(?:/\\S*)?|[a-z0-9][a-z0-9-]{0,62}(?:\\.${LABEL}){0,8}\\.${TLD}/\\S*)`, "giu"));
/** "Title-PRiSM", "Title -iNTERNAL", "Title.2019-R3L": a release group glued to the end by a hyphen. */
const RELEASE_GROUP_END = lazyRegExp(() => /(?<=\S)\s?-(?:\p{L}*\p{Ll}\p{Lu}(?<!(?:^|-)(?:Mc|Mac|D|O)\p{Lu})\p{L}*|(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{3,12})$/u);
/** "Watchers 03.15.22": a time after the words; minutes and seconds under 60, so "Stephen King 11.22.63" keeps its title. */
const TRAILING_TIMESTAMP = lazyRegExp(() => /(?<=\p{L}\S*)\s+\d{2}\.[0-5]\d\.[0-5]\d$/u);
/** "Watchers v01": a volume suffix outside any series rule carries nothing a series folder would not. */
const TRAILING_VOLUME = lazyRegExp(() => /(?<=\S)\s+v\d{1,3}$/iu);
const EDGE_DOMAIN_START = lazyRegExp(() => new RegExp(`^${DOMAIN}\\s*(?:[-–—|:~]+\\s*)`, "iu"));
const A_NOVEL_END = /[:,\s-]+an?\s+novel$/iu;
const BRACKET_GROUP = /[[({]([^[\](){}]*)[\])}]/gu;

/** True when a bracket's content is only tags (formats, bitrates, trackers, "Unabridged"). */
export function isJunkBracket(content: string): boolean {
  const rest = content.replace(BRACKET_JUNK(), "").replace(BRACKET_FILLER, "");
  return rest.length === 0;
}

const HAS_BRACKET = /[[({]/;
/** "Title - Retail", "Title - Chaptered": a release tag as the last dash field, where no title word stands alone. */
const TAG_FIELD_END = /\s+[-–—|]+\s*(?:retail|repack|proper|chaptered|chapterized|audible|mono|stereo|multi[\s-]?file|single[\s-]?file)$/iu;
/** "Title-AAX_44_128", "Title-LC_128_44100_stereo": audible-cli's codec, sample rate and bitrate after the title. */
const CODEC_END = /[-\s_]+(?:aaxc?|lc|mp3|m4b|aac)[\s_]+\d{2,3}[\s_]+\d{2,5}(?:[\s_]+(?:stereo|mono))?$/iu;
const CODEC_HINT = /(?:aax|lc|mp3|m4b|aac)[\s_]+\d/iu;
const TAG_FIELD_HINT = /retail|repack|proper|chapter|audible|mono|stereo|file$/iu;
/** "B00ABC1234 - Title", "Title - B00ABC1234": an Audible ASIN as a field of its own (in brackets it goes above). */
const ASIN_HINT = /B0[0-9A-Z]{8}/;
const EDGE_ASIN = /^B0(?=[A-Z]*\d)[0-9A-Z]{8}\s*[-–—_]\s*|(?:\s*[-–—_]\s*|\s+)B0(?=[A-Z]*\d)[0-9A-Z]{8}$/u;
/** "Title - ISBN 9781593974794", "Title ISBN: 978-1-59397-479-4" (issue advplyr/audiobookshelf#930): a labelled ISBN as a field of its own. */
const ISBN_HINT = /isbn/iu;
const ISBN_FIELD = /(?:\s*[-–—_,]\s*|\s+)isbn(?:-?1[03])?\s*[:#]?\s*(?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dx](?=$|\s*[-–—_]\s)/giu;
const ISBN13_HINT = /97[89]/u;
const EDGE_ISBN13 = /^97[89](?:[\s-]?\d){10}\s*[-–—_]\s*(?=\S)|(?<=\S)(?:\s*[-–—_]\s*|\s+)97[89](?:[\s-]?\d){10}$/u;
const GENRE_SPLIT = /\s*[,/&;]\s*|\s+-\s+/u;

/** "(Fantasy)", "[Sci-Fi, Horror]": a genre label, not part of the name. */
function isGenreTag(content: string): boolean {
  const pieces = content.split(GENRE_SPLIT).filter((p) => p.trim().length > 0);
  return pieces.length > 0 && pieces.every((p) => CONTAINERS.has(p.toLowerCase().replace(CONTAINER_FOLD(), " ").trim()) && !LETTER_INDEX().test(p.trim()));
}
const DOMAIN_HINT = /www\.|https?:|[a-z0-9]\.[a-z]{2}/i;
const JUNK_HINT = /\d\s?[kmgh]|\d:\d\d|librivox|abridged|gek(?:ü|ue|u)rzt|rbuch|livre\s+audio|luisterboek|ljudbok|audio|mp3|m4[ab]|aac|flac|ogg|opus|aax|wma|[vc]br/i;
const NOVEL_HINT = /novel\s*(?:[)\]]|$)/i;
const DIGIT_HINT = /\d$/;

const SPACE_CHAR = /\s/u;
const EDGE_SEPARATOR = /[-–—|:~]/u;
const WHOLE_DOMAIN = lazyRegExp(() => new RegExp(`^${DOMAIN}$`, "iu"));
const GLUED_DOMAIN_END = lazyRegExp(() => new RegExp(`(?<=[-–—|:~])${DOMAIN}$`, "iu"));

/**
 * "Title - www.site.com", "Title-site.com": an address closing the name after a separator goes, with the separator.
 * It is looked for in the name's last run without spaces only: a pattern tried from every separator of a long name
 * would run the address's path ("/\S*") to the next space and fail there, which costs the square of the name's length.
 */
function withoutEdgeDomainEnd(s: string): string {
  let start = s.length;
  while (start > 0 && !SPACE_CHAR.test(s[start - 1])) start--;
  if (start === s.length) return s;
  const run = s.slice(start);
  if (start > 0 && WHOLE_DOMAIN().test(run)) {
    // The run is the address: the spaces, separators and spaces before it go with it.
    let cut = start;
    while (cut > 0 && SPACE_CHAR.test(s[cut - 1])) cut--;
    const afterSeparators = cut;
    while (cut > 0 && EDGE_SEPARATOR.test(s[cut - 1])) cut--;
    if (cut < afterSeparators) {
      while (cut > 0 && SPACE_CHAR.test(s[cut - 1])) cut--;
      return s.slice(0, cut);
    }
  }
  const glued = GLUED_DOMAIN_END().exec(run);
  if (glued === null) return s;
  let cut = start + glued.index;
  while (cut > start && EDGE_SEPARATOR.test(s[cut - 1])) cut--;
  return s.slice(0, cut);
}

/** Remove tracker, format, quality and "Unabridged"-style tags; keep everything else. */
export function stripJunk(s: string): string {
  let out = s;
  // Before the loose tags below take "AAX" alone and leave its numbers behind.
  if (CODEC_HINT.test(out)) out = out.replace(CODEC_END, "");
  if (HAS_BRACKET.test(out)) out = out.replace(BRACKET_GROUP, (whole, content: string) => (isJunkBracket(content) || isGenreTag(content) ? " " : whole));
  if (DOMAIN_HINT.test(out)) out = withoutEdgeDomainEnd(out.replace(WWW_DOMAIN(), " ").replace(EDGE_DOMAIN_START(), ""));
  // "Eric Ugland - War of the Posers.MP3.mp3" (library-manager#57): a format dotted onto the name goes with its dot.
  if (JUNK_HINT.test(out)) out = out.replace(DOTTED_FORMAT_END, "").replace(LOOSE_JUNK(), " ");
  // "Project Hail Mary - A Novel (Unabridged)": the bracket gone before it, "A Novel" still closes the name.
  if (NOVEL_HINT.test(out)) out = out.trimEnd().replace(A_NOVEL_END, "");
  if (out.includes("-")) out = out.replace(RELEASE_GROUP_END(), "");
  if (DIGIT_HINT.test(out)) out = out.replace(TRAILING_TIMESTAMP(), "").replace(TRAILING_VOLUME(), "");
  if (ASIN_HINT.test(out)) out = out.replace(EDGE_ASIN, "");
  if (ISBN_HINT.test(out)) out = out.replace(ISBN_FIELD, "");
  // "9780593135204 - Project Hail Mary", "Project Hail Mary 978-0-593-13520-4": an unlabelled ISBN-13 as a field of its
  // own at either end, as the ASIN above; the words beside it are the name (no writer "Project Hail Mary").
  if (ISBN13_HINT.test(out)) out = out.replace(EDGE_ISBN13, "");
  if (TAG_FIELD_HINT.test(out)) {
    // "Stephen King - Mono", "Stephen King - Retail": after a writer alone the word is the only title there is (as
    // "Retail - Stephen King" reads); after a title, or a writer and a title, it is the release's tag.
    const m = TAG_FIELD_END.exec(out);
    if (m !== null) {
      const rest = out.slice(0, m.index).trim();
      if (SPACED_DASH.test(rest) || nameScore(rest) < 2) out = out.slice(0, m.index);
    }
  }
  if (DURATION_HINT.test(out)) {
    // "Stephen King - The Stand - Unabridged - 48 Hours": a recording's length as the last dash field, when a writer and
    // a title still stand before it ("Writer - 24 Hours" is a title).
    const m = DURATION_FIELD_END.exec(out);
    if (m !== null && SPACED_DASH.test(out.slice(0, m.index).replace(TRAILING_DASHES, ""))) out = out.slice(0, m.index);
  }
  if (DISC_COUNT_HINT.test(out)) {
    // "Fitzek, Sebastian - Amokspiel - 6 CDs", "Stephen King - The Stand - 12 Discs": how many discs the release came on,
    // as the last dash field, is the recording's size as "(6 CDs)" is, never a series' sixth book titled "CDs".
    const m = DISC_COUNT_FIELD_END().exec(out);
    if (m !== null && LETTER_BEFORE().test(out.slice(0, m.index))) out = out.slice(0, m.index);
  }
  return tidy(out);
}

const DISC_COUNT_HINT = /\d\s*(?:audio-?|mp3-?)?(?:cds?|discs?|disks?|kassetten|cassettes|tapes)\b/iu;
const DISC_COUNT_FIELD_END = lazyRegExp(() => /\s+[-–—|]+\s*\d{1,3}\s*(?:audio-?|mp3-?)?(?:cds?|discs?|disks?|kassetten|cassettes|tapes)$/iu);
const LETTER_BEFORE = lazyRegExp(() => /\p{L}/u);
const DURATION_HINT = /\d\s*(?:h(?:ou)?rs?|hours?)\b/iu;
const DURATION_FIELD_END = /\s+[-–—|]+\s*\d{1,3}\s*(?:hours?|hrs?\.?)(?:\s*(?:and\s+)?\d{1,2}\s*(?:minutes?|mins?\.?))?$/iu;
const SPACED_DASH = /\s[-–—]\s/u;
const TRAILING_DASHES = /[\s\-–—]+$/u;
// "The Stand.mp3.": a trailing dot after the format (what Windows would drop) goes with it.
const DOTTED_FORMAT_END = /(?<=[\p{L}\p{N})\]])\.(?:mp3|m4b|m4a|aac|flac|ogg|opus|aax|wma)\.*$/iu;
const SPACES = / {2,}/g;
const EMPTY_BRACKETS = /[[({]\s*[\])}]/g;
const SPACE_BEFORE_PUNCT = / ([,;:])/g;
const UNTIDY_HINT = /  | [,;:]|[[({]\s*[\])}]/;
const LEADING_JUNK = new Set(" \t-–—,;:_|~+.");
const ELLIPSIS_WORD = lazyRegExp(() => /^[\p{L}\p{N}]$/u);
const TRAILING_JUNK = new Set(" \t-–—,;:_|~+");

/** Collapse spaces, drop empty brackets and separators left dangling at either end. */
export function tidy(s: string): string {
  let out = s;
  if (UNTIDY_HINT.test(out)) out = out.replace(EMPTY_BRACKETS, " ").replace(SPACES, " ").replace(SPACE_BEFORE_PUNCT, "$1");
  let start = 0;
  let end = out.length;
  while (start < end && LEADING_JUNK.has(out[start])) start++;
  // "...And Justice for All": an ellipsis right against the first word is the title's own.
  if (start >= 3 && out.startsWith("...", start - 3) && ELLIPSIS_WORD().test(out.slice(start, start + 1))) start -= 3;
  while (end > start && TRAILING_JUNK.has(out[end - 1])) end--;
  return start === 0 && end === out.length ? out : out.slice(start, end);
}

/** Folder names that group books instead of naming an author or series. */
const CONTAINERS = new Set(
  [
    "audiobooks", "audio books", "audiobook", "books", "book", "library", "media", "downloads", "download",
    "incoming", "torrents", "unsorted", "new", "complete", "completed", "misc", "miscellaneous", "other",
    // What a tagger or an organizer writes where it knew no writer ("Unknown/Black Ops (R.C. Bray)", library-manager#143).
    "unknown", "unknown author", "unknown authors", "unknown artist", "various", "various artists", "various authors", "n a",
    "audio", "mp3", "m4b", "english", "fiction", "nonfiction", "non fiction", "fantasy", "science fiction",
    "sci fi", "scifi", "sf", "horror", "mystery", "mysteries", "thriller", "thrillers", "crime", "romance",
    "biography", "biographies", "memoir", "memoirs", "history", "historical fiction", "young adult", "ya",
    "children", "childrens", "children s", "kids", "classics", "classic", "literature", "self help",
    "business", "philosophy", "poetry", "humor", "humour", "comedy", "drama", "adventure", "western",
    "westerns", "religion", "spirituality", "science", "psychology", "health", "finance", "true crime",
    "graphic novels", "short stories", "dystopian", "paranormal", "urban fantasy", "epic fantasy",
    "space opera", "litrpg", "cozy mystery", "mystery thriller", "sci fi fantasy", "science fiction fantasy",
    "literature fiction", "action adventure", "teen young adult", "audible", "0 9",
    // Narrower genres, as the shelves of a genre's folder name them ("Fiction/Literary/", "Nonfiction/Sports/").
    "literary", "literary fiction", "general fiction", "contemporary fiction", "womens fiction", "women s fiction",
    "sports", "sport", "travel", "cooking", "politics", "economics", "self improvement", "personal development",
    "personal finance", "parenting", "christian fiction", "military history", "military fiction", "war fiction",
    "espionage", "suspense", "sff", "speculative fiction", "dystopia", "post apocalyptic", "alternate history",
    "cyberpunk", "steampunk", "middle grade", "teen", "true stories", "lectures", "great courses", "the great courses",
    "chemistry", "physics", "biology", "mathematics", "medicine", "technology", "computers", "programming",
    // Where books wait to be sorted, or the app or shop they came from.
    "inbox", "to sort", "to be sorted", "sort", "sorted", "unsorted audiobooks", "new books", "new audiobooks",
    "new releases", "temp", "tmp", "done", "finished", "listened", "to listen", "queue", "import", "imports",
    "staging", "processing", "uploads", "upload", "shared", "public", "my audiobooks", "my books",
    "audible downloads", "audible library", "audiobook library", "audiobookshelf", "librivox", "ebooks",
    "e books", "spoken word", "talking books", "podcasts", "libation", "openaudible", "open audible", "audible books",
    "audible audiobooks", "audiobookbay", "audiobook bay", "readarr", "plex", "plex audiobooks", "booksonic",
    // A writer's books sorted by kind: shelves, not series.
    "novels", "novellas", "novelas", "novelle", "romane", "romans", "standalone", "standalones", "stand alone", "stand alones",
    "standalone novels", "standalone books", "stand alone novels", "other books", "other works", "other novels", "others",
    "non series", "nonseries", "no series", "single books", "singles", "one offs", "essays", "plays", "poems",
    "collections", "anthologies", "short fiction", "novella", "kurzgeschichten", "erzählungen", "nouvelles", "cuentos",
    // Audiobooks, novels and genres in Chinese, Japanese and Korean.
    "有声书", "有聲書", "有声小说", "有聲小說", "有声读物", "有聲讀物", "听书", "聽書", "小说", "小說", "小説", "书籍", "書籍",
    "文学", "文學", "外国文学", "外國文學", "中国文学", "中國文學", "日本文学", "武侠", "武俠", "科幻", "推理", "悬疑", "懸疑", "言情",
    "历史", "歷史", "オーディオブック", "朗読", "朗读", "ミステリー", "ミステリ", "ライトノベル", "文芸", "오디오북", "소설", "도서",
  ],
);
const CONTAINER_FOLD = lazyRegExp(() => /[^\p{L}\p{N}]+/gu);
const LETTER_INDEX = lazyRegExp(() => /^(?:\p{L}|\p{L}\s?-\s?\p{L}|#|0-9)$/u);

/** A folder that groups books (genre, "Audiobooks", an A-Z index letter) rather than naming one. */
export function isContainerFolder(name: string): boolean {
  if (LETTER_INDEX().test(name)) return true;
  return CONTAINERS.has(name.toLowerCase().replace(CONTAINER_FOLD(), " ").trim()) || isAudiobookWord(name) || isGenreShelf(name) || isVariantName(name) || isNoWriterName(name);
}
