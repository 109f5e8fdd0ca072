/**
 * The end of a plugin's stderr, kept for its exit message ("exited with code 1: <last line>") and the
 * memory-limit checks. Kept as bytes and decoded once, at the end: decoding each write on its own turned a
 * character split across two writes into U+FFFD (and a secret holding it was then no longer found).
 */
import { heldTailMasked, type SecretMask } from "../../domain/secret-mask.js";

/** The characters of stderr an exit message is taken from. */
export const STDERR_TAIL_CHARS = 2048;

/** A UTF-16 char is at most 3 bytes of UTF-8 (a pair is 4 bytes for 2 chars). */
const TAIL_BYTES = STDERR_TAIL_CHARS * 3;

/**
 * The most raw chars one spelling of a secret can take per byte of it: a byte written as a JSON escape of its
 * hex digits (`\u0036\u0031`) is 12. Kept before the window, so a copy reaching into it is found whole.
 */
const SPELLING_CHARS_PER_BYTE = 12;

export interface StderrTail {
  push(chunk: Buffer): void;
  /** A call started while none ran (runner/call-mark.ts): what came before is an earlier call's, not quoted. */
  mark(): void;
  /** The last STDERR_TAIL_CHARS characters written, secrets masked (also one cut by the window's start or the exit). */
  text(): string;
}

export function stderrTail(makeMask: () => SecretMask): StderrTail {
  let made: SecretMask | null = null;
  // Made at the first write: most plugins write nothing on stderr.
  const mask = () => (made ??= makeMask().latin1());
  let raw = ""; // latin1: one char per byte
  let cut = false;
  let margin = -1;
  const marginOf = () => {
    if (margin < 0) margin = Math.max(0, ...mask().forms.map((form) => form.length)) * SPELLING_CHARS_PER_BYTE;
    return margin;
  };
  return {
    push(chunk) {
      const keep = TAIL_BYTES + marginOf();
      if (chunk.length >= keep) {
        raw = chunk.subarray(chunk.length - keep).toString("latin1");
        cut = true;
        return;
      }
      raw += chunk.toString("latin1");
      if (raw.length > keep) {
        raw = raw.slice(raw.length - keep);
        cut = true;
      }
    },
    mark() {
      raw = "";
      cut = false;
    },
    text() {
      const byteMask = mask();
      // What precedes the window is only there to find a secret reaching into it; it is not shown.
      const masked = cut ? byteMask.maskedFrom(raw, marginOf()) : byteMask.text(raw);
      // Nothing follows: an end that is the start of a secret is masked (the process died writing it).
      const bytes = Buffer.from(heldTailMasked(byteMask, masked), "latin1");
      let start = 0;
      // A window cut inside a character starts at the next one.
      while (cut && start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
      const text = bytes.subarray(start).toString("utf8");
      const tail = text.length > STDERR_TAIL_CHARS ? text.slice(-STDERR_TAIL_CHARS) : text;
      return /^[\udc00-\udfff]/.test(tail) ? tail.slice(1) : tail;
    },
  };
}
