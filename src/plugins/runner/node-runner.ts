/**
 * The child process that runs one node plugin (see ../protocol.ts).
 *
 * Reads host messages (ndjson) on stdin, answers on fd 3. Loads only node
 * builtins and files next to it: under the permission model it can read
 * nothing else of the host, so protocol imports are type-only.
 */
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import type { BatchMessage, HostMessage, InitMessage, PluginBook, PROTOCOL_VERSION } from "../protocol/protocol.js";
import { Readable } from "node:stream";
import { CHANNEL_CLOSED_STATUS, INPUT_CLOSED_ERROR, INPUT_CLOSED_STATUS } from "./input-closed.js";
import { channelClosed, channelIntact, guardChannel } from "./channel-guard.js";
import { installEgress } from "./egress.js";
import { installNetGuard } from "./net-guard.js";
import { releaseIntervals, trackIntervals } from "./plugin-intervals.js";
import { callMark } from "./call-mark.js";
import { descriptorIdentity, indexOf, UNVERIFIABLE, jsonMessage, jsonString, jsonStrings, parse, slice, stringify, trim, writeAll, writeErr } from "./own-io.js";

// Typed against the host's constant: changing PROTOCOL_VERSION fails this line at compile time.
const RUNNER_PROTOCOL: typeof PROTOCOL_VERSION = 1;
const PROTOCOL_FD = 3;
const TEARDOWN_LIMIT_MS = 5000;
/**
 * An error message and its stack are clipped as the Python runner clips them:
 * an Error carrying a whole HTTP body must still be an `error` with its message,
 * not a result line over the host's 1 MiB limit (`invalid_output`, message lost).
 */
const MAX_ERROR_CHARS = 2000;
const MAX_DETAIL_CHARS = 64 * 1024;

type Plugin = {
  setup?: (config: unknown, secrets: unknown) => unknown;
  canProcess?: (book: PluginBook) => unknown;
  can_process?: (book: PluginBook) => unknown;
  process: (book: PluginBook) => unknown;
  teardown?: () => unknown;
};

/**
 * Plugin code waiting on a promise, oldest first: an uncaught error from
 * plugin code answers the oldest (with one call in flight, the call itself;
 * the host blames the oldest call for a crash by the same rule).
 */
const inFlight = new Set<{ fail(error: unknown): void }>();
/** Calls run at once (init's concurrency). */
let concurrency = 1;
/** This process's call mark (call-mark.ts), from the init message. */
let ownCallMark = callMark("");
let plugin: Plugin | null = null;
let pluginId = "?";

// ---- output ----------------------------------------------------------------

/** Writes one line on the channel with the runner's own copies (own-io.ts): the plugin's patches never see it. */
function send(line: string): void {
  // Closed some other way than fs.close (a net.Socket on it, native code) and maybe reused by a file of the
  // plugin's: the answer would go into that file.
  if (!channelIntact(PROTOCOL_FD)) channelClosed(realExit);
  const error = writeAll(PROTOCOL_FD, line + "\n");
  if (error === null) return;
  if (ownCode(error) === "EBADF") channelClosed(realExit);
  // The host is gone: nobody to answer.
  realExit(1);
}

function ownCode(error: object): unknown {
  return safeValue(() => (Object.hasOwn(error, "code") ? (error as { code: unknown }).code : undefined));
}

