/**
 * ID3v2's genre frame (TCON; v2.2's TCO) read as the spec writes it: ID3v1 genre numbers in parentheses ("(183)"),
 * optionally followed by a refinement ("(12)Audiobook"), "((" escaping a refinement that itself opens with "(",
 * ID3v2.4's NUL-separated values and bare numbers. music-metadata reads "(12)(Audiobook)" as "Other" alone and
 * "(12)Audiobook" as two genres, "Other" and "Audiobook"; here the refinement wins over the number it refines,
 * and "Other" (genre 12) is no genre at all: it says nothing about the book, so it is no evidence of one.
 */

/** ID3v1's genre numbers (Winamp's list, as music-metadata maps them). */
const ID3V1_GENRES: readonly string[] = [
  "Blues", "Classic Rock", "Country", "Dance", "Disco", "Funk", "Grunge", "Hip-Hop", "Jazz", "Metal", "New Age",
  "Oldies", "Other", "Pop", "R&B", "Rap", "Reggae", "Rock", "Techno", "Industrial", "Alternative", "Ska",
  "Death Metal", "Pranks", "Soundtrack", "Euro-Techno", "Ambient", "Trip-Hop", "Vocal", "Jazz+Funk", "Fusion",
  "Trance", "Classical", "Instrumental", "Acid", "House", "Game", "Sound Clip", "Gospel", "Noise", "Alt. Rock",
  "Bass", "Soul", "Punk", "Space", "Meditative", "Instrumental Pop", "Instrumental Rock", "Ethnic", "Gothic",
  "Darkwave", "Techno-Industrial", "Electronic", "Pop-Folk", "Eurodance", "Dream", "Southern Rock", "Comedy", "Cult",
  "Gangsta Rap", "Top 40", "Christian Rap", "Pop/Funk", "Jungle", "Native American", "Cabaret", "New Wave",
  "Psychedelic", "Rave", "Showtunes", "Trailer", "Lo-Fi", "Tribal", "Acid Punk", "Acid Jazz", "Polka", "Retro",
  "Musical", "Rock & Roll", "Hard Rock", "Folk", "Folk/Rock", "National Folk", "Swing", "Fast-Fusion", "Bebob",
  "Latin", "Revival", "Celtic", "Bluegrass", "Avantgarde", "Gothic Rock", "Progressive Rock", "Psychedelic Rock",
  "Symphonic Rock", "Slow Rock", "Big Band", "Chorus", "Easy Listening", "Acoustic", "Humour", "Speech", "Chanson",
  "Opera", "Chamber Music", "Sonata", "Symphony", "Booty Bass", "Primus", "Porn Groove", "Satire", "Slow Jam",
  "Club", "Tango", "Samba", "Folklore", "Ballad", "Power Ballad", "Rhythmic Soul", "Freestyle", "Duet", "Punk Rock",
  "Drum Solo", "A Cappella", "Euro-House", "Dance Hall", "Goa", "Drum & Bass", "Club-House", "Hardcore", "Terror",
  "Indie", "BritPop", "Negerpunk", "Polsk Punk", "Beat", "Christian Gangsta Rap", "Heavy Metal", "Black Metal",
  "Crossover", "Contemporary Christian", "Christian Rock", "Merengue", "Salsa", "Thrash Metal", "Anime", "JPop",
  "Synthpop", "Abstract", "Art Rock", "Baroque", "Bhangra", "Big Beat", "Breakbeat", "Chillout", "Downtempo", "Dub",
  "EBM", "Eclectic", "Electro", "Electroclash", "Emo", "Experimental", "Garage", "Global", "IDM", "Illbient",
  "Industro-Goth", "Jam Band", "Krautrock", "Leftfield", "Lounge", "Math Rock", "New Romantic", "Nu-Breakz",
  "Post-Punk", "Post-Rock", "Psytrance", "Shoegaze", "Space Rock", "Trop Rock", "World Music", "Neoclassical",
  "Audiobook", "Audio Theatre", "Neue Deutsche Welle", "Podcast", "Indie Rock", "G-Funk", "Dubstep", "Garage Rock",
  "Psybient",
];

/** A genre that names nothing: ID3v1's "Other", as a number or as text. */
const NO_GENRE = "other";

export function isNoGenre(value: string): boolean {
  return value.trim().toLowerCase() === NO_GENRE;
}

/** The genre one ID3v1 number names, or null (255 is ID3v1's "none", numbers past the list name nothing). */
function numberedGenre(code: string): string | null {
  if (code === "RX") return "Remix";
  if (code === "CR") return "Cover";
  const n = Number(code);
  return Number.isInteger(n) && n < ID3V1_GENRES.length ? ID3V1_GENRES[n] : null;
}

const NUMBER = /^\s*(\d{1,9}|RX|CR)\s*$/u;

/**
 * The genres a TCON frame's text names, "Other" left out: each NUL-separated value read on its own; within one, the
 * refinement (the text after the references, or a name in parentheses, as some taggers write "(12)(Audiobook)")
 * wins over the numbers, else each number gives its ID3v1 genre.
 */
export function readGenreText(text: string): string[] {
  const genres: string[] = [];
  for (const value of text.split("\u0000")) {
    for (const genre of readGenreValue(value.trim())) if (!isNoGenre(genre) && !genres.includes(genre)) genres.push(genre);
  }
  return genres;
}

function readGenreValue(value: string): string[] {
  if (value === "") return [];
  const bare = NUMBER.exec(value);
  if (bare !== null) {
    const genre = numberedGenre(bare[1]);
    return genre === null ? [] : [genre];
  }
  const numbered: string[] = [];
  const named: string[] = [];
  let at = 0;
  while (at < value.length && value[at] === "(" && value[at + 1] !== "(") {
    const close = value.indexOf(")", at);
    if (close < 0) break;
    const inner = value.slice(at + 1, close);
    const code = NUMBER.exec(inner);
    if (code !== null) {
      const genre = numberedGenre(code[1]);
      if (genre !== null) numbered.push(genre);
    } else if (inner.trim() !== "") named.push(inner.trim());
    at = close + 1;
  }
  const refinement = unescapeRefinement(value.slice(at)).trim();
  if (refinement !== "") named.push(refinement);
  return named.length > 0 ? named : numbered;
}

/**
 * "((Books)" is the refinement "(Books)": "((" stands for the "(" it opens with. Taggers that escape both ends write
 * "((Books))": a ")" the text does not open is one escaped too.
 */
function unescapeRefinement(text: string): string {
  if (!text.startsWith("((")) return text;
  let out = text.slice(1);
  const opened = (out.match(/\(/gu) ?? []).length;
  while (out.endsWith("))") && (out.match(/\)/gu) ?? []).length > opened) out = out.slice(0, -1);
  return out;
}
