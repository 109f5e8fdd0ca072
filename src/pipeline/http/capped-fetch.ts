/**
 * One HTTP request to a remote service that is treated as hostile: only http
 * and https, a deadline for connect, headers and body together, a cap on the
 * body size (reading stops there), at most `maxRedirects` redirects, each one
 * checked again, and the SSRF guard on the address actually connected to.
 * Failures are HttpFailure values with a kind the caller can count on.
 *
 * Kept-alive connections are not trusted either: a server that sends more
 * bytes than its Content-Length declared leaves them on the connection, where
 * they would be read as the start of the next answer. A connection whose
 * answer was malformed is never used again, and a request that fails on a
 * reused connection before any answer (stray bytes, or the server closing the
 * idle connection just as it was reused) is sent once more on a new one.
 */
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";
import { decodeUtf32, isUtf32Name, utf32Charset } from "./utf32.js";
import { isUtf8 } from "node:buffer";
import { cloudMetadataReason, guardedLookup, isThisMachine, literalAddress, nonPublicReason, OWN_SERVER, refusal, RefusedAddressError, type AddressCheck } from "./address-guard.js";
import { undecodedBodyWords } from "./undecodable-body.js";
import { DeflateEither } from "./deflate-either.js";

export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

export type HttpFailureKind =
  | "timeout"
  | "too_large"
  | "refused_address"
  | "bad_url"
  | "too_many_redirects"
  | "network"
  | "aborted";

export class HttpFailure extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface CappedRequest {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Sent as is (the caller sets Content-Type). */
  body?: string;
  timeoutMs: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Allow loopback, LAN and other non-public addresses (a self-hosted service). */
  allowPrivate?: boolean;
  /** Which addresses are refused when allowPrivate is off (default: every non-public one). */
  addressCheck?: AddressCheck;
  signal?: AbortSignal;
  /** Keep-alive agents, one pair per source; default: a fresh connection per request. */
  agents?: { http: http.Agent; https: https.Agent };
  /**
   * Ports of this machine never connected to, allow_private or not, redirects
   * included: shelfwise's own web server (asked at each request: the server
   * may start after the source). Any address of this machine on them is refused.
   */
  refusedLocalPorts?: () => readonly number[];
  /**
   * Called before a request is sent again on a new connection (its reused one
   * broke before answering); false: do not send it (cancelled). A rate limit
   * waits here: the server may have seen the first one.
   */
  beforeResend?: () => Promise<boolean>;
  /**
   * Masks credentials in the server's text a failure quotes (a Location, a
   * Content-Encoding), before the quote is cut short: a cut through a key
   * would leave part of it past any later masking.
   */
  redact?: (text: string) => string;
}

export interface CappedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /**
   * Where the body's bytes were not valid in its charset (they read as U+FFFD, and no value holding one is
   * taken): said when the answer then gives nothing, or it would end as "no candidates" with no reason.
   */
  undecodable?: Undecodable;
  /**
   * The charset the Content-Type named when the body was not read in it: a UTF-16 or UTF-32 one over bytes that
   * cannot be JSON in it, or a name no decoder knows. Read as UTF-8 instead; the call log notes it.
   */
  charsetOverruled?: CharsetOverruled;
  /** The URL that answered (after redirects). */
  url: string;
  redirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The only headers forwarded to another origin on a redirect. Any other header
 * may carry a credential (Authorization, but also an API's own X-Api-Key or
 * whatever name a source puts its key under), so it stays with the origin it
 * was meant for.
 */
const CROSS_ORIGIN_HEADERS = new Set(["user-agent", "accept", "accept-language", "content-type"]);

export function createAgents(maxSockets: number): { http: http.Agent; https: https.Agent } {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };
}

export async function cappedFetch(request: CappedRequest): Promise<CappedResponse> {
  // One deadline for every hop, connect, headers and body: a server that trickles is a timeout too.
  // A plain timer and controller: AbortSignal.timeout/any cost more per request in Node 20.
  const controller = new AbortController();
  const deadline = { aborted: false };
  const timer = setTimeout(() => {
    deadline.aborted = true;
    controller.abort();
  }, request.timeoutMs);
  const onUserAbort = () => controller.abort();
  request.signal?.addEventListener("abort", onUserAbort, { once: true });
  if (request.signal?.aborted) controller.abort();
  try {
    return await follow(request, controller.signal, deadline);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onUserAbort);
  }
}

