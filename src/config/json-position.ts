/**
 * Where a JSON file the user edits goes wrong, as an editor shows it: line
 * and column (1-based) and a short reason of our own words. V8's messages
 * name no position for most mistakes ("Unexpected token 'x', ..."), quote
 * the file's text (a secret, a newline that breaks the one-line message) and
 * change between Node versions, so the text is walked here instead.
 *
 * The same walk finds keys given twice in one object: JSON.parse silently
 * keeps the last, and the next rewrite of the file would drop the other.
 */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** What is wrong there, e.g. `expected "," or "}" after a value`. */
  message: string;
}

export interface DuplicateKey {
  key: string;
  /** Where the key is given again (1-based). */
  line: number;
  column: number;
  /** Line of its first occurrence in the same object. */
  firstLine: number;
}

/** Objects and arrays nested deeper than this are refused: no settings file needs it, and the walk stays shallow. */
const MAX_DEPTH = 200;

class Stop extends Error {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The first syntax problem in `text` (a BOM already removed), or null when it is valid JSON. */
export function jsonSyntaxProblem(text: string, options: { quote?: boolean } = {}): JsonSyntaxProblem | null {
  try {
    walk(text, options.quote ?? true, null);
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...lineColumn(text, error.at), message: error.reason };
  }
}

/** Keys given more than once in one object (valid JSON assumed: call after parsing). */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  try {
    walk(text, false, found);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return found;
}

/**
 * Where the value at `path` starts in `text` (valid JSON assumed, a BOM already removed), as an editor shows it;
 * for a key that is not there (a required one left out), where the object that lacks it starts. Null when
 * nothing of the path is in the text.
 */
export function valuePosition(text: string, path: readonly PropertyKey[]): { line: number; column: number } | null {
  const wanted = path.map(String);
  let best = -1;
  let bestDepth = -1;
  const visit = (at: readonly string[], start: number) => {
    if (at.length > wanted.length || at.length <= bestDepth) return;
    if (at.every((key, n) => key === wanted[n])) {
      best = start;
      bestDepth = at.length;
    }
  };
  try {
    walk(text, false, null, visit);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return best < 0 ? null : lineColumn(text, best);
}

/** A UTF-8 byte order mark (Windows Notepad writes one) is not part of the JSON. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function lineColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  return { line, column: at - (before.lastIndexOf("\n") + 1) + 1 };
}

function walk(text: string, quote: boolean, duplicates: DuplicateKey[] | null, visit?: (path: readonly string[], at: number) => void): void {
  let i = 0;
  const path: string[] = [];
  const shown = (at: number): string => {
    if (at >= text.length) return "the end of the file";
    if (!quote) return "this character";
    const c = text.codePointAt(at)!;
    return c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0) ? `"${String.fromCodePoint(c)}"` : `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  };
  const unexpected = (what: string) => new Stop(i, `${what}, found ${shown(i)}`);
  const space = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else break;
    }
  };
  const string = (): string => {
    const start = ++i;
    let out = "";
    let from = start;
    for (;;) {
      if (i >= text.length) throw new Stop(start - 1, "a string is not closed (a missing '\"')");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(from, i);
        i++;
        return out;
      }
      if (c < 0x20) throw new Stop(i, c === 0x0a ? "a line break inside a string (write it as \\n)" : `a control character inside a string (U+${c.toString(16).toUpperCase().padStart(4, "0")})`);
      if (c === 0x5c) {
        out += text.slice(from, i);
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, "\\u must be followed by four hex digits");
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          out += e;
          i += 2;
        } else {
          throw new Stop(i, "an unknown escape in a string (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are allowed)");
        }
        from = i;
        continue;
      }
      i++;
    }
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) throw unexpected("expected a number");
    i += match[0].length;
  };
  const value = (depth: number) => {
    space();
    visit?.(path, i);
    const c = text[i];
    if (c === "{") return object(depth + 1);
    if (c === "[") return array(depth + 1);
    if (c === '"') return void string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === "'") throw new Stop(i, "strings and keys need double quotes (\"), not single quotes");
    throw unexpected("expected a value (a string in double quotes, a number, true, false, null, an object or a list)");
  };
  const nest = (depth: number) => {
    if (depth > MAX_DEPTH) throw new Stop(i, `nested deeper than ${MAX_DEPTH} levels`);
  };
  const object = (depth: number) => {
    nest(depth);
    i++;
    const seen = new Map<string, number>();
    space();
    if (text[i] === "}") return void i++;
    for (;;) {
      space();
      if (text[i] !== '"') {
        if (text[i] === "}") throw new Stop(i, "a comma before \"}\" (JSON allows no trailing comma)");
        if (text[i] === "'") throw new Stop(i, "keys need double quotes (\"), not single quotes");
        throw unexpected("expected a key in double quotes");
      }
      const keyAt = i;
      const key = string();
      if (duplicates) {
        const first = seen.get(key);
        if (first !== undefined) duplicates.push({ key, ...lineColumn(text, keyAt), firstLine: lineColumn(text, first).line });
        else seen.set(key, keyAt);
      }
      space();
      if (text[i] !== ":") throw unexpected('expected ":" after a key');
      i++;
      path.push(key);
      value(depth);
      path.pop();
      space();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") return void i++;
      throw unexpected('expected "," or "}" after a value');
    }
  };
  const array = (depth: number) => {
    nest(depth);
    i++;
    space();
    if (text[i] === "]") return void i++;
    for (let n = 0; ; n++) {
      path.push(String(n));
      value(depth);
      path.pop();
      space();
      if (text[i] === ",") {
        i++;
        space();
        if (text[i] === "]") throw new Stop(i, "a comma before \"]\" (JSON allows no trailing comma)");
        continue;
      }
      if (text[i] === "]") return void i++;
      throw unexpected('expected "," or "]" after a value');
    }
  };
  value(0);
  space();
  if (i < text.length) throw unexpected("expected the end of the file after the value");
}
