/**
 * What an audio file's first bytes say it is, whatever its name: players and shops rename files (an MP3 named .m4b so
 * a phone files it as an audiobook, an M4B named .mp3 for a player that plays only those), and music-metadata picks
 * its parser by the name when it has one, so a renamed file read as nothing ("not a recognisable audio file") or as
 * noise (a FLAC taken for an MPEG stream: no tags).
 */
import type { FileHandle } from "node:fs/promises";
import { syncsafeAt } from "./syncsafe.js";

/** The containers whose bytes are told apart here; anything else (APE, WavPack, AIFF...) is left to the name. */
export type SniffedContainer = "mp4" | "ogg" | "flac" | "mpeg" | "wav" | "asf";

export interface Sniffed {
  container: SniffedContainer | null;
  /** The file's first 10 bytes (fewer for a shorter file). */
  head: Buffer;
}

/** The MIME type music-metadata's parsers are chosen by, for each container told apart. */
export const SNIFFED_MIME: Record<SniffedContainer, string> = { mp4: "audio/mp4", ogg: "audio/ogg", flac: "audio/flac", mpeg: "audio/mpeg", wav: "audio/wav", asf: "audio/ms-asf" };

/** ASF's header object GUID (75B22630-668E-11CF-A6D9-00AA0062CE6C), the first 16 bytes of every WMA and WMV file. */
const ASF_HEADER = Buffer.from("3026b2758e66cf11a6d900aa0062ce6c", "hex");

/**
 * The container `handle`'s bytes start: MP4's "ftyp" box, "OggS", "fLaC" (after an ID3v2 tag too, as some taggers
 * put one before a FLAC stream), RIFF WAVE (its LIST/INFO and "id3 " chunks hold the tags), ASF's header object
 * (WMA), an ID3v2 tag before anything else or an MPEG audio frame's sync. One 16-byte read, and for an ID3v2 tag
 * one 4-byte read after it.
 */
export async function sniffContainer(handle: FileHandle): Promise<Sniffed> {
  const first = Buffer.alloc(16);
  const { bytesRead } = await handle.read(first, 0, 16, 0);
  const head = first.subarray(0, Math.min(bytesRead, 10));
  if (bytesRead >= 8 && first.toString("latin1", 4, 8) === "ftyp") return { container: "mp4", head };
  if (bytesRead >= 4 && first.toString("latin1", 0, 4) === "OggS") return { container: "ogg", head };
  if (bytesRead >= 4 && first.toString("latin1", 0, 4) === "fLaC") return { container: "flac", head };
  if (bytesRead >= 12 && first.toString("latin1", 0, 4) === "RIFF" && first.toString("latin1", 8, 12) === "WAVE") return { container: "wav", head };
  if (bytesRead >= 16 && first.equals(ASF_HEADER)) return { container: "asf", head };
  if (bytesRead >= 10 && first.toString("latin1", 0, 3) === "ID3") {
    const after = 10 + syncsafeAt(first, 6) + ((first[5] & 0x10) !== 0 ? 10 : 0);
    const next = Buffer.alloc(4);
    const { bytesRead: got } = await handle.read(next, 0, 4, after);
    return { container: got === 4 && next.toString("latin1") === "fLaC" ? "flac" : "mpeg", head };
  }
  // An MPEG audio frame's 11 sync bits (MP3, MP2, ADTS AAC).
  if (bytesRead >= 2 && first[0] === 0xff && (first[1] & 0xe0) === 0xe0) return { container: "mpeg", head };
  return { container: null, head };
}
