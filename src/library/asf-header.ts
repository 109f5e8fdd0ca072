/**
 * A WMA/ASF file's header object (where all its tags are) read by shelfwise and handed to music-metadata with every
 * size in it bounded by the bytes around it: music-metadata refuses the whole file when one object or item claims
 * more than its container holds ("Offset is outside the bounds of the DataView", "object size exceeds remaining
 * header payload size"), so one lying size cost a book every tag. Here the header is read once, to what the file
 * holds and MAX_ASF_HEADER_BYTES at most; an object that runs past its container is left out, and an item list
 * (Extended Content Description, Metadata, Metadata Library) is cut before its first item that does, each with a
 * note. A Content Description text that runs past its object is dropped, with those after it.
 */
import type { FileHandle } from "node:fs/promises";

/** As much as an ID3v2 tag may hold (file-tags.ts' MAX_ID3_TAG_BYTES): text and cover art. */
export const MAX_ASF_HEADER_BYTES = 64 * 1024 * 1024;
const MAX_OBJECTS = 10_000;

const HEADER = "3026b2758e66cf11a6d900aa0062ce6c";
const CONTENT_DESCRIPTION = "3326b2758e66cf11a6d900aa0062ce6c";
const EXTENDED_CONTENT_DESCRIPTION = "40a4d0d207e3d21197f000a0c95ea850";
const HEADER_EXTENSION = "b503bf5f2ea9cf118ee300c00c205365";
const METADATA = "eacbf8c5af5b77488467aa8c44fa4cca";
const METADATA_LIBRARY = "941c23449894d149a1411d134e457054";

const OBJECT_NAMES: Record<string, string> = {
  [CONTENT_DESCRIPTION]: "Content Description object",
  [EXTENDED_CONTENT_DESCRIPTION]: "Extended Content Description object",
  [HEADER_EXTENSION]: "Header Extension object",
  [METADATA]: "Metadata object",
  [METADATA_LIBRARY]: "Metadata Library object",
};

export interface AsfHeader {
  bytes: Buffer;
  notes: string[];
}

/** The ASF header at the start of `handle` with its sizes bounded, or null when the file does not start with one. */
export async function asfHeaderBounded(handle: FileHandle, size: number): Promise<AsfHeader | null> {
  const top = Buffer.alloc(30);
  const { bytesRead } = await handle.read(top, 0, 30, 0);
  if (bytesRead < 30 || top.toString("hex", 0, 16) !== HEADER) return null;
  const notes: string[] = [];
  const claimed = Number(top.readBigUInt64LE(16));
  const held = Math.min(claimed, size, MAX_ASF_HEADER_BYTES) - 30;
  if (claimed > size) notes.push(`its ASF header claims ${claimed} bytes, more than the file's ${size}: the objects it holds were read`);
  else if (claimed > MAX_ASF_HEADER_BYTES) notes.push(`its ASF header holds ${claimed} bytes, over the ${MAX_ASF_HEADER_BYTES} shelfwise reads: the objects in its first ${MAX_ASF_HEADER_BYTES} were read`);
  const body = Buffer.alloc(Math.max(0, held));
  const { bytesRead: got } = await handle.read(body, 0, body.length, 30);
  const objects = boundedObjects(body.subarray(0, got), top.readUInt32LE(24), notes, "header");
  const rebuilt = Buffer.concat(objects);
  const header = Buffer.from(top);
  header.writeBigUInt64LE(BigInt(30 + rebuilt.length), 16);
  header.writeUInt32LE(objects.length, 24);
  return { bytes: Buffer.concat([header, rebuilt]), notes };
}

/** The objects in `bytes` (at most `count`, as the container says) that it holds whole, each bounded within. */
function boundedObjects(bytes: Buffer, count: number, notes: string[], container: string): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let n = 0; n < Math.min(count, MAX_OBJECTS) && at + 24 <= bytes.length; n++) {
    const id = bytes.toString("hex", at, at + 16);
    const size = Number(bytes.readBigUInt64LE(at + 16));
    if (size < 24 || size > bytes.length - at) {
      notes.push(`its ASF ${container}'s ${OBJECT_NAMES[id] ?? `object ${n + 1}`} claims ${size} bytes, ${size < 24 ? "less than an object's header" : `more than the ${bytes.length - at} left of the ${container}`}: it and the objects after it were left out`);
      break;
    }
    const object = bytes.subarray(at, at + size);
    const bounded = boundedObject(id, object, notes);
    if (bounded !== null) out.push(bounded);
    at += size;
  }
  return out;
}