async function follow(request: CappedRequest, signal: AbortSignal, deadline: { aborted: boolean }): Promise<CappedResponse> {
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = parseUrl(request.url);
  let method = request.method ?? "GET";
  let body = request.body;
  let headers = { ...request.headers };
  // A redirect back to an address already asked is a loop, whatever the count: said as one ("more than 3
  // redirects" sent users looking for a chain to follow). Method too: a POST answered 303 is asked again by GET.
  const asked = new Set<string>();
  for (let redirects = 0; ; redirects++) {
    asked.add(`${method} ${url.href}`);
    let response: RawResponse;
    const progress: Progress = { status: null, declared: null, bytes: 0 };
    try {
      try {
        response = await once(url, method, headers, body, maxBytes, request, signal, false, progress);
      } catch (error) {
        if (!(error instanceof StaleConnection) || signal.aborted) throw error;
        if (request.beforeResend && !(await request.beforeResend())) throw new HttpFailure("aborted", "the request was cancelled");
        response = await once(url, method, headers, body, maxBytes, request, signal, true, progress);
      }
    } catch (error) {
      if (request.signal?.aborted) throw new HttpFailure("aborted", "the request was cancelled");
      if (deadline.aborted) throw progress.status === null ? new HttpFailure("timeout", `no answer within ${request.timeoutMs} ms`) : stoppedMidBody(progress, request.timeoutMs);
      throw error instanceof StaleConnection ? error.failure : error;
    }
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.status) || typeof location !== "string") {
      return { ...response, url: url.href, redirects };
    }
    if (redirects >= maxRedirects) {
      throw new HttpFailure("too_many_redirects", `more than ${maxRedirects} redirects (last to ${originOf(location, url)})`);
    }
    const next = redirectTarget(response.status, location, url, request.redact);
    const nextMethod = response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST") ? "GET" : method;
    if (asked.has(`${nextMethod} ${next.href}`)) {
      throw new HttpFailure("too_many_redirects", `redirects in a loop: HTTP ${response.status} sends shelfwise back to an address it already asked on ${next.origin}; the service is misconfigured there, or url_template's address is an old one (open it in a browser to see where it leads)`);
    }
    if (next.origin !== url.origin) {
      // The credential headers stay behind (below), but a key in the query (auth "query") is in the URL the
      // service hands back, and a Location keeping the query sent it to the other host (a CDN, a moved API, or a
      // hostile answer). Such a redirect is not followed; the same origin may have it.
      if (request.redact !== undefined && request.redact(next.href) !== next.href) {
        throw new HttpFailure(
          "refused_address",
          `redirected to ${next.origin} with the credential in the new URL; not followed (a key is sent only to its source's own origin: if the service moved there, set url_template to its new address)`,
        );
      }
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name.toLowerCase())));
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "content-type"));
    }
    url = next;
  }
}

/** A deadline that passed once the answer had begun: its status and part of its body came, not the rest. */
function stoppedMidBody(progress: Progress, timeoutMs: number): HttpFailure {
  const of = progress.declared !== null ? ` of the ${progress.declared} its Content-Length declares` : "";
  return new HttpFailure(
    "timeout",
    `the answer stopped half-way: it did not finish within ${timeoutMs} ms, by when HTTP ${progress.status} and ${progress.bytes} ${progress.bytes === 1 ? "byte" : "bytes"}${of} of its body had come (the service stalled mid-answer, or sends it too slowly; a longer timeout helps only the latter)`,
  );
}

function parseUrl(text: string, base?: URL, redact: (text: string) => string = (t) => t): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new HttpFailure("bad_url", `not a valid URL: ${JSON.stringify(redact(text).slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HttpFailure("bad_url", `only http and https URLs are allowed, got ${url.protocol}`);
  }
  return url;
}

/**
 * Where a redirect points, or why it is not followed: said as a redirect (a Location of file:///etc/passwd, ftp: or
 * javascript: read as "only http and https URLs are allowed", as if the user's url_template had named it).
 */
function redirectTarget(status: number, location: string, base: URL, redact: (text: string) => string = (t) => t): URL {
  const shown = JSON.stringify(redact(location).slice(0, 200));
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    throw new HttpFailure("bad_url", `answered HTTP ${status}, a redirect to ${shown}, which is no URL; not followed (the service's answer is broken: check url_template's address)`);
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new HttpFailure("bad_url", `answered HTTP ${status}, a redirect to ${shown}, which is no http or https address (${next.protocol}); not followed: a source reads only web answers (check url_template's address, or the service is hostile)`);
  }
  return next;
}

