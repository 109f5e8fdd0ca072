/**
 * "2001 - A Space Odyssey" and "1986 - It" have one shape: a year-sized number, a dash, words. Libraries
 * sorted the Audiobookshelf way put the publication year first ("1994 - Wizards First Rule"), so the
 * number is read as a year unless the words after it show it is the start of the title:
 *
 * - the words are a fragment that cannot stand alone: they open in lower case in a cased name
 *   ("2001 - a Space Odyssey");
 * - the words speak of the number as a year: "1968 - The Year That Rocked the World", "1944 - FDR and
 *   the Year That Changed History", or call the book "A Novel" ("1916 - A Novel of the Irish Rebellion");
 * - the number and the words open a well-known title whose number is year-sized (the short list below:
 *   nothing in a name's grammar tells "2001 - A Space Odyssey" from "1962 - A Clockwork Orange").
 *
 * Numbers that cannot be years never get here: "3001 - The Final Odyssey", "2034" (years to come) and
 * "1066", "1491" (before any recording) are titles already, joined to the words after them when those are
 * no person (isNumberLedTitle in book-segment.ts; see year.ts).
 */
import { lazyRegExp } from "./lazy-regexp.js";

/** Well-known titles opening with a year-sized number, folded (lower case, words only). */
const KNOWN_NUMBER_TITLES: readonly string[] = [
  "2001 a space odyssey",
  "2010 odyssey two",
  "2061 odyssey three",
  "3001 the final odyssey",
  "1982 janine",
  "1812 the rivers of war",
  "1824 the arkansas war",
  "1861 the civil war awakening",
  "1920 america s great war",
  "1939 countdown to war",
  "1929 inside the greatest crash",
  "1913 the year before the storm",
  "1634 the galileo affair",
  "1634 the baltic war",
  "1635 the cannon law",
  "1636 the saxon uprising",
];

const FOLD = lazyRegExp(() => /[^\p{L}\p{N}]+/gu);
/** The words speak of the number as a year, or name the book a novel. */
const YEAR_TALK = /(?:^|\s)(?:the\s+year|year\s+(?:that|of|when|before|after|which|in|the|america|britain|england|europe)|years?\s+that\s+(?:changed|shook|made|rocked|transformed))\b|^an?\s+novel\b/iu;
const FIRST_LETTER = lazyRegExp(() => /\p{L}/u);
const UPPER = lazyRegExp(() => /\p{Lu}/u);

function fold(text: string): string {
  return text.toLowerCase().replace(FOLD(), " ").trim();
}

/** Whether "NUMBER - words" is a title opening with a number (so the number is no year). */
export function isNumberTitle(num: string, words: string): boolean {
  const first = FIRST_LETTER().exec(words);
  if (first === null) return false;
  // "2001 - a Space Odyssey": a cased name whose words open in lower case continue what came before.
  if (first[0] !== first[0].toUpperCase() && UPPER().test(words)) return true;
  if (YEAR_TALK.test(words)) return true;
  return isKnownNumberTitle(num, words);
}

/**
 * "3001 - The Final Odyssey": a well-known title opening with a number, whatever the number; joined like
 * "2001: A Space Odyssey" so the books of one series are written alike.
 */
export function isKnownNumberTitle(num: string, words: string): boolean {
  const folded = `${fold(num)} ${fold(words)} `;
  return KNOWN_NUMBER_TITLES.some((known) => folded.startsWith(`${known} `));
}
