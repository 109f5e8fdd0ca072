import { lazyRegExp } from "./lazy-regexp.js";
import { GIVEN_NAMES, ONE_NAME_WRITER_SET } from "./given-names.js";
import { cjkNameScore } from "./cjk-person-names.js";
import { HERO_TITLES } from "./hero-names.js";

/**
 * How much a string looks like a person's name, used to tell "Author - Title"
 * from "Title - Author". Higher is more person-like:
 *  -1 title-like (articles, lower-case words, digits, possessives)
 *   0 unknown (one capitalised word: "Watchers", "Homer")
 *   1 "First Last" shape ("Gone Girl" also scores 1)
 *   2 shape plus a known given name ("Gillian Flynn") or "Last, First"
 *   3 shape with initials ("J.R.R. Tolkien", "Ursula K. Le Guin")
 */
export type NameScore = -1 | 0 | 1 | 2 | 3;

const PARTICLES = new Set([
  "de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "le", "la", "al", "el",
  "bin", "ibn", "ten", "ter", "dos", "das", "do", "y", "st.", "af", "zu", "het",
]);
const SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv|phd|md)$/i;
/**
 * Words whose full stop is their own, never a separator: titles and suffixes written before or after a name ("Dr.
 * Sleep", "Mr. Mercedes", "St. Augustine", "Martin Luther King Jr.") and a single letter, an initial ("J. R. R."). Regex
 * alternation, no groups; "i" flag.
 */
