/**
 * A linear look at how deep untrusted JSON text nests, before JSON.parse is
 * given it: a body of a million nested arrays (`[[[[...]]]]`, 2 MiB) held
 * Node's event loop for a second or more inside JSON.parse, and every walk of
 * the parsed value after it risks the stack. One bound for every answer read
 * from outside (plugins' result lines, HTTP sources' and web layers' answers).
 */

/** Deeper than this, an answer is not data worth parsing: real results nest a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether brackets outside strings nest deeper than `limit`. Brackets inside
 * strings do not count, nor does an escaped quote end one; the text need not
 * be valid JSON (JSON.parse judges that afterwards).
 */
export function jsonNestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}
