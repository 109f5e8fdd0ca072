/**
 * The words that name one piece of ONE book (a disc, a part, a tape side),
 * shared by the scanner (a `Teil 1` subfolder joins its parent's book) and
 * path analysis (`Die Therapie/Teil 1` is named by its parent folder), so the
 * two never disagree on which names are pieces.
 *
 * Deliberately absent: "Vol"/"Volume", Dutch "Deel", Swedish "Del", German
 * "Band" (`Series/Deel 1` is usually a book of a series; path analysis reads
 * these as series positions, series-num.ts), and chapter words ("Kapitel",
 * "Chapter": a textual division, and chapter-named folders are rare enough
 * that a wrong merge is the greater risk). Regex alternations, no groups.
 */
import { lazyRegExp } from "./lazy-regexp.js";

/**
 * A physical medium, written in English, French, Dutch, Swedish, Russian/Ukrainian ("Диск"), Polish ("Płyta"),
 * Japanese, Chinese or Korean: the only words that may follow a title (`The Hobbit - CD1`, `Le Hobbit (Disque 2)`),
 * because no book is named so.
 */
export const DISC_WORDS = String.raw`cd|disc|disk|disque|schijf|skiva|диск|płyta|plyta|ディスク|光盘|光碟|光盤|디스크`;

/**
 * A part or a medium whose word may also end a title (`The Hobbit - Part 1`
 * is too often a book of its own, `Saturday Night Disco 2` is one): a piece
 * only as a name of its own. German, French, Spanish/Italian/Portuguese "Teil",
 * "Partie", "Parte"; "Disco" (Spanish, Italian, Portuguese); tapes.
 */
export const PIECE_WORDS = String.raw`part|pt|teil|partie|parte|часть|частина|część|czesc|disco|tape|cassette|kassette|кассета|касета`;

/**
 * The words of PIECE_WORDS that split a book into parts: "Part", German "Teil", French "Partie", Spanish/Italian "Parte";
 * Russian "Часть", Ukrainian "Частина" and Polish "Część" (a piece to the scanner too, as "Part" is: "Война и мир/Часть 1").
 */
export const PART_WORDS = String.raw`part|pt|teil|partie|parte|часть|частина|część|czesc`;

/**
 * A part's number after one of PART_WORDS, as people write it: digits, a roman numeral, or a number word in
 * English, German, French, Spanish or Italian ("Part One", "Part II", "Teil Zwei", "Partie Deux", "Parte Due").
 * Only path analysis reads these words (a title's "- Part One"); a folder named "Part One" is no piece to the scanner.
 */
export const PART_NUMBER = String.raw`\d{1,3}|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|first|second|third|fourth|fifth|eins|zwei|drei|vier|f[üu]nf|sechs|sieben|acht|neun|zehn|un|une|deux|trois|quatre|cinq|uno|dos|tres|cuatro|cinco|due|tre|quattro`;

/** A tape or record side: "Side A", German "Seite B", French "Face A", Spanish "Cara A", Italian "Lato B". */
export const SIDE_WORDS = String.raw`side|seite|face|cara|lato`;

/** "of N" in English, German ("von"), French ("sur"), Spanish/Portuguese ("de"), Italian ("di"), Dutch ("van"). */
const OF_TOTAL = String.raw`(?:\s*(?:of|von|sur|de|di|van|\/)\s*\d{1,3})?`;
const SEP = String.raw`[\s._-]*`;
const NUMBER = String.raw`\d{1,3}`;
const ROMAN = String.raw`[ivx]{1,5}`;

/** "Part 2", "Teil 2 von 3", "Part II", "CD_03", "Seite B", "Disco 1 de 3": a name that is nothing but a piece. */
export const PIECE_CORE = String.raw`(?:(?:${DISC_WORDS})${SEP}${NUMBER}|(?:${PIECE_WORDS})${SEP}(?:${NUMBER}|${ROMAN})|(?:${SIDE_WORDS})${SEP}(?:[a-z]|\d{1,2}))${OF_TOTAL}`;

/** A name that is only a piece of a book, unbracketed ("Teil 1", "Disc 2 of 3"). */
export const PIECE_ONLY = lazyRegExp(() => new RegExp(String.raw`^${PIECE_CORE}$`, "iu"));

/**
 * A subfolder holding one piece of its parent's book: a piece name on its own,
 * optionally in brackets (`(Disc 3)`), or a disc word after a title
 * (`The Hobbit - CD1`, `Le Hobbit (Disque 2 sur 3)`).
 */
export const PIECE_FOLDER = lazyRegExp(
  () =>
    new RegExp(
      String.raw`^(?:[([]?${PIECE_CORE}|(?:.*[\s._\-([])?(?:${DISC_WORDS})${SEP}${NUMBER}${OF_TOTAL})[)\]]?$`,
      "iu",
    ),
);

/** "The Stand - Disc 1", "The Stand CD2", "Le Hobbit (Disque 1 sur 3)": a disc of the book named before it. */
export const DISC_SUFFIX = lazyRegExp(() => new RegExp(String.raw`(?:\s*[-–—,:]\s*|\s+|\s*[([]\s*)(?:${DISC_WORDS})${SEP}${NUMBER}${OF_TOTAL}\s*[)\]]?$`, "iu"));

/** A cheap test every name the patterns above match passes (hot paths test it first). */
export const PIECE_HINT = /cd|dis[ckq]|schijf|skiva|p(?:ar)?t|teil|tape|cass|kass|side|seite|face|cara|lato|диск|кас|част|p[łl]yt|cz[ęe][śs][ćc]|ディスク|光[盘碟盤]|디스크/iu;
