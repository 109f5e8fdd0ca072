/**
 * The APEv2 item bound (file-tags.ts MAX_APE_ITEMS) for the formats whose parser reads an APEv2 tag's own header:
 * WavPack, Musepack and Monkey's Audio. music-metadata's bound for other files sits where it finds the footer at the
 * end (file-tags.ts wholeFileOptions); these three read the header where their audio ends (or, for WavPack, at the
 * file's start when it does not start with a block) and take its item count as it stands, so a crafted tag of 40,000
 * items took a thread ~18 s, a few more its whole 30 s, whether the tag sat at the start or the end. Such a file's tag
 * is rebuilt to its first items, in memory, and read alone: its audio's details (sample rate, channels) are not read,
 * which nothing after the tag reader uses (durations are not read at all).
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { WindowReader } from "./window-reader.js";

/** The container each such format is, as music-metadata names it, keyed by extension. */
export const APE_HEADER_READERS: Readonly<Record<string, string>> = { wv: "WavPack", mpc: "Musepack", ape: "Monkey's Audio" };

const EDGE = 32;
const ID3V1 = 128;
const ITEM_HEAD = 8;
const MAX_KEY = 256;
const HAS_HEADER = 0x80000000;
const IS_HEADER = 0x20000000;

/** Where an APEv2 tag lies: its first byte (header or first item), its items' bytes and its end (after the footer). */
interface ApePlace {
  start: number;
  items: number;
  itemsEnd: number;
  end: number;
  fields: number;
}

/**
 * The file's APEv2 tag cut to its first `max` items (and at most `maxBytes` of them: cover art kept in items is held
 * in memory), and what to say of it; null when no tag at its start or end claims more than `max` (the usual read
 * stands, after two reads of 32 and 160 bytes).
 */
export async function apeOverBound(file: string, max: number, maxBytes: number): Promise<{ tag: Buffer; note: string } | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const reader = new WindowReader(handle, stats.size);
    const place = await apePlace(reader, stats.size);
    if (place === null || place.fields <= max) return null;
    let at = place.items;
    let kept = 0;
    while (kept < max && at + ITEM_HEAD <= place.itemsEnd) {
      const head = await reader.bytes(at, ITEM_HEAD + MAX_KEY);
      if (head.length < ITEM_HEAD) break;
      const key = head.indexOf(0, ITEM_HEAD);
      if (key < 0) break;
      const length = key + 1 + head.readUInt32LE(0);
      if (at + length > place.itemsEnd || at + length - place.items > maxBytes) break;
      at += length;
      kept++;
    }
    const edge = (flags: number) => {
      const b = Buffer.alloc(EDGE);
      b.write("APETAGEX", 0, "latin1");
      b.writeUInt32LE(2000, 8);
      b.writeUInt32LE(at - place.items + EDGE, 12);
      b.writeUInt32LE(kept, 16);
      b.writeUInt32LE(flags >>> 0, 20);
      return b;
    };
    const items = Buffer.alloc(at - place.items);
    let filled = 0;
    for (let read = -1; read !== 0 && filled < items.length; filled += read) ({ bytesRead: read } = await handle.read(items, filled, items.length - filled, place.items + filled));
    const tag = Buffer.concat([edge(HAS_HEADER | IS_HEADER), items.subarray(0, filled), edge(HAS_HEADER)]);
    const where = place.start === 0 ? "at the start" : "at the end";
    return { tag, note: `its APEv2 tag ${where} holds ${place.fields} items, over the ${max} shelfwise reads; the first ${kept} were read` };
  } finally {
    await handle.close();
  }
}

/** The tag at the file's start (a header), or at its end (a footer, before an ID3v1 tag or not). */
async function apePlace(reader: WindowReader, size: number): Promise<ApePlace | null> {
  const first = await reader.bytes(0, EDGE);
  if (first.length === EDGE && first.toString("latin1", 0, 8) === "APETAGEX" && first.readUInt32LE(20) & IS_HEADER) {
    const end = Math.min(size, EDGE + first.readUInt32LE(12));
    return { start: 0, items: EDGE, itemsEnd: Math.max(EDGE, end - EDGE), end, fields: first.readUInt32LE(16) };
  }
  for (const footerAt of [size - EDGE, size - EDGE - ID3V1]) {
    if (footerAt < 0) continue;
    const footer = await reader.bytes(footerAt, EDGE);
    if (footer.length < EDGE || footer.toString("latin1", 0, 8) !== "APETAGEX" || footer.readUInt32LE(20) & IS_HEADER) continue;
    const items = footerAt + EDGE - footer.readUInt32LE(12);
    if (items < 0) return null;
    const header = footer.readUInt32LE(20) & HAS_HEADER && items >= EDGE ? items - EDGE : items;
    return { start: header, items, itemsEnd: footerAt, end: footerAt + EDGE, fields: footer.readUInt32LE(16) };
  }
  return null;
}
