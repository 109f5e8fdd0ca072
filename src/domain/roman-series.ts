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
