/**
 * Naming templates such as `{author}/{series}/{series_num} - {title}` turned
 * into relative folder paths that are valid on every common file system.
 * An empty placeholder disappears with the literal text that only served it,
 * and a path component left empty disappears entirely.
 */
import { FIELD_NAMES, type FieldName } from "./fields.js";

export const DEFAULT_TEMPLATE = "{author}/{series}/{series_num} - {title}";

/** Placeholders derived from a field rather than stored: `{author_lf}` "Butcher, Jim", `{author_last}` "Butcher". */
export type DerivedPlaceholder = "author_lf" | "author_last";
export type Placeholder = FieldName | DerivedPlaceholder;

/** Every profile field is a placeholder ({subtitle}, {authors} included: one list, in fields.ts), plus the derived ones. */
export const TEMPLATE_PLACEHOLDERS: readonly Placeholder[] = [...FIELD_NAMES, "author_lf", "author_last"];

export const MAX_COMPONENT_BYTES = 255;
/** Default limit of a whole rendered (relative) path; callers lower it to fit under their root. */
export const MAX_PATH_BYTES = 1024;
export const DEFAULT_SERIES_NUM_PADDING = 2;

export interface RenderOptions {
  /** Digits the whole part of `{series_num}` is zero-padded to (default 2: "02", "02.5", "12", "123"). */
  seriesNumPadding?: number;
  /** Limit of the rendered path in UTF-8 bytes; the longest components are shortened to fit. */
  maxPathBytes?: number;
}

export class TemplateError extends Error {
  override name = "TemplateError";
}

type Token = { literal: string } | { placeholder: Placeholder };
type Component = Token[];
/**
 * A component as rendered: literals, placeholders, bracketed groups that hold
 * at least one placeholder ("({year}, {narrator})"), which show only when
 * something inside them does, so their brackets never stand half-empty, and
 * bracketed text without a placeholder ("[Unabridged]"), which always shows.
 */
type Node = Token | Group | { constant: string };
interface Group {
  open: string;
  close: string;
  nodes: Node[];
}

/** A parsed template and the placeholders it shows (with author, title and series, which its rules read). */
interface Compiled {
  components: Node[][];
  shown: Placeholder[];
}

const compiled = new Map<string, Compiled>();

/** Throws TemplateError when the template cannot be used. */
export function validateTemplate(template: string): void {
  compileTemplate(template);
}

/**
 * The proposed relative path ("/"-separated) for a book, or null when its
 * author or title is unknown. Throws TemplateError for an invalid template.
 */
export function renderProposedPath(
  template: string,
  fields: Partial<Record<FieldName, string | null | undefined>>,
  options: RenderOptions = {},
): string | null {
  const { components, shown } = compileTemplate(template);
  const author = typeof fields.author === "string" ? fields.author : "";
  const values = {} as Record<Placeholder, string>;
  // Only what the template shows (and the fields its rules need): this runs once per book. Loops by index here and
  // below: a plan's first few thousand calls run before the optimizer has this, where for-of and destructuring make an
  // iterator result per element (~1 MB per 5,000 books, copied by each young collection the plan lives through).
  for (let n = 0; n < shown.length; n++) {
    const name = shown[n];
    let value: string | null | undefined;
    if (name === "author_lf") value = authorLastFirst(author);
    else if (name === "author_last") value = authorLastNames(author);
    else if (name === "series_num" && typeof fields.series_num === "string") value = padSeriesNum(fields.series_num, options.seriesNumPadding ?? DEFAULT_SERIES_NUM_PADDING);
    else value = fields[name];
    const text = typeof value === "string" ? sanitizeText(value) : "";
    // A value of only dots, dashes and tildes would vanish from its folder name (sanitizeComponent strips them at its
    // edges): treat it as missing, or a book without a title would become a folder named after its author.
    values[name] = NOTHING_LEFT.test(text) ? "" : text;
  }
  if (values.author === "" || values.title === "") return null;
  // A number only means something within a series.
  if (values.series === "") values.series_num = "";
  // Sized once: a first push would give it room for 17 (~150 bytes per book).
  const parts: string[] = new Array<string>(components.length);
  let kept = 0;
  for (let c = 0; c < components.length; c++) {
    const part = sanitizeComponent(renderComponent(components[c], values));
    if (part !== "") parts[kept++] = part;
  }
  if (kept === 0) return null;
  parts.length = kept;
  return fitPath(parts, options.maxPathBytes ?? MAX_PATH_BYTES);
}