export const STOPPED_ABBREVIATIONS = String.raw`dr|mr|mrs|ms|mme|mlle|mons|st|ste|sta|jr|sr|prof|rev|capt|col|gen|lt|sgt|mt|ft|hr|fr|hl|sv|[\p{L}]`;
// Dutch "het" only after "van": "Gerard van het Reve".
const ARTICLE_PARTICLES = new Set(["der", "den", "la", "le", "el", "al", "het"]);
// "J.R.R.", "J. R.", "JK", "JRR": initials, dotted or not ("BBC", "NPR" are no one's initials).
// Russian writes J as "Дж." ("Дж. К. Роулинг", "Толкин Дж.Р.Р."): one initial of two letters.
const INITIALS = lazyRegExp(() => /^(?:(?:\p{Lu}|Дж)\.\s?){1,4}$|^\p{Lu}$|^(?!(?:BBC|NPR|CBS|NBC|ABC|HBO|PBS|CIA|FBI|USA|NYT|NHS|UFO|DNA|WWI|CEO|MIT|NSA|NFL|NBA|AI|TV|UK|US|EU|UN|DC|PC|HR)\.?$)\p{Lu}{2,3}\.?$/u);
const CAPWORD = lazyRegExp(() => /^(?:\p{Lu}[\p{Ll}\p{M}]+|(?:Mc|Mac|O['’]|D['’])\p{Lu}[\p{Ll}\p{M}]+)(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*$/u);
// "DeLillo", "LaValle", "VanderMeer", "FitzGerald", and written lower case before the capital: "deGrasse" (Neil
// deGrasse Tyson), "deWitt". Arabic names' article joined by a hyphen: "al-Hakim", "el-Saadawi", "Al-Aswany",
// "ad-Din", "ash-Shafi'i" (the article takes the sun letter's sound and spelling).
const INNER_CAPS = lazyRegExp(() => /^(?:(?:De|Di|Du|Da|La|Le|Van|Vander|Vanden|Von|Fitz|de|di|du|la|le|van|von)\p{Lu}[\p{Ll}\p{M}]+|(?:[Aa]l|[Ee]l|[Aa][dnrstz]|[Aa]sh)-\p{Lu}[\p{Ll}\p{M}]+(?:['’]\p{Ll}+)?)$/u);
const POSSESSIVE = /['’]s$/u;
const NOT_NAME_CHARS = lazyRegExp(() => /[\p{N}:!?;"()[\]{}#@/\\|*+=<>]/u);
// Dutch "het", "een" and German "ein", "eine" open titles ("Het Bittere Kruid - Marga Minco"), never a person's name.
const ARTICLES = new Set(["the", "a", "an", "le", "la", "les", "el", "der", "die", "das", "het", "een", "ein", "eine"]);
/** Capitalised words common in titles and rare as given names or surnames. */
const TITLE_WORDS = new Set([
  "book", "books", "volume", "vol", "series", "collection", "trilogy", "saga", "chronicles",
  "chronicle", "tales", "tale", "story", "stories", "complete", "edition", "novel", "novels",
  "part", "chapter", "guide", "secret", "secrets", "war", "wars", "life", "love", "death",
  "world", "worlds", "night", "empire", "kingdom", "dragon", "dragons", "magic", "fire", "blood",
  "shadow", "shadows", "stone", "throne", "thrones", "murder", "murders", "mystery", "sun", "moon",
  "stars", "earth", "sky", "sea", "dark", "darkness", "light", "lost", "rising", "game", "games",
  "house", "city", "road", "time", "dead", "girl", "girls", "boy", "boys", "man", "men", "women",
  "woman", "history", "adventures", "adventure", "omnibus", "audiobook", "unabridged", "anthology",
  "my", "your", "our", "his", "her", "their", "how", "why", "what", "when", "who", "where", "this",
  "that", "these", "those", "and", "of", "in", "to", "for", "from", "with", "without", "is", "are",
  "i", "you", "we", "all", "no", "not", "one", "two", "three", "first", "last", "new", "old",
  // Series, chronicles and volumes in German, French, Spanish, Italian and Dutch: "Trilogía de Escipión" is no "Honoré de Balzac".
  "trilogía", "trilogia", "trilogie", "tetralogie", "serie", "série", "reihe", "zyklus", "chronik", "chroniken",
  "chroniques", "crónicas", "cronache", "ciclo", "cycle", "band", "teil", "folge", "tome", "tomo", "libro", "livre",
  "buch", "deel", "boek", "hörbuch", "hörspiel", "geschichten", "histoires", "historias",
]);

const UNDOTTED_INITIALS = lazyRegExp(() => /^(\p{Lu}[\p{Ll}\p{M}]+)(?: \p{Lu}){2,3} (\p{Lu}[\p{Ll}\p{M}'’-]+)$/u);
const CASED = lazyRegExp(() => /[\p{Lu}\p{Ll}]/u);
const CYRILLIC = lazyRegExp(() => /\p{Script=Cyrillic}/u);
const ONE_NAME_CAPITAL = lazyRegExp(() => /^\p{Lu}\p{Ll}+(?:[\s-]\p{Lu}\p{Ll}+)?$/u);
const INITIALS_HEAD = lazyRegExp(() => /^\p{Lu}\s?[.・]/u);
const CJK_LETTER = lazyRegExp(() => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u);
const WORD_START = lazyRegExp(() => /(^|[\s\-'’.])(\p{Ll})/gu);
const HONORIFICS = new Set(["dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "sir", "dame", "prof.", "lord", "lady"]);

/** "DEAN KOONTZ" / "dean koontz" read as "Dean Koontz" (particles lose their case; a rare miss). */
function titleCase(s: string): string {
  return s.toLowerCase().replace(WORD_START(), (_m, lead: string, letter: string) => lead + letter.toUpperCase());
}

const LAST_FIRST = /^([^,]+),\s*([^,]+)$/u;
// "Stephen King und Peter Straub", "Nicci French en Sean French", "Аркадий Вайнер и Георгий Вайнер": lists in other
// languages score as "A and B" does (each piece a whole name of two words or more).
// "James Patterson with Maxine Paetro" (Audible's and the covers' credit of a co-writer) as "A and B" does.
const MULTI_SPLIT = /\s*(?:&|\b(?:and|und|et|en|with)\b|,|;)\s*|\s+и\s+/u;
const SPACE = /\s+/u;
const DOTTED_INITIALS = lazyRegExp(() => /^(?:(?:\p{Lu}|Дж)\.){1,4}$/u);
const ONE_DOTTED_INITIAL = lazyRegExp(() => /^(?:\p{Lu}|Дж)\.$/u);

const SCORE_CACHE = new Map<string, NameScore>();
const SCORE_CACHE_SIZE = 4096;

/** A word common in titles and series names ("Time", "War", "Saga"), which no surname is. */
/** "le" in "Ursula K. Le Guin", "du" in "Daphne du Maurier", "Mac" written apart: a word inside a surname. */
export function isNameParticle(word: string): boolean {
  const lower = word.toLowerCase();
  return PARTICLES.has(lower) || lower === "mac";
}
export function isTitleWord(word: string): boolean {
  return TITLE_WORDS.has(word.toLowerCase());
}

/** Score of a (possibly multi-author) name. Never throws. */
export function nameScore(text: string): NameScore {
  // Libraries repeat author folders for every book, and one path asks about the same piece more than once.
  const cached = SCORE_CACHE.get(text);
  if (cached !== undefined) return cached;
  const score = computeScore(text);
  if (SCORE_CACHE.size >= SCORE_CACHE_SIZE) SCORE_CACHE.clear();
  SCORE_CACHE.set(text, score);
  return score;
}

function computeScore(text: string): NameScore {
  let s = withSpacedInitials(text.trim());
  if (s.length === 0 || s.length > 120) return -1;
  // "Pratchett, Terry; Gaiman, Neil": a semicolon only ever separates people here.
  if (s.includes(";")) return parseList(s) !== null ? 2 : -1;
  if (NOT_NAME_CHARS().test(s)) return -1;
  if (CJK_LIST_HINT.test(s) && CJK_LETTER().test(s)) {
    // "鲁迅、周作人", "村上春樹・柴田元幸": people listed the Chinese and Japanese way.
    const list = cjkList(s);
    if (list !== null) return list.score;
  }
  // Scripts without letter case give no shape to read; Chinese, Japanese and Korean names have known family names.
  if (!CASED().test(s)) return CJK_LETTER().test(s) ? cjkNameScore(s) : ARABIC_LETTER().test(s) ? arabicNameScore(s) : 0;
  // "J.K.ローリング": initials, then a name in katakana.
  if (CJK_LETTER().test(s) && INITIALS_HEAD().test(s)) return cjkNameScore(s);
  if (s === s.toUpperCase() || s === s.toLowerCase()) s = titleCase(s);
  const lastFirst = LAST_FIRST.exec(s);
  if (lastFirst && isLastFirst(lastFirst[1], lastFirst[2])) return 2;
  // "Martin Luther King, Jr.": a suffix after a comma belongs to the name before it, as written without the comma.
  if (lastFirst && SUFFIX.test(lastFirst[2].trim()) && !lastFirst[1].includes(",")) return singleScore(`${lastFirst[1].trim()} ${lastFirst[2].trim()}`);
  if (sharedSurname(s) !== null) return 2;
  if (MULTI_SPLIT.test(s)) {
    const list = parseList(s);
    if (list !== null && list.length > 1 && list.some((n) => n.reversed)) return 2;
    return multiScore(s);
  }
  return singleScore(s);
}

/**
 * Arabic and Persian script has no capitals: "نجيب محفوظ", "باولو كويلو" are people by a known first name
 * (given-names.ts) and two to four words; a piece opening with the article "ال" and no known name ("الخيميائي",
 * "الثلاثية") is a title's noun, as "The ..." is.
 */
function arabicNameScore(s: string): NameScore {
  const tokens = s.split(SPACE);
  // "ابن خلدون", "أبو حيان التوحيدي": "son of" or "father of" leading two to four words opens a person's name, as
  // "Ibn Khaldun" does in Latin letters.
  if (tokens.length >= 2 && tokens.length <= 4 && (GIVEN_NAMES.has(tokens[0]) || ARABIC_NASAB_LEADS.has(tokens[0]))) return 2;
  return ARABIC_ARTICLE().test(tokens[0]) ? -1 : 0;
}
const ARABIC_LETTER = lazyRegExp(() => /\p{Script=Arabic}/u);
const ARABIC_NASAB_LEADS: ReadonlySet<string> = new Set(["ابن", "بن", "أبو", "ابو", "بنت"]);
const ARABIC_ARTICLE = lazyRegExp(() => /^ال\p{Script=Arabic}{2,}$/u);

/** A writer known by one name ("Homer", "Molière", "Sun Tzu") or shelved by surname alone ("Orwell"). */
export function isOneNameWriter(text: string): boolean {
  const s = text.trim();
  const cased = s === s.toUpperCase() || s === s.toLowerCase() ? titleCase(s) : s;
  return ONE_NAME_CAPITAL().test(cased) && ONE_NAME_WRITER_SET.has(cased.toLowerCase());
}

/**
 * "J.R.R.Tolkien", "J.K.Rowling": dotted initials written against the surname with no space (tags and file names
 * often do) are the initials of "J.R.R. Tolkien". Only before a capitalised word: "S.T.A.L.K.E.R." stays as it is.
 */
export function withSpacedInitials(text: string): string {
  return withCasedSurname(GLUED_INITIALS_HINT().test(text) ? text.replace(GLUED_INITIALS(), "$1 ") : text);
}

/**
 * "HUGO, Victor", "Victor HUGO", "HUGO Victor": French (and other European) catalogues write the surname in capitals,
 * which marks it as surely as a comma does. Read as "Hugo, Victor" and "Victor Hugo"; a name all in capitals is
 * title-cased elsewhere, and short capitals before a name stay initials ("JRR Tolkien").
 */
function withCasedSurname(text: string): string {
  if (!CAPS_HINT().test(text) || text.length > 120) return text;
  const comma = LAST_FIRST.exec(text.trim());
  // A name all in capitals is title-cased where it is read, unless only initials follow its comma.
  if (comma !== null) {
    const last = comma[1].trim();
    // "DE SAINT-EXUPÉRY, A.", "HUGO, V.": dotted initials after the comma are given names as surely as "Antoine" is.
    return CAPS_WORDS().test(last) && (LOWER_LETTER().test(comma[2]) || DOTTED_GIVEN().test(comma[2].trim())) ? `${casedSurname(last)}, ${comma[2].trim()}` : text;
  }
  const tokens = text.trim().split(SPACE);
  // "TOLKIEN J.R.R.": all in capitals, but the initials' dots still mark the given names.
  if (text === text.toUpperCase()) return DOTTED_INITIALS().test(tokens[tokens.length - 1]) && tokens.length <= 4 ? (capsSurnameFirst(tokens) ?? text) : text;
  if (tokens.length < 2 || tokens.length > 4) return text;
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const known = (word: string) => GIVEN_NAMES.has(word.toLowerCase());
  if (known(first) && CAPS_TOKEN().test(last) && tokens.slice(1, -1).every((t) => !CAPS_TOKEN().test(t) || INITIALS().test(t))) return [...tokens.slice(0, -1), titleCase(last)].join(" ");
  if (tokens.length === 2 && CAPS_TOKEN().test(first) && first.length >= 2 && known(last)) return `${last} ${titleCase(first)}`;
  return capsSurnameFirst(tokens) ?? text;
}
/**
 * "SCOTT CARD Orson", "TOLKIEN J.R.R.", "LE GUIN Ursula K." (audiobookshelf#930): a surname in capitals (one to three
 * words) then the given names written as names are, dotted initials or a known given name first. Two or more words in
 * capitals name a surname whatever given name follows, if none is an abbreviation ("FBI Files" stays as it is).
 */
function capsSurnameFirst(tokens: readonly string[]): string | null {
  let k = 0;
  while (k < tokens.length && k < 3 && CAPS_TOKEN().test(tokens[k])) k++;
  const rest = tokens.slice(k);
  if (k === 0 || rest.length === 0 || rest.length > 2 || !rest.every((t) => CAPWORD().test(t) || DOTTED_INITIALS().test(t))) return null;
  const caps = tokens.slice(0, k);
  if (caps.some((t) => ABBREVIATION().test(t))) return null;
  const head = rest[0];
  // "CARD Orson Scott": a middle name the list knows ("Scott") marks the given names as surely as a first one would,
  // after a surname of three capitals or more ("WAR Games" has none).
  const givenLater = rest.length === 2 && k === 1 && caps[0].length >= 3 && GIVEN_NAMES.has(rest[1].toLowerCase()) && !TITLE_ONLY_WORDS.has(head.toLowerCase());
  const sure = DOTTED_INITIALS().test(head) || GIVEN_NAMES.has(head.toLowerCase()) || givenLater || (k >= 2 && rest.length === 1 && caps.every((t) => t.length >= 3 || PARTICLES.has(t.toLowerCase())));
  return sure ? `${rest.join(" ")} ${casedSurname(caps.join(" "))}` : null;
}
// Capitalised words that open a title's phrase, never a given name ("LOVE Actually Grace" reads as no one).
const TITLE_ONLY_WORDS: ReadonlySet<string> = new Set(["the", "a", "an", "and", "of", "my", "your", "our", "for", "with", "from", "der", "die", "das", "le", "la", "les"]);
// Words in capitals that are abbreviations, never a surname: three letters or fewer with no vowel, or a known one.
const ABBREVIATION = lazyRegExp(() => /^(?:[^AEIOUYÄÖÜÀÁÉÈ]{2,4}|BBC|NASA|NATO|USA|UFO|AIDS|ISIS|FIFA|UEFA|UNESCO|UNICEF|ABBA|IKEA|LEGO|NBA|NFL|NHL|CEO|CIA|FBI|DNA|MIT|NSA|PBS|HBO|ABC|CBS|NBC|NPR|TV|UK|US|EU|UN|AI|DC|PC|HR|SOS|RAF|USS|HMS|WWI|WWII)$/u);
/**
 * "DE SAINT-EXUPÉRY" as "de Saint-Exupéry", "VAN DER BERG" as "van der Berg": the particles leading a surname in
 * capitals are written in lower case, as the name is written in running text (and as "Saint-Exupéry, Antoine de" reads).
 */
function casedSurname(last: string): string {
  const tokens = titleCase(last).split(SPACE);
  for (let i = 0; i < tokens.length - 1 && PARTICLES.has(tokens[i].toLowerCase()); i++) {
    // An article leading the surname keeps its capital ("LE GUIN" is "Le Guin", "DU MAURIER" "Du Maurier"); after
    // another particle it is lower case too ("DE LA CRUZ" is "de la Cruz").
    const lower = tokens[i].toLowerCase();
    if (i === 0 && (ARTICLE_PARTICLES.has(lower) || lower === "du")) break;
    tokens[i] = lower;
  }
  return tokens.join(" ");
}
const CAPS_HINT = lazyRegExp(() => /\p{Lu}\p{Lu}/u);
// "Richard III", "John Smith JR": a ruler's numeral or a suffix is no surname in capitals.
const CAPS_TOKEN = lazyRegExp(() => /^(?![IVXLC]+$|JR$|SR$|PHD$|MD$)\p{Lu}{2,}(?:[-'’]\p{Lu}+)*$/u);
const CAPS_WORDS = lazyRegExp(() => /^\p{Lu}{2,}(?:[-'’ ]\p{Lu}+)*$/u);
const LOWER_LETTER = lazyRegExp(() => /\p{Ll}/u);
const DOTTED_GIVEN = lazyRegExp(() => /^(?:\p{Lu}\.\s?){1,4}$/u);
const GLUED_INITIALS_HINT = lazyRegExp(() => /\p{Lu}\.\p{Lu}\p{Ll}/u);
const GLUED_INITIALS = lazyRegExp(() => /(?<![\p{L}\p{N}.])((?:\p{Lu}\.){1,4})(?=\p{Lu}\p{Ll})/gu);

/** "Koontz, Dean" becomes "Dean Koontz"; anything else is returned unchanged. */
export function displayName(raw: string): string {
  const text = withSpacedInitials(raw);
  const m = LAST_FIRST.exec(text.trim());
  if (m && isLastFirst(m[1], m[2])) return `${m[2].trim()} ${m[1].trim()}`;
  // "Tolkien J.R.R." as "Tolkien, J.R.R." is.
  const tokens = text.trim().split(SPACE);
  if (tokens.length === 2 && CAPWORD().test(tokens[0]) && DOTTED_INITIALS().test(tokens[1])) return `${tokens[1]} ${tokens[0]}`;
  // "Tolkien J. R. R.": the initials spaced, each with its dot.
  if (tokens.length >= 3 && tokens.length <= 5 && CAPWORD().test(tokens[0]) && tokens.slice(1).every((t) => ONE_DOTTED_INITIAL().test(t))) return `${tokens.slice(1).join(" ")} ${tokens[0]}`;
  // "Fitzek Sebastian" (German and Scandinavian catalogues' order without a comma): a known given name second, the
  // first word no given name, no title word and no verb's "-ing" form ("Killing Eve" is no person).
  if (tokens.length === 2 && surnameFirst(tokens[0], tokens[1])) return `${tokens[1]} ${tokens[0]}`;
  const given = catalogueGivenAt(tokens);
  if (given > 0) return `${tokens.slice(given).join(" ")} ${tokens.slice(0, given).join(" ")}`;
  return text;
}

/**
 * "Martin George R. R.", "Le Guin Ursula K.", "Dick Philip K.", "Толстой Лев Николаевич": a catalogue's order without
 * its comma, the surname (one word, or two with a particle) first, then a given name the list knows and dotted
 * initials or a Russian patronymic after it. Where the given names start, or 0. The closing initial or patronymic is
 * what makes the order sure: "Martin George" alone could be either, "King Stephen" is read by surnameFirst.
 */
function catalogueGivenAt(tokens: readonly string[]): number {
  if (tokens.length < 3 || tokens.length > 6) return 0;
  // Hot (every name's score asks): the closing initial's full stop or a patronymic's ending, tested first.
  const last = tokens[tokens.length - 1];
  if (!last.endsWith(".") && !last.endsWith("ич") && !last.endsWith("на")) return 0;
  const at = tokens.length >= 4 && PARTICLES.has(tokens[0].toLowerCase()) && CAPWORD().test(tokens[1]) ? 2 : CAPWORD().test(tokens[0]) ? 1 : 0;
  if (at === 0 || !CAPWORD().test(tokens[at]) || !GIVEN_NAMES.has(tokens[at].toLowerCase())) return 0;
  const rest = tokens.slice(at + 1);
  if (rest.length === 1 && PATRONYMIC().test(rest[0])) return at;
  return rest.length >= 1 && rest.length <= 3 && (rest.length === 1 ? DOTTED_INITIALS().test(rest[0]) : rest.every((t) => ONE_DOTTED_INITIAL().test(t))) ? at : 0;
}
const PATRONYMIC = lazyRegExp(() => /^\p{Lu}\p{Ll}+(?:ович|евич|ич|овна|евна|ична|инична|ьич)$/u);

// Given names that are as often surnames ("Ridley Scott", "Campbell Scott", "Tommy Lee"): never read as the given name
// of a surname-first pair.
const SURNAME_TOO: ReadonlySet<string> = new Set(
  `scott james thomas lee grant henry lewis marshall morgan russell wayne graham stuart douglas craig dean gordon howard
  kelly murray neil owen ross taylor wallace bennett carter ellis francis george allen arthur austin bruce curtis
  dale elliott gilbert glenn harvey hunter jordan keith kent lane lawrence leslie lloyd martin mitchell nelson
  norman oliver parker powell quinn ray reed riley ryan shaw spencer stanley terry warren wells wesley dick grace jack
  john leonard`.split(/\s+/u).filter(Boolean),
);
// "Lord Jim", "Sister Carrie", "Saint Joan", "Lucky Jim": a form of address or a nickname's word before a given name
// names a title's hero, never a surname written first.
const ADDRESS_WORDS: ReadonlySet<string> = new Set(
  `lord lady sir dame saint st pope king queen prince princess duke duchess count countess baron emperor empress
  sister brother uncle aunt auntie cousin father mother grandma grandpa granny mister miss master captain general
  colonel major sergeant doctor professor judge gentleman lucky little big young poor dear good saint bad sweet
  wild mad crazy brave fat tiny jolly`.split(/\s+/u).filter(Boolean),
);
/** "Fitzek Sebastian": two words, a surname then a known given name (the order German catalogues write without a comma). */
export function isSurnameFirst(text: string): boolean {
  const tokens = text.trim().split(SPACE);
  return tokens.length === 2 && surnameFirst(tokens[0], tokens[1]);
}
function surnameFirst(first: string, second: string): boolean {
  const lower = first.toLowerCase();
  if (SURNAME_TOO.has(second.toLowerCase())) return false;
  // Russian libraries' "Акунин Борис", "Лукьяненко Сергей" as the Latin "Fitzek Sebastian": only a second word the
  // Cyrillic list holds (given-names.ts) after a first it does not, so "Сергей Лукьяненко" and "Лев Толстой" stay.
  return CAPWORD().test(first) && CAPWORD().test(second) && GIVEN_NAMES.has(second.toLowerCase()) && !GIVEN_NAMES.has(lower) && !TITLE_WORDS.has(lower) && !ARTICLES.has(lower) && !ADDRESS_WORDS.has(lower) && !lower.endsWith("ing") && !isOneNameWriter(first);
}

function isLastFirst(last: string, first: string): boolean {
  const lastTokens = last.trim().split(SPACE);
  const firstTokens = first.trim().split(SPACE);
  // "van der Berg, Jan": two particles may lead the surname; otherwise a surname is one or two words.
  const leadingParticles = lastTokens.length === 3 && lastTokens.slice(0, 2).every((t) => PARTICLES.has(t) && t === t.toLowerCase());
  if ((lastTokens.length > 2 && !leadingParticles) || firstTokens.length > 3) return false;
  if (!lastTokens.every((t) => CAPWORD().test(t) || INNER_CAPS().test(t) || PARTICLES.has(t.toLowerCase()))) return false;
  if (lastTokens.some((t) => TITLE_WORDS.has(t.toLowerCase()))) return false;
  const head = firstTokens[0];
  // "Saint-Exupéry, Antoine de", "Beauvoir, Simone de", "Goethe, Johann Wolfgang von": catalogues move the surname's
  // lower-case particle behind the given names; that particle marks the reversed form as a leading one does.
  let given = firstTokens.length;
  while (given > 1 && PARTICLES.has(firstTokens[given - 1]) && firstTokens[given - 1] === firstTokens[given - 1].toLowerCase()) given--;
  if (given < firstTokens.length) return given <= 2 && firstTokens.slice(0, given).every((t) => CAPWORD().test(t) && !TITLE_WORDS.has(t.toLowerCase()));
  // "de Balzac, Honoré", "van Gogh, Vincent": a lower-case particle leading the surname marks the reversed form.
  const particled = (lastTokens.length === 2 || leadingParticles) && PARTICLES.has(lastTokens[0]) && lastTokens[0] === lastTokens[0].toLowerCase();
  const knownHead = INITIALS().test(head) || GIVEN_NAMES.has(head.toLowerCase()) || (particled && CAPWORD().test(head));
  if (!knownHead) return false;
  // "Kramer, Michael R." yes; "Michael Kramer, Kate Reading" is two people, not one reversed. "Zafón, Carlos Ruiz",
  // "King, Stephen Edwin": one surname word, then a known given name and one more name, is one person reversed.
  // "Homer, Stephen Mitchell" is a writer known by one name and his translator.
  // "von Goethe, Johann Wolfgang": a particle leading the surname marks it as surely with two given names.
  if ((lastTokens.length === 1 || particled) && firstTokens.length === 2 && CAPWORD().test(firstTokens[1]) && !TITLE_WORDS.has(firstTokens[1].toLowerCase()) && !isOneNameWriter(last)) return true;
  return firstTokens.slice(1).every((t) => INITIALS().test(t));
}

function multiScore(s: string): NameScore {
  const pieces = s.split(MULTI_SPLIT).filter((p) => p.length > 0);
  if (pieces.length < 2 || pieces.some((p) => p.split(SPACE).length < 2)) return -1;
  let min: NameScore = 3;
  for (const piece of pieces) {
    const score = singleScore(piece);
    if (score < min) min = score;
  }
  // "Brandon Sanderson with Janci Patterson", "James Patterson and Candice Fox": a sure lead writer vouches for a
  // co-writer whose given name no list knows; the list is as sure a set of people as its lead.
  if (min === 1 && singleScore(pieces[0]) >= 2) return 2;
  return min < 1 ? -1 : min;
}

function singleScore(s: string): NameScore {
  // "Homer", "Voltaire", "Sun Tzu": a writer known by one name has a person's shape, but a full name still
  // outranks it ("Dickens - Peter Ackroyd", "Shakespeare - Bill Bryson" are biographies by the second).
  if (isOneNameWriter(s)) return 1;
  // "Tom Sawyer", "Anna Karenina": a book known by its hero's name says nothing of who wrote it ("Twain - Tom Sawyer").
  if (HERO_TITLES.has(s.toLowerCase())) return 0;
  // "James S A Corey" (library-manager#52): two or more initials written without dots between a given name and a
  // surname are initials, as "James S. A. Corey" is; an undotted "A" alone stays a word ("Brave New World - A Novel").
  const undotted = UNDOTTED_INITIALS().exec(s);
  if (undotted !== null && !TITLE_WORDS.has(undotted[1].toLowerCase()) && !ARTICLES.has(undotted[1].toLowerCase()) && !TITLE_WORDS.has(undotted[2].toLowerCase())) return 3;
  const tokens = s.split(SPACE);
  if (tokens.length > 5) return -1;
  if (catalogueGivenAt(tokens) > 0) return 2;
  const lowerFirst = tokens[0].toLowerCase();
  // "St. Augustine", "St. Thomas Aquinas": a saint's abbreviation before a writer known by one name or a given name
  // opens a person's name as "Dr." does; "St. Petersburg", "St. Elsewhere" stay places and titles.
  if (lowerFirst === "st." && tokens.length >= 2) {
    const rest = tokens.slice(1).join(" ");
    return isOneNameWriter(rest) || GIVEN_NAMES.has(tokens[1].toLowerCase()) ? (Math.max(1, singleScore(rest)) as NameScore) : -1;
  }
  if (tokens.length === 1) {
    if (TITLE_WORDS.has(lowerFirst) || ARTICLES.has(lowerFirst)) return -1;
    return CAPWORD().test(tokens[0]) ? 0 : -1;
  }
  if (ARTICLES.has(lowerFirst)) return -1;
  let initials = false;
  let surname = false;
  let words = 0;
  for (let i = 0; i < tokens.length; i++) {
    const kind = tokenKind(tokens[i], i);
    if (kind === "bad") return -1;
    if (kind === "initial") initials = true;
    if (kind === "word") {
      surname = true;
      words++;
    }
  }
  // "Richard III", "George IV": one name and a ruler's number, no surname; a king, a play, a biography, no writer.
  if (words === 1 && !initials && tokens.length === 2 && tokenKind(tokens[1], 1) === "suffix") return 0;
  const lastKind = tokenKind(tokens[tokens.length - 1], tokens.length - 1);
  // "Tolkien J.R.R.", "Le Guin Ursula K.": a surname (and given name) then dotted initials, a catalogue's order
  // without its comma; undotted capitals after words are a title's ("Malcolm X", "Plan B").
  // "Tolkien J. R. R.", "Wells H. G.": the initials spaced, each with its dot.
  if (surname && lastKind === "initial" && tokenKind(tokens[0], 0) === "word" && ((tokens.length <= 3 && DOTTED_INITIALS().test(tokens[tokens.length - 1])) || (tokens.length <= 5 && tokens.slice(1).every((t) => ONE_DOTTED_INITIAL().test(t))))) return 2;
  if (!surname || lastKind === "initial" || lastKind === "particle") return -1;
  if (initials) return 3;
  // "Honoré de Balzac", "Daphne du Maurier": a lower-case particle between capitalised words is a surname's mark.
  // An article alone ("der", "la", "el") marks no surname: "Im Nachtclub der Vampire", "Herr der Ringe" are titles, and
  // only after another particle is it one of a name's ("Oscar de la Hoya", "Ursula van der Berg").
  if (tokens.length >= 3 && tokens.slice(1, -1).some((t, i) => PARTICLES.has(t) && t === t.toLowerCase() && (!ARTICLE_PARTICLES.has(t) || PARTICLES.has(tokens[i].toLowerCase())))) return 2;
  // "Ibn Khaldun", "Ibn Battuta", "Abu Nuwas": an Arabic name led by "son of" or "father of" before a capitalised name
  // (or "al-" and one) is a person's, though no given-name list holds the name after it.
  if (NASAB_LEADS.has(lowerFirst) && tokens.length <= 4 && (CAPWORD().test(tokens[1]) || INNER_CAPS().test(tokens[1]))) return 2;
  // "Jean-Christophe Grangé", "Anne-Marie Smith": a hyphenated given name is known by its first half.
  if (GIVEN_NAMES.has(lowerFirst) || GIVEN_NAMES.has(lowerFirst.split("-")[0])) return 2;
  // "Fitzek Sebastian": a surname, then a known given name, scores as displayName reads it ("Sebastian Fitzek").
  if (tokens.length === 2 && surnameFirst(tokens[0], tokens[1])) return 2;
  // "Акунин Борис", "Толстой Лев Николаевич": Russian libraries write the surname first, the given name after it.
  return CYRILLIC().test(s) && tokens.length <= 3 && GIVEN_NAMES.has(tokens[1].toLowerCase()) ? 2 : 1;
}

const NASAB_LEADS: ReadonlySet<string> = new Set(["ibn", "bin", "abu", "abou", "bint"]);

type TokenKind = "word" | "initial" | "particle" | "suffix" | "bad";

const WORD_PAIRS: ReadonlySet<string> = new Set(["IT", "US", "MY", "NO", "SO", "OK", "UP", "GO", "TO", "IN", "ON", "OF", "OR", "IF", "IS", "BE", "DO"]);
function tokenKind(token: string, index: number): TokenKind {
  const lower = token.toLowerCase();
  if (index === 0 && HONORIFICS.has(lower)) return "particle";
  if (index > 0 && SUFFIX.test(token)) return "suffix";
  if (index > 0 && PARTICLES.has(lower) && token === lower) return "particle";
  // "As I Lay Dying", "Brave New World - A Novel": an undotted "I" or "A" is a word, not an initial; so is "O" opening
  // a name (Portuguese "O Alquimista", "O Pioneers!"): an initial leading a name is written with its dot ("O. Henry").
  // Greek's articles "Ο", "Η" ("Ο Καπετάν Μιχάλης", "Η Φόνισσα") open titles the same way.
  if (token === "I" || token === "A" || ((token === "O" || token === "Ο" || token === "Η") && index === 0)) return "bad";
  // "Stephen King - IT Follows": two capitals that spell a common word are that word, not two initials ("JK", "CS",
  // "AN Wilson", "HE Bates", "WE Johns" stay initials: those pairs are writers' too, so they are not listed).
  if (token.length === 2 && WORD_PAIRS.has(token)) return "bad";
  if (INITIALS().test(token)) return "initial";
  if (POSSESSIVE.test(token) || TITLE_WORDS.has(lower)) return "bad";
  if (CAPWORD().test(token) || INNER_CAPS().test(token)) return "word";
  if (index > 0 && PARTICLES.has(lower)) return "particle";
  return "bad";
}

// ---------------------------------------------------------------- author lists

/** Anything that may separate people in a list, in any script: worth asking splitAuthors. */
export const PEOPLE_LIST_HINT = /[,;&+、，；＆・･]|\b(?:and|with|und|et|en)\b|\s[iи]\s/u;

// Polish "i" and Russian "и" join two people as "and" does ("\b" knows only Latin letters: spaces around them); so does
// Dutch "en" ("Nicci French en Sean French"), only between whole names (each piece must read as a person).
const LIST_SPLIT = lazyRegExp(() => /\s*(?:;|&|\+|\band\b|\bund\b|\bet\b|\ben\b|\bwith\b|(?<=\s)[iи](?=\s))\s*/iu);
const COMMA = /\s*,\s*/u;
const FOLD = lazyRegExp(() => /[^\p{L}\p{N}]+/gu);
const LIST_NOT_NAME = lazyRegExp(() => /[\p{N}:!?"()[\]{}#@/\\|*=<>]/u);

interface ListedName {
  name: string;
  /** Written "Last, First". */
  reversed: boolean;
}

/**
 * The people in an author list, each in "First Last" form, a name given twice
 * kept once: "Pratchett, Terry; Gaiman, Neil", "Terry Pratchett & Neil Gaiman",
 * "Preston, Douglas, Child, Lincoln", "Le Guin, Ursula K.". Null when a piece
 * does not read as a person ("Sherlock Holmes, Book 1", "Pride and Prejudice").
 */
export function splitAuthors(text: string): string[] | null {
  if (typeof text !== "string") return null;
  // Every resolve of every book asks about its author: the same few thousand strings.
  const cached = SPLIT_CACHE.get(text);
  if (cached !== undefined) return cached === null ? null : [...cached];
  const list = parseList(text.trim());
  const names = list === null ? null : list.map((n) => n.name);
  if (SPLIT_CACHE.size >= SCORE_CACHE_SIZE) SPLIT_CACHE.clear();
  SPLIT_CACHE.set(text, names);
  return names === null ? null : [...names];
}

const SPLIT_CACHE = new Map<string, string[] | null>();

/** "A", "A & B", "A, B & C": the one display form of an author list. */
export function joinAuthors(names: readonly string[]): string {
  return names.length > 2 ? `${names.slice(0, -1).join(", ")} & ${names[names.length - 1]}` : names.join(" & ");
}

function parseList(raw: string): ListedName[] | null {
  const text = withSpacedInitials(raw);
  if (CJK_LIST_HINT.test(text) && CJK_LETTER().test(text)) {
    const list = cjkList(text);
    if (list !== null) return list.names;
  }
  if (text.length === 0 || text.length > 300 || LIST_NOT_NAME().test(text)) return null;
  const shared = sharedSurname(text);
  if (shared !== null) return shared;
  const out: ListedName[] = [];
  const seen = new Set<string>();
  for (const group of text.split(LIST_SPLIT())) {
    if (group.length === 0) continue;
    const names = commaGroup(group);
    if (names === null) return null;
    for (const n of names) {
      const key = n.name.toLowerCase().replace(FOLD(), "");
      if (!seen.has(key)) {
        seen.add(key);
        out.push(n);
      }
    }
  }
  return out.length > 0 ? out : null;
}

/**
 * "Arkady and Boris Strugatsky", "Аркадий и Борис Стругацкие", "Стругацкие Аркадий и Борис", "Grimm, Jacob und
 * Wilhelm", "Bogdanoff Igor et Grichka", "Álvarez Quintero Serafín y Joaquín": two people (brothers, a couple) under
 * one family name written once, after the second given name or before the first (surname-first catalogues). Each
 * is shown given name first under the family name of one person ("Стругацкие" is the plural: "Аркадий Стругацкий").
 * The given names must be known ones (one of them may be any capitalised word when the surname closes the pair), so
 * "Pride and Prejudice" and "War and Peace" stay titles.
 */
function sharedSurname(text: string): ListedName[] | null {
  // Only one comma, right after a surname-first pair's family name ("Стругацкие, Аркадий и Борис").
  const comma = text.indexOf(",");
  if (comma >= 0 && text.indexOf(",", comma + 1) >= 0) return null;
  const plain = comma < 0 ? text : `${text.slice(0, comma)} ${text.slice(comma + 1)}`;
  const groups = plain.split(PAIR_SPLIT()).map((g) => g.trim());
  if (groups.length !== 2) return null;
  const [first, second] = groups.map((g) => g.split(SPACE));
  const given = (word: string) => CAPWORD().test(word) && GIVEN_NAMES.has(word.toLowerCase());
  // "Arkady and Boris Strugatsky", "Jacob and Wilhelm Grimm": the name beside a known given name one surname follows is
  // a given name too, when it is a capitalised word no title uses ("Pride and Peter Pan" has no surname to share).
  const unknownGiven = (word: string) => CAPWORD().test(word) && !TITLE_WORDS.has(word.toLowerCase()) && !ARTICLES.has(word.toLowerCase()) && !isOneNameWriter(word);
  // "Ann and Jeff VanderMeer": a surname with a capital inside is one as surely.
  const surname = (word: string) => (CAPWORD().test(word) || INNER_CAPS().test(word)) && !GIVEN_NAMES.has(word.toLowerCase()) && !TITLE_WORDS.has(word.toLowerCase());
  const cyrillic = CYRILLIC().test(text);
  // "y" and "e" join names only here: "José Ortega y Gasset" is one man, and no list splits on them.
  const joinedByAnd = !ROMANCE_AND().test(plain) || cyrillic || first.length + second.length >= 3;
  if (!joinedByAnd) return null;
  if (comma < 0 && first.length === 1 && second.length >= 2 && second.length <= 3 && (given(first[0]) ? unknownGiven(second[0]) : unknownGiven(first[0]) && given(second[0])) && second.slice(1).every(surname)) {
    const family = singularFamilyName(second.slice(1).join(" "));
    return [{ name: `${first[0]} ${family}`, reversed: false }, { name: `${second[0]} ${family}`, reversed: false }];
  }
  // Surname first: the family name's one or two words, then two given names both known ("Стругацкие Аркадий и Борис",
  // "Grimm Jacob und Wilhelm"); written with a comma the family name is exactly what stands before it.
  const familyWords = first.length - 1;
  if (familyWords >= 1 && familyWords <= 2 && second.length === 1 && first.slice(0, familyWords).every(surname) && given(first[familyWords]) && given(second[0])) {
    if (comma >= 0 && text.slice(0, comma).trim() !== first.slice(0, familyWords).join(" ")) return null;
    const family = singularFamilyName(first.slice(0, familyWords).join(" "));
    return [{ name: `${first[familyWords]} ${family}`, reversed: false }, { name: `${second[0]} ${family}`, reversed: false }];
  }
  return null;
}

const PAIR_SPLIT = lazyRegExp(() => /\s*,?\s+(?:and|und|et|y|e|и|і|i|&|\+)\s+|\s*[&+]\s*/iu);
const ROMANCE_AND = lazyRegExp(() => /\s(?:y|e)\s/iu);
// A Russian family name written for two people is plural: "Стругацкие" (of "Стругацкий"), "Вайнеры", "Лукины".
const PLURAL_ADJECTIVE = lazyRegExp(() => /(?<=[кгх])ие$/u);
const PLURAL_NOUN = lazyRegExp(() => /(?<=[бвдзлмнпрстфцжш])ы$/u);

/** "Стругацкие" → "Стругацкий", "Вайнеры" → "Вайнер", "Лукины" → "Лукин"; other names as written. */
function singularFamilyName(family: string): string {
  return family.replace(PLURAL_ADJECTIVE(), "ий").replace(PLURAL_NOUN(), "");
}

/** One piece between list words: "Le Guin, Ursula K.", "Preston, Douglas, Child, Lincoln", "Douglas Preston, Lincoln Child". */
function commaGroup(group: string): ListedName[] | null {
  const tokens = group.split(COMMA).filter((t) => t.length > 0);
  const out: ListedName[] = [];
  let i = 0;
  while (i < tokens.length) {
    const [a, b] = [tokens[i], tokens[i + 1]];
    if (b !== undefined && isLastFirst(a, b) && !SUFFIX.test(b.trim())) {
      out.push({ name: `${b.trim()} ${a.trim()}`, reversed: true });
      i += 2;
      continue;
    }
    if (b !== undefined && SUFFIX.test(b.trim())) {
      // "Martin Luther King, Jr.": the suffix belongs to the name before it.
      if (singleScore(a) < 1) return null;
      out.push({ name: `${a.trim()}, ${b.trim()}`, reversed: false });
      i += 2;
      continue;
    }
    const cased = a === a.toUpperCase() || a === a.toLowerCase() ? titleCase(a) : a;
    if (singleScore(cased) < 1) return null;
    out.push({ name: displayName(a.trim()), reversed: false });
    i += 1;
  }
  return out;
}

// ---------------------------------------------------------------- Chinese and Japanese lists

/** Enumeration commas (、，), semicolons and ampersands of either width, the Japanese middle dot (・, ･). */
const CJK_LIST_HINT = /[、，；＆・･,;&+]|\s(?:and|with)\s/u;
/** Separators that only ever list: the enumeration comma and its kin; "&", ",", ";" when the names are CJK. */
const CJK_LIST_SPLIT = /\s*(?:[、，,；;＆&＋+]|\s(?:and|with)\s)\s*/u;
/** The Japanese middle dot: between two kanji names it lists them; inside katakana it parts one foreign name ("アガサ・クリスティー"). */
const KANA_DOT = /\s*[・･]\s*/u;
const HAN_LED = lazyRegExp(() => /^\p{Script=Han}/u);
/** A Chinese or Japanese name is short: a family name and a given name, or a foreign name written out with dots. */
const CJK_NAME_MAX = 12;

/**
 * "鲁迅、周作人", "村上春樹・柴田元幸", "东野圭吾，王蕴洁": people listed the way Chinese and Japanese
 * write it. Every piece must read as a name (no title grammar, a person's length) and one at least as a
 * known family name; a Latin name among them is read as Latin names are. Null when it is no such list.
 */
function cjkList(text: string): { names: ListedName[]; score: NameScore } | null {
  const pieces = text.split(CJK_LIST_SPLIT).filter((p) => p.length > 0).flatMap((piece) => splitKanaDot(piece));
  if (pieces.length < 2) return null;
  const out: ListedName[] = [];
  const seen = new Set<string>();
  let known = false;
  let min: NameScore = 3;
  for (const raw of pieces) {
    const piece = raw.trim();
    let score: NameScore;
    if (CJK_LETTER().test(piece)) {
      // "著", "译": a credit of one letter is no one's name.
      if (piece.length > CJK_NAME_MAX || piece.length < 2) return null;
      score = cjkNameScore(piece);
      if (score < 0) return null;
    } else {
      const cased = piece === piece.toUpperCase() || piece === piece.toLowerCase() ? titleCase(piece) : piece;
      score = singleScore(cased);
      if (score < 1) return null;
    }
    if (score >= 2) known = true;
    if (score < min) min = score;
    const key = piece.toLowerCase().replace(FOLD(), "");
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ name: piece, reversed: false });
    }
  }
  return known && out.length > 0 ? { names: out, score: min >= 1 ? min : 1 } : null;
}

/** "村上春樹・柴田元幸" is two people; "アガサ・クリスティー" and "J.K.ローリング" are one. */
function splitKanaDot(piece: string): string[] {
  if (!KANA_DOT.test(piece)) return [piece];
  const parts = piece.split(KANA_DOT).filter((p) => p.length > 0);
  return parts.length >= 2 && parts.every((p) => HAN_LED().test(p) && cjkNameScore(p) >= 2) ? parts : [piece];
}
