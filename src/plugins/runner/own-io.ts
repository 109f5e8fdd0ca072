/**
 * What the Node runner talks to shelfwise with, taken when this module loads, before any plugin code: a plugin
 * shares the runner's realm, and replacing `fs.writeSync`, `JSON.stringify`, `Buffer`'s or `TextEncoder`'s
 * methods, or adding `Object.prototype.toJSON`, changed the runner's own messages: a `{"type":"started"}`
 * dropped (its call never timed out), or an answer forged. The runner's messages are built from strings here,
 * never from objects a polluted prototype could speak for.
 */
import fs from "node:fs";

const apply = Reflect.apply;
const hasOwn = Object.hasOwn;
const writeSyncOwn = fs.writeSync;
const fstatSyncOwn = fs.fstatSync;
const stringifyOwn = JSON.stringify;
const parseOwn = JSON.parse;
const encodeOwn = TextEncoder.prototype.encode;
const encoder = new TextEncoder();
// The getter itself: a plugin may shadow `length` on Uint8Array.prototype.
const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, "length")!.get!;
const indexOfOwn = String.prototype.indexOf;
const sliceOwn = String.prototype.slice;
const trimOwn = String.prototype.trim;
const waitOwn = Atomics.wait;
const Int32ArrayOwn = Int32Array;
const SharedArrayBufferOwn = SharedArrayBuffer;

const objectPrototype = Object.prototype;
const ownKeys = Reflect.ownKeys;
const deleteProperty = Reflect.deleteProperty;
const defineProperty = Reflect.defineProperty;
const describeProperty = Reflect.getOwnPropertyDescriptor;
const includes = Array.prototype.includes;
const originalKeys = ownKeys(objectPrototype);

/**
 * Runs `run` with Object.prototype as Node left it: fs's sync calls pass their errors back in a fresh `{}` and build
 * Stats by assignment, so an `error` getter a plugin put on Object.prototype made every write throw after writing,
 * and a `size` one made every fstat throw. What the plugin added is taken off for the call and put back (nothing of
 * the plugin's runs meanwhile: deleting and defining call no getter); what it made non-configurable stays.
 */
function withPlainPrototype<T>(run: () => T): T {
  const keys = ownKeys(objectPrototype);
  const removed: [PropertyKey, PropertyDescriptor][] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (apply(includes, originalKeys, [key])) continue;
    const descriptor = describeProperty(objectPrototype, key);
    if (descriptor?.configurable && deleteProperty(objectPrototype, key)) removed[removed.length] = [key, descriptor];
  }
  try {
    return run();
  } finally {
    for (let i = 0; i < removed.length; i++) defineProperty(objectPrototype, removed[i]![0], removed[i]![1]);
  }
}

export const writeSync = (fd: number, data: Uint8Array, offset: number, length: number): number =>
  withPlainPrototype(() => apply(writeSyncOwn, fs, [fd, data, offset, length]) as number);

export const fstatSync = (fd: number): fs.Stats => withPlainPrototype(() => apply(fstatSyncOwn, fs, [fd]) as fs.Stats);

/**
 * `dev:ino:mode` of a descriptor; null when it is closed; UNVERIFIABLE when fstat itself failed some other way:
 * Node builds its Stats by assignment, so a getter a plugin put on Object.prototype (`size`, `mode`) made every
 * fstat throw a TypeError, and the runner took its channel and its input for closed.
 */
export function descriptorIdentity(fd: number): string | null {
  try {
    const stat = fstatSync(fd);
    return `${stat.dev}:${stat.ino}:${stat.mode}`;
  } catch (error) {
    return typeof safeCode(error) === "string" ? null : UNVERIFIABLE;
  }
}

export const UNVERIFIABLE = "unverifiable";

export const utf8 = (text: string): Uint8Array => apply(encodeOwn, encoder, [text]) as Uint8Array;

export const byteCount = (data: Uint8Array): number => apply(typedArrayLength, data, []) as number;

/** Writes all of `text` to `fd` synchronously; returns the error that stopped it, if any (EAGAIN is waited out). */
export function writeAll(fd: number, text: string): NodeJS.ErrnoException | null {
  const data = utf8(text);
  const length = byteCount(data);
  let offset = 0;
  while (offset < length) {
    try {
      offset += writeSync(fd, data, offset, length - offset);
    } catch (error) {
      const code = safeCode(error);
      if (code === "EAGAIN") {
        waitOwn(new Int32ArrayOwn(new SharedArrayBufferOwn(4)), 0, 0, 1);
        continue;
      }
      return error as NodeJS.ErrnoException;
    }
  }
  return null;
}

/** A runner line on stderr (the plugin's log): not through process.stderr, which is the plugin's to replace. */
export function writeErr(text: string): void {
  writeAll(2, text);
}

function safeCode(error: unknown): unknown {
  try {
    return error !== null && typeof error === "object" && hasOwn(error, "code") ? (error as { code: unknown }).code : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON string: JSON.stringify of a primitive string consults no toJSON, and this one is the original. */
export const jsonString = (text: string): string => stringifyOwn(typeof text === "string" ? text : "") as string;

/** `["a","b"]` built by hand: an array given to JSON.stringify would ask Array.prototype.toJSON. */
export function jsonStrings(texts: readonly string[]): string {
  let out = "[";
  for (let i = 0; i < texts.length; i++) out += (i > 0 ? "," : "") + jsonString(texts[i]!);
  return out + "]";
}

/**
 * One message line from its members in order, values already JSON (jsonString, a number's digits); a member
 * whose value is undefined is left out.
 */
export function jsonMessage(members: readonly (readonly [string, string | undefined])[]): string {
  let out = "{";
  let first = true;
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    if (member[1] === undefined) continue;
    out += (first ? "" : ",") + jsonString(member[0]) + ":" + member[1];
    first = false;
  }
  return out + "}";
}

/** The plugin's value as JSON, with the original JSON.stringify (a plugin's answer is its own to shape with toJSON). */
export const stringify = stringifyOwn;
export const parse = parseOwn;

export const indexOf = (text: string, search: string, from?: number): number => apply(indexOfOwn, text, [search, from]) as number;
export const slice = (text: string, start: number, end?: number): string => apply(sliceOwn, text, [start, end]) as string;
export const trim = (text: string): string => apply(trimOwn, text, []) as string;