/**
 * Shortens the longest components until the path fits: the title folder is
 * usually the longest, and cutting it keeps author and series folders shared.
 * Null when even 16 bytes per component cannot fit.
 */
function fitPath(parts: string[], maxBytes: number): string | null {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most paths fit by that bound, without their bytes counted.
  let bound = parts.length - 1;
  for (let i = 0; i < parts.length; i++) bound += 3 * parts[i].length;
  if (bound <= maxBytes) return parts.join("/");
  const sizes = parts.map((p) => Buffer.byteLength(p, "utf8"));
  let total = sizes.reduce((a, b) => a + b, 0) + parts.length - 1;
  while (total > maxBytes) {
    let longest = 0;
    for (let i = 1; i < sizes.length; i++) if (sizes[i] > sizes[longest]) longest = i;
    const target = Math.max(16, sizes[longest] - (total - maxBytes));
    if (target >= sizes[longest]) return null;
    const cut = cutToBytes(parts[longest], target).replace(EDGE_DOTS_SPACES, "");
    if (cut === "") return null;
    parts[longest] = cut;
    const size = Buffer.byteLength(cut, "utf8");
    total -= sizes[longest] - size;
    sizes[longest] = size;
  }
  return parts.join("/");
}

/** "2" → "02", "2.5" → "02.5" (padding 2); values that are not a number are kept as they are. */
export function padSeriesNum(value: string, padding: number): string {
  // Most numbers: digits without a leading zero, padded as they are (this runs once per book of a plan).
  if (WHOLE_NUMBER.test(value)) return value.padStart(Math.max(0, Math.min(10, Math.trunc(padding))), "0");
  // "1-3" (an omnibus) pads each end: "01-03".
  const range = /^(\d+)-(\d+)$/.exec(value.trim());
  if (range !== null) return `${padSeriesNum(range[1], padding)}-${padSeriesNum(range[2], padding)}`;
  const m = /^(\d+)((?:\.\d+)?)$/.exec(value.trim());
  if (m === null) return value;
  const whole = m[1].replace(/^0+(?=\d)/, "");
  return whole.padStart(Math.max(0, Math.min(10, Math.trunc(padding))), "0") + m[2];
}

const WHOLE_NUMBER = /^[1-9]\d*$/;

