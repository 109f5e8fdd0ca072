/**
 * The first pages of an Ogg file (ogg, oga, opus, spx), as a stream for
 * music-metadata to parse, ending after MAX_OGG_PAGES pages or
 * MAX_OGG_BYTES bytes.
 *
 * Why not hand music-metadata the file: it reads Ogg page by page, three
 * small reads per page, until every stream's header packets are complete,
 * and keeps the pages of a packet that continues over many pages to join
 * them in a loop that is quadratic in their number. A crafted 580 KB file of
 * 20,000 one-byte continuation pages took 45 s, a 1.7 MB one over two
 * minutes, with the comment header never ending; a file whose header
 * packets never complete is read to its end. Tags live in the first pages
 * (the comment header, cover art included, is the second packet), so the
 * bound loses nothing a real file holds, and pages come from one read per
 * 64 KB instead of three per page.
 */
import type { FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { WindowReader } from "./window-reader.js";

/** Pages handed over: a comment header with a 60 MB cover in 64 KB pages is ~1,000. */
export const MAX_OGG_PAGES = 2048;
export const MAX_OGG_BYTES = 64 * 1024 * 1024;

const PAGE_HEADER = 27;

export interface OggHead {
  stream: Readable;
  /** Whether the stream stopped at a bound before the file's end (known once it has ended). */
  cut(): boolean;
  /**
   * Whether the pages ran out (the file's end, a cut page, bytes that are no page) before a page marked the stream's
   * last: a file cut short, or one whose muxer never marked its end. Known once the stream has ended.
   */
  endedEarly(): boolean;
}

/** The file's first pages, or null when it does not start with an Ogg page (the caller parses it the usual way). */
export async function oggHead(handle: FileHandle, fileSize: number, reader = new WindowReader(handle, fileSize)): Promise<OggHead | null> {
  const magic = await reader.bytes(0, 4);
  if (magic.toString("latin1") !== "OggS") return null;
  let at = 0;
  let pages = 0;
  let cut = false;
  let ended = false;
  let lastPage = false;
  let serial: number | null = null;
  const nextPage = async (): Promise<Buffer | null> => {
    for (;;) {
      if (at >= fileSize) {
        ended = true;
        return null;
      }
      if (pages >= MAX_OGG_PAGES) {
        cut = true;
        return null;
      }
      const head = await reader.bytes(at, PAGE_HEADER);
      // Not a page (noise after the last one, a cut-off file): music-metadata sees the end of the stream there.
      if (head.length < PAGE_HEADER || head.toString("latin1", 0, 4) !== "OggS") {
        ended = true;
        return null;
      }
      const table = await reader.bytes(at + PAGE_HEADER, head[26]);
      let length = PAGE_HEADER + head[26];
      for (const lacing of table) length += lacing;
      if (at + length > MAX_OGG_BYTES) {
        cut = true;
        return null;
      }
      const page = Buffer.from(await reader.bytes(at, length));
      at += length;
      pages++;
      serial ??= bookStream(page);
      // Another logical stream's page (multiplexed beside the book's, or a skeleton before it) is not handed over:
      // music-metadata reads every stream's comments into one list, so a second stream's TITLE or ARTIST stood
      // over the book's, or joined its authors. Skipped pages count against the bounds as read ones do.
      if (serial === null || page.readUInt32LE(14) !== serial) {
        if (page.length < length) {
          ended = true;
          return null;
        }
        continue;
      }
      if (page.length < length) ended = true;
      if (head[5] & 4) lastPage = true;
      return page;
    }
  };
  const stream = new Readable({
    read() {
      nextPage().then(
        (page) => {
          if (!this.destroyed) this.push(page);
        },
        (error: Error) => {
          // A read still on its way when the parser has what it wanted and the file is closed: nobody listens.
          if (!this.destroyed) this.destroy(error);
        },
      );
    },
  });
  // The parser reports a failed read itself; an error after it stopped listening must not go unhandled.
  stream.on("error", () => undefined);
  return { stream, cut: () => cut, endedEarly: () => ended && !lastPage };
}

/**
 * The logical stream whose comments are the book's: the first page's, save an Ogg Skeleton stream's (an index some
 * muxers put first, with no comments), whose pages pass over to the next stream's. Null for a skeleton's page.
 */
function bookStream(page: Buffer): number | null {
  const data = PAGE_HEADER + page[26];
  if (page[5] & 2 && page.toString("latin1", data, data + 8) === "fishead\u0000") return null;
  return page.readUInt32LE(14);
}

/** The first logical stream's identification and comment header packets, as far as the file holds them. */
export interface OggHeaderPackets {
  id: Buffer;
  comments: Buffer;
  /** Whether the comment header ended within the file (and the bounds). */
  complete: boolean;
  serial: number;
}

/**
 * Reads the first stream's first two packets, page by page within the same bounds as oggHead: before the parse, for
 * the comment list's bounds (ogg-cut.ts oggCommentsBounded), and for a file whose pages ran out early (oggHead's
 * endedEarly), to learn whether its comment header is whole. A page cut by the file's end gives the bytes it holds.
 */
export async function oggHeaderPackets(handle: FileHandle, fileSize: number, reader = new WindowReader(handle, fileSize)): Promise<OggHeaderPackets | null> {
  const packets: Buffer[][] = [[], []];
  let packet = 0;
  let serial: number | null = null;
  let at = 0;
  let total = 0;
  for (let pages = 0; pages < MAX_OGG_PAGES && at < fileSize; pages++) {
    const head = await reader.bytes(at, PAGE_HEADER);
    if (head.length < PAGE_HEADER || head.toString("latin1", 0, 4) !== "OggS") break;
    const table = Buffer.from(await reader.bytes(at + PAGE_HEADER, head[26]));
    const pageSerial = head.readUInt32LE(14);
    if (serial === null && !(head[5] & 2 && (await reader.bytes(at + PAGE_HEADER + head[26], 8)).toString("latin1") === "fishead\u0000")) serial = pageSerial;
    const length = table.reduce((sum, lacing) => sum + lacing, PAGE_HEADER + head[26]);
    if (at + length > MAX_OGG_BYTES) break;
    if (pageSerial === serial) {
      // A page the file's end cut gives the bytes it holds.
      const data = Buffer.from(await reader.bytes(at + PAGE_HEADER + head[26], length - PAGE_HEADER - head[26]));
      let dataAt = 0;
      for (const lacing of table) {
        const bytes = data.subarray(dataAt, dataAt + lacing);
        packets[packet].push(bytes);
        total += bytes.length;
        dataAt += lacing;
        if (bytes.length < lacing) break;
        if (lacing < 255 && ++packet === 2) return { id: Buffer.concat(packets[0]), comments: Buffer.concat(packets[1]), complete: true, serial };
      }
    }
    at += length;
  }
  return serial === null || total === 0 ? null : { id: Buffer.concat(packets[0]), comments: Buffer.concat(packets[1]), complete: false, serial };
}

/**
 * Pages of one packet after another, the first flagged the stream's first, then an empty page flagged its last
 * (music-metadata parses a packet when the page after it starts); no CRC (music-metadata checks none).
 */
export function oggPages(packets: Buffer[], serial: number): Buffer {
  const pages: Buffer[] = [];
  let sequence = 0;
  for (const packet of packets) {
    const lacing: number[] = [];
    for (let left = packet.length; ; left -= 255) {
      lacing.push(Math.min(255, left));
      if (left < 255) break;
    }
    for (let first = 0, offset = 0; first < lacing.length; first += 255) {
      const segments = lacing.slice(first, first + 255);
      const length = segments.reduce((sum, l) => sum + l, 0);
      const head = Buffer.alloc(PAGE_HEADER);
      head.write("OggS", 0, "latin1");
      head[5] = (first > 0 ? 1 : 0) | (sequence === 0 ? 2 : 0);
      head.writeUInt32LE(serial, 14);
      head.writeUInt32LE(sequence++, 18);
      head[26] = segments.length;
      pages.push(head, Buffer.from(segments), packet.subarray(offset, offset + length));
      offset += length;
    }
  }
  const end = Buffer.alloc(PAGE_HEADER);
  end.write("OggS", 0, "latin1");
  end[5] = 4;
  end.writeUInt32LE(serial, 14);
  end.writeUInt32LE(sequence, 18);
  pages.push(end);
  return Buffer.concat(pages);
}
