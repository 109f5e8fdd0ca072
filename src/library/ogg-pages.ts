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
}

/** The file's first pages, or null when it does not start with an Ogg page (the caller parses it the usual way). */
export async function oggHead(handle: FileHandle, fileSize: number): Promise<OggHead | null> {
  const reader = new WindowReader(handle, fileSize);
  const magic = await reader.bytes(0, 4);
  if (magic.toString("latin1") !== "OggS") return null;
  let at = 0;
  let pages = 0;
  let cut = false;
  const nextPage = async (): Promise<Buffer | null> => {
    if (at >= fileSize) return null;
    if (pages >= MAX_OGG_PAGES) {
      cut = true;
      return null;
    }
    const head = await reader.bytes(at, PAGE_HEADER);
    // Not a page (noise after the last one, a cut-off file): music-metadata sees the end of the stream there.
    if (head.length < PAGE_HEADER || head.toString("latin1", 0, 4) !== "OggS") return null;
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
    return page;
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
  return { stream, cut: () => cut };
}
