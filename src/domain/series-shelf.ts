/**
 * "Mistborn/Era 2/Book 05 - The Alloy of Law", "Doctor Who/Season 2/03 - Title", "The Wandering Inn/Arc 1":
 * a shelf inside a series (an era, season, arc, phase, a second trilogy) names no series of its own
 * and no position in it. The series is the folder above; the book's own number stays its position, as
 * written (under "Era 2" people number either way, so nothing is added or subtracted). "Mistborn Era 2" is
 * the Mistborn series for the same reason, never its book 2.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { tidy } from "./path-junk.js";

const GROUPING_NUMBER = String.raw`(?:\d{1,2}|[ivx]{1,4}|one|two|three|four|five|six|seven|eight|nine|ten)`;
// "Cycle", "Trilogy" and "Sequence" also close series names ("Earthsea Cycle 01"), so only an ordinal before them marks a shelf.
const GROUPING_WORD = String.raw`(?:era|season|arc|phase)`;
const GROUPING_ORDINAL = String.raw`(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th)`;
const NUMBERED_SHELF = String.raw`${GROUPING_WORD}\s*[-–#.:]?\s*${GROUPING_NUMBER}`;
// "The Fifth Season", "The Second Generation" are titles: only eras, arcs and second trilogies are shelves by ordinal.
const GROUPING = String.raw`(?:${NUMBERED_SHELF}|(?:the\s+)?${GROUPING_ORDINAL}\s+(?:era|arc|cycle|trilogy|sequence))`;
/** A folder that is only a shelf inside its series: "Era 2", "Season Two", "Arc 1", "The Second Era", "Series 3". */
const GROUPING_FOLDER = lazyRegExp(() => new RegExp(String.raw`^(?:${GROUPING}|series\s*[-–#.:]?\s*\d{1,2})$`, "iu"));
/** A shelf alone, as a piece of a name: "Author - Series - Era 2 - Book 1 - Title". */
const SHELF_PIECE = lazyRegExp(() => new RegExp(String.raw`^${NUMBERED_SHELF}$`, "iu"));
/** "Era 2 - Wax and Wayne": a shelf may carry a name of its own; it is still a shelf. */
const NAMED_SHELF = lazyRegExp(() => new RegExp(String.raw`^${GROUPING}\s*(?:[-–—:,]\s*\S.*|[([][^()[\]]+[)\]])$`, "iu"));
/** "Era 2 - Book 1 - Title", and after the series' name "Mistborn Era 2 - 01 - Title": the shelf before the book's own words. */
const LEADING_SHELF = lazyRegExp(() => new RegExp(String.raw`^\s*[-–—:,(]?\s*${GROUPING}\s*\)?\s*[-–—:,]\s*(?=\S)`, "iu"));
/** "Mistborn Era 2", "Mistborn - Era Two", "Mistborn (Era 2)": the series, then its shelf. */
const GROUPING_TAIL = lazyRegExp(() => new RegExp(String.raw`(?:\s*[-–—,:]\s*|\s+|\s*[([]\s*)${GROUPING}\s*[)\]]?$`, "iu"));
const GROUPING_HINT = /era|season|arc|phase|cycle|trilogy|sequence/iu;
/** What a series position's prefix ends with when the number counts shelves: "Mistborn Era" of "Mistborn Era 2". */
const SHELF_WORD_END = /(?:^|[\s,:;([-])(?:era|season|arc|phase)$/iu;
const UNDERSCORES = /_+/gu;
const MEANINGFUL = lazyRegExp(() => /[\p{L}\p{N}]/u);

/** A folder (raw or cleaned name) that is only a shelf inside a series, named or not. */
export function isShelfFolder(raw: string): boolean {
  if (!GROUPING_HINT.test(raw)) return false;
  const name = tidy(raw.replace(UNDERSCORES, " "));
  return GROUPING_FOLDER().test(name) || NAMED_SHELF().test(name);
}

/** A piece of a name that is a shelf and nothing else ("Era 2", "Season Two"). */
export function isShelfPiece(piece: string): boolean {
  return GROUPING_HINT.test(piece) && SHELF_PIECE().test(piece.trim());
}

/** Whether the number after `prefix` counts shelves, not books ("Mistborn Era" before "2"). */
export function endsWithShelfWord(prefix: string): boolean {
  return GROUPING_HINT.test(prefix) && SHELF_WORD_END.test(prefix);
}

/** The name without a shelf leading it. */
export function withoutLeadingShelf(name: string): string {
  return GROUPING_HINT.test(name) ? name.replace(LEADING_SHELF(), "") : name;
}

/** The series without the shelf named after it; unchanged when nothing would be left. */
export function withoutGrouping(series: string): string {
  if (!GROUPING_HINT.test(series) || GROUPING_FOLDER().test(series)) return series;
  const rest = tidy(series.replace(GROUPING_TAIL(), ""));
  return rest !== series && MEANINGFUL().test(rest) ? rest : series;
}

/** "Mistborn Era 2", "Mistborn (Era 2)": the series a piece names before its shelf; null when it names no shelf. */
export function seriesBeforeShelf(piece: string): string | null {
  if (!GROUPING_HINT.test(piece)) return null;
  const series = withoutGrouping(piece);
  return series !== piece ? series : null;
}
