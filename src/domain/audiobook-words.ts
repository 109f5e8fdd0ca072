/**
 * What people call the folder that holds their audiobooks, in the languages libraries are kept in: "Hörbücher",
 * "Hoerbuecher", "Livres audio", "Audiolibros", "Luisterboeken", "Ljudböcker", "Аудиокниги", and the radio plays
 * kept beside them ("Hörspiele", "Hoorspelen", "Радиоспектакли"). Such a folder names no writer, title or series.
 * Matched folded (any case, with or without diacritics: "HORBUCHER", "ljudbocker"), optionally after a possessive
 * ("Meine Hörbücher", "Mes livres audio").
 */
import { lazyRegExp } from "./lazy-regexp.js";

const WORDS = [
  // German
  "hörbuch", "hörbücher", "hoerbuch", "hoerbuecher", "hörspiel", "hörspiele", "hoerspiel", "hoerspiele", "hörbuchsammlung",
  // French
  "livre audio", "livres audio", "livres audios", "audiolivre", "audiolivres", "livres lus", "fictions radiophoniques",
  // Spanish, Italian, Portuguese, Catalan, Romanian
  "audiolibro", "audiolibros", "audio libros", "libros en audio", "libros de audio", "audiolibri", "audio libri",
  "audiolivro", "audiolivros", "livros em áudio", "livros áudio", "audiollibres", "cărți audio", "carti audio",
  "radionovelas", "radiodramas",
  // Dutch, Scandinavian, Finnish, Icelandic
  "luisterboek", "luisterboeken", "hoorspel", "hoorspelen", "ljudbok", "ljudböcker", "lydbok", "lydbøker", "lydbog",
  "lydbøger", "äänikirja", "äänikirjat", "hljóðbækur",
  // Slavic, Baltic, Hungarian, Turkish, Greek
  "audiobooki", "książki audio", "audiobooki pl", "słuchowiska", "słuchowisko", "audioknihy", "audiokniha", "audioknjige",
  "audio knjige", "zvočne knjige", "hangoskönyv", "hangoskönyvek", "sesli kitap", "sesli kitaplar", "ηχητικά βιβλία",
  "аудиокниги", "аудиокнига", "аудіокниги", "аудіокнига", "аудио книги", "аудиокњиге", "аудио књиге",
  "аудиоспектакли", "аудиоспектакль", "радиоспектакли", "радиоспектакль", "радиопостановки",
  // English's radio plays beside its audiobooks ("audiobooks" itself is a container word already)
  "radio plays", "radio dramas", "audio dramas", "audio drama", "audiodramas", "audio plays",
];

/**
 * Genre shelves in other languages, as libraries sort them right above a book ("Livres audio/Jeunesse/Title"): no
 * writer, but words a book may be titled ("Thriller", "Romans"), so only a folder is read so.
 */
const GENRES = [
  "jeunesse", "policier", "policiers", "polar", "polars", "roman policier", "science fiction", "littérature", "classiques",
  "krimi", "krimis", "thriller", "kinder", "kinderbücher", "jugendbücher", "klassiker", "belletristik", "sachbuch", "sachbücher",
  "infantil", "juvenil", "novela negra", "ciencia ficción", "clásicos", "literatura", "gialli", "romanzi", "ragazzi", "bambini",
  "kinderboeken", "jeugdboeken", "romans", "deckare", "barnböcker", "skönlitteratur", "kryminał", "kryminały", "fantastyka",
  "dla dzieci", "антологии", "сборники", "фантастика", "детективы", "детектив", "детская литература", "классика", "фэнтези", "проза", "триллеры",
];
// German joins its words: "Kinderhörbücher", "Krimihörspiele", "Fantasy-Hörbücher" are shelves as "Hörbücher" is.
const GERMAN_COMPOUND = /^[a-z]{3,20}\s?(?:horbucher|hoerbuecher|horspiele|hoerspiele)$/u;

const POSSESSIVE = /^(?:my|meine|mes|mis|mijn|mina|mine|mitt|moje|moi|mie|miei|i miei|le mie|os meus|мои)\s+/u;
const MARKS = lazyRegExp(() => /\p{M}+/gu);
const NOT_LETTER = lazyRegExp(() => /[^\p{L}\p{N}]+/gu);
// Letters NFKD leaves whole: "ø", "ł", "æ", "ı" fold as people type them without the key.
const PLAIN: Record<string, string> = { ø: "o", ł: "l", æ: "ae", ı: "i", ß: "ss", đ: "d" };
const UNFOLDED = /[øłæıßđ]/gu;

function fold(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(MARKS(), "").replace(UNFOLDED, (c) => PLAIN[c] ?? c).replace(NOT_LETTER(), " ").trim();
}

// One library repeats its folder names (every book under "Stephen King/" asks of it): each is folded once.
const FOLD_CACHE = new Map<string, string>();
const FOLD_CACHE_LIMIT = 4096;
function cachedFold(name: string): string {
  let key = FOLD_CACHE.get(name);
  if (key === undefined) {
    if (FOLD_CACHE.size >= FOLD_CACHE_LIMIT) FOLD_CACHE.clear();
    FOLD_CACHE.set(name, (key = fold(name)));
  }
  return key;
}

let folded: Set<string> | undefined;
let foldedGenres: Set<string> | undefined;

/** "Jeunesse", "Krimi", "Фантастика": a genre's shelf in a language other than English (path-junk.ts has English's). */
export function isGenreShelf(name: string): boolean {
  if (name.length < 4 || name.length > 40) return false;
  foldedGenres ??= new Set(GENRES.map(fold));
  return foldedGenres.has(cachedFold(name));
}

/** "Hörbücher", "LIVRES AUDIO", "Ljudbocker", "Meine Hörspiele": a word for a shelf of audiobooks or radio plays. */
export function isAudiobookWord(name: string): boolean {
  // Every entry is 4 to 24 characters long once folded (a compound up to 34): longer or shorter names skip the fold.
  if (name.length < 4 || name.length > 40) return false;
  folded ??= new Set(WORDS.map(fold));
  const key = cachedFold(name);
  // German's "oe"/"ue" for "ö"/"ü" ("Hoerbuecher") is listed; other spellings without the dots fold to the listed one.
  return folded.has(key) || folded.has(key.replace(POSSESSIVE, "")) || GERMAN_COMPOUND.test(key);
}