function originOf(location: string, base: URL): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return "an invalid URL";
  }
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  undecodable?: Undecodable;
  charsetOverruled?: CharsetOverruled;
}

/** How far the answer being read got: a deadline that passes mid-body says so, not "no answer". */
interface Progress {
  status: number | null;
  declared: number | null;
  bytes: number;
}

/** A kept-alive connection that broke before answering: the request may be sent again on a new one. */
class StaleConnection extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.message);
  }
}

/** Errors of the connection itself (not of the request): reset, closed, or bytes that are not an HTTP answer. */
function connectionBroke(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return typeof code === "string" && (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED" || code.startsWith("HPE_"));
}

function once(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  maxBytes: number,
  request: CappedRequest,
  signal: AbortSignal,
  fresh: boolean,
  progress: Progress,
): Promise<RawResponse> {
  const secure = url.protocol === "https:";
  const port = Number(url.port || (secure ? 443 : 80));
  const ownPort = request.refusedLocalPorts?.().includes(port) ?? false;
  const publicOnly = request.addressCheck ?? nonPublicReason;
  // Always a check: allow_private or not, shelfwise's own server and cloud metadata services are refused, and
  // said so first: called a link-local (or unique-local, CGNAT) address, a metadata service's refusal advised
  // allow_private: true, which does not let it through either.
  const check: AddressCheck = (address) =>
    ownPort && isThisMachine(address) ? OWN_SERVER : (cloudMetadataReason(address) ?? (request.allowPrivate ? null : publicOnly(address)));
  // node connects to an IP literal without calling `lookup`: check it here.
  const literal = literalAddress(url);
  const reason = literal === null ? null : check(literal);
  if (literal !== null && reason !== null) {
    return Promise.reject(new HttpFailure("refused_address", refusal(literal, literal, reason).message));
  }
  const lib = secure ? https : http;
  // false: a connection of its own, closed after the answer (undefined would share node's global keep-alive agent).
  const agent = request.agents && !fresh ? (secure ? request.agents.https : request.agents.http) : false;
  const sendHeaders: Record<string, string> = { "Accept-Encoding": "identity", ...headers };
  if (body !== undefined) sendHeaders["Content-Length"] = String(Buffer.byteLength(body));
  return new Promise<RawResponse>((resolve, reject) => {
    const req = lib.request(url, {
      method,
      headers: sendHeaders,
      agent,
      signal,
      lookup: guardedLookup(check) as never,
    });
    let answered: http.IncomingMessage | null = null;
    req.on("error", (error) => {
      // The whole answer its Content-Length declared had arrived, and more bytes followed it: node has dropped
      // the connection, and the answer stands (as curl and browsers take it); its 'end' resolves.
      if (answered?.complete && connectionBroke(error)) return;
      const failure = describe(error, url);
      reject(answered === null && req.reusedSocket && connectionBroke(error) ? new StaleConnection(failure) : failure);
    });
    req.on("response", (res) => {
      answered = res;
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status) && res.headers.location) {
        // A redirect's body is not read, nor drained: one that never ends (or drips) would keep this
        // connection reading after the request is over, past every cap and deadline. The socket is dropped.
        res.destroy();
        resolve({ status, headers: res.headers, body: "" });
        return;
      }
      const declared = Number(res.headers["content-length"]);
      progress.status = status;
      progress.declared = res.headers["content-length"] !== undefined && Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
      if (declared > maxBytes) {
        reject(tooLarge(maxBytes));
        res.destroy();
        return;
      }
      // Identity is asked for, but a server may compress anyway: decoded here, the cap
      // counting decoded bytes as they come, so a small gzip bomb stops at the cap too.
      const encoding = String(res.headers["content-encoding"] ?? "identity").trim().toLowerCase();
      const decoder = decoderFor(encoding);
      if (decoder === undefined) {
        reject(new HttpFailure("network", `${url.origin} answered in an unsupported Content-Encoding ${JSON.stringify((request.redact?.(encoding) ?? encoding).slice(0, 40))}`));
        res.destroy();
        return;
      }
      const stream = decoder === null ? res : res.pipe(decoder);
      // The first bytes on the wire tell why a body would not decode (undecodedBodyWords).
      let head = Buffer.alloc(0);
      if (decoder !== null) {
        // The cap counts decoded bytes, and a compressed stream can decode to nothing forever (empty gzip
        // members one after another): the bytes on the wire are capped too, or only the deadline stopped
        // the download. A real answer compresses to less than its decoded size, so it never meets this cap first.
        let wire = 0;
        res.on("data", (chunk: Buffer) => {
          if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8)]);
          wire += chunk.length;
          if (wire > maxBytes) {
            reject(tooLarge(maxBytes));
            decoder.destroy();
            res.destroy();
            req.destroy();
          }
        });
      }
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on("data", (chunk: Buffer) => {
        total += chunk.length;
        progress.bytes = total;
        if (total > maxBytes) {
          reject(tooLarge(maxBytes));
          decoder?.destroy();
          res.destroy();
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      stream.on("end", () => {
        const decoded = decodeBody(Buffer.concat(chunks), res.headers["content-type"]);
        resolve({
          status,
          headers: res.headers,
          body: decoded.text,
          ...(decoded.undecodable ? { undecodable: decoded.undecodable } : {}),
          ...(decoded.charsetOverruled ? { charsetOverruled: decoded.charsetOverruled } : {}),
        });
      });
      res.on("error", (error) => reject(describe(error, url)));
      decoder?.on("error", (error) => {
        reject(new HttpFailure("network", `${url.origin} sent a ${encoding} body that cannot be decoded: ${undecodedBodyWords(encoding, head, error)}`));
        res.destroy();
      });
      // How much had come says whether the service stopped or declared more than it had (a Content-Length past the body).
      res.on("aborted", () => {
        const of = decoder !== null ? " decoded" : progress.declared === null ? "" : ` of the ${progress.declared} its Content-Length declares`;
        reject(new HttpFailure("network", `${url.origin} closed the connection mid-answer, after ${progress.bytes} ${progress.bytes === 1 ? "byte" : "bytes"}${of} (nothing of a cut answer is read)`));
      });
    });
    req.end(body);
  });
}

