/**
 * What the user is told when a language they set is not one shelfwise knows: kept as typed (Esperanto or Vietnamese
 * are real languages a user may want), but said, since a typo ("englsh") would otherwise name folders in silence.
 * One sentence for `book --set language=...` and the web app's Correct form.
 */
import { foldText, isKnownLanguage, knownLanguageForms, normalizeLanguage } from "./normalize.js";
import { didYouMean } from "./closest-name.js";
import { quotedInput } from "./quoted-input.js";

export function unknownLanguageNote(value: string): string | null {
  if (isKnownLanguage(value)) return null;
  const codes = [...new Set(knownLanguageForms().map((form) => normalizeLanguage(form)))];
  return `language ${quotedInput(value)} is not one shelfwise knows: kept as ${quotedInput(normalizeLanguage(value))}${didYouMean(foldText(value), knownLanguageForms())}; known languages are given by name (english, deutsch) or code: ${codes.join(", ")}`;
}
