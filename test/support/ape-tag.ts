/** Test bytes of APEv2 tags, shared by the tag tests. */

/** An APEv2 tag with header (unless `header` is false) and footer, as MP3Gain, foobar2000 and Mp3tag write it. */
export function apeTag(items: [string, string][], header = true): Buffer {
  const body = Buffer.concat(
    items.map(([key, value]) => {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(Buffer.byteLength(value), 0);
      return Buffer.concat([head, Buffer.from(`${key}\0`, "latin1"), Buffer.from(value, "utf8")]);
    }),
  );
  const edge = (isHeader: boolean) => {
    const b = Buffer.alloc(32);
    b.write("APETAGEX", 0, "latin1");
    b.writeUInt32LE(2000, 8);
    b.writeUInt32LE(body.length + 32, 12);
    b.writeUInt32LE(items.length, 16);
    b.writeUInt32LE(((header ? 0x80000000 : 0) | (isHeader ? 0x20000000 : 0)) >>> 0, 20);
    return b;
  };
  return Buffer.concat([header ? edge(true) : Buffer.alloc(0), body, edge(false)]);
}

/**
 * WavPack audio as the parser walks it: `blocks` blocks of 4,410 samples (44.1 kHz, 16-bit), each a bare block header
 * with one empty metadata sub-block; no decoder would play them, music-metadata reads their stream info.
 */
export function wavPackAudio(blocks = 10): Buffer {
  return Buffer.concat(
    Array.from({ length: blocks }, (_, i) => {
      const b = Buffer.alloc(32 + 16);
      b.write("wvpk", 0, "latin1");
      b.writeUInt32LE(b.length - 8, 4);
      b.writeUInt16LE(0x410, 8);
      b.writeUInt32LE(4410 * blocks, 12);
      b.writeUInt32LE(4410 * i, 16);
      b.writeUInt32LE(4410, 20);
      b.writeUInt32LE((9 << 23) | 1, 24);
      return b;
    }),
  );
}
