/**
 * A value as a terminal may show it. In domain (pure) because both the CLI's
 * output and the one-line words for faults (app/environment-words.ts, shared
 * with the web server) show outside text through it.
 */

// C0 controls (newline and tab included: a value is one line), DEL, C1
// controls (CSI 0x9b alone starts an escape sequence on many terminals), the
// line and paragraph separators, and the invisible direction marks, embeddings,
// overrides and isolates that make text display in an order other than stored.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e" };

/**
 * A value as it may be shown on a terminal: unsafe characters are written as
 * visible escapes (`\r`, `\e`, `\x07`, `\u202e`), so the text stays readable
 * and nothing in it acts on the terminal. null and undefined print as "".
 */
export function terminalSafe(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