const NAME_SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv|phd|md|fils|p[èe]re)$/i;
const SURNAME_PARTICLES = new Set(["de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "le", "la", "dos", "das", "do", "ten", "ter", "af", "zu", "st.", "mac", "bin", "ibn", "al", "el"]);
const AUTHOR_SPLIT = /\s*(?:&|;|\band\b|\bund\b|\bet\b)\s*/i;

/** Each author as { last, first }, for `{author_lf}` and `{author_last}`. */
function splitAuthors(author: string): { last: string; first: string }[] {
  const out: { last: string; first: string }[] = [];
  for (const one of author.split(AUTHOR_SPLIT)) {
    const name = one.trim();
    if (name === "") continue;
    const comma = name.indexOf(",");
    if (comma > 0 && !NAME_SUFFIX.test(name.slice(comma + 1).trim())) {
      // Already "Last, First" ("Kurt Vonnegut, Jr." is not: its comma only sets off the suffix).
      out.push({ last: name.slice(0, comma).trim(), first: name.slice(comma + 1).trim() });
      continue;
    }
    const words = name.replace(/,(?=\s*\S+$)/, " ").split(/\s+/);
    const suffix: string[] = [];
    while (words.length > 1 && NAME_SUFFIX.test(words[words.length - 1])) suffix.unshift(words.pop()!);
    let start = words.length - 1;
    while (start > 1 && SURNAME_PARTICLES.has(words[start - 1].toLowerCase())) start--;
    out.push({ last: words.slice(start).join(" "), first: words.slice(0, start).concat(suffix).join(" ") });
  }
  return out;
}

/** "Jim Butcher" → "Butcher, Jim"; "Ursula K. Le Guin" → "Le Guin, Ursula K."; several authors joined by " & ". */
export function authorLastFirst(author: string): string {
  return splitAuthors(author)
    .map(({ last, first }) => (first === "" ? last : `${last}, ${first}`))
    .join(" & ");
}

/** "Jim Butcher" → "Butcher"; "A. Author & B. Writer" → "Author & Writer". */
export function authorLastNames(author: string): string {
  return splitAuthors(author)
    .map(({ last }) => last)
    .join(" & ");
}

function compileTemplate(template: string): Compiled {
  const hit = compiled.get(template);
  if (hit !== undefined) return hit;
  const components = parseTemplate(template);
  const shown = new Set<Placeholder>(["author", "title", "series"]);
  for (const component of components) for (const token of component) if ("placeholder" in token) shown.add(token.placeholder);
  const result = { components: components.map(groupBrackets), shown: [...shown] };
  compiled.set(template, result);
  return result;
}

function parseTemplate(template: string): Component[] {
  if (typeof template !== "string" || template.trim() === "") throw new TemplateError("naming template is empty");
  const components: Component[] = [[]];
  let literal = "";
  let hasTitle = false;
  const flushLiteral = () => {
    if (literal !== "") components[components.length - 1].push({ literal });
    literal = "";
  };
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "}") throw new TemplateError(`unbalanced '}' at position ${i + 1} in template "${template}"`);
    if (ch === "/" || ch === "\\") {
      flushLiteral();
      components.push([]);
      continue;
    }
    if (ch !== "{") {
      literal += ch;
      continue;
    }
    const close = template.indexOf("}", i + 1);
    const nextOpen = template.indexOf("{", i + 1);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      throw new TemplateError(`unbalanced '{' at position ${i + 1} in template "${template}"`);
    }
    const name = template.slice(i + 1, close);
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new TemplateError(
        `unknown placeholder {${name}} in template "${template}" (known: ${TEMPLATE_PLACEHOLDERS.join(", ")})`,
      );
    }
    hasTitle ||= name === "title";
    flushLiteral();
    components[components.length - 1].push({ placeholder: name as Placeholder });
    i = close;
  }
  flushLiteral();
  checkComponents(template, components, hasTitle);
  return components;
}

function checkComponents(template: string, components: Component[], hasTitle: boolean): void {
  if (!hasTitle) throw new TemplateError(`template "${template}" must contain {title}, or books would share folders`);
  for (const component of components) {
    const onlyLiteral = component.length === 1 && "literal" in component[0] ? component[0].literal.trim() : null;
    if (onlyLiteral === "." || onlyLiteral === "..") {
      throw new TemplateError(`template "${template}" must not contain a '${onlyLiteral}' folder`);
    }
  }
}

const BRACKET_PAIRS: Record<string, string> = { "(": ")", "[": "]" };

/** Matches the brackets of a component's literals into groups; a bracket without its pair stays text. */
function groupBrackets(component: Component): Node[] {
  const stack: { open: string; nodes: Node[] }[] = [{ open: "", nodes: [] }];
  const add = (node: Node) => {
    const nodes = stack[stack.length - 1].nodes;
    const last = nodes[nodes.length - 1];
    if ("literal" in node && last !== undefined && "literal" in last) nodes[nodes.length - 1] = { literal: last.literal + node.literal };
    else nodes.push(node);
  };
  const closeTop = (close: string) => {
    const { open, nodes } = stack.pop()!;
    if (close !== "" && nodes.some(holdsPlaceholder)) add({ open, close, nodes });
    else if (close !== "") add({ constant: open + nodes.map((n) => ("literal" in n ? n.literal : "constant" in n ? n.constant : "")).join("") + close });
    else {
      // Never closed: the bracket is text.
      add({ literal: open });
      for (const node of nodes) add(node);
    }
  };
  for (const token of component) {
    if ("placeholder" in token) {
      add(token);
      continue;
    }
    let text = "";
    for (const ch of token.literal) {
      const top = stack[stack.length - 1];
      if (ch in BRACKET_PAIRS || (stack.length > 1 && ch === BRACKET_PAIRS[top.open])) {
        if (text !== "") add({ literal: text });
        text = "";
        if (ch in BRACKET_PAIRS) stack.push({ open: ch, nodes: [] });
        else closeTop(ch);
      } else text += ch;
    }
    if (text !== "") add({ literal: text });
  }
  while (stack.length > 1) closeTop("");
  return stack[0].nodes;
}

