/**
 * Naming templates such as `{author}/{series}/{series_num} - {title}` turned
 * into relative folder paths that are valid on every common file system.
 * An empty placeholder disappears with the literal text that only served it,
 * and a path component left empty disappears entirely.
 */
import { FIELD_NAMES, type FieldName } from "./fields.js";

export const DEFAULT_TEMPLATE = "{author}/{series}/{series_num} - {title}";

/** Every profile field is a placeholder ({subtitle}, {authors} included): one list, in fields.ts. */
export const TEMPLATE_PLACEHOLDERS: readonly FieldName[] = FIELD_NAMES;

export const MAX_COMPONENT_BYTES = 255;

export class TemplateError extends Error {
  override name = "TemplateError";
}

type Token = { literal: string } | { placeholder: FieldName };
type Component = Token[];

const compiled = new Map<string, Component[]>();

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
): string | null {
  const components = compileTemplate(template);
  const values = {} as Record<FieldName, string>;
  for (const name of TEMPLATE_PLACEHOLDERS) {
    const raw = fields[name];
    const text = typeof raw === "string" ? sanitizeText(raw) : "";
    // A value of only dots would vanish from its folder name; treat it as missing.
    values[name] = ONLY_DOTS.test(text) ? "" : text;
  }
  if (values.author === "" || values.title === "") return null;
  // A number only means something within a series.
  if (values.series === "") values.series_num = "";
  const parts: string[] = [];
  for (const component of components) {
    const part = sanitizeComponent(renderComponent(component, values));
    if (part !== "") parts.push(part);
  }
  return parts.length === 0 ? null : parts.join("/");
}

function compileTemplate(template: string): Component[] {
  const hit = compiled.get(template);
  if (hit !== undefined) return hit;
  const components = parseTemplate(template);
  compiled.set(template, components);
  return components;
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
    components[components.length - 1].push({ placeholder: name as FieldName });
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

// A literal between two placeholders: closing brackets belong to the left one,
// opening brackets to the right one, the separator in between to both.
const CLOSING_RUN = /^[)\]]*/;
const OPENING_RUN = /[([]*$/;

function renderComponent(component: Component, values: Record<FieldName, string>): string {
  let first = -1;
  let last = -1;
  for (let i = 0; i < component.length; i++) {
    if ("placeholder" in component[i]) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return component.map((t) => ("literal" in t ? t.literal : "")).join("");
  let out = "";
  let kept = false;
  let previous = "";
  for (let i = 0; i < component.length; i++) {
    const token = component[i];
    if ("placeholder" in token) {
      previous = values[token.placeholder];
      if (previous !== "") {
        out += previous;
        kept = true;
      }
    } else if (i < first) {
      if (values[placeholderAt(component, first)] !== "") out += token.literal;
    } else if (i > last) {
      if (previous !== "") out += token.literal;
    } else {
      const next = values[placeholderAt(component, i + 1)];
      out += betweenLiteral(token.literal, previous !== "", next !== "", kept);
    }
  }
  return out;
}

function placeholderAt(component: Component, index: number): FieldName {
  const token = component[index];
  return "placeholder" in token ? token.placeholder : "title";
}

function betweenLiteral(text: string, leftKept: boolean, rightKept: boolean, anyKept: boolean): string {
  const closing = CLOSING_RUN.exec(text)![0];
  const rest = text.slice(closing.length);
  const opening = OPENING_RUN.exec(rest)![0];
  const middle = rest.slice(0, rest.length - opening.length);
  return (leftKept ? closing : "") + (rightKept && anyKept ? middle : "") + (rightKept ? opening : "");
}

const CONTROL_OR_SURROGATE = /[\p{Cc}\p{Cs}\uFEFF]/gu;
const COLON = /\s*:\s*/g;
const SLASH_LIKE = /[/\\|]/g;
const DROPPED = /[*?<>]/g;
const SPACES = /\s+/g;
const ONLY_DOTS = /^[.\s]*$/;
const EDGE_DOTS_SPACES = /^[.\s]+|[.\s]+$/g;
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(?=\.|$)/i;

/** A value made safe to put inside a path component (no separators, no controls). */
function sanitizeText(value: string): string {
  return value
    .normalize("NFC")
    .replace(CONTROL_OR_SURROGATE, "")
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
  let s = sanitizeText(value).replace(EDGE_DOTS_SPACES, "");
  const reserved = WINDOWS_RESERVED.exec(s);
  if (reserved !== null) s = `${reserved[0]}_${s.slice(reserved[0].length)}`;
  if (Buffer.byteLength(s, "utf8") > MAX_COMPONENT_BYTES) {
    s = cutToBytes(s, MAX_COMPONENT_BYTES).replace(EDGE_DOTS_SPACES, "");
  }
  return s;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

// Cut between user-perceived characters so no emoji or accent is split.
function cutToBytes(s: string, maxBytes: number): string {
  let out = "";
  let bytes = 0;
  for (const { segment } of graphemes.segment(s)) {
    const size = Buffer.byteLength(segment, "utf8");
    if (bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}