/** `detail` is always an own member (maybe undefined): a getter a plugin put on Object.prototype is never read. */
function describe(error: unknown): { error: string; detail: string | undefined } {
  const { error: text, detail } = describeFully(error);
  return { error: clip(text, MAX_ERROR_CHARS), detail: detail === undefined ? undefined : clip(detail, MAX_DETAIL_CHARS) };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describeFully(error: unknown): { error: string; detail: string | undefined } {
  try {
    // A Proxy's getPrototypeOf trap may throw even here.
    if (safeValue(() => error instanceof Error, false) === true) {
      const err = error as Error;
      // Each part read on its own: an Error whose message getter throws still says what it is.
      const rawName = safeString(() => err.name);
      const name = rawName && rawName !== "Error" ? `${rawName}: ` : "";
      const message = safeValue(() => err.message, UNREADABLE);
      const denied = err as Error & { code?: unknown; permission?: unknown; resource?: unknown };
      const where = safeValue(() => (denied.code === "ERR_ACCESS_DENIED" ? ` (${String(denied.permission)}: ${String(denied.resource)})` : ""), "") as string;
      const text =
        message === UNREADABLE
          ? `${rawName || "Error"} whose message cannot be read (reading error.message threw): give it a plain message string`
          : `${name}${typeof message === "string" ? message : safeInspect(message)}`;
      return { error: `${text}${where}${safeValue(() => causes(err), "")}` || "error without a message", detail: safeString(() => err.stack) };
    }
    return { error: thrownNonError(error), detail: undefined };
  } catch {
    return { error: `plugin threw a value that cannot be printed; ${THROW_AN_ERROR}`, detail: undefined };
  }
}

const UNREADABLE = Symbol("unreadable");
const THROW_AN_ERROR = 'throw an Error instead (`throw new Error("what went wrong")`): it carries a message and the stack with your file and line';

/**
 * What `throw 'text'`, `throw { code: 42 }` or `throw null` threw, said as the value it is with the fix: String() of
 * an object read "[object Object]", of null "null", both telling the author nothing of where or what.
 */
function thrownNonError(value: unknown): string {
  if (typeof value === "string") {
    if (value === "") return `plugin threw an empty string; ${THROW_AN_ERROR}`;
    // The text kept first (it is what went wrong) and cut so the hint survives the message's clip.
    const text = value.length > MAX_ERROR_CHARS - 120 ? `${value.slice(0, MAX_ERROR_CHARS - 121)}…` : value;
    return `${text} (thrown as a string, so without file or line: throw new Error(...) instead)`;
  }
  if (value === null || value === undefined) return `plugin threw ${String(value)}; ${THROW_AN_ERROR}`;
  if (typeof value !== "object" && typeof value !== "function") return `plugin threw the ${typeof value} ${safeInspect(value)}, not an Error; ${THROW_AN_ERROR}`;
  // An error from another realm or library built as a plain object: its own message is what was meant.
  const message = safeValue(() => (value as { message?: unknown }).message);
  if (typeof message === "string" && message !== "") {
    const name = safeString(() => (value as { name?: unknown }).name);
    return `${name && name !== "Error" ? `${name}: ` : ""}${message}`;
  }
  return `plugin threw ${safeInspect(value)}, not an Error; ${THROW_AN_ERROR}`;
}

/** util.inspect never calls getters or Proxy traps with these options, and writes a cycle as <ref *1>/[Circular *1]. */
function safeInspect(value: unknown): string {
  try {
    const text = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200, getters: false, showProxy: true, customInspect: false });
    return text.length > 300 ? `${text.slice(0, 299)}…` : text;
  } catch {
    return "a value that cannot be printed";
  }
}

/**
 * fetch's errors say only "fetch failed"; why (the refused host, the proxy's
 * reason, the TLS failure) is in `cause`, which the call record must show.
 */
function causes(error: Error): string {
  let text = "";
  let cause: unknown = safeValue(() => error.cause);
  for (let depth = 0; depth < 3 && cause instanceof Error; depth++) {
    const current: Error = cause;
    const message = safeString(() => current.message) ?? "";
    const name = safeString(() => current.name) ?? "";
    text += ` (cause: ${name && name !== "Error" ? `${name}: ` : ""}${message})`;
    cause = safeValue(() => current.cause);
  }
  return text;
}

/** The first key of `value` whose own value overflows the stack when encoded; null when none does alone. */
function deepField(value: Record<string, unknown>): string | null {
  const keys = safeValue(() => Object.keys(value)) as string[] | undefined;
  for (const key of keys ?? []) {
    try {
      stringifyChecked(safeValue(() => value[key]));
    } catch (error) {
      if (isStackOverflow(error)) return key.length > 40 ? `${key.slice(0, 40)}…` : key;
    }
  }
  return null;
}

