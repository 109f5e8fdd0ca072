/**
 * Hides secret values in text shelfwise shows or keeps: a plugin's log, its
 * error messages, health records, evidence, an HTTP source's URLs and answers.
 * Each secret is looked for in the spellings text may carry it in: as is, in
 * any letter case, URL- or percent-encoded (some or every character),
 * form-encoded, JSON-escaped (`\"`, `\u0061`), reversed, as hex, as base64
 * (standard or URL-safe, padded or not, at any of the 3 byte offsets it can
 * sit at inside a longer encoded text), and with spaces, newlines or invisible
 * characters between its characters. A copy missing up to 2 characters at
 * either end is masked too, so a value cut in two across writes cannot show
 * more than those 2 characters.
 *
 * Masking is for slips (a plugin printing its API key while debugging, an API
 * echoing the key): a plugin that means to leak its own secret can always
 * encode it some other way, and that is the wall's business.
 */
export const SECRET_MASK = "***";

/** Shorter values are not looked for: masking every "a" or "12" would garble logs and refuse real values. */
export const MIN_MASKED_CHARS = 4;

/**
 * Values this long are looked for in every spelling above; shorter ones (MIN_MASKED_CHARS up to this) only as
 * is, URL-encoded, form-encoded or JSON-escaped, letter case kept: a 5-letter value reversed, spaced out or in
 * another case is too often an ordinary word ("token" is "nekot" backwards, "t o k e n" in a banner).
 */
export const MIN_ENCODED_CHARS = 8;

/** How many characters a copy may miss at each end and still be masked. */
const CUT_UNITS = 2;

export interface SecretMask {
  /** `text` with every spelling of every secret replaced by SECRET_MASK. */
  text(text: string): string;
  /** Whether `text` holds a secret. */
  holds(text: string): boolean;
  /** The plain spellings looked for, longest first (empty: nothing to mask). */
  readonly forms: readonly string[];
  /**
   * The same mask for text held as latin1 (one char per byte of UTF-8: a plugin's raw output), where an
   * invisible separator or a non-ASCII character of a value is several chars.
   */
  latin1(): SecretMask;
  /**
   * Where the end of `text` may be the start of a secret cut by a write or a line (at least 3 of its characters,
   * then only separators): the index to hold that end back from, until what follows is known; text.length when none.
   * `minChars` (at least 3) asks for a longer start: what ends text for good is masked from there (heldTailMasked).
   */
  heldFrom(text: string, minChars?: number): number;
  /**
   * `text` masked, keeping only what comes from index `from` on: a copy that begins before `from` and reaches
   * past it is masked whole (a window cut out of longer text must not keep the half of a secret it starts with).
   */
  maskedFrom(text: string, from: number): string;
}

type Mode = "utf16" | "latin1";

/** The fewest first characters of a secret an end of text is held back for. */
const HELD_MIN_CHARS = 3;

/**
 * The fewest first characters of a secret (of MIN_ENCODED_CHARS or more) masked at the end of text that ends
 * there for good (a plugin's output at its exit): 3 would mask too many ordinary endings, 4 shows at most 3.
 */
export const CUT_TAIL_MASKED_CHARS = 4;

/**
 * `text` that ends for good (nothing will follow it) with its end masked from where it is the start of a secret
 * (CUT_TAIL_MASKED_CHARS or more of its first characters, then only separators, which are kept).
 */
export function heldTailMasked(mask: SecretMask, text: string): string {
  const from = mask.heldFrom(text, CUT_TAIL_MASKED_CHARS);
  if (from >= text.length) return text;
  const rest = text.slice(from);
  const trailing = /\s*$/.exec(rest)![0];
  return text.slice(0, from) + SECRET_MASK + trailing;
}

/** How far back from its end text is searched for a cut secret's start. */
const HELD_SEARCH_CHARS = 8192;