/** A decoder for the body's Content-Encoding; null: none needed; undefined: not supported. */
function decoderFor(encoding: string): zlib.Gunzip | DeflateEither | zlib.BrotliDecompress | null | undefined {
  switch (encoding) {
    case "identity":
    case "":
      return null;
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return new DeflateEither();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/** A charset the answer's Content-Type named that its body was not read in (see CappedResponse). */
export interface CharsetOverruled {
  declared: string;
  why: "not_in_bytes" | "unknown" | "utf8_bytes";
}

/** The call log's note for it: an answer taken, but its header is wrong, and its owner can fix it. */
export function charsetOverruledWords(label: string, overruled: CharsetOverruled, redact: (text: string) => string = (t) => t): string {
  const name = JSON.stringify(redact(overruled.declared).slice(0, 40));
  if (overruled.why === "utf8_bytes") return `note: ${label}'s answer declares charset ${name}, but its bytes are UTF-8 (read in ${name} every accented letter would be two wrong ones, "é" as "Ã©"): read as UTF-8, what JSON is; the service's Content-Type is wrong`;
  return overruled.why === "not_in_bytes"
    ? `note: ${label}'s answer declares charset ${name}, but its bytes cannot be JSON in it (no zero byte among the first two): read as UTF-8, what JSON is; the service's Content-Type is wrong`
    : `note: ${label}'s answer declares charset ${name}, which is no charset shelfwise knows: read as UTF-8, what JSON is; the service's Content-Type is wrong`;
}

/** Bytes of an answer that are not valid in its charset. */
export interface Undecodable {
  /** The charset the body was read in ("UTF-8" when none was declared or the name is unknown). */
  charset: string;
  declared: boolean;
  /** Offset of the first byte that could not be read, and its value. */
  offset: number;
  byte: number;
}

/**
 * The body as text in the charset its Content-Type declares (a catalogue serving
 * `application/json; charset=ISO-8859-1` spells "Misérables" with one byte per letter);
 * UTF-8 when none is declared or the name is unknown. Bytes that are not valid in the
 * charset become U+FFFD, which no value from the answer is taken with.
 */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  return decodeBody(bytes, contentType).text;
}

/** decodeText, and where the body was not valid in its charset (checked strictly first: one pass, no copy, when it is). */
export function decodeBody(bytes: Buffer, contentType: string | undefined): { text: string; undecodable?: Undecodable; charsetOverruled?: CharsetOverruled } {
  const named = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "")?.[1];
  // UTF-32 first: its little-endian byte order mark begins as UTF-16's does (FF FE), and TextDecoder has no UTF-32.
  const utf32 = utf32Charset(bytes);
  if (utf32 !== undefined) {
    const { text, bad } = decodeUtf32(bytes, utf32 === "utf-32le");
    const declared = named !== undefined && isUtf32Name(named);
    return { text, ...(bad >= 0 ? { undecodable: { charset: utf32.toUpperCase(), declared, offset: bad, byte: bytes[bad]! } } : {}) };
  }
  const bom = bomCharset(bytes) ?? zeroByteCharset(bytes);
  let charset = bom ?? trustedCharset(bytes, named);
  let overruled: CharsetOverruled | undefined = bom === undefined && named !== undefined && charset === undefined ? { declared: named, why: "not_in_bytes" } : undefined;
  if (bom === undefined && charset !== undefined && utf8UnderOtherName(bytes, charset)) {
    overruled = { declared: charset, why: "utf8_bytes" };
    charset = undefined;
  }
  if (charset !== undefined) {
    let strict: TextDecoder | null = null;
    try {
      strict = new TextDecoder(charset, { fatal: true });
    } catch {
      // An unknown name ("utf8mb4"): UTF-8, what JSON is (RFC 8259 8.1).
      if (bom === undefined) overruled = { declared: charset, why: "unknown" };
    }
    if (strict !== null) {
      try {
        return { text: strict.decode(bytes) };
      } catch {
        const text = new TextDecoder(charset).decode(bytes);
        // The name as the answer spells it (TextDecoder took it: a known label, no stray characters).
        return { text, undecodable: firstUndecodable(bytes, text, strict.encoding === "utf-8" ? "UTF-8" : charset, true) };
      }
    }
  }
  const text = bytes.toString("utf8");
  const note = overruled ? { charsetOverruled: overruled } : {};
  if (isUtf8(bytes)) return { text, ...note };
  return { text, undecodable: firstUndecodable(bytes, text, "UTF-8", charset !== undefined && /^utf-?8$/i.test(charset)), ...note };
}

