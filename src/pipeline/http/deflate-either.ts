/**
 * A decoder for `Content-Encoding: deflate` in either form servers send: RFC 9110 means zlib-wrapped (RFC 1950),
 * but old IIS, some PHP and embedded servers send raw deflate (RFC 1951), which browsers and curl read too. It
 * failed here as "incorrect header check". The first two bytes tell: a zlib header is method 8 and a multiple of 31.
 */
import { Transform, type TransformCallback } from "node:stream";
import zlib from "node:zlib";

export class DeflateEither extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.inner === null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return callback();
      chunk = this.head;
      this.inner = this.start(chunk);
    }
    this.inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    this.inner ??= this.start(this.head);
    if (this.head.length < 2 && this.head.length > 0) this.inner.write(this.head);
    this.inner.once("end", () => callback());
    this.inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }

  private start(head: Buffer): zlib.Inflate | zlib.InflateRaw {
    const zlibWrapped = head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
    const inner = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    inner.on("data", (data: Buffer) => this.push(data));
    inner.on("error", (error) => this.destroy(error));
    return inner;
  }
}
