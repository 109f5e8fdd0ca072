/**
 * "Stephen King/The Dark Tower V - Wolves of the Calla": a roman numeral after a series' name, with no
 * series folder to name the series. "World War II - A History", "Richard III - The King in the Car Park"
 * and "Henry V" have the same shape, so one name alone never says which it is. The folder around it does:
 * when a sibling carries the same words before a different numeral ("The Dark Tower I - The Gunslinger"),
 * the words are a series and the numerals its positions. A title is not numbered across its folder. One
 * word before the numeral is a ruler's name ("Richard II", "Richard III", "Elizabeth I"), never enough.
 */
import { seriesNumToken } from "./series-num.js";

/** Words, a capital roman numeral, a dash or colon, more words: "The Dark Tower V - Wolves of the Calla". */
const ROMAN_AFTER_WORDS = /^(.*?\p{L}.*?)\s+([IVX]{1,5})\s*[-–—:]\s*(?=\S)/u;

const POSITION_WORD_END = /(?:^|[^\p{L}])(?:books?|bk|vol(?:ume)?s?|part|tome|no|episode|season|chapter)\.?$/iu;

const MULTI_WORD = /\S\s+\S/u;

interface RomanHead {
  prefix: string;
  num: string;
  /** Where the numeral starts in the name. */
  at: number;
  /** Where the words after the separator start. */
  end: number;
}

function romanHead(name: string): RomanHead | null {
  const m = ROMAN_AFTER_WORDS.exec(name);
  if (m === null) return null;
  const num = seriesNumToken(m[2]);
  // "Mistborn Book III - Title" names its position already.
  // "Richard III - The King in the Car Park" beside "Richard II - ...": a ruler's number follows one name.
  if (num === null || POSITION_WORD_END.test(m[1]) || !MULTI_WORD.test(m[1].trim())) return null;
  return { prefix: m[1].trim().toLowerCase(), num, at: m[1].length, end: m[0].length };
}

/** Whether a name has the shape at all; cheap, so a caller lists the folder only when it may matter. */
export function mayBeRomanPosition(name: string): boolean {
  return romanHead(name) !== null;
}

/**
 * The name with its roman position written as "Book N" when a sibling shares the words before a
 * different numeral ("The Dark Tower Book 5 - Wolves of the Calla"); the name unchanged otherwise.
 */
export function withRomanPosition(name: string, siblings: readonly string[]): string {
  const own = romanHead(name);
  if (own === null) return name;
  const numbered = siblings.some((sibling) => {
    const other = romanHead(sibling);
    return other !== null && other.prefix === own.prefix && other.num !== own.num;
  });
  return numbered ? `${name.slice(0, own.at)} Book ${own.num} - ${name.slice(own.end)}` : name;
}