function safeValue(read: () => unknown, fallback: unknown = undefined): unknown {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function safeString(read: () => unknown): string | undefined {
  try {
    const value = read();
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * JSON of a process() return value, refusing what JSON would silently mangle.
 * Returns the encoded text or an error message.
 */
export function encodeResult(value: unknown): { json: string } | { error: string } | { tooLarge: TooLarge } {
  if (value === undefined) return { json: "null" };
  // No prototype: a member left unset is never read from a getter a plugin put on Object.prototype.
  const stats = Object.create(null) as TooLarge;
  try {
    const json = stringifyChecked(value, MAX_RESULT_BYTES, stats) ?? "null";
    // The count above is a lower bound (escapes, multi-byte characters): the exact size, of a text known to be small.
    const size = Buffer.byteLength(json, "utf8");
    if (size > MAX_RESULT_BYTES) return { tooLarge: { size, ...largestField(value) } };
    return { json };
  } catch (error) {
    if (error === TOO_LARGE) return { tooLarge: stats };
    return { error: `process() returned a value that cannot be sent as JSON: ${jsonProblem(error, value)}` };
  }
}

/** What the host's too_large reason names (protocol.ts tooLargeError). */
type TooLarge = { size?: number; field?: string; field_size?: number };

/** The top-level field taking the most bytes of an answer encoded whole (at most a few MB: it passed the count). */
function largestField(value: unknown): { field?: string; field_size?: number } {
  let best: { field?: string; field_size?: number } = {};
  try {
    if (value === null || typeof value !== "object") return best;
    for (const [key, v] of Object.entries(value)) {
      const size = Buffer.byteLength((stringify(v) as string | undefined) ?? "", "utf8");
      if (size > (best.field_size ?? -1)) best = { field: fieldName(value, key), field_size: size };
    }
  } catch {
    // A getter that throws on a second read: the size alone is said.
  }
  return best;
}

const fieldName = (holder: unknown, key: string) => (Array.isArray(holder) ? `[${key}]` : key.length > 60 ? `${key.slice(0, 60)}…` : key);

/**
 * Most bytes of JSON a result's `data` may take: the host's line limit (protocol.ts MAX_MESSAGE_BYTES,
 * 1 MiB) less room for the envelope, as in the Python runner. Repeated here (the runner imports only
 * types); test/plugins/oversize-results.test.ts checks that an answer of exactly this size passes.
 */
const MAX_RESULT_BYTES = 1024 * 1024 - 200;
const TOO_LARGE = new Error("result too large");

/**
 * JSON.stringify, refusing what JSON would mangle, and stopping as soon as the text would pass `budget`
 * bytes: a lower bound of the output (each string's length and quotes, each member's key, a byte per other value) is counted
 * as the encoder walks, so a 25 MB answer is refused after its first large string or its first ~megabyte
 * of small ones, never encoded whole (it took seconds, then was thrown away by the host). Stopped, it leaves in
 * `stats` the count so far and the top-level field that took the most of it.
 */
function stringifyChecked(value: unknown, budget = Infinity, stats: TooLarge = {}): string | undefined {
  let count = 0;
  let current: string | null = null;
  let currentStart = 0;
  const closeField = () => {
    if (current !== null && count - currentStart > (stats.field_size ?? -1)) {
      stats.field = current;
      stats.field_size = count - currentStart;
    }
  };
  return stringify(value, function (this: unknown, key, v: unknown) {
    const where = key === "" ? "the result" : `field "${key}"`;
    if (typeof v === "bigint") throw new Error(`${where} is a BigInt`);
    if (typeof v === "function") throw new Error(`${where} is a function`);
    if (typeof v === "symbol") throw new Error(`${where} is a symbol`);
    if (this === value && key !== "") {
      closeField();
      current = fieldName(value, key);
      currentStart = count;
    }
    // A key is written only for an object's member that has a value (`"key":`); an array's index never, and an
    // array's hole or undefined is written as null.
    const inArray = Array.isArray(this);
    if (v !== undefined || inArray) count += (inArray || key === "" ? 0 : key.length + 3) + (typeof v === "string" ? v.length + 2 : 1);
    // An array's commas (a typed array's, written as an object) are counted before it is walked: V8 lists a
    // typed array's 25 million keys before it asks about the first, and walks a sparse array's holes one by one.
    if (v !== null && typeof v === "object" && (Array.isArray(v) || ArrayBuffer.isView(v))) {
      const length = (v as { length?: unknown }).length;
      if (typeof length === "number" && length > 1) count += length - 1;
    }
    if (count > budget) {
      closeField();
      stats.size = count;
      throw TOO_LARGE;
    }
    return v;
  });
}

/** The host refuses a result nested deeper than this (domain/json-depth.ts MAX_JSON_DEPTH). */
const MAX_RESULT_DEPTH = 64;

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && safeString(() => error.message)?.includes("call stack") === true;
}

function jsonProblem(error: unknown, value: unknown): string {
  if (isStackOverflow(error)) {
    // "Maximum call stack size exceeded" says nothing of where: the field is named, as for a BigInt or a cycle.
    const field = value !== null && typeof value === "object" && !Array.isArray(value) ? deepField(value as Record<string, unknown>) : null;
    return `${field === null ? "it is" : `field "${field}" is`} nested too deeply (results hold strings or numbers; more than ${MAX_RESULT_DEPTH} levels are refused)`;
  }
  const message = describe(error).error;
  if (!message.includes("circular structure")) return message;
  const closing = /property '([^']*)' closes the circle/.exec(message);
  return `it contains a cycle${closing ? ` (property "${closing[1]}" closes it)` : ""}`;
}

