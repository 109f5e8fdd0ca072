/**
 * Why a compressed body could not be decoded, in words its owner acts on. zlib's own ("incorrect header check",
 * "Decompression failed") said nothing of what to fix; what the first bytes are says whose the fault is: a
 * Content-Encoding header naming the wrong method (gzip sent as br), one on a body not compressed at all, or a
 * body cut short in transit.
 */
export function undecodedBodyWords(encoding: string, head: Buffer, error: Error & { code?: string }): string {
  if (error.code === "Z_BUF_ERROR" || /unexpected end of file/i.test(error.message)) {
    return "it is cut short (it ends before its compressed data does: the service or a proxy dropped the rest)";
  }
  const named = NAMES[encoding] ?? encoding;
  const actual = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b ? "gzip" : head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0 ? "deflate" : null;
  if (actual !== null && actual !== NAMES[encoding]) return `it is ${actual}, not ${named}: the service's Content-Encoding header names the wrong method`;
  if (head.length > 0 && looksLikeText(head)) return `it is not compressed at all (it starts as text), though its Content-Encoding says ${named}: the service's header is wrong`;
  return `its bytes are not ${named} data (corrupt in transit, or the service's Content-Encoding header is wrong)`;
}

const NAMES: Record<string, string> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate", br: "br" };

/** JSON, XML or words: printable ASCII or UTF-8 start, a BOM included. */
function looksLikeText(head: Buffer): boolean {
  const bytes = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
  return bytes.length > 0 && [...bytes.subarray(0, 8)].every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f) || byte >= 0xc2);
}
