/**
 * "Einstein - His Life and Universe", "Napoleon - A Life", "Tolkien - A Biography", "Mozart - Sein Leben": one word
 * before a dash, then a life's subtitle, is the book's subject and its subtitle, not its writer (biographers title
 * their books so; no writer calls a book of their own "A Life"). One word before other titles stays the writer's
 * surname ("Tolkien - The Hobbit", "King - The Dark Tower"), and so does this one where the library shows the word
 * writing other books: a sibling or a top folder "Einstein - Relativity" beside it, or a top folder "Einstein".
 */
import { lazyRegExp } from "./lazy-regexp.js";

// A possessive or an article opening it, then a life's word: "His Life and Universe", "A Life", "The Biography",
// "Her Life and Times", "Sein Leben", "Une vie", "Su vida", "La sua vita", "Его жизнь".
const LIFE_SUBTITLE = lazyRegExp(
  () =>
    /^(?:his|her|their|a|an|the|sein|ihr|ein|eine|das|une|sa|son|la|su|una|la sua|его|ее|её)\s+(?:\p{L}+\s+){0,3}?(?:life|lives|biography|memoirs?|leben|biographie|vie|biografie|vida|biograf[ií]a|vita|жизнь|биография)(?:\s|$|[,:;])/iu,
);
const ONE_WORD = lazyRegExp(() => /^\p{Lu}[\p{L}'’-]+$/u);

/**
 * Whether `author`, read from the front of the book's own name `own` before a dash, is rather the subject of the
 * life `title` tells: a single capitalised word, `title` a life's subtitle, and no sibling or top folder shows
 * the word as a writer's.
 */
export function isLifeSubject(author: string, title: string, own: string, siblings?: readonly string[], topFolders?: ReadonlySet<string>): boolean {
  if (!ONE_WORD().test(author) || !LIFE_SUBTITLE().test(title)) return false;
  if (!own.startsWith(author) || !/^\s*[-–—:]/u.test(own.slice(author.length))) return false;
  if (topFolders?.has(author.toLowerCase()) === true) return false;
  const lead = author.toLowerCase();
  const writes = (name: string): boolean => {
    const lower = name.toLowerCase();
    if (!lower.startsWith(lead) || !/^\s*[-–—]/u.test(lower.slice(lead.length))) return false;
    const rest = name.slice(author.length).replace(/^\s*[-–—]\s*/u, "");
    return rest !== "" && !LIFE_SUBTITLE().test(rest);
  };
  // The top folders are the siblings of a book at the library's root (the path layer lists no folder for those).
  if (topFolders !== undefined) for (const name of topFolders) if (writes(name)) return false;
  return !(siblings ?? []).some(writes);
}

/**
 * "Einstein/His Life and Universe": the same subject as a folder of one word above the life's subtitle, read alike,
 * unless the folder holds another book that is no life ("Einstein/Relativity" beside it: a writer's folder).
 */
export function isLifeFolder(folder: string, title: string, siblings?: readonly string[]): boolean {
  if (!ONE_WORD().test(folder) || !LIFE_SUBTITLE().test(title)) return false;
  return !(siblings ?? []).some((name) => name !== title && !LIFE_SUBTITLE().test(name));
}

/** "His Life and Universe", "A Biography", "Sein Leben": a life's subtitle (cheap to ask before reading any folder). */
export function isLifeSubtitle(text: string): boolean {
  return LIFE_SUBTITLE().test(text);
}
