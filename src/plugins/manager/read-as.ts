/**
 * A name as a reader takes it, for telling that two plugin names (or a name
 * and a layer's id) read alike: compatibility forms folded (fullwidth,
 * ligatures), invisible characters and accents dropped, case, `-`, `_` and
 * runs of spaces not told apart, and letters of other scripts that look like
 * Latin ones read as those (Cyrillic `а` in `Pаth`, Greek `Ρ` in `Ρath`).
 *
 * The lookalikes are Unicode's confusables (UTS #39) as the `unhomoglyph`
 * package ships them, generated from the Unicode data: each non-ASCII
 * character becomes its prototype. ASCII letters are left alone (the table
 * reads `m` as `rn` and `I` as `l`, which case folding would then tell apart
 * from `i`): what is caught is a letter of another script, not a Latin word
 * that resembles another. The table (100 KB) is read the first time a name
 * holds a non-ASCII character, so commands over ASCII names never load it.
 */
import { createRequire } from "node:module";

let prototypes: Record<string, string> | null = null;

function table(): Record<string, string> {
  return (prototypes ??= createRequire(import.meta.url)("unhomoglyph/data.json") as Record<string, string>);
}

/** Each non-ASCII character as the Latin (or other) character it looks like, per Unicode's confusables. */
export function lookalikeSkeleton(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  const map = table();
  let out = "";
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const prototype = map[ch];
    if (prototype === undefined) out += ch;
    // The table reads a capital I-like letter (Greek Ι, Cyrillic Ӏ) as `l`, as it reads `I`; names are compared
    // without case, where a capital one reads as `i`.
    else out += prototype === "l" && ch !== ch.toLowerCase() ? "I" : prototype;
  }
  return out;
}

export function readAs(text: string): string {
  const folded = text.normalize("NFKD").replace(/[\p{Cf}\p{Mn}]/gu, "").normalize("NFKC");
  return lookalikeSkeleton(folded).toLowerCase().replace(/[\s_-]+/g, " ").trim();
}

const SCRIPTS = ["Cyrillic", "Greek", "Armenian", "Cherokee", "Coptic", "Georgian"].map((name) => ({ name, test: new RegExp(`\\p{Script=${name}}`, "u") }));

/**
 * The letters of `text` that readAs took for other ones, in words (`U+0430, a Cyrillic letter, as "a"`), at most
 * three; empty when none: a name shown as `Pаth` looks like `Path`, so the warning says what is not what it seems.
 */
export function lookalikeNote(text: string): string {
  const seen = new Set<string>();
  const notes: string[] = [];
  for (const ch of text.normalize("NFKD").replace(/[\p{Cf}\p{Mn}]/gu, "").normalize("NFKC")) {
    if (ch.charCodeAt(0) < 0x80 || seen.has(ch)) continue;
    seen.add(ch);
    const prototype = lookalikeSkeleton(ch);
    if (prototype === ch) continue;
    const script = SCRIPTS.find((s) => s.test.test(ch))?.name;
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    notes.push(`${code}${script ? `, a ${script} letter,` : ""} as "${prototype}"`);
  }
  if (notes.length === 0) return "";
  return `read ${notes.slice(0, 3).join("; ")}${notes.length > 3 ? ` and ${notes.length - 3} more` : ""}`;
}
