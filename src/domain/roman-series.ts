/**
 * "Stephen King/The Dark Tower V - Wolves of the Calla": a roman numeral after a series' name, with no
 * series folder to name the series. "World War II - A History", "Richard III - The King in the Car Park"
 * and "Henry V" have the same shape, so one name alone never says which it is. The folder around it does:
 * when a sibling carries the same words before a different numeral ("The Dark Tower I - The Gunslinger"),
 * the words are a series and the numerals its positions. A title is not numbered across its folder. One
 * word before the numeral is a ruler's name ("Richard II", "Richard III", "Elizabeth I"), never enough.
 *
 * Alone, the name still says it when nothing in it can be a ruler or a fixed name: several words before the
 * numeral, the last of them no given name ("Queen Elizabeth II", "Pope John Paul II"), none of them a ruler's title
 * ("King", "Tsar", "Kaiser"), and not a war, a council or a game's edition known by its numeral ("World War II",
 * "Vatican II", "Super Bowl XL"). "The Dark Tower V - Wolves of the Calla" is then read alone as it is beside
 * "The Dark Tower I - The Gunslinger".
 */
import { GIVEN_NAMES } from "./given-names.js";
import { seriesNumToken } from "./series-num.js";

/**
 * Words, a capital roman numeral, a dash or colon, more words: "The Dark Tower V - Wolves of the Calla". The
 * words before it are the first line's text up to the earliest such numeral after a letter. Found in two steps
 * (the first letter, then the numeral after it): one pattern `^(.*?\p{L}.*?)\s+...` backtracks over every pair
 * of places, and a long name that has no numeral held a scan for tens of seconds.
 */
// Only from a run's first space: every start inside a long run of spaces would run to its end again.
const ROMAN_AFTER = /(?<!\s)\s+([IVX]{1,5})\s*[-–—:]\s*(?=\S)/gu;
const LETTER = /\p{L}/u;
const LINE_END = /[\n\r\u2028\u2029]/u;

function romanAfterWords(name: string): { prefix: string; numeral: string; end: number } | null {
  const letter = name.search(LETTER);
  if (letter < 0) return null;
  const line = name.search(LINE_END);
  if (line >= 0 && line < letter) return null;
  ROMAN_AFTER.lastIndex = letter + 1;
  const m = ROMAN_AFTER.exec(name);
  if (m === null || (line >= 0 && m.index > line)) return null;
  return { prefix: name.slice(0, m.index), numeral: m[1], end: m.index + m[0].length };
}

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
  const m = romanAfterWords(name);
  if (m === null) return null;
  const num = seriesNumToken(m.numeral);
  // "Mistborn Book III - Title" names its position already.
  // "Richard III - The King in the Car Park" beside "Richard II - ...": a ruler's number follows one name.
  if (num === null || POSITION_WORD_END.test(m.prefix) || !MULTI_WORD.test(m.prefix.trim())) return null;
  return { prefix: m.prefix.trim().toLowerCase(), num, at: m.prefix.length, end: m.end };
}

/** Words that make "X II" a ruler, a pope or a saint rather than a series: "King George III", "Tsar Nicholas II". */
const RULER_WORD = /(?:^|\s)(?:king|queen|tsar|czar|tsarina|kaiser|emperor|empress|pope|prince|princess|duke|duchess|sultan|pharaoh|shah|saint|st\.?|lord|lady|sir|louis|wilhelm|ramses|ptolemy|pius|leo|innocent|gregory|clement|benedict|urban|boniface|alexander)(?=\s|$)/iu;
/** Names whose numeral belongs to the name: wars, councils, sports finals, ships, missions. */
const NUMBERED_NAME = /(?:^|\s)(?:world\s+war|great\s+war|vatican|super\s+bowl|wrestlemania|apollo|gemini|voyager|pioneer|type|class|mark|mk\.?|phase|stage|level|grade|act|scene|round|chapter|section|article|title|schedule|appendix|annex|world)$/iu;

/** A name whose roman numeral is a position even with no sibling to show it ("The Dark Tower V - Wolves of the Calla"). */
function loneRomanPosition(head: RomanHead): boolean {
  // "Stephen King - The Dark Tower V": only the words after the last separator are the numbered name.
  const name = head.prefix.split(NAME_PARTS).pop()!.trim();
  const words = name.split(/\s+/u);
  if (words.length < 2 || GIVEN_NAMES.has(words[words.length - 1])) return false;
  // A ruler's title stands just before the name it numbers ("Tsar Nicholas II", "Pope John Paul II").
  return !RULER_WORD.test(words.slice(-3).join(" ")) && !NUMBERED_NAME.test(name);
}
const NAME_PARTS = /\s[-–—]\s|[:;]\s/u;

/** Whether a name has the shape at all; cheap, so a caller lists the folder only when it may matter. */
export function mayBeRomanPosition(name: string): boolean {
  return romanHead(name) !== null;
}

/**
 * The name with its roman position written as "Book N" when a sibling shares the words before a
 * different numeral ("The Dark Tower Book 5 - Wolves of the Calla"); the name unchanged otherwise.
 */
export function withRomanPosition(name: string, siblings: readonly string[] = []): string {
  const own = romanHead(name);
  if (own === null) return name;
  const numbered = loneRomanPosition(own) || siblings.some((sibling) => {
    const other = romanHead(sibling);
    return other !== null && other.prefix === own.prefix && other.num !== own.num;
  });
  return numbered ? `${name.slice(0, own.at)} Book ${own.num} - ${name.slice(own.end)}` : name;
}
