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
  // The writes as they came, the oldest dropped once the rest hold the window: a plugin writing 100 MB a KB at a
  // time cost a copy of the whole window per write when it was kept as one string (the host's CPU, not the plugin's).
  let chunks: Buffer[] = [];
  let held = 0;
  let cut = false;
  let margin = -1;
  const marginOf = () => {
    if (margin < 0) margin = Math.max(0, ...mask().forms.map((form) => form.length)) * SPELLING_CHARS_PER_BYTE;
    return margin;
  };
  return {
    push(chunk) {
      if (chunk.length === 0) return;
      const keep = TAIL_BYTES + marginOf();
      chunks.push(chunk);
      held += chunk.length;
      while (chunks.length > 1 && held - chunks[0]!.length >= keep) {
        held -= chunks.shift()!.length;
        cut = true;
      }
    },
    mark() {
      chunks = [];
      held = 0;
      cut = false;
    },
    text() {
      const keep = TAIL_BYTES + marginOf();
      const all = Buffer.concat(chunks);
      const window = all.length > keep ? all.subarray(all.length - keep) : all;
      const windowCut = cut || all.length > keep;
      const raw = window.toString("latin1"); // latin1: one char per byte
      const byteMask = mask();
      // What precedes the window is only there to find a secret reaching into it; it is not shown.
      const masked = windowCut ? byteMask.maskedFrom(raw, marginOf()) : byteMask.text(raw);
      // Nothing follows: an end that is the start of a secret is masked (the process died writing it).
      const bytes = Buffer.from(heldTailMasked(byteMask, masked), "latin1");
      let start = 0;
      // A window cut inside a character starts at the next one.
      while (windowCut && start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
      const text = bytes.subarray(start).toString("utf8");
      const tail = text.length > STDERR_TAIL_CHARS ? text.slice(-STDERR_TAIL_CHARS) : text;
      return /^[\udc00-\udfff]/.test(tail) ? tail.slice(1) : tail;
    },
  };
}
