/**
 * Crafted MP4 files for the tag reader's tests: a fixture m4b split into its
 * box tree, changed, and written back with holes, so a box that claims
 * gigabytes costs a sparse file, not the disk or the test's memory.
 */
import fs from "node:fs";

/** Bytes, or a hole of that many zero bytes left sparse in the file. */
export type Part = Buffer | { hole: number };

export interface Box {
  name: string;
  children?: Box[];
  payload?: Part[];
}

const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl", "udta", "ilst"]);

export function leaf(name: string, ...payload: Part[]): Box {
  return { name, payload };
}

export function container(name: string, ...children: Box[]): Box {
  return { name, children };
}

/** `data` atom of an ilst item: type 1 = UTF-8 text, 13 = JPEG. */
export function dataAtom(type: number, value: Part): Box {
  return leaf("data", u32(type, 0), value);
}

export function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

function partLength(part: Part): number {
  return Buffer.isBuffer(part) ? part.length : part.hole;
}

function bodyLength(box: Box): number {
  return box.children ? box.children.reduce((n, c) => n + sizeOf(c), 0) : (box.payload ?? []).reduce((n, p) => n + partLength(p), 0);
}

/** The box's size on disk: a 64-bit size (16-byte header) when 32 bits cannot hold it. */
export function sizeOf(box: Box): number {
  const body = bodyLength(box);
  if (box.name === "") return body;
  return body + 8 > 0xffffffff ? body + 16 : body + 8;
}

/** Splits MP4 bytes into boxes; `meta` is a full box (4 bytes of flags kept in its first child's place). */
export function parseBoxes(buf: Buffer, start = 0, end = buf.length): Box[] {
  const out: Box[] = [];
  for (let at = start; at < end; ) {
    const size = buf.readUInt32BE(at);
    const name = buf.toString("latin1", at + 4, at + 8);
    if (CONTAINERS.has(name)) out.push(container(name, ...parseBoxes(buf, at + 8, at + size)));
    else if (name === "meta") out.push({ name, children: [{ name: "", payload: [buf.subarray(at + 8, at + 12)] }, ...parseBoxes(buf, at + 12, at + size)] });
    else out.push(leaf(name, buf.subarray(at + 8, at + size)));
    at += size;
  }
  return out;
}

/** The first box on the path (`moov/udta/meta/ilst`). */
export function find(boxes: Box[], boxPath: string): Box {
  let list = boxes;
  let found: Box | undefined;
  for (const name of boxPath.split("/")) {
    found = list.find((b) => b.name === name);
    if (!found) throw new Error(`no ${name} in ${boxPath}`);
    list = found.children ?? [];
  }
  return found!;
}

/** Writes the boxes; holes are left unwritten (the file is extended by truncate). */
export function writeBoxes(file: string, boxes: Box[]): number {
  const fd = fs.openSync(file, "w");
  let at = 0;
  const write = (bytes: Buffer) => {
    fs.writeSync(fd, bytes, 0, bytes.length, at);
    at += bytes.length;
  };
  const emit = (box: Box) => {
    if (box.name === "") {
      // meta's version and flags, kept as a pseudo-child by parseBoxes
      for (const p of box.payload ?? []) if (Buffer.isBuffer(p)) write(p);
      return;
    }
    const size = sizeOf(box);
    const head = Buffer.alloc(size > 0xffffffff ? 16 : 8);
    head.writeUInt32BE(size > 0xffffffff ? 1 : size, 0);
    head.write(box.name, 4, 4, "latin1");
    if (size > 0xffffffff) head.writeBigUInt64BE(BigInt(size), 8);
    write(head);
    if (box.children) for (const child of box.children) emit(child);
    else for (const p of box.payload ?? []) Buffer.isBuffer(p) ? write(p) : (at += p.hole);
  };
  try {
    for (const box of boxes) emit(box);
    fs.ftruncateSync(fd, at);
  } finally {
    fs.closeSync(fd);
  }
  return at;
}