export function secretMask(values: Iterable<string>, extraForms: Iterable<string> = [], minChars = MIN_MASKED_CHARS): SecretMask {
  const plain = new Set<string>();
  const spellings = new Set<string>();
  for (const value of values) {
    if (typeof value !== "string" || value.length < Math.max(1, minChars)) continue;
    for (const form of exactForms(value)) plain.add(form);
    if ([...value].length >= MIN_ENCODED_CHARS) for (const form of encodedForms(value)) spellings.add(form);
  }
  for (const form of extraForms) if (form.length > 0) plain.add(form);
  // Longest first, so a spelling that contains another is replaced whole.
  const forms = [...plain].sort((a, b) => b.length - a.length);
  const searched = [...spellings].filter((s) => s.length > 2 * CUT_UNITS).sort((a, b) => b.length - a.length);
  // Text too short to hold the shortest core (a UTF-16 char is at most 3 bytes) is not normalized: answers are
  // checked value by value, most of them short.
  const shortest = Math.min(...searched.map((s) => s.length - 2 * CUT_UNITS));
  const mayHold = (text: string, mode: Mode) => searched.length > 0 && text.length * (mode === "latin1" ? 1 : 3) >= shortest;
  const make = (mode: Mode): SecretMask => {
    const exact = mode === "utf16" ? forms : forms.map((f) => Buffer.from(f, "utf8").toString("latin1"));
    return {
      forms: exact,
      text(text) {
        if (exact.length === 0 || text.length === 0) return text;
        let out = text;
        const ranges = !mayHold(text, mode) ? [] : foundRanges(normalized(text, mode, 0), searched);
        if (ranges.length > 0) out = replaced(out, ranges);
        for (const form of exact) if (out.includes(form)) out = out.split(form).join(SECRET_MASK);
        return out;
      },
      holds(text) {
        if (exact.length === 0 || text.length === 0) return false;
        if (exact.some((form) => text.includes(form))) return true;
        return mayHold(text, mode) && foundRanges(normalized(text, mode, 0), searched).length > 0;
      },
      latin1: () => make("latin1"),
      maskedFrom(text, from) {
        if (exact.length === 0 || text.length === 0) return text.slice(from);
        const ranges = !mayHold(text, mode) ? [] : foundRanges(normalized(text, mode, 0), searched);
        for (const form of exact) {
          for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + form.length)) ranges.push([at, at + form.length]);
        }
        let out = "";
        let at = from;
        let masking = false;
        for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
          if (end <= at) continue;
          // Overlapping copies (a spelling inside another, one cut at the window's start) are one mask.
          if (start > at || !masking) out += text.slice(at, Math.max(at, start)) + SECRET_MASK;
          masking = true;
          at = end;
        }
        return out + text.slice(at);
      },
      heldFrom(text, minChars = HELD_MIN_CHARS) {
        if (searched.length === 0) return text.length;
        const from = Math.max(0, text.length - HELD_SEARCH_CHARS);
        const n = normalized(text, mode, from);
        let held = text.length;
        for (const spelling of searched) {
          // 3 or more first characters, fewer than all but CUT_UNITS (those are masked where they are).
          for (let k = Math.min(spelling.length - CUT_UNITS - 1, n.text.length); k >= Math.max(HELD_MIN_CHARS, minChars); k--) {
            if (n.text.endsWith(spelling.slice(0, k))) {
              held = Math.min(held, n.starts[n.text.length - k]!);
              break;
            }
          }
        }
        return held;
      },
    };
  };
  return make("utf16");
}

/** The spellings of the old exact rule, looked for as they are (also for values too short for the rest). */
function exactForms(value: string): string[] {
  return [value, encodeURIComponent(value), new URLSearchParams({ x: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)];
}

/**
 * The spellings a long value is looked for in, in the normalized form (UTF-8 bytes as latin1, ASCII letters
 * lower-cased, separators dropped): as is, reversed, hex, and base64 (standard and URL-safe) at each byte offset.
 */
function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const reversed = Buffer.from([...value].reverse().join(""), "utf8");
  const out = [bytes.toString("latin1"), reversed.toString("latin1"), bytes.toString("hex")];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    // Only the characters made of the value's bits alone: those around it depend on its neighbours.
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    out.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...new Set(out.map((form) => normalized(form, "latin1", 0).text))].filter((f) => f.length >= MIN_ENCODED_CHARS);
}

interface Normalized {
  /** The text's bytes as latin1, ASCII letters lower-cased, %XX and JSON escapes decoded, separators dropped. */
  text: string;
  /** For each char of `text`, where what it came from starts and ends in the original. */
  starts: Uint32Array;
  ends: Uint32Array;
}

const HEX = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hexValue = (text: string, at: number, length: number) => parseInt(text.slice(at, at + length), 16);

/**
 * `text` (from `from`) as secrets are compared in it: one pass, so the log path stays cheap. Separators are
 * whitespace, the invisible characters (zero-width space/joiners, word joiner, BOM, soft hyphen) and the
 * escapes \n \r \t; %XX and \uXXXX are decoded (what they decode to is then compared, never re-decoded).
 */