function boundedObject(id: string, object: Buffer, notes: string[]): Buffer | null {
  const payload = object.subarray(24);
  let bounded: Buffer | null = payload;
  if (id === CONTENT_DESCRIPTION) bounded = contentDescription(payload, notes);
  else if (id === EXTENDED_CONTENT_DESCRIPTION) bounded = itemList(payload, 2, extendedItemSize, notes, "Extended Content Description");
  else if (id === METADATA || id === METADATA_LIBRARY) bounded = itemList(payload, 2, metadataRecordSize, notes, id === METADATA ? "Metadata" : "Metadata Library");
  else if (id === HEADER_EXTENSION) bounded = headerExtension(payload, notes);
  if (bounded === null) return null;
  if (bounded === payload) return object;
  const head = Buffer.from(object.subarray(0, 24));
  head.writeBigUInt64LE(BigInt(24 + bounded.length), 16);
  return Buffer.concat([head, bounded]);
}

const CONTENT_TEXTS = ["title", "author", "copyright", "description", "rating"];

/**
 * Five lengths (title, author, copyright, description, rating), then the texts one after another. A text that does not
 * end inside the object is dropped, and so is every text after it (it would start where the lie puts it, past the
 * end): cut to what is left instead, a title ran on into the author's bytes and was read as one value.
 */
function contentDescription(payload: Buffer, notes: string[]): Buffer | null {
  if (payload.length < 10) return null;
  const held = payload.length - 10;
  let wanted = 0;
  let kept = 0;
  const dropped: string[] = [];
  const out = Buffer.from(payload.subarray(0, 10));
  for (let i = 0; i < 5; i++) {
    const length = payload.readUInt16LE(i * 2);
    wanted += length;
    if (dropped.length === 0 && kept + length <= held) kept += length;
    else {
      if (length > 0) dropped.push(CONTENT_TEXTS[i]);
      out.writeUInt16LE(0, i * 2);
    }
  }
  if (wanted > held) notes.push(`its ASF Content Description object's texts claim ${wanted} bytes, more than the ${held} it holds: ${dropped.length === 0 ? "each was read whole" : `the ${dropped.join(", ")} ${dropped.length === 1 ? "runs" : "run"} past its end and ${dropped.length === 1 ? "was" : "were"} left out; what it holds whole was read`}`);
  if (dropped.length === 0) return payload;
  return Buffer.concat([out, payload.subarray(10, 10 + kept)]);
}

/** An item list: a count, then items; cut before the first item that runs past the list, the count written again. */
function itemList(payload: Buffer, countBytes: number, itemSize: (bytes: Buffer, at: number) => number | null, notes: string[], name: string): Buffer | null {
  if (payload.length < countBytes) return null;
  const count = payload.readUInt16LE(0);
  let at = countBytes;
  let n = 0;
  for (; n < count; n++) {
    const length = itemSize(payload, at);
    if (length === null || at + length > payload.length) break;
    at += length;
  }
  if (n === count) return payload;
  notes.push(`its ASF ${name} object lists ${count} items but item ${n + 1} runs past the object's end: the items before it were read, it and those after it left out`);
  const out = Buffer.from(payload.subarray(0, at));
  out.writeUInt16LE(n, 0);
  return out;
}

/** Name length, name, value type, value length, value. */
function extendedItemSize(bytes: Buffer, at: number): number | null {
  if (at + 2 > bytes.length) return null;
  const name = bytes.readUInt16LE(at);
  if (at + 2 + name + 4 > bytes.length) return null;
  return 2 + name + 4 + bytes.readUInt16LE(at + 2 + name + 2);
}

/** Language or reserved, stream, name length, data type, data length (32 bits), name, data. */
function metadataRecordSize(bytes: Buffer, at: number): number | null {
  if (at + 12 > bytes.length) return null;
  return 12 + bytes.readUInt16LE(at + 4) + bytes.readUInt32LE(at + 8);
}

/** A reserved GUID and number, the size of the objects it holds, then the objects. */
function headerExtension(payload: Buffer, notes: string[]): Buffer | null {
  if (payload.length < 22) return null;
  const inner = payload.subarray(22, 22 + Math.min(payload.readUInt32LE(18), payload.length - 22));
  const objects = Buffer.concat(boundedObjects(inner, MAX_OBJECTS, notes, "header extension"));
  const head = Buffer.from(payload.subarray(0, 22));
  head.writeUInt32LE(objects.length, 18);
  return Buffer.concat([head, objects]);
}