// ---- plugin loading ----------------------------------------------------------

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}

const hasProcess = (value: unknown): boolean =>
  typeof value === "function" && typeof (value as { prototype?: { process?: unknown } }).prototype?.process === "function";

function pickExport(mod: Record<string, unknown>, className: string | null): unknown {
  if (className) {
    if (!(className in mod)) throw new Error(`the module has no export named "${className}" (class_name in manifest.json)`);
    return mod[className];
  }
  if (mod.default !== undefined) return mod.default;
  const classes = Object.entries(mod).filter(([, value]) => hasProcess(value));
  if (classes.length === 1) return classes[0][1];
  if (classes.length === 0) {
    // `export function process(book)`: the methods written as the module's own functions.
    const functions = ["process", "canProcess", "can_process", "setup", "teardown"].filter((name) => typeof mod[name] === "function");
    if (functions.length > 0) {
      throw new Error(
        `the module exports ${functions.map((name) => `${name}()`).join(", ")} as functions, not a class: write them as the methods of \`export default class MyPlugin { ${functions[0]}(...) { ... } }\``,
      );
    }
    throw new Error("the module exports no class with a process() method (export it as default)");
  }
  throw new Error(`several exported classes have process(): ${classes.map(([n]) => n).join(", ")}; set class_name in manifest.json`);
}

/**
 * A method written as `proces`, `Process` or `process_book`: named, with the methods the plugin has, so the
 * author sees the slip instead of looking for what else "no process method" could mean.
 */
function meantProcess(instance: unknown): string {
  const names = new Set<string>();
  try {
    for (let proto = instance; proto && proto !== Object.prototype && names.size < 50; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const value = safeValue(() => (proto as Record<string, unknown>)[name]);
        if (name !== "constructor" && typeof value === "function") names.add(name);
      }
    }
  } catch {
    return "";
  }
  if (names.size === 0) return "";
  const near = [...names].find((name) => {
    const lower = name.toLowerCase().replace(/[_-]/g, "");
    return lower !== "canprocess" && (lower.includes("process") || editsWithin(lower, "process", 2));
  });
  const shown = [...names].slice(0, 10).map((name) => `${name}()`).join(", ");
  return near ? `: it has ${near}(); name it process(book)` : ` (its methods: ${shown})`;
}

function editsWithin(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]! <= limit;
}

function instantiate(exported: unknown): Plugin {
  let instance: unknown = exported;
  // `export default async function process(book)` (or an arrow function): `new` on it threw "exported is
  // not a constructor", and a plain `function process(book)` made an object with no process method.
  const functionNotClass = () => {
    const own = (exported as { name?: string }).name;
    const name = own && own !== "default" ? ` ${own}()` : "";
    return new Error(
      `the plugin's export is a function${name}, not a class with a process() method: write \`export default class MyPlugin { process(book) { ... } }\` (or export an object with a process method)`,
    );
  };
  if (typeof exported === "function") {
    if (!Object.hasOwn(exported, "prototype")) throw functionNotClass();
    instance = new (exported as new () => unknown)();
  }
  if (instance === null || typeof instance !== "object" || typeof (instance as Plugin).process !== "function") {
    if (typeof exported === "function" && !/^class\b/.test(Function.prototype.toString.call(exported))) throw functionNotClass();
    throw new Error(`the plugin has no process(book) method${meantProcess(instance)}`);
  }
  return instance as Plugin;
}

/**
 * A class extending BasePlugin without its own process() answers null for every book, with no error (a
 * misspelt `proces()`): said in the log, which `plugins test` shows.
 */
