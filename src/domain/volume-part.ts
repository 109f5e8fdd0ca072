/**
 * A volume of a work, then a part of that volume, in one name: "Война и мир. Том 1. Часть 1", "Der Mann ohne
 * Eigenschaften. Band 1. Teil 2", "Les Misérables, Tome 1, Partie 1", "Ogniem i mieczem. Tom 1. Część 1". The volume
 * is the place in the work read as a series (as "Война и мир. Том 1" alone is, and the folders "Война и мир/Том 1/
 * Часть 1" are); the part stays in the title as "(Часть 1)", the way a part alone does ("Title. Part 1"). Read whole,
 * the name was a title of five words with two numbers in it, which no source matches.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { PART_NUMBER, PART_WORDS } from "./part-words.js";
import { bareSeriesPosition } from "./subtitle.js";

// Russian/Ukrainian "Том", Polish "Tom", German "Band"/"Bd.", French "Tome", Spanish "Tomo", Italian/English "Volume"
// and "Vol.", Spanish "Volumen", Russian "Книга" (a book of a work, then its part: "Книга 1. Часть 2").
const VOLUME_WORDS = String.raw`том|tom|band|bd|tome|tomo|volume|volumen|vol|книга|книжка`;
const PART_WORD = PART_WORDS;
const VOLUME_NUMBER = String.raw`\d{1,3}|[ivxl]{1,6}`;
const GAP = String.raw`(?:\s*[.,:;]\s*|\s+[-–—]+\s+|\s+)`;

/**
 * No file system allows a folder's name of more than 255 bytes: a longer text is no one name, and the patterns below
 * (a lazy name before the volume, tried from every dash) would cost a hostile 8,000 characters half a second.
 */
const LONGEST_NAME = 255;
/** Every name the pattern below matches holds a volume's word and, later, a part's: most names have neither. */
const HINT = /(?:том|tom|band|bd|vol|книг)[^]*(?:p(?:ar)?t|teil|част|cz)/iu;

const VOLUME_PART = lazyRegExp(
  () =>
    new RegExp(
      String.raw`^((?:.*\s[-–—]+\s+)?)(\S.*?\p{L}.*?)${GAP}(?:[([]\s*)?((?:${VOLUME_WORDS})\.?\s*(?:${VOLUME_NUMBER}))${GAP}((?:${PART_WORD})\.?\s*(?:${PART_NUMBER}))\s*[)\]]?$`,
      "iu",
    ),
);

/**
 * "Name. Том 1. Часть 1" -> "Name, Том 1 - Name (Часть 1)": the shape the book reading already reads as the series
 * "Name", its place 1 and the title "Name (Часть 1)". Anything before a dash ahead of the name (a writer) is kept.
 */
export function volumeAndPart(text: string): string | null {
  if (text.length > LONGEST_NAME || !HINT.test(text)) return null;
  const m = VOLUME_PART().exec(text);
  if (m === null) return null;
  const [, before, name, volume, part] = m;
  return `${before}${name}, ${volume} - ${name} (${part})`;
}

// The volume's words above, and a book's: "Дозоры. Книга 1. Ночной дозор", "Mistborn. Book 1. The Final Empire".
const STOPPED_VOLUME_WORDS = String.raw`${VOLUME_WORDS}|book|livre|libro|livro|buch|deel|boek|bind|księga|ksiega`;
const STOPPED_HINT = /\.\s+(?:том|tom|band|bd|vol|книг|book|livr?|libro|buch|deel|boek|bind|ksi[ęe]g)/iu;
const PADDED_HINT = /\s0\d\.\s/u;
const STOPPED_PADDED = lazyRegExp(() => /^((?:.*\s[-–—]+\s+)?)([^.\d]*\p{L}[^.\d]*?)\s+(0\d)\.\s+(?=\p{L})([^]+)$/u);
const PLAIN_HINT = /\s\d\d?[.,]\s/u;
const STOPPED_PLAIN = lazyRegExp(() => /^(.*\S\s+[-–—]+\s+)(\p{L}[^.,\d\-–—]*?\p{L})\s+(0?[1-9]\d?)[.,]\s+(?=\p{Lu})([^]+)$/u);
const STOPPED_VOLUME = lazyRegExp(
  () =>
    new RegExp(
      String.raw`^((?:.*\s[-–—]+\s+)?)([^.]*?\p{L}[^.]*?)\.\s+((?:${STOPPED_VOLUME_WORDS})\.?\s*(?:\d{1,3}|[ivxl]{1,6}))\.\s+(?=\p{L})([^]+)$`,
      "iu",
    ),
);

/**
 * "Лукьяненко Сергей - Дозоры. Книга 1. Ночной дозор", "Wiedźmin. Tom 1. Ostatnie życzenie" (Russian and Polish
 * trackers' form): full stops setting off the series, its book and the title, read as the dashes of "Дозоры - Книга 1 -
 * Ночной дозор" are. Null when the name is not so written.
 */
export function stoppedVolume(text: string): string | null {
  if (text.length > LONGEST_NAME) return null;
  // "Акунин Борис - Приключения Эраста Фандорина 01. Азазель": a padded place and a full stop, as "Series 01 - Title".
  const padded = PADDED_HINT.test(text) ? STOPPED_PADDED().exec(text) : null;
  if (padded !== null) return `${padded[1]}${padded[2]} ${padded[3]} - ${padded[4]}`;
  // "Стивен Кинг - Темная башня 1. Стрелок", "Andrzej Sapkowski - Wiedźmin 1. Ostatnie życzenie", "Кинг Стивен -
  // Тёмная башня 01, Стрелок": after the writer's piece, an unpadded place and a full stop, or any place and a comma,
  // too; two digits unpadded only after a name of two words or more ("Jim Lovell - Apollo 13. The Untold Story" stays a
  // title).
  const plain = PLAIN_HINT.test(text) ? STOPPED_PLAIN().exec(text) : null;
  if (plain !== null && (plain[3].length === 1 || plain[3].startsWith("0") || plain[2].trim().includes(" ")) && bareSeriesPosition(`${plain[2]} ${plain[3]}`) !== null) return `${plain[1]}${plain[2]} ${plain[3]} - ${plain[4]}`;
  if (!STOPPED_HINT.test(text)) return null;
  const m = STOPPED_VOLUME().exec(text);
  if (m === null) return null;
  const [, before, name, volume, title] = m;
  return `${before}${name} - ${volume} - ${title}`;
}
