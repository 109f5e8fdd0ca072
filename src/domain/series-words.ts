/**
 * "Edelstein-Trilogie", "The Hunger Games Trilogy", "Inheritance Cycle", "Die Tribute von Panem Saga": a name closing
 * with a word for a series of books names that series, so a part of it ("Teil 1", "Part 2") is one of its books, never
 * a part of one book called so ("Der Herr der Ringe/Teil 1 - Die Gefährten" stays that book's part).
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { PART_NUMBER, PART_WORDS } from "./part-words.js";
import { seriesNumToken } from "./series-num.js";

const SERIES_NAME_END = lazyRegExp(
  () =>
    /(?<=\p{L}[\s-]*)(?:^|[\s-])(?:trilogy|trilogie|trilog[ií]a|duology|dilogie|tetralogy|tetralogie|quartet|series|serie|série|saga|cycle|zyklus|reihe|chronicles|chroniken|трилогия|дилогия|тетралогия|цикл|серия|сага)$/iu,
);
// "Цикл Дозоры", "Cycle de Fondation", "Serie Mortal Instruments": the word leading the name.
const SERIES_NAME_START = lazyRegExp(() => /^(?:цикл|серия|трилогия|сага|cycle|ciclo|série|serie|reihe)\s+(?:(?:de|di|du|des|del|der|«)\s*)?\p{L}/iu);
// A cheap test every name the patterns above match passes (asked of many folders).
const SERIES_WORD_HINT = /tril|olog|quartet|seri|séri|saga|cycl|ciclo|zykl|reihe|chronic|chronik|цикл|сери|сага|трилог|дилог|тетралог/iu;
const PART_AND_NUMBER = lazyRegExp(() => new RegExp(String.raw`^(?:${PART_WORDS})\.?\s*(${PART_NUMBER})$`, "iu"));

/** Whether `name` closes with a word for a series of books ("Trilogy", "Trilogie", "Saga", "Cycle", "Reihe") or opens with one ("Цикл Дозоры"). */
export function isSeriesNamed(name: string): boolean {
  if (!SERIES_WORD_HINT.test(name)) return false;
  const trimmed = name.trim();
  return SERIES_NAME_END().test(trimmed) || SERIES_NAME_START().test(trimmed);
}

/** "Teil 1", "Part II", "Partie deux": the place that part gives in a series, as digits; null for anything else. */
export function partPlace(piece: string): string | null {
  const m = PART_AND_NUMBER().exec(piece.trim());
  return m === null ? null : seriesNumToken(m[1]);
}
