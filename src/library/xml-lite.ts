/**
 * A small, strict-enough XML reader for sidecar metadata (OPF). It builds an
 * element tree, checks that tags nest and close, and decodes entities; it does
 * not do DTDs, namespaces resolution or external entities (so no XXE, no
 * entity expansion bombs). Inputs are capped by the caller.
 */

export interface XmlElement {
  /** Name as written, e.g. `dc:title`. */
  name: string;
  /** Name without its prefix, lower-cased: `title`. */
  local: string;
  /** Attributes by name as written; values entity-decoded. */
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlError extends Error {}

const MAX_DEPTH = 200;
const NAME = /^[A-Za-z_:][\w.:\-]*/;
const ATTR = /\s*([A-Za-z_:][\w.:\-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Parses a document and returns a synthetic root whose children are the top-level nodes. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: "#document", local: "#document", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new XmlError(`${message} (line ${lineOf(text, at)})`);
  };
  while (pos < text.length) {
    const lt = text.indexOf("<", pos);
    const end = lt === -1 ? text.length : lt;
    if (end > pos) addText(stack.at(-1)!, decodeEntities(text.slice(pos, end)));
    if (lt === -1) break;
    pos = lt;
    if (text.startsWith("<!--", pos)) {
      pos = skipPast(text, pos, "-->") ?? fail("unterminated comment");
    } else if (text.startsWith("<![CDATA[", pos)) {
      const close = text.indexOf("]]>", pos);
      if (close === -1) fail("unterminated CDATA section");
      addText(stack.at(-1)!, text.slice(pos + 9, close));
      pos = close + 3;
    } else if (text.startsWith("<?", pos)) {
      pos = skipPast(text, pos, "?>") ?? fail("unterminated processing instruction");
    } else if (text.startsWith("<!", pos)) {
      // DOCTYPE: skipped whole, internal subset included, never interpreted.
      pos = skipDoctype(text, pos) ?? fail("unterminated DOCTYPE");
    } else if (text.startsWith("</", pos)) {
      const close = text.indexOf(">", pos);
      if (close === -1) fail("unterminated end tag");
      const name = text.slice(pos + 2, close).trim();
      const open = stack.at(-1)!;
      if (stack.length === 1) fail(`end tag </${name}> without a start tag`);
      if (open.name !== name) fail(`end tag </${name}> does not match <${open.name}>`);
      stack.pop();
      pos = close + 1;
    } else {
      pos = readStartTag(text, pos, stack, fail);
    }
  }
  if (stack.length > 1) fail(`<${stack.at(-1)!.name}> is never closed`, text.length);
  if (!root.children.some((c) => typeof c !== "string")) fail("no root element");
  return root;
}

function readStartTag(text: string, start: number, stack: XmlElement[], fail: (m: string, at?: number) => never): number {
  const nameMatch = NAME.exec(text.slice(start + 1, start + 257));
  if (!nameMatch) fail("invalid tag name", start);
  const name = nameMatch![0];
  const attrs: Record<string, string> = {};
  let pos = start + 1 + name.length;
  for (;;) {
    ATTR.lastIndex = pos;
    const m = ATTR.exec(text);
    if (!m) break;
    attrs[m[1]] = decodeEntities(m[3] ?? m[4] ?? "");
    pos = ATTR.lastIndex;
  }
  while (pos < text.length && /\s/.test(text[pos])) pos++;
  const selfClosing = text.startsWith("/>", pos);
  if (!selfClosing && text[pos] !== ">") fail(`malformed start tag <${name}>`, pos);
  const element: XmlElement = { name, local: localName(name), attrs, children: [] };
  stack.at(-1)!.children.push(element);
  if (!selfClosing) {
    if (stack.length > MAX_DEPTH) fail("elements nested too deeply", start);
    stack.push(element);
  }
  return pos + (selfClosing ? 2 : 1);
}

function localName(name: string): string {
  return name.slice(name.lastIndexOf(":") + 1).toLowerCase();
}

function addText(parent: XmlElement, value: string): void {
  const last = parent.children.at(-1);
  if (typeof last === "string") parent.children[parent.children.length - 1] = last + value;
  else parent.children.push(value);
}

function skipPast(text: string, pos: number, marker: string): number | null {
  const at = text.indexOf(marker, pos);
  return at === -1 ? null : at + marker.length;
}

function skipDoctype(text: string, pos: number): number | null {
  let depth = 0;
  for (let i = pos; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]") depth--;
    else if (text[i] === ">" && depth <= 0) return i + 1;
  }
  return null;
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the predefined and numeric entities; anything else stays as written. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] !== "#") return NAMED[body.toLowerCase()] ?? whole;
    const code = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

/** All text inside an element, concatenated. */
export function textOf(element: XmlElement): string {
  let out = "";
  const pending: XmlNode[] = [...element.children].reverse();
  while (pending.length) {
    const node = pending.pop()!;
    if (typeof node === "string") out += node;
    else for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]);
  }
  return out;
}

/** Every descendant element, document order. */
export function descendants(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const pending: XmlElement[] = element.children.filter((c): c is XmlElement => typeof c !== "string").reverse();
  while (pending.length) {
    const el = pending.pop()!;
    out.push(el);
    for (let i = el.children.length - 1; i >= 0; i--) {
      const child = el.children[i];
      if (typeof child !== "string") pending.push(child);
    }
  }
  return out;
}

/** An attribute by its local name, whatever its prefix (`opf:role`, `role`). */
export function attrLocal(element: XmlElement, local: string): string | undefined {
  for (const [name, value] of Object.entries(element.attrs)) {
    if (localName(name) === local) return value;
  }
  return undefined;
}
