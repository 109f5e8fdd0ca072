/**
 * What one file's tags are read to, shared by the readers that bound a tag before music-metadata parses it
 * (id3-value-bound.ts, vorbis-comments.ts, mp4-tag-boxes.ts) and file-tags.ts, which cuts what is left after it.
 */

/**
 * Most values kept of one tag (one common field's list, or one native key repeated): a book has a few writers and
 * readers, a tag a few values of each key. The claim rules, which run in the scan's own thread (not the tag reader's,
 * whose clock stops a stuck parse), weigh names against each other: a crafted tag of 10,000 artists took them ~18 s,
 * 100,000 minutes.
 */
export const MAX_TAG_VALUES = 64;

/**
 * A tag's key as a warning names it: the file chose it (a Vorbis key may be any bytes, and as long as its comment), so
 * control and format characters (escape sequences, bidi overrides) are shown as "?" and a long one is cut.
 */
export function shownKey(key: string): string {
  const shown = key.replace(/[\p{Cc}\p{Cf}]/gu, "?");
  return shown.length > MAX_KEY_SHOWN ? `${shown.slice(0, MAX_KEY_SHOWN)}…` : shown;
}
const MAX_KEY_SHOWN = 40;

/** What a warning says of a key whose values were cut to the first MAX_TAG_VALUES. */
export function tooManyValuesNote(key: string, count: number): string {
  return `its ${shownKey(key)} tag holds ${count} values, over the ${MAX_TAG_VALUES} shelfwise reads; the first ${MAX_TAG_VALUES} were read`;
}
