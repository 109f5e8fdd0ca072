/**
 * Ogg files for the tag reader's tests, written page by page: Opus with an
 * OpusHead and an OpusTags packet (spanning pages when it is large), then
 * pages of stand-in audio. music-metadata checks no CRC, so none is computed.
 */
export interface OggPage {
  /** 1 continued packet, 2 first page of the stream, 4 last page. */
  flags: number;
  granule?: number;
  serial?: number;
  /** Lacing values (each 0..255) and the data they describe. */
  segments: number[];
  data: Buffer;
}

export function pageBytes(page: OggPage, sequence: number): Buffer {
  const head = Buffer.alloc(27 + page.segments.length);
  head.write("OggS", 0, "latin1");
  head[5] = page.flags;
  head.writeBigInt64LE(BigInt(page.granule ?? 0), 6);
  head.writeUInt32LE(page.serial ?? 1, 14);
  head.writeUInt32LE(sequence, 18);
  head[26] = page.segments.length;
  Buffer.from(page.segments).copy(head, 27);
  return Buffer.concat([head, page.data]);
}

/** One packet as pages of at most `perPage` lacing values, the later ones flagged continued. */
export function packetPages(packet: Buffer, perPage = 255, firstFlags = 0, granule = 0): OggPage[] {
  const lacing: number[] = [];
  for (let left = packet.length; ; left -= 255) {
    lacing.push(Math.min(255, left));
    if (left < 255) break;
  }
  const pages: OggPage[] = [];
  let offset = 0;
  for (let i = 0; i < lacing.length; i += perPage) {
    const segments = lacing.slice(i, i + perPage);
    const length = segments.reduce((n, l) => n + l, 0);
    pages.push({ flags: i === 0 ? firstFlags : 1, granule, segments, data: packet.subarray(offset, offset + length) });
    offset += length;
  }
  return pages;
}

export function opusHead(): Buffer {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head[8] = 1; // version
  head[9] = 1; // channels
  head.writeUInt16LE(312, 10); // pre-skip
  head.writeUInt32LE(48_000, 12);
  return head;
}

export function opusTags(comments: string[]): Buffer {
  const parts: Buffer[] = [Buffer.from("OpusTags", "latin1")];
  const str = (s: string | Buffer) => {
    const bytes = typeof s === "string" ? Buffer.from(s, "utf8") : s;
    const len = Buffer.alloc(4);
    len.writeUInt32LE(bytes.length);
    parts.push(len, bytes);
  };
  str("shelfwise tests");
  const count = Buffer.alloc(4);
  count.writeUInt32LE(comments.length);
  parts.push(count);
  for (const c of comments) str(c);
  return Buffer.concat(parts);
}

/** A whole Opus file: head, tags (in pages of `perPage` lacing values), `audioPages` pages of silence. */
export function opusFile(comments: string[], opts: { perPage?: number; audioPages?: number } = {}): Buffer {
  const pages: OggPage[] = [...packetPages(opusHead(), 255, 2), ...packetPages(opusTags(comments), opts.perPage)];
  const audio = opts.audioPages ?? 20;
  for (let i = 0; i < audio; i++) pages.push({ flags: i === audio - 1 ? 4 : 0, granule: (i + 1) * 960, segments: [3], data: Buffer.from([0xfc, 0xff, 0xfe]) });
  return Buffer.concat(pages.map(pageBytes));
}

/** A whole Ogg Vorbis file: identification, comment (in pages of `perPage` lacing values) and setup headers, then stand-in audio. */
export function vorbisFile(comments: string[], opts: { perPage?: number } = {}): Buffer {
  const id = Buffer.alloc(30);
  Buffer.from("\u0001vorbis", "latin1").copy(id);
  id[11] = 2; // channels
  id.writeUInt32LE(44_100, 12);
  id.writeInt32LE(128_000, 20); // nominal bitrate
  id[28] = 0xb8; // block sizes
  id[29] = 1; // framing bit
  // The comment header is Opus's list after its own magic, ending in a framing bit.
  const list = opusTags(comments).subarray(8);
  const commentHeader = Buffer.concat([Buffer.from("\u0003vorbis", "latin1"), list, Buffer.from([1])]);
  const setup = Buffer.concat([Buffer.from("\u0005vorbis", "latin1"), Buffer.alloc(50)]);
  const pages: OggPage[] = [...packetPages(id, 255, 2), ...packetPages(commentHeader, opts.perPage), ...packetPages(setup)];
  for (let i = 0; i < 5; i++) pages.push({ flags: i === 4 ? 4 : 0, granule: (i + 1) * 1024, segments: [3], data: Buffer.from([1, 2, 3]) });
  return Buffer.concat(pages.map(pageBytes));
}

/**
 * A whole Ogg FLAC file (the Ogg mapping of FLAC, as `ffmpeg -c:a flac out.oga` and `flac --ogg` write it): the
 * identification packet ("\x7fFLAC", version 1.0, header count, "fLaC", STREAMINFO), a VORBIS_COMMENT block as the
 * next packet (its comments in pages of `perPage` lacing values), then stand-in audio.
 */
export function oggFlacFile(comments: string[], opts: { perPage?: number } = {}): Buffer {
  const streamInfo = Buffer.alloc(34);
  streamInfo.writeUInt16BE(4096, 0);
  streamInfo.writeUInt16BE(4096, 2);
  // 44.1 kHz, 2 channels, 16 bits, 441,000 samples: 20 bits rate, 3 channels-1, 5 bits-1, 36 samples.
  streamInfo.writeUInt32BE(((44_100 << 12) | (1 << 9) | (15 << 4)) >>> 0, 10);
  streamInfo.writeUInt32BE(441_000, 14);
  const id = Buffer.concat([Buffer.from("\x7fFLAC", "latin1"), Buffer.from([1, 0, 0, 1]), Buffer.from("fLaC", "latin1"), Buffer.from([0, 0, 0, 34]), streamInfo]);
  const list = opusTags(comments).subarray(8);
  const head = Buffer.from([0x84, 0, 0, 0]);
  head.writeUIntBE(list.length, 1, 3);
  const pages: OggPage[] = [...packetPages(id, 255, 2), ...packetPages(Buffer.concat([head, list]), opts.perPage)];
  for (let i = 0; i < 5; i++) pages.push({ flags: i === 4 ? 4 : 0, granule: (i + 1) * 4096, segments: [4], data: Buffer.from([0xff, 0xf8, 0x69, 0x08]) });
  return Buffer.concat(pages.map(pageBytes));
}
