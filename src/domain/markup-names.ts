/**
 * Markup, templates and code in a folder or file name ("<script>alert(1)</script>", "Stephen King - <i>It</i>",
 * "{{7*7}}", "${jndi:...}", "'; DROP TABLE books;--"): the user's (or an attacker's) characters, shown escaped by
 * the pages and the terminal, never read for a writer, a position or a year. Each such run is set aside as one word
 * before the name is read and put back whole after, so the reading keeps it as written or not at all: reading
 * inside it took "<script>alert(1)" as the writer and "script>" as the title, "(1)" as a series' place.
 *
 * A closing tag's "/" ("</script>") cannot be in one folder's name on disk, so it is read as part of the markup,
 * not as a folder boundary: a path "<script>alert(1)</script>" is the name of one book, as written.
 */
import { lazyRegExp } from "./lazy-regexp.js";

/** Cheap test first: every run below holds one of these. */
const HINT = /[<{]|;\s*--/u;
const CLOSING_SLASH = /<\/(?=[a-z][\w:-]*\s*>)/giu;
const SLASH_STAND_IN = "\uE000";
const SLASH_STAND_INS = /\uE000/gu;
// A tag opening (and a quote or ">" closing an attribute before it: "\"><img src=x>"); its run goes on to the name's
// last ">", found by lastIndexOf: a pattern reaching for it from every "<" took seconds on a long name of "<a".
const TAG_START = /(?:["'`]\s*)?>?\s*<[a-z!?\uE000]/iu;
// A template's "{{ }}", "${ }", "{% %}", an SQL comment closing a name.
const RUN = lazyRegExp(() => /\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{%[^{}]*%\}|;\s*--.*$/gu);
/** A book's own name holding no letter or digit but markup's characters ("<<>>", "&", "{}") is kept as written. */
const ONLY_MARKS = lazyRegExp(() => /^(?=.*[<>&{}%"'\\])[^\p{L}\p{N}]+$/u);
/** "{Title}" alone: Audiobookshelf's braces name a reader only beside a title. */
const ONLY_BRACES = /^\{[^{}]+\}$/u;
const STAND_IN = / ?qxmarkup([a-z])qx ?/gu;
/** Any character a run or a name kept as written may hold: most names have none. */
// Quotes and backslashes alone ("Ender's Game") set nothing aside: only a name of nothing but marks keeps them, and
// such a name holds one of these too or is no book's ("''").
const MARK_HINT = /[<>{&%]|;\s*--/u;
const MAX_RUNS = 26;

interface Run {
  text: string;
  /** Whether the name had a space before and after the run: the stand-in always has, the run is put back as it was. */
  spaceBefore: boolean;
  spaceAfter: boolean;
}

export interface SetAside {
  path: string;
  runs: Run[];
}

/** The path with each markup run replaced by a stand-in word; null when it holds none. */
export function setMarkupAside(path: string): SetAside | null {
  if (!MARK_HINT.test(path)) return null;
  const joined = path.includes("</") ? path.replace(CLOSING_SLASH, `<${SLASH_STAND_IN}`) : path;
  const runs: Run[] = [];
  const standIn = (run: string, at = 0, whole = ""): string => {
    if (runs.length >= MAX_RUNS) return run;
    runs.push({ text: run.replace(SLASH_STAND_INS, "/"), spaceBefore: at > 0 && whole[at - 1] === " ", spaceAfter: whole[at + run.length] === " " });
    return ` qxmarkup${String.fromCharCode(97 + runs.length - 1)}qx `;
  };
  const segments = joined.split("/");
  const last = segments.length - 1;
  const out = segments.map((segment, i) => {
    if (i === last) {
      const trimmed = segment.trim();
      if (ONLY_MARKS().test(trimmed) || ONLY_BRACES.test(trimmed)) return standIn(trimmed).trim();
    }
    if (!HINT.test(segment)) return segment;
    let text = segment;
    const tag = TAG_START.exec(text);
    const end = tag === null ? -1 : text.lastIndexOf(">");
    if (tag !== null && end > tag.index) text = `${text.slice(0, tag.index)}${standIn(text.slice(tag.index, end + 1), tag.index, text)}${text.slice(end + 1)}`;
    return text.replace(RUN(), standIn).replace(/ {2,}/gu, " ").trim();
  });
  return runs.length === 0 ? null : { path: out.join("/"), runs };
}

/** A value read from a path set aside: each stand-in back as the run it stood for. */
export function putMarkupBack(value: string, runs: readonly Run[]): string {
  return value
    .replace(STAND_IN, (m: string, letter: string) => {
      const run = runs[letter.charCodeAt(0) - 97];
      if (run === undefined) return " ";
      return `${m.startsWith(" ") && run.spaceBefore ? " " : ""}${run.text}${m.endsWith(" ") && run.spaceAfter ? " " : ""}`;
    })
    .trim();
}