function warnDefaultProcess(plugin: Plugin): void {
  try {
    let owner: object | null = Object.getPrototypeOf(plugin) as object | null;
    while (owner !== null && !Object.hasOwn(owner, "process")) owner = Object.getPrototypeOf(owner) as object | null;
    const ownerName = (owner as { constructor?: { name?: string } } | null)?.constructor?.name;
    const own = plugin.constructor as { name?: string } | undefined;
    if (owner === null || ownerName !== "BasePlugin" || own === undefined || own.name === "BasePlugin") return;
    const names = new Set<string>();
    for (let p = Object.getPrototypeOf(plugin) as object | null; p !== null && p !== owner; p = Object.getPrototypeOf(p) as object | null) {
      for (const name of Object.getOwnPropertyNames(p)) if (name !== "constructor") names.add(name);
    }
    const meant = [...names].find((name) => name !== "process" && name.toLowerCase().replace(/[^a-z]/g, "").startsWith("proc"));
    writeErr(
      `shelfwise_runner: warning: class ${own.name || "(anonymous)"} does not define process(): BasePlugin's own process() answers nothing for every book${meant ? ` (is ${meant}() meant as process()?)` : ""}\n`,
    );
  } catch {
    // Only a hint: a plugin's odd prototype must not stop it.
  }
}

/** Runs plugin code; resolves with its value, or rejects with its error or an uncaught one. */
function guarded<T>(run: () => T | PromiseLike<T>): T | Promise<T> {
  let value: T | PromiseLike<T>;
  try {
    value = run();
  } catch (error) {
    return Promise.reject(error);
  }
  if (!isThenable(value)) return value;
  const entry = { fail: (_error: unknown) => {} };
  return new Promise<T>((resolve, reject) => {
    entry.fail = reject;
    inFlight.add(entry);
    (value as PromiseLike<T>).then(resolve, reject);
  }).finally(() => {
    inFlight.delete(entry);
  });
}

async function handleInit(message: InitMessage): Promise<void> {
  pluginId = message.plugin_id;
  if (message.protocol !== RUNNER_PROTOCOL) {
    send(fatalLine("load", `runner speaks protocol ${RUNNER_PROTOCOL}, host sent ${String(message.protocol)}`, undefined));
    return;
  }
  concurrency = Math.max(1, Math.floor(Number(message.concurrency ?? 1)) || 1);
  ownCallMark = callMark(String(message.call_mark ?? ""));
  // bubblewrap sets PWD inside the wall; the plugin's environment stays exactly what the host gave.
  delete process.env.PWD;
  // Egress first: the guard wraps it, so an undeclared host is refused (and explained) before any tunnel.
  installEgress(message.allowed_hosts);
  installNetGuard({ pluginId: message.plugin_id, allowedHosts: message.allowed_hosts });
  guardSignals();
  keepTitle();
  keepInputClosedStatus();
  guardChannel(realExit);
  trackIntervals();
  let stage: "load" | "class" | "setup" = "load";
  try {
    const mod = (await guarded(() => import(pathToFileURL(message.entry).href))) as Record<string, unknown>;
    stage = "class";
    plugin = instantiate(pickExport(mod, message.class_name));
    warnDefaultProcess(plugin);
    stage = "setup";
    if (typeof plugin.setup === "function") {
      const p = plugin;
      await guarded(() => p.setup!(message.config, message.secrets));
    }
  } catch (error) {
    const { error: text, detail } = describe(error);
    send(fatalLine(stage, text, detail));
    return;
  }
  send(jsonMessage([["type", jsonString("ready")]]));
}

/** A plugin may end itself, not the host or anyone else. */
/**
 * The plugin keeps the runtime's name: process.title rewrote the command line and name that `ps`, `top`
 * and `pgrep` show on the host (the PID namespace hides nothing from outside), so a plugin could pass
 * for shelfwise itself ("shelfwise serve") or for any system process. Setting it does nothing now.
 */
function keepTitle(): void {
  const title = process.title;
  try {
    Object.defineProperty(process, "title", { configurable: false, enumerable: true, get: () => title, set: () => {} });
  } catch {
    // Not configurable in this Node: the plugin can rename itself.
  }
}

/** The process's real exit, taken before any plugin code runs: only the runner may end with INPUT_CLOSED_STATUS or CHANNEL_CLOSED_STATUS. */
const realExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit.bind(process);