function normalized(text: string, mode: Mode, from: number): Normalized {
  const size = text.length - from;
  // A UTF-16 char is at most 3 bytes of UTF-8 (a pair is 4 for 2 chars); a latin1 char is one byte.
  const room = mode === "latin1" ? size : size * 3;
  const codes = new Uint8Array(room);
  const starts = new Uint32Array(room);
  const ends = new Uint32Array(room);
  let n = 0;
  const emit = (byte: number, start: number, end: number) => {
    codes[n] = byte >= 65 && byte <= 90 ? byte + 32 : byte;
    starts[n] = start;
    ends[n] = end;
    n++;
  };
  const emitCode = (code: number, start: number, end: number) => {
    if (isSeparator(code)) return;
    if (code < 0x80) emit(code, start, end);
    else for (const b of Buffer.from(String.fromCharCode(code), "utf8")) emit(b, start, end);
  };
  for (let i = from; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 37 /* % */ && HEX(text.charCodeAt(i + 1)) && HEX(text.charCodeAt(i + 2))) {
      const b = hexValue(text, i + 1, 2);
      if (!(b === 9 || b === 10 || b === 13 || b === 32)) emit(b, i, i + 3);
      i += 3;
      continue;
    }
    if (c === 92 /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 117 /* u */ && HEX(text.charCodeAt(i + 2)) && HEX(text.charCodeAt(i + 3)) && HEX(text.charCodeAt(i + 4)) && HEX(text.charCodeAt(i + 5))) {
        emitCode(hexValue(text, i + 2, 4), i, i + 6);
        i += 6;
        continue;
      }
      if (next === 110 || next === 114 || next === 116) {
        i += 2;
        continue;
      }
      if (next === 34 || next === 92 || next === 47) {
        emit(next, i, i + 2);
        i += 2;
        continue;
      }
    }
    if (mode === "latin1") {
      // UTF-8 invisible characters, as bytes: U+00A0/U+00AD, U+180E, U+200B..U+200F, U+2028/9, U+2060..U+2064, U+FEFF.
      if (c === 0xc2 && (text.charCodeAt(i + 1) === 0xa0 || text.charCodeAt(i + 1) === 0xad)) {
        i += 2;
        continue;
      }
      if (c === 0xe1 || c === 0xe2 || c === 0xef) {
        const b1 = text.charCodeAt(i + 1);
        const b2 = text.charCodeAt(i + 2);
        if ((c === 0xe2 && b1 === 0x80 && ((b2 >= 0x8b && b2 <= 0x8f) || b2 === 0xa8 || b2 === 0xa9)) || (c === 0xe2 && b1 === 0x81 && b2 >= 0xa0 && b2 <= 0xa4) || (c === 0xef && b1 === 0xbb && b2 === 0xbf) || (c === 0xe1 && b1 === 0xa0 && b2 === 0x8e)) {
          i += 3;
          continue;
        }
      }
      if (!isSeparator(c)) emit(c & 0xff, i, i + 1);
      i += 1;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      for (const b of Buffer.from(text.slice(i, i + 2), "utf8")) emit(b, i, i + 2);
      i += 2;
      continue;
    }
    emitCode(c, i, i + 1);
    i += 1;
  }
  return { text: Buffer.from(codes.buffer, 0, n).toString("latin1"), starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

function isSeparator(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xad || code === 0x180e || (code >= 0x200b && code <= 0x200f) || code === 0x2028 || code === 0x2029 || (code >= 0x2060 && code <= 0x2064) || code === 0xfeff;
}

/** The original ranges of every copy of a spelling (missing up to CUT_UNITS chars at either end), merged. */
function foundRanges(n: Normalized, spellings: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const spelling of spellings) {
    const core = spelling.slice(CUT_UNITS, spelling.length - CUT_UNITS);
    for (let at = n.text.indexOf(core); at !== -1; at = n.text.indexOf(core, at + 1)) {
      let left = 0;
      while (left < CUT_UNITS && at - left - 1 >= 0 && n.text[at - left - 1] === spelling[CUT_UNITS - left - 1]) left++;
      let right = 0;
      const end = at + core.length;
      while (right < CUT_UNITS && end + right < n.text.length && n.text[end + right] === spelling[spelling.length - CUT_UNITS + right]) right++;
      ranges.push([n.starts[at - left]!, n.ends[end + right - 1]!]);
    }
  }
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [ranges[0]!];
  for (const range of ranges.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

function replaced(text: string, ranges: ReadonlyArray<[number, number]>): string {
  let out = "";
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + SECRET_MASK;
    at = end;
  }
  return out + text.slice(at);
}