function holdsPlaceholder(node: Node): boolean {
  return "placeholder" in node || ("nodes" in node && node.nodes.some(holdsPlaceholder));
}

// A literal between two placeholders: closing brackets belong to the left one,
// opening brackets to the right one, the separator in between to both.
const CLOSING_RUN = /^[)\]]*/;
const OPENING_RUN = /[([]*$/;

/**
 * Literal text before the first shown value goes with it, text after the last
 * shown value goes with that one, and a separator between two values shows
 * only when there is a value on either side of it.
 */
function renderComponent(nodes: Node[], values: Record<Placeholder, string>): string {
  // A component that is one placeholder ("{author}"), the most common: its value.
  if (nodes.length === 1 && "placeholder" in nodes[0]) return values[nodes[0].placeholder];
  let first = -1;
  let last = -1;
  for (let i = 0; i < nodes.length; i++) {
    if (!("literal" in nodes[i])) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return nodes.map((t) => ("literal" in t ? t.literal : "")).join("");
  if (!nodes.some(holdsPlaceholder)) return nodes.map((t) => ("literal" in t ? t.literal : "constant" in t ? t.constant : "")).join("");
  // Each node rendered once, when first needed, without an array of them per component and book (this runs once per
  // book of a plan): the first shown node before the literals ahead of it, a node after a literal by that literal.
  const firstValue = renderNode(nodes[first], values);
  let ahead = "";
  let out = "";
  let kept = false;
  let previous = "";
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (!("literal" in node)) {
      previous = i === first ? firstValue : i > 0 && "literal" in nodes[i - 1] ? ahead : renderNode(node, values);
      if (previous !== "") {
        out += previous;
        kept = true;
      }
    } else if (i < first) {
      if (firstValue !== "") out += node.literal;
    } else if (i > last) {
      if (previous !== "") out += node.literal;
    } else {
      // Adjacent literals are merged, so the next node is a placeholder, a group or bracketed text.
      ahead = renderNode(nodes[i + 1], values);
      out += betweenLiteral(node.literal, previous !== "", ahead !== "", kept);
    }
  }
  return out;
}

function renderNode(node: Node, values: Record<Placeholder, string>): string {
  return "literal" in node ? "" : "placeholder" in node ? values[node.placeholder] : "constant" in node ? node.constant : renderGroup(node, values);
}

function renderGroup(group: Group, values: Record<Placeholder, string>): string {
  if (!showsValue(group.nodes, values)) return "";
  return group.open + renderComponent(group.nodes, values) + group.close;
}

function showsValue(nodes: Node[], values: Record<Placeholder, string>): boolean {
  return nodes.some((n) => ("placeholder" in n ? values[n.placeholder] !== "" : "nodes" in n && showsValue(n.nodes, values)));
}

/** A literal between two placeholders cut into its closing brackets, separator and opening brackets: once per literal, not per book. */
const literalParts = new Map<string, [closing: string, middle: string, opening: string]>();

function betweenLiteral(text: string, leftKept: boolean, rightKept: boolean, anyKept: boolean): string {
  let parts = literalParts.get(text);
  if (parts === undefined) {
    const closing = CLOSING_RUN.exec(text)![0];
    const rest = text.slice(closing.length);
    const opening = OPENING_RUN.exec(rest)![0];
    literalParts.set(text, (parts = [closing, rest.slice(0, rest.length - opening.length), opening]));
  }
  return (leftKept ? parts[0] : "") + (rightKept && anyKept ? parts[1] : "") + (rightKept ? parts[2] : "");
}

// Line breaks and tabs separate words: a tag "Part One\nThe Beginning" keeps its space.
const BREAKING_CONTROL = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// Controls, lone surrogates, and invisible marks (byte-order mark, zero-width space, word joiner, soft hyphen,
// direction marks, embeddings, overrides and isolates) that would make two folders look like one, or a name
// display in another order than it sorts. Joiners (U+200C, U+200D) stay: emoji and several scripts need them.
const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cs}\uFEFF\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069]/gu;
const COLON = /\s*:\s*/g;
const SLASH_LIKE = /[/\\|]/g;
const DROPPED = /[*?<>]/g;
const SPACES = /\s+/g;
const NOTHING_LEFT = /^[-.~\s]*$/;
const EDGE_DOTS_SPACES = /^[.\s]+|[.\s]+$/g;
// A name starting with "-" reads as an option to every command given it (rm *, mv, tar): "--x" stays "x". One
// starting with "~" is a home folder to the shell when typed as it is: `rm -rf ~` for a folder named "~".
const LEADING_DASHES = /^[-.~\s]+/;
// Windows ignores spaces before the extension: "NUL .txt" is the device too.
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(?=\s*\.|$)/i;

