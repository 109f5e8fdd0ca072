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