/**
 * Whether an answer declared in a legacy charset (ISO-8859-1, windows-1252, Shift_JIS, KOI8-R...) is UTF-8 all the
 * same: a framework's default header over UTF-8 JSON (RFC 8259 8.1: JSON between systems is UTF-8). Read as declared,
 * "Les Misérables" was claimed as "Les MisÃ©rables", silently. Text in those charsets with a letter past ASCII is
 * almost never valid UTF-8 as well (its high bytes would have to fall in UTF-8's lead-and-continuation patterns
 * throughout), so valid UTF-8 holding such a letter is taken as what it is. All-ASCII reads the same either way.
 */
function utf8UnderOtherName(bytes: Buffer, charset: string): boolean {
  if (/^(?:utf-?8|utf-?(?:16|32)|ucs-?2|unicode)/i.test(charset)) return false;
  let high = false;
  for (const byte of bytes) {
    if (byte >= 0x80) {
      high = true;
      break;
    }
  }
  return high && isUtf8(bytes);
}

/**
 * A byte order mark names the encoding whatever the header says (the WHATWG decode rule browsers follow): a
 * UTF-16 answer with its BOM and no charset, or a header naming another charset, is read as the bytes say.
 */
function bomCharset(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return undefined;
}

/**
 * UTF-16 without a byte order mark, told by where its zero bytes fall (RFC 4627 3): JSON starts with an ASCII
 * character, so a zero among the first two bytes is UTF-16, never UTF-8 or any single-byte charset (whose JSON
 * holds no raw NUL). A .NET or Windows service sending Encoding.Unicode without a BOM, under `charset=utf-8` or
 * none, failed as "invalid JSON" starting with "{\u0000\"\u0000t"; the bytes say what they are, as a BOM would.
 * Four bytes are needed; UTF-32 (two zeros first, or last) is told apart before this (utf32.ts).
 */
function zeroByteCharset(bytes: Buffer): string | undefined {
  if (bytes.length < 4) return undefined;
  const [a, b, c, d] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (a === 0 && b !== 0 && c === 0 && d !== 0) return "utf-16be";
  if (a !== 0 && b === 0 && c !== 0 && d === 0) return "utf-16le";
  return undefined;
}

/**
 * The declared charset, unless it is a UTF-16 or UTF-32 one the bytes cannot be in: JSON starts with an ASCII
 * character, which in those encodings puts a zero byte among the first two (RFC 4627 3). A server saying
 * `charset=utf-16` over UTF-8 bytes (a misconfigured proxy or framework) had its JSON read as CJK garbage and
 * failed as "invalid JSON"; such bytes are read as UTF-8, what JSON is (RFC 8259 8.1).
 */
