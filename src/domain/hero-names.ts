/**
 * Books known by their hero's full name: "Tom Sawyer", "Anna Karenina", "Effi Briest". Their shape is a person's
 * (a given name, then a surname), so beside a writer shelved by surname alone ("Twain - Tom Sawyer") or after the
 * title ("Oliver Twist - Charles Dickens") the shape alone would make the title the writer. Only the classics and
 * the few modern novels libraries hold under that name, in the languages shelfwise reads; never a series' hero whose
 * name also heads a folder of books ("Jack Reacher/", "Harry Potter/": character-folders.test.ts), nor a real person.
 * Lower case, accents written both ways.
 */
import { lazyRegExp } from "./lazy-regexp.js";

const HERO_TITLES_TEXT = `
tom sawyer|huckleberry finn|oliver twist|david copperfield|nicholas nickleby|martin chuzzlewit|barnaby rudge|
little dorrit|anna karenina|jane eyre|agnes grey|robinson crusoe|moll flanders|tom jones|joseph andrews|
tristram shandy|silas marner|daniel deronda|adam bede|felix holt|rob roy|lorna doone|ethan frome|jennie gerhardt|
martin eden|billy budd|daisy miller|roderick random|peregrine pickle|humphry clinker|barry lyndon|henry esmond|
mary barton|rip van winkle|eugene onegin|eugen onegin|taras bulba|boris godunov|hadji murat|hadji murad|
madame bovary|eugénie grandet|eugenie grandet|thérèse raquin|therese raquin|manon lescaut|cousin bette|
effi briest|tonio kröger|tonio kroger|peter camenzind|michael kohlhaas|emilia galotti|maria stuart|wilhelm tell|
wilhelm meister|felix krull|pedro páramo|pedro paramo|mattia pascal|dolores claiborne|forrest gump|peter pan|
mary poppins|pippi longstocking|pippi langstrumpf|nils holgersson|michael strogoff|mathias sandorf|dorian gray|
walter mitty|tom thumb|tom swift|jack maggs|oscar wao|ivan denisovich|ivan ilyich|don quixote|don quijote|
don quijote de la mancha|don quixote de la mancha|don quichotte|don quichotte de la manche|don chisciotte|
don chisciotte della mancia|don camillo|don juan|don juan tenorio|max havelaar|karel ende elegast|pippi långstrump|odd thomas|
emil i lönneberga|ronja rövardotter|
тарас бульба|анна каренина|евгений онегин|борис годунов|хаджи-мурат|хаджи мурат|наталка полтавка
`;

export const HERO_TITLES: ReadonlySet<string> = new Set(HERO_TITLES_TEXT.split("|").map((t) => t.trim()).filter(Boolean));

/**
 * Series heroes whose name heads a folder of the writer's books (and radio plays' heroes whose episodes are numbered
 * "Benjamin Blümchen - 001 - Title" in a folder of that name) ("Lee Child/Jack Reacher/Killing Floor"): a name of a
 * person's shape there is the series, never a reader's folder ("Douglas Adams/Stephen Fry/Title", path-analysis.ts).
 * Only series named for a hero of a person's shape (given name, surname) and shelved so; lower case. Hebrew and Arabic
 * spellings of the heroes translated most ("שרלוק הולמס - 1 - Title"): scripts without capitals give no shape to read.
 */
