/**
 * A WAV file's tag chunks (RIFF `LIST` INFO and `id3 `) cut by the file's end: music-metadata reads what such a chunk
 * holds up to the end and says nothing, so a WAV copied or downloaded short, or one whose chunk size lies, lost the
 * items past the cut (the writer, the album) without a word. Said here as a note; one read per 8-byte chunk header,
 * MAX_CHUNKS at most, only for files read as WAVE.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";

const MAX_CHUNKS = 1000;
const TAG_CHUNKS = new Set(["LIST", "id3 ", "ID3 "]);

/** What to say of the first tag chunk of the WAV at `file` that runs past the file's end, or null. */
export async function riffTagChunkCut(file: string): Promise<string | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    if (bytesRead < 12 || head.toString("latin1", 0, 4) !== "RIFF" || head.toString("latin1", 8, 12) !== "WAVE") return null;
    const chunk = Buffer.alloc(8);
    for (let at = 12, seen = 0; at + 8 <= stats.size && seen < MAX_CHUNKS; seen++) {
      const { bytesRead: got } = await handle.read(chunk, 0, 8, at);
      if (got < 8) return null;
      const id = chunk.toString("latin1", 0, 4);
      const size = chunk.readUInt32LE(4);
      if (at + 8 + size > stats.size) {
        if (!TAG_CHUNKS.has(id)) return null;
        const lost = id === "LIST" ? "the tags before the cut were read, those after it are lost" : "its ID3 tag was not read";
        return `its ${printable(id).trim()} chunk (tags) claims ${size} bytes but the file ends ${stats.size - at - 8} bytes into it (cut short, or a wrong size): ${lost}`;
      }
      if (id === "LIST") {
        // Its items, each an id and a size: one running past the list's end is cut by the list's size.
        for (let item = at + 12, end = at + 8 + size; item + 8 <= end && seen < MAX_CHUNKS; seen++) {
          const { bytesRead: read } = await handle.read(chunk, 0, 8, item);
          if (read < 8) break;
          const itemSize = chunk.readUInt32LE(4);
          if (item + 8 + itemSize > end) return `its LIST chunk's ${printable(chunk.toString("latin1", 0, 4))} item (a tag) claims ${itemSize} bytes, more than is left of the list (${end - item - 8}): the tags before it were read, it and those after it are lost`;
          item += 8 + itemSize + (itemSize % 2);
        }
      }
      at += 8 + size + (size % 2);
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** A chunk id as a message shows it: the file chose its four bytes. */
function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/gu, "?");
}
