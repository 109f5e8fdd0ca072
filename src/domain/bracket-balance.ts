/**
 * Brackets as people and tools leave them in names: nested ("Title [Ray Porter [64kbps]]", "Title [a [b] c]") and left
 * open or stray ("Title (Book 1", "Title [Narrator", "Dune) Simon Vance"). Every rule after reads one level of
 * brackets, each closed, so a name is brought to that shape first: a group inside another is lifted out to stand
 * right after it (nothing inside is lost), a group left open is closed where the name ends, and a closing bracket
 * nothing opened is a space.
 */
import { stripAudioExtension } from "./audio-extensions.js";

const OPENERS = "([{";
const CLOSERS = ")]}";
const BRACKET_CHAR = /[()[\]{}]/u;
const SPACE_RUN = /\s{2,}/gu;
const MAX_BRACKETS = 24;

interface Group {
  open: string;
  text: string;
  /** Groups that stood inside this one, each already closed, in the order written. */
  inner: string[];
}

/** `name` with its brackets one level deep and each closed; the name itself when they already are (most names). */
export function withBalancedBrackets(name: string): string {
  if (!BRACKET_CHAR.test(name) || isFlatAndClosed(name)) return name;
  // "Dune (Book 1.mp3": the file's extension stays outside the bracket closed for it.
  const stem = stripAudioExtension(name);
  const extension = name.slice(stem.length);
  let out = "";
  const stack: Group[] = [];
  const close = (): void => {
    const group = stack.pop()!;
    const text = group.text.trim();
    const pieces = text === "" ? group.inner : [`${group.open}${text}${CLOSERS[OPENERS.indexOf(group.open)]}`, ...group.inner];
    const written = pieces.join(" ");
    if (stack.length > 0) {
      if (written !== "") stack[stack.length - 1].inner.push(written);
    } else {
      out += written === "" ? " " : ` ${written} `;
    }
  };
  for (const ch of stem) {
    if (OPENERS.includes(ch)) stack.push({ open: ch, text: "", inner: [] });
    else if (CLOSERS.includes(ch)) {
      if (stack.length === 0) out += " ";
      else close();
    } else if (stack.length > 0) stack[stack.length - 1].text += ch;
    else out += ch;
  }
  while (stack.length > 0) close();
  return `${out.replace(SPACE_RUN, " ").trim()}${extension}`;
}

/**
 * One level deep, every bracket closed by its own kind, or past reading: nothing to do. One pass, no allocation (asked
 * of every path holding a bracket); a "/" closes a segment, so a whole path may be asked at once.
 */
export function isFlatAndClosed(name: string): boolean {
  let open = -1;
  let count = 0;
  let flat = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === "/") {
      if (open >= 0) flat = false;
      open = -1;
      continue;
    }
    const opener = OPENERS.indexOf(ch);
    const closer = opener >= 0 ? -1 : CLOSERS.indexOf(ch);
    if (opener < 0 && closer < 0) continue;
    count++;
    if (opener >= 0) {
      if (open >= 0) flat = false;
      open = opener;
    } else {
      if (open !== closer) flat = false;
      open = -1;
    }
  }
  // A name of dozens of brackets is no one's convention (hostile or noise): read as written, in linear time.
  return count > MAX_BRACKETS || (flat && open < 0);
}
