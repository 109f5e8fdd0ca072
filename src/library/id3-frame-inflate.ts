/**
 * An ID3v2.3 or v2.4 frame's data as its text: grouping byte, encryption method and data length indicator taken off,
 * a v2.4 frame's own unsynchronisation undone, zlib compression inflated. music-metadata reads a compressed frame's
 * bytes as they are (a title "\0\0dx\x9c..."), so such frames were left out; a few old taggers (and crafted files)
 * write them. Inflation is bounded: a frame saying it inflates to more than the tag's budget, one inflating past what
 * it says (a zip bomb stops there), or to another size than it says, is left out, as an encrypted one is.
 */
import { inflateSync } from "node:zlib";
import { syncsafeAt } from "./syncsafe.js";

/**
 * Bytes all compressed frames of one tag may inflate to: a book's text, a long description and lyrics included, is
 * under 1 MB, and id3-value-bound.ts keeps 16 MB of frames other than pictures in all.
 */
export const MAX_INFLATED_IN_TAG = 16 * 1024 * 1024;

export type FrameData = { data: Buffer; inflated: boolean } | { why: string };

/** What a tag's inflations have used so far; one per tag walked. */
export interface InflateBudget {
  left: number;
}

export function inflateBudget(): InflateBudget {
  return { left: MAX_INFLATED_IN_TAG };
}

/** Whether an ID3v2.`major` frame's format flags (its header's last byte) say its data is not its text as it stands. */
export function needsUnwrap(major: number, formatFlags: number): boolean {
  return major === 3 ? (formatFlags & 0xe0) !== 0 : major === 4 ? (formatFlags & 0x4f) !== 0 : false;
}

/** The frame's data as its text (see above), or why it cannot be read. */
export function unwrapFrame(major: number, formatFlags: number, data: Buffer, budget: InflateBudget): FrameData {
  let body = data;
  let compressed: boolean;
  let declared: number | null = null;
  if (major === 3) {
    compressed = (formatFlags & 0x80) !== 0;
    if (compressed) {
      if (body.length < 4) return { why: "compressed but too short to say its size" };
      declared = body.readUInt32BE(0);
      body = body.subarray(4);
    }
    if ((formatFlags & 0x40) !== 0) return { why: "encrypted" };
    if ((formatFlags & 0x20) !== 0) body = body.subarray(1);
  } else {
    compressed = (formatFlags & 0x08) !== 0;
    if ((formatFlags & 0x40) !== 0) body = body.subarray(1);
    if ((formatFlags & 0x04) !== 0) return { why: "encrypted" };
    if ((formatFlags & 0x02) !== 0) body = resync(body);
    if ((formatFlags & 0x01) !== 0) {
      if (body.length < 4) return { why: "too short to hold the data length it flags" };
      declared = syncsafeAt(body, 0);
      body = body.subarray(4);
    }
  }
  if (!compressed) return { data: body, inflated: false };
  const limit = declared ?? budget.left;
  if (limit > budget.left) return { why: `compressed to inflate to ${declared} bytes, over the ${MAX_INFLATED_IN_TAG / (1024 * 1024)} MB shelfwise inflates in one tag` };
  let out: Buffer;
  try {
    // One byte over what it says: a frame inflating past it stops there and is told apart from one that fits.
    out = inflateSync(body, { maxOutputLength: Math.max(1, limit + (declared === null ? 0 : 1)) });
  } catch (error) {
    const over = (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    return { why: over ? `compressed and inflates past the ${declared ?? limit} bytes it says` : "compressed but its data does not inflate (not zlib data, or cut short)" };
  }
  if (declared !== null && out.length !== declared) return { why: `compressed and inflates to ${out.length} bytes, not the ${declared} it says` };
  budget.left -= out.length;
  return { data: out, inflated: true };
}

/** A frame's unsynchronisation undone: each FF 00 was FF. */
export function resync(bytes: Buffer): Buffer {
  if (bytes.indexOf(0xff) < 0) return bytes;
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    out[n++] = bytes[i];
    if (bytes[i] === 0xff && bytes[i + 1] === 0) i++;
  }
  return out.subarray(0, n);
}
