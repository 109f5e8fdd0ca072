/** Audio files as an interrupted download leaves them, for the tests of what a book says about them. */

const syncsafe = (n: number) => Buffer.from([(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f]);

function textFrame(id: string, value: string): Buffer {
  const data = Buffer.concat([Buffer.from([3]), Buffer.from(value, "utf8")]);
  const head = Buffer.alloc(10);
  head.write(id, 0, 4, "latin1");
  syncsafe(data.length).copy(head, 4);
  return Buffer.concat([head, data]);
}

/**
 * An MP3 cut inside its ID3v2.4 tag: the album and artist frames whole, a long comment frame cut, the audio gone
 * (the tag claims the bytes a download never brought).
 */
export function cutShortMp3(album: string, artist: string): Buffer {
  const frames = Buffer.concat([textFrame("TALB", album), textFrame("TPE1", artist), textFrame("TXXX", `\0COMMENT\0${"a long blurb ".repeat(200)}`)]);
  const tag = Buffer.concat([Buffer.from("ID3"), Buffer.from([4, 0, 0]), syncsafe(frames.length + 4096), frames]);
  return tag.subarray(0, tag.length - 500);
}
