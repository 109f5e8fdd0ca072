/**
 * Text out of HTML, for descriptions and values web APIs send marked up:
 * tags dropped (block tags become line breaks), the common entities decoded.
 * Not a sanitizer for display: the result is plain text and is shown as such.
 */

const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const BLOCK_BREAK = /<\s*(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr)\b[^>]*>/gi;
const TAG = /<\/?[a-zA-Z!][^<>]*>/g;
const COMMENT = /<!--[\s\S]*?-->/g;
const ENTITY = /&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g;

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "–", mdash: "—",
  hellip: "…", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", copy: "©", reg: "®", trade: "™",
};

export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-zA-Z][^<>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});/i.test(text);
}

export function stripHtml(text: string): string {
  if (!looksLikeHtml(text)) return text;
  const plain = text.replace(COMMENT, "").replace(SCRIPT_OR_STYLE, "").replace(BLOCK_BREAK, "\n").replace(TAG, "");
  return plain.replace(ENTITY, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "";
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
