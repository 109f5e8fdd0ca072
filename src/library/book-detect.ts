/**
 * Name rules the scanner uses to tell books apart (pure functions, no I/O):
 * which files are audio, which folders are junk to skip, which subfolders are
 * discs or parts of their parent book, and whether the loose audio files of
 * one folder are chapters of one book or separate single-file books.
 */

// The list lives in domain/ (one list for the scanner, the tag layer and path analysis).
export { AUDIO_EXTENSIONS, audioExtension } from "../domain/audio-extensions.js";
import { audioExtension } from "../domain/audio-extensions.js";
import { PART_WORDS, PIECE_FOLDER, PIECE_HINT } from "../domain/part-words.js";

/** NAS, OS and trash folders that never hold books (compared lower-cased). */
const SKIPPED_NAMES: ReadonlySet<string> = new Set([
  "@eadir", // Synology thumbnails
  "#recycle", // Synology recycle bin
  "#snapshot",
  "@recycle", // QNAP
  "__macosx", // zip archives made on macOS
  "$recycle.bin", // Windows
  "system volume information",
  "lost+found",
]);

/**
 * Whether an entry is skipped without a word. Every dot-prefixed entry is
 * skipped, files too: `.Trash-1000`, `.DS_Store` and macOS `._01.mp3`
 * AppleDouble files (which look like audio but are resource forks).
 */
export function isSkippedName(name: string): boolean {
  const code = name.charCodeAt(0);
  if (code === 46 /* . */) return true;
  // Hot path: lower-case (an allocation) only names that start like a skipped one.
  if (!mayBeSkipped(code)) return false;
  return SKIPPED_NAMES.has(name.toLowerCase());
}

/** Whether a name whose first UTF-16 code unit is `code` can be one isSkippedName skips: . @ # _ $ s l (either case). */
export function mayBeSkipped(code: number): boolean {
  const first = code | 32; // ASCII lower case
  return code === 46 || first === 96 || first === 35 || first === 127 || first === 36 || first === 115 || first === 108;
}

/**
 * Disc and part folders of a book: `CD1`, `Disc 2 of 12`, `Part 01`, `Part II`,
 * `Pt. 1`, `Side A`, `Teil 2 von 3`, `Partie 1`, `Disque 1`, `Disco 2`,
 * `Schijf 1`, `Seite B`, `Tape 1`, optionally in brackets. Only disc words may
 * follow a title (`The Hobbit - CD1`, `Le Hobbit (Disque 1)`); "part" after a
 * title is too often a book of its own (`Part 1 - The Gathering Storm`).
 * "Volume"/"Vol" and Dutch "Deel" are deliberately absent: `Series/Vol 1` is
 * usually a book. The words are shared with path analysis (domain/part-words.ts).
 */
export function isDiscFolderName(name: string): boolean {
  return PIECE_FOLDER().test(name);
}

// "The Stand Part 01", "The Stand - Pt. 2 of 3 - Captain Trips", "Die Therapie (Teil 1)": a name, then a part's number.
const NAMED_PART = new RegExp(
  String.raw`^(.*?\S)(?:\s*[-–—,:_.]\s*|\s+|\s*[([]\s*)(?:${PART_WORDS})\.?\s*(?:\d{1,3}|[ivx]{1,5})(?:\s*(?:of|von|sur|de|di|\/)\s*\d{1,3})?\s*[)\]]?(?:\s*[-–—:]\s+\S.*)?$`,
  "iu",
);
const BRACKETS = /\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/gu;
const MARKS = /\p{M}/gu;
const NOT_NAME = /[^\p{L}\p{N}]+/gu;

function foldName(name: string): string {
  return name.normalize("NFKD").replace(MARKS, "").replace(BRACKETS, " ").toLowerCase().replace(NOT_NAME, " ").trim();
}

/**
 * A part folder named after its book: the parent folder's name again, then a part and its number (`The Stand/The
 * Stand Part 01`, `The Stand/The Stand - Pt. 2 - Captain Trips`, `Holly (2023)/Holly Teil 1`). A part word alone after
 * a title is no piece (`The Hobbit - Part 1` may be a book of its own), but after the very name of the folder above it
 * is one of that folder's book.
 */
export function isPartOfFolder(name: string, parentName: string): boolean {
  if (!PIECE_HINT.test(name)) return false;
  const m = NAMED_PART.exec(name);
  if (m === null) return false;
  const head = foldName(m[1]);
  return head.length > 0 && head === foldName(parentName);
}