/**
 * A plugin's own exit with the status that means "the plugin closed its input" (process.exit(86), or
 * process.exitCode = 86) passed for it: the host blamed no call, the book that did it was sent again to
 * every restart, and once the batch's restarts were spent every book left, innocent ones too, was a crash
 * "closed its input". It is an exit with 1 now, a crash of the call running. process.exit ends in
 * reallyExit whatever its code came from, so that is the one place to hold it.
 */
function keepInputClosedStatus(): void {
  const target = process as unknown as { reallyExit: (code: number) => never };
  try {
    Object.defineProperty(target, "reallyExit", {
      configurable: false,
      writable: false,
      value: (code: number) => realExit(Number(code) === INPUT_CLOSED_STATUS || Number(code) === CHANNEL_CLOSED_STATUS ? 1 : code),
    });
  } catch {
    // Not configurable in this Node: such an exit is still seen as a closed input.
  }
}

function guardSignals(): void {
  const kill = process.kill.bind(process);
  process.kill = ((pid: number, signal?: string | number) => {
    if (pid !== process.pid) throw new Error(`plugin ${pluginId} may not signal other processes`);
    return kill(pid, signal);
  }) as typeof process.kill;
}

// ---- calls -------------------------------------------------------------------

/** Calls queued behind the running ones; they start in seq order as slots free (the host times calls by this rule). */
const waiting: BatchMessage["books"] = [];
let running = 0;
let whenIdle: (() => void) | null = null;

/** A batch came: work left running at teardown may be an answer's (a flush); a plugin only set up has none. */
let called = false;

function handleBatch(message: BatchMessage): void {
  called = true;
  waiting.push(...message.books);
  pump();
}

function pump(): void {
  while (running < concurrency && waiting.length > 0) {
    const { seq, book } = waiting.shift()!;
    if (running === 0) markCall();
    running++;
    void runCall(seq, book).finally(() => {
      running--;
      // The call just answered may have closed the input (the poll below sees it up to 0.1 s later): the
      // next queued call would run meanwhile and be the one blamed, though it did nothing. None starts.
      if (inputChanged()) return inputLost();
      pump();
      if (running === 0 && waiting.length === 0) whenIdle?.();
    });
  }
}

/** Where the process's stderr starts being this call's (call-mark.ts); the host told the call began (protocol.ts). */
function markCall(): void {
  // With the runner's own write (own-io.ts): a plugin's patched fs.writeSync dropped or moved the mark, and
  // with it which call its output is quoted for. stderr closed by the plugin: nothing of its is quoted then anyway.
  writeErr(ownCallMark);
  send(jsonMessage([["type", jsonString("started")]]));
}

async function runCall(seq: number, book: PluginBook): Promise<void> {
  let tail: string;
  try {
    tail = await callPlugin(book);
  } catch (error) {
    const { error: text, detail } = describe(error);
    tail = errorTail(text, detail);
  }
  send(resultLine(seq, tail));
}

/** Resolves once no call runs or waits. */
function idle(): Promise<void> {
  if (running === 0 && waiting.length === 0) return Promise.resolve();
  return new Promise((resolve) => (whenIdle = resolve));
}

function errorTail(error: string, detail: string | undefined): string {
  return `"outcome":"error","error":${jsonString(error)}` + (detail ? `,"detail":${jsonString(detail)}` : "");
}

function fatalLine(stage: string, error: string, detail: string | undefined): string {
  return jsonMessage([
    ["type", jsonString("fatal")],
    ["stage", jsonString(stage)],
    ["error", jsonString(error)],
    ["detail", detail === undefined ? undefined : jsonString(detail)],
  ]);
}

/** Returns the tail of a result line ("skipped" or the ok/error part), see resultLine. */
async function callPlugin(book: PluginBook): Promise<string> {
  const p = plugin!;
  const filter = typeof p.canProcess === "function" ? p.canProcess : typeof p.can_process === "function" ? p.can_process : null;
  if (filter) {
    const wanted = await guarded(() => filter.call(p, book));
    // Falsy skips, as in Library Manager's Python API, so both runtimes agree.
    if (!wanted) return `"outcome":"skipped"`;
  }
  const value = await guarded(() => p.process(book));
  const encoded = encodeResult(value);
  if (Object.hasOwn(encoded, "error")) return errorTail((encoded as { error: string }).error, undefined);
  if (Object.hasOwn(encoded, "tooLarge")) {
    const stats = (encoded as { tooLarge: TooLarge }).tooLarge;
    const own = <K extends keyof TooLarge>(key: K): TooLarge[K] => (Object.hasOwn(stats, key) ? stats[key] : undefined);
    const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? String(value) : undefined);
    const field = own("field");
    return `"outcome":"too_large"${number(own("size")) === undefined ? "" : `,"size":${number(own("size"))}`}${typeof field === "string" ? `,"field":${jsonString(field)}` : ""}${number(own("field_size")) === undefined ? "" : `,"field_size":${number(own("field_size"))}`}`;
  }
  return `"outcome":"ok","data":${(encoded as { json: string }).json}`;
}

