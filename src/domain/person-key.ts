/**
 * The key a name is looked up by in the lists of known people (pen-names.ts, known-readers.ts): "R.C. Bray",
 * "R. C. Bray" and "r c bray" are one name, as are "Émile Ajar" and "Emile Ajar". Spelling apart from that counts.
 */
export function personKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s.,'’_-]+/g, " ")
    .trim();
}
