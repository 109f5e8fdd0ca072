/**
 * Where a plan entry puts the book, as apply, history and `books` name it: a single audio file gets a folder of its
 * own, and that folder is the book's place from then on. The plan's table showed the file inside it
 * (`Someone/dash v/-v.mp3`) while `apply --dry-run` showed `Someone/dash v` for the same move; the web app's Review
 * page did the same. (`plan --json`'s `to` stays the file, as documented; its `proposed_path` is the folder.)
 */
export function bookPlaceOf(entry: { kind: "folder" | "file"; to: string | null }): string | null {
  if (entry.kind !== "file" || entry.to === null) return entry.to;
  const cut = entry.to.lastIndexOf("/");
  return cut > 0 ? entry.to.slice(0, cut) : entry.to;
}