const SERIES_HEROES_TEXT = `
jack reacher|harry bosch|mickey haller|renee ballard|renée ballard|alex cross|jack ryan|lincoln rhyme|stephanie plum|
harry hole|kurt wallander|mitch rapp|gabriel allon|joe pickett|dirk pitt|kay scarpetta|eve dallas|lucas davenport|
elvis cole|jesse stone|travis mcgee|myron bolitar|cormoran strike|harry dresden|percy jackson|harry potter|
artemis fowl|alex rider|james bond|jack taylor|temperance brennan|thomas cromwell|kinsey millhone|peter grant|
jackson brodie|adam dalgliesh|john rebus|roy grace|tom thorne|vera stanhope|bernie gunther|martin beck|erast fandorin|
arkady renko|guido brunetti|salvo montalbano|jules maigret|aurelio zen|jack aubrey|richard sharpe|horatio hornblower|
dirk gently|john puller|amos decker|will robie|sean dillon|scot harvath|court gentry|orphan x|evan smoak|
joe ledger|john wells|jason bourne|jack bauer|jane rizzoli|maura isles|tempe brennan|
sherlock holmes|hercule poirot|jane marple|nero wolfe|philip marlowe|sam spade|lord peter wimsey|peter wimsey|
brother cadfael|kommissar dupin|jack frost|harry hawk|tess monaghan|rizzoli isles|patrick kenzie|lucas corso|
john carter|conan|tarzan|anita blake|mercy thompson|kate daniels|october daye|alex verus|peter pan|ender wiggin|
miles vorkosigan|honor harrington|jean le flambeur|takeshi kovacs|john taylor|felix castor|sookie stackhouse|
rachel morgan|jane yellowrock|kate shugak|joanna brady|cork o'connor|virgil flowers|walt longmire|dave robicheaux|
benjamin blümchen|benjamin bluemchen|bibi blocksberg|john sinclair|jerry cotton|larry brent|tony ballard|paul temple|
mark brandis|perry rhodan|dorian hunter|gabriel burns|professor zamorra|sherlock holmes|lady bedfort|hanni und nanni|
bibi und tina|paul clifton|john klinger|jack slaughter|
easy rawlins|mma ramotswe|precious ramotswe|hamish macbeth|agatha raisin|phryne fisher|maisie dobbs|flavia de luce|
armand gamache|kate burkholder|joe pike|logan mcrae|jimmy perez|bruno courrèges|bruno courreges|dave gurney|jack irish|
matthew shardlake|lisbeth salander|repairman jack|stone barrington|eve duncan|cotton malone|cordelia gray|albert campion|
roderick alleyn|
שרלוק הולמס|הארי פוטר|פרסי ג'קסון|הרקול פוארו|ג'יימס בונד|ארסן לופן|
شيرلوك هولمز|شرلوك هولمز|هاري بوتر|أرسين لوبين|ارسين لوبين|هيركيول بوارو|جيمس بوند|بيرسي جاكسون|رجل المستحيل
`;

export const SERIES_HEROES: ReadonlySet<string> = new Set(SERIES_HEROES_TEXT.split("|").map((t) => t.trim()).filter(Boolean));

/**
 * "Inspector Rebus", "Commissario Brunetti", "DCI Banks", "Kommissar Kluftinger", "Chief Inspector Gamache": a
 * detective's rank before a name marks the hero of a crime series, which libraries shelve as a folder of its books;
 * no writer publishes under a police rank, so such a folder is the series, never a writer (nor a reader).
 */
const RANK_WORDS: ReadonlySet<string> = new Set(
  `inspector inspectora inspecteur inspectrice inspektor inspektorin ispettore commissario commissaire commissioner kommissar
  kommissarin hauptkommissar hauptkommissarin kriminalkommissar kriminalkommissarin kriminalhauptkommissar comisario comisaria
  superintendent sergeant sgt sgt. constable sheriff marshal dci kommissarie komisarz vicequestore agent`.split(/\s+/u),
);
// Words that may open a rank ("Detective Inspector", "Chief Inspector", "Special Agent") but are no rank alone.
const RANK_LEADS: ReadonlySet<string> = new Set(["detective", "det.", "det", "chief", "senior", "special", "deputy", "erster"]);
const CAPITALISED = lazyRegExp(() => /^\p{Lu}[\p{L}'’.-]*$/u);

export function isDetectiveHero(name: string): boolean {
  const words = name.trim().split(/\s+/u);
  if (words.length > 6) return false;
  let at = 0;
  while (at < words.length && RANK_LEADS.has(words[at].toLowerCase())) at++;
  if (at >= words.length || !RANK_WORDS.has(words[at].toLowerCase())) return false;
  const rest = words.slice(at + 1);
  return rest.length >= 1 && rest.length <= 2 && rest.every((w) => CAPITALISED().test(w));
}