/** A first character LEADING_DASHES or EDGE_DOTS_SPACES would strip from a PLAIN_ASCII name (it holds no white space). */
const STRIPPED_FIRST = /^[-.~]/;

/** Printable ASCII words without a reserved character, single spaces between: what sanitizeText returns unchanged. */
const PLAIN_ASCII = /^[!#-)+-.0-9;=@-[\]-{}~]+(?: [!#-)+-.0-9;=@-[\]-{}~]+)*$/;

/** A value made safe to put inside a path component (no separators, no controls). */
function sanitizeText(value: string): string {
  // Most names: one test instead of seven passes (this runs several times per book of a plan).
  if (PLAIN_ASCII.test(value)) return value;
  return value
    .normalize("NFC")
    .replace(BREAKING_CONTROL, " ")
    .replace(CONTROL_OR_INVISIBLE, "")
    .replace(COLON, " - ")
    .replace(SLASH_LIKE, "-")
    .replace(/"/g, "'")
    .replace(DROPPED, "")
    .replace(SPACES, " ")
    .trim();
}

/**
 * One path component valid on Linux, macOS and Windows: no reserved
 * characters or controls, no leading/trailing dots or spaces (so never "." or
 * ".." and never hidden), reserved device names suffixed with "_", NFC, at
 * most 255 UTF-8 bytes cut on a character boundary. May return "".
 */
export function sanitizeComponent(value: string): string {
  // Most names: what sanitizeText leaves as it is (printable ASCII, one byte a character), with nothing the edge
  // rules below would strip (a leading "-", "." or "~", a trailing "."): one test instead of three passes.
  const plain = PLAIN_ASCII.test(value) && !STRIPPED_FIRST.test(value) && !value.endsWith(".");
  let s = plain ? value : sanitizeText(value).replace(LEADING_DASHES, "").replace(EDGE_DOTS_SPACES, "");
  const reserved = WINDOWS_RESERVED.exec(s);
  if (reserved !== null) s = `${reserved[0]}_${s.slice(reserved[0].length)}`;
  if ((plain ? s.length : Buffer.byteLength(s, "utf8")) > MAX_COMPONENT_BYTES) {
    s = cutToBytes(s, MAX_COMPONENT_BYTES).replace(EDGE_DOTS_SPACES, "");
  }
  return s;
}

// Made on first use: the first Intl.Segmenter of a process loads Unicode data
// (~15 ms), and only over-long names need it.
let graphemes: Intl.Segmenter | null = null;

// Cut between user-perceived characters so no emoji or accent is split.
function cutToBytes(s: string, maxBytes: number): string {
  let out = "";
  let bytes = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(s)) {
    const size = Buffer.byteLength(segment, "utf8");
    if (bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}