const EXTENSION = /\.[^.]+$/;
const BRACKETED = /\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g;
const DIGITS = /\d+/g;
const NOT_WORD = /[^\p{L}\p{N}#]+/gu;
// "第001集", "第1章", "第一回", "第3話", "제1화": a chapter or episode of a Chinese, Japanese or Korean reading.
const TRACK_WORD = /(?:chapter|track|part|ch|pt|cd|disc|kapitel|chapitre|cap[ií]tulo)\W*\d|[第제]\s*[\d〇零一二三四五六七八九十百千]+\s*[集章回話话节節講讲화장]/iu;

function stemOf(name: string): string {
  return name.replace(EXTENSION, "").replace(BRACKETED, " ").trim();
}

/** A name with numbers and punctuation flattened: "Book - Part 2" -> "book part #". */
function skeleton(stem: string): string {
  return stem.toLowerCase().replace(DIGITS, "#").replace(NOT_WORD, " ").trim();
}

/** A track-like number: leading ("01 - Intro"), trailing ("Book 12") or after a track word. */
function isNumbered(stem: string): boolean {
  const first = stem.charCodeAt(0);
  const last = stem.charCodeAt(stem.length - 1);
  return (first >= 48 && first <= 57) || (last >= 48 && last <= 57) || TRACK_WORD.test(stem);
}

/**
 * Whether the audio files directly inside one folder (a folder that is not a
 * library root and has no book folders beside them) are one multi-file book.
 *
 * The rule, in order:
 * 1. One file: it is the folder's book (`Title/Title.m4b`).
 * 2. All names equal once numbers and punctuation are flattened
 *    (`Chapter 1`, `Chapter 2`; `Book Part 1.m4b`, `Book Part 2.m4b`): one book.
 * 3. All files are .m4b (the one-file-per-book format) with different names:
 *    separate books, one per file.
 * 4. At least two files, and at least half of them, carry a track number
 *    (`01 - Intro.mp3`, `Title 03.mp3`, `Chapter 7 - The Road.mp3`): one book.
 * 5. Otherwise (different names without track numbers, such as
 *    `Dune.mp3`, `Emma.mp3` in an author folder): separate books.
 *
 * Bracketed text is ignored when reading numbers, so `Dune (1965).mp3` is not
 * a track.
 */
export function looksLikeOneBook(fileNames: readonly string[]): boolean {
  if (fileNames.length <= 1) return true;
  const stems = fileNames.map(stemOf);
  // Rules 2 and 4 both say "one book" and rule 3 only applies to all-m4b
  // folders, so the cheap number check runs first (scan hot path).
  if (!fileNames.every((name) => audioExtension(name) === "m4b")) {
    let numbered = 0;
    for (const stem of stems) if (isNumbered(stem)) numbered++;
    if (numbered >= 2 && numbered * 2 >= stems.length) return true;
  }
  const first = skeleton(stems[0]);
  return stems.every((stem) => skeleton(stem) === first);
}

/**
 * Files the sidecar layer reads: Audiobookshelf metadata.json and metadata.abs, OPF, desc.txt, reader.txt, release
 * notes (.nfo, info.txt), cue sheets, a book.json.
 */
export function isSidecarName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "metadata.json" || lower === "desc.txt" || lower === "reader.txt" || lower === "metadata.abs" || lower === "info.txt" || lower === "book.json" || lower.endsWith(".opf") || lower.endsWith(".nfo") || lower.endsWith(".cue");
}

/**
 * Extensions of a loose audio file's companions (compared lower-cased):
 * covers, metadata, descriptions, cue sheets, lyrics and subtitles,
 * playlists and booklets. A companion shares the audio file's stem
 * (`Dune.m4b`: `Dune.jpg`, `dune.OPF`, `Dune.cue`); other audio files and
 * anything else (`Dune.epub`, an ebook; `Dune (cover).jpg`) are not.
 */
const COMPANION_EXTENSIONS: ReadonlySet<string> = new Set([
  "jpg", "jpeg", "png", "webp", "gif", // covers
  "opf", "nfo", "json", "abs", "txt", // metadata and descriptions
  "cue", // cue sheets (chapters)
  "lrc", "srt", "vtt", // lyrics and subtitles
  "m3u", "m3u8", // playlists
  "pdf", // booklets (Audible's companion PDFs)
]);

const LONGEST_COMPANION = 4;

/** Whether a non-audio file could be an audio file's companion (by extension). */
export function hasCompanionExtension(name: string): boolean {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.length - dot - 1 > LONGEST_COMPANION) return false;
  return COMPANION_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The stem two files of one folder are matched by: the name without its
 * last extension, lower-cased and in NFC (a name written on macOS may be
 * NFD beside an NFC twin). `Dune.m4b` and `DUNE.jpg` share "dune".
 */
export function companionStem(name: string): string {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return (ASCII.test(stem) ? stem : stem.normalize("NFC")).toLowerCase();
}
