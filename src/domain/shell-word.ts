import { lazyRegExp } from "./lazy-regexp.js";
import { terminalSafe } from "./terminal-safe.js";

const PLAIN = lazyRegExp(() => /^[\w@%+=:,./-]+$/);

/**
 * A path as one shell word, so a printed next step works when copied: quoted when it holds anything but plain
 * characters. A name holding a character the terminal shows as an escape (a line break, a tab, a direction
 * control: terminal-safe.ts) is written as `$'…\n…'`, which bash, zsh and ksh read back as the name: in `'…'`
 * the shown escape would be pasted as a backslash and a letter, naming a folder that does not exist.
 */
export function shellWord(text: string): string {
  if (PLAIN().test(text)) return text;
  if (terminalSafe(text) === text) return `'${text.replace(/'/g, `'\\''`)}'`;
  return `$'${[...text].map(ansiCEscaped).join("")}'`;
}

function ansiCEscaped(ch: string): string {
  if (ch === "\\" || ch === "'") return `\\${ch}`;
  if (terminalSafe(ch) === ch) return ch;
  const code = ch.codePointAt(0)!;
  // \xHH is a byte to the shell: a character past ASCII is given by its code point, which the shell encodes.
  return code < 0x80 ? (NAMED[ch] ?? `\\x${code.toString(16).padStart(2, "0")}`) : `\\u${code.toString(16).padStart(4, "0")}`;
}

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e" };