function trustedCharset(bytes: Buffer, declared: string | undefined): string | undefined {
  if (declared === undefined || !/^(?:utf-?(?:16|32)|ucs-?2|unicode)/i.test(declared)) return declared;
  return bytes.length >= 2 && bytes[0] !== 0 && bytes[1] !== 0 ? undefined : declared;
}

function firstUndecodable(bytes: Buffer, text: string, charset: string, declared: boolean): Undecodable {
  const name = /^utf-?8$/i.test(charset) ? "UTF-8" : charset;
  // Everything before the first U+FFFD was read as sent: for UTF-8 its encoding is the bytes before the bad one.
  const at = text.indexOf("\uFFFD");
  const offset = name === "UTF-8" && at >= 0 ? Math.min(Buffer.byteLength(text.slice(0, at), "utf8"), bytes.length - 1) : -1;
  return { charset: name, declared, offset, byte: offset >= 0 ? bytes[offset]! : -1 };
}

/** Why an answer whose bytes were not valid in its charset gave nothing: what was wrong, and who can fix it. */
export function undecodableWords(label: string, bad: Undecodable): string {
  const where = bad.offset >= 0 ? ` (byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, "0")} at offset ${bad.offset})` : "";
  return bad.declared
    ? `${label} answer is not valid ${bad.charset}, the charset its Content-Type declares${where}: values holding such bytes are not taken, and none was left to take`
    : `${label} answer is not valid UTF-8${where}: values holding such bytes are not taken, and none was left to take (it declares no charset, so it is read as UTF-8, what JSON is: a service that sends another encoding must name it, Content-Type: application/json; charset=...)`;
}

function tooLarge(maxBytes: number): HttpFailure {
  return new HttpFailure("too_large", `response is larger than ${formatBytes(maxBytes)}; ignored`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Errors name the origin only: a path or query may hold a credential. */
function describe(error: unknown, url: URL): HttpFailure {
  if (error instanceof HttpFailure) return error;
  if (error instanceof RefusedAddressError) return new HttpFailure("refused_address", error.message);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof RefusedAddressError) return new HttpFailure("refused_address", cause.message);
  const e = error as NodeJS.ErrnoException;
  if (e.name === "AbortError") return new HttpFailure("aborted", "the request was cancelled");
  const message = typeof e.message === "string" ? e.message : String(error);
  if (typeof e.code === "string" && e.code.startsWith("HPE_")) {
    return new HttpFailure("network", `${url.origin} sent an answer that is not valid HTTP (${e.code}: ${message})`);
  }
  const tls = tlsWords(e.code, message, url);
  if (tls !== null) return new HttpFailure("network", `request to ${url.origin} failed: ${tls}`);
  const text = typeof e.code === "string" && !message.includes(e.code) ? `${e.code}: ${message}` : message;
  return new HttpFailure("network", `request to ${url.origin} failed: ${text}`);
}

/** Certificate errors node names by code (the chain, the name, the dates). */
const CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * A failed TLS handshake in words that say what to fix. OpenSSL's own text ("write EPROTO 80FC…:error:0A00010B:SSL
 * routines:ssl3_get_record:wrong version number:../deps/openssl/…") named a source file of node's, not that the
 * port answers plain HTTP; null for other errors.
 */
function tlsWords(code: string | undefined, message: string, url: URL): string | null {
  if (url.protocol !== "https:") return null;
  const port = url.port || "443";
  if (/wrong version number|packet length too long|unknown protocol|http request/i.test(message) && (code === "EPROTO" || /^ERR_SSL_/.test(code ?? ""))) {
    return `the server on port ${port} does not speak TLS (https): it probably answers plain http:// there; use the URL's http:// form, or the port its https listens on`;
  }
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    const first = message.split("\n")[0]!.slice(0, 200);
    return `its TLS certificate is not trusted (${code}: ${first}); shelfwise checks certificates and has no switch to skip it: give the service a certificate from a public authority (or its real host name), or, on your own network, use http:// with allow_private: true`;
  }
  if (code === "EPROTO" || /^ERR_SSL_/.test(code ?? "")) {
    return `the TLS handshake failed (${code}): the server's https is misconfigured or it speaks another protocol on port ${port}`;
  }
  return null;
}