function resultLine(seq: number, tail: string): string {
  return `{"type":"result","seq":${seq},${tail}}`;
}

/**
 * Work a plugin left running after its last answer (a timer, a flush, a request it did not await): Node
 * finishes it before a script exits, and the pipeline's plugin process, alive between books, did for every
 * book but the last; at teardown the runner exited at once, so the last book's (and, in the test harness,
 * the only book's) was cut without a word. Now it is waited for like Node does, up to this long after the
 * teardown message (the host kills at TEARDOWN_LIMIT_MS: the runner's words must reach the log first).
 */
const PENDING_WORK_LIMIT_MS = TEARDOWN_LIMIT_MS - 1000;

async function handleTeardown(): Promise<never> {
  const started = Date.now();
  const timer = setTimeout(() => process.exit(0), TEARDOWN_LIMIT_MS);
  let error: string | undefined;
  await idle();
  try {
    if (plugin && typeof plugin.teardown === "function") {
      const p = plugin;
      await guarded(() => p.teardown!());
    }
  } catch (e) {
    error = describe(e).error;
  }
  clearTimeout(timer);
  // A plugin only started and set up (`plugins validate`, a start check) has answered nothing to finish: a
  // refresh timer its setup() started would only hold the check for seconds.
  const warnings = called ? await pendingWorkDone(Math.max(0, PENDING_WORK_LIMIT_MS - (Date.now() - started))) : [];
  send(
    jsonMessage([
      ["type", jsonString("teardown_done")],
      ["error", error ? jsonString(error) : undefined],
      ["warnings", warnings.length > 0 ? jsonStrings(warnings) : undefined],
    ]),
  );
  process.exit(0);
}

/**
 * Resolves when nothing of the plugin's keeps Node's event loop alive, or after `limitMs`, saying what was left:
 * on stderr (its log) and in the warnings returned (teardown_done: the plugin's health keeps them).
 */
function pendingWorkDone(limitMs: number): Promise<string[]> {
  const warnings: string[] = [];
  // The host's input is the runner's own handle: no more messages are read after teardown.
  inputEnded = true;
  hostInput?.pause();
  (hostInput as { unref?: () => void } | null)?.unref?.();
  const intervals = releaseIntervals();
  if (intervals > 0) {
    const warning =
      `left ${intervals === 1 ? "a setInterval timer" : `${intervals} setInterval timers`} running after teardown; ` +
      `an interval never ends, so shelfwise let it go instead of waiting for it (it held the end of every run ${(PENDING_WORK_LIMIT_MS / 1000).toFixed(0)} s): ` +
      `clear it in teardown() (clearInterval) or call .unref() on it when you start it`;
    warnings.push(warning);
    try {
      writeErr(`shelfwise runner: plugin ${pluginId} ${warning}\n`);
    } catch {
      // stderr closed: nothing to tell
    }
  }
  return new Promise((resolve) => {
    const cut = setTimeout(() => {
      const left = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap");
      const warning =
        `still had work pending ${(limitMs / 1000).toFixed(1)} s after its last call ` +
        `(${left.join(", ") || "unknown"}), stopped unfinished: await it before process() returns, or finish it in teardown()`;
      warnings.push(warning);
      try {
        writeErr(`shelfwise runner: plugin ${pluginId} ${warning}\n`);
      } catch {
        // stderr closed: nothing to tell
      }
      resolve(warnings);
    }, limitMs);
    cut.unref();
    // Node's own moment of "nothing left to do": the plugin's timers, sockets and file writes are done.
    process.once("beforeExit", () => {
      clearTimeout(cut);
      resolve(warnings);
    });
  });
}

