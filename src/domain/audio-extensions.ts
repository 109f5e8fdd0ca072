/**
 * The one list of audio file extensions shelfwise treats as audiobook audio:
 * the scanner builds books from these files, the embedded-tags layer reads
 * their tags, and path analysis strips them from loose files' names. Every
 * format here is one the tag reader (music-metadata) can parse. Video
 * containers (.mp4, .webm) are left out on purpose: a folder of films is not
 * a book.
 */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  "mp3",
  "m4b",
  "m4a",
  "aac",
  "aax",
  "flac",
  "ogg",
  "oga",
  "opus",
  "spx",
  "wma",
  "wav",
  "aif",
  "aiff",
  "ape",
  "wv",
  "mpc",
  "mka",
]);

const LONGEST = Math.max(...[...AUDIO_EXTENSIONS].map((e) => e.length));

/** Lower-cased audio extension of a file name, or undefined when it is not audio. */
export function audioExtension(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  // dot === 0 is a hidden file named like ".mp3", not audio.
  if (dot <= 0 || name.length - dot - 1 > LONGEST) return undefined;
  const ext = name.slice(dot + 1).toLowerCase();
  return AUDIO_EXTENSIONS.has(ext) ? ext : undefined;
}

export function isAudioFile(name: string): boolean {
  return audioExtension(name) !== undefined;
}

/** The name without its audio extension (`Book.M4B` -> `Book`); other names unchanged. */
export function stripAudioExtension(name: string): string {
  return isAudioFile(name) ? name.slice(0, name.lastIndexOf(".")) : name;
}