// ---- main loop -------------------------------------------------------------------

const queue: HostMessage[] = [];
let draining = false;

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  while (queue.length > 0) {
    const message = queue.shift()!;
    if (message.type === "init") await handleInit(message);
    else if (message.type === "batch") handleBatch(message);
    else if (message.type === "teardown") await handleTeardown();
  }
  draining = false;
}

/** The host's messages (descriptor 0), kept out of the plugin's reach by hideStdin. */
let hostInput: Readable | null = null;

function readStdin(): void {
  const input = hideStdin();
  hostInput = input;
  let pending = "";
  input.setEncoding("utf8");
  input.on("data", (chunk: string) => {
    pending += chunk;
    let newline = indexOf(pending, "\n");
    if (newline === -1) return;
    let start = 0;
    while (newline !== -1) {
      const line = slice(pending, start, newline);
      if (trim(line) !== "") queue.push(parse(line) as HostMessage);
      start = newline + 1;
      newline = indexOf(pending, "\n", start);
    }
    pending = slice(pending, start);
    void drain();
  });
  // The host closed our stdin or died: tear down (bounded) and leave.
  input.on("end", () => {
    inputEnded = true;
    queue.push({ type: "teardown" });
    void drain();
    setTimeout(() => process.exit(0), TEARDOWN_LIMIT_MS).unref();
  });
  input.on("error", inputLost);
  input.on("close", inputLost);
  // The stream does not see descriptor 0 closed (or replaced by a file the plugin opened) until it
  // next reads, which may be never: the call that did it would answer as if nothing happened, and
  // the next one be cut off. One fstat a tenth of a second (and one after each call) notices it.
  inputIdentity = identity(0);
  if (inputIdentity !== null) setInterval(() => inputChanged() && inputLost(), INPUT_CHECK_MS).unref();
}

/** Descriptor 0 as the runner found it: the host's pipe. */
let inputIdentity: string | null = null;
/** The host ended the input (its teardown): not the plugin's doing. */
let inputEnded = false;
let lost = false;

function inputChanged(): boolean {
  return inputIdentity !== null && !inputEnded && identity(0) !== inputIdentity;
}

/**
 * Closed without the host's end: the plugin closed descriptor 0. Left alone, the runner exited with 0
 * once nothing else held it, and the crash was blamed on the book the host sent next.
 */
function inputLost(): void {
  if (inputEnded || lost) return;
  lost = true;
  try {
    writeErr(`[shelfwise runner] ${INPUT_CLOSED_ERROR}\n`);
  } catch {
    // stderr closed too: the exit status says it.
  }
  // The calls under way when it happened: the one that closed it is among them.
  for (const entry of inFlight) entry.fail(new Error(INPUT_CLOSED_ERROR));
  // After their answers (written synchronously once the rejections settle).
  setTimeout(() => realExit(INPUT_CLOSED_STATUS), 20);
}

const INPUT_CHECK_MS = 100;

function identity(fd: number): string | null {
  const id = descriptorIdentity(fd);
  // fstat broken by the plugin's prototype pollution (own-io.ts): nothing seen, nothing changed.
  return id === UNVERIFIABLE ? inputIdentity : id;
}

/**
 * The host's channel, kept from the plugin: `process.stdin` becomes an empty stream, so a plugin that
 * reads it does not take the host's messages, and one that destroys or pauses it does not cut the runner
 * off. Closing descriptor 0 itself is still possible (fs.closeSync(0)): readStdin sees that.
 */
function hideStdin(): Readable {
  const input = process.stdin;
  const empty = Readable.from([]);
  try {
    Object.defineProperty(process, "stdin", { configurable: true, enumerable: true, get: () => empty });
  } catch {
    // Not configurable in this Node: the plugin keeps its access; closing it is still seen below.
  }
  return input;
}

function reportUncaught(kind: string, error: unknown): void {
  const { error: text, detail } = describe(error);
  try {
    writeErr(`[shelfwise runner] ${kind} in plugin ${pluginId}: ${detail ?? text}\n`);
  } catch {
    // stderr closed: the call is still answered below.
  }
  inFlight.values().next().value?.fail(error);
}

function main(): void {
  process.on("uncaughtException", (error) => reportUncaught("uncaught exception", error));
  process.on("unhandledRejection", (reason) => reportUncaught("unhandled rejection", reason));
  readStdin();
}

main();
