/**
 * The `openlibrary` built-in layer: looks a low-confidence book's title and
 * author up in an Open Library compatible search API and, when one result is a
 * convincing match, claims its title, first author, first publish year and
 * language. Off by default (it talks to the internet).
 *
 * The remote side is treated as hostile: every failure (network, timeout,
 * non-2xx, non-JSON, wrong shape, oversized body) becomes an error outcome for
 * that one book and counts towards the circuit breaker; nothing throws.
 * Books are processed one after another because the rate limit dominates.
 * When `ctx.signal` aborts, processBatch returns outcomes only for the books it
 * finished; the orchestrator leaves the rest for the next run.
 */
import { createRequire } from "node:module";
import { cleanString } from "../../domain/clean-text.js";
import { SOURCE_WEIGHTS, type Claim } from "../../domain/fields.js";
import { normalizeLanguage } from "../../domain/normalize.js";
import { isPlausibleYear } from "../../domain/year.js";
import type { Layer, LayerBook, LayerInfo, LayerOutcome } from "../layer.js";
import { createCircuitBreaker, type BreakerDecision } from "./circuit-breaker.js";
import { pickBestDoc, type OpenLibraryDoc } from "./openlibrary-match.js";
import { createRateLimiter } from "./rate-limiter.js";

export {
  authorSimilarity,
  MIN_AUTHOR_SIMILARITY,
  MIN_TITLE_SIMILARITY,
  pickBestDoc,
  titleSimilarity,
  type OpenLibraryDoc,
} from "./openlibrary-match.js";

export interface OpenLibraryOptions {
  /** Base URL of an Open Library compatible API, e.g. `https://openlibrary.org`. */
  url: string;
  timeoutMs: number;
  ratePerSec: number;
  /** Consecutive failures that open the circuit breaker. */
  breakerFailures: number;
  breakerCooldownS: number;
  /** Only books whose confidence is below this are looked up. */
  confidenceThreshold: number;
  /** Clock for the circuit breaker (epoch ms); tests inject one. */
  now?: () => number;
}

export const OPENLIBRARY_INFO: LayerInfo = {
  layer_id: "openlibrary",
  layer_name: "Open Library",
  description: "Looks low-confidence books up by title and author in the Open Library search API",
  config_enable_key: "openlibrary_enabled",
  default_order: 60,
  kind: "builtin",
};

/** Bodies are read up to this size; a real search answer for 5 docs is a few KiB. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const MAX_QUERY_CHARS = 200;
const MAX_VALUE_CHARS = 500;

export function createOpenLibraryLayer(options: OpenLibraryOptions): Layer {
  validateOptions(options);
  const now = options.now ?? Date.now;
  const breaker = createCircuitBreaker({
    failureThreshold: options.breakerFailures,
    cooldownMs: options.breakerCooldownS * 1000,
    now,
  });
  const limiter = createRateLimiter(options.ratePerSec);
  const searchUrl = options.url.replace(/\/+$/, "") + "/search.json";
  const headers = { "User-Agent": userAgent(), Accept: "application/json" };

  const wants = (book: LayerBook): boolean =>
    book.confidence < options.confidenceThreshold && queryOf(book) !== null;

  async function lookUp(book: LayerBook, signal: AbortSignal): Promise<LayerOutcome | "aborted"> {
    const query = queryOf(book);
    if (query === null || !(book.confidence < options.confidenceThreshold)) {
      return { book_id: book.book_id, skipped: true };
    }
    const decision = breaker.tryAcquire();
    if (!decision.allowed) return pausedOutcome(book.book_id, decision);
    if (!(await limiter.acquire(signal))) {
      breaker.abandon();
      return "aborted";
    }
    const result = await search(searchUrl + "?" + searchParams(query), headers, options.timeoutMs, signal);
    if (result.kind === "aborted") {
      breaker.abandon();
      return "aborted";
    }
    if (result.kind === "failed") {
      breaker.recordFailure();
      return { book_id: book.book_id, error: result.error, kind: result.timeout ? "timeout" : "error" };
    }
    breaker.recordSuccess();
    const best = pickBestDoc(result.docs, query.title, query.author);
    return { book_id: book.book_id, claims: best ? claimsFromDoc(best) : [] };
  }

  return {
    info: OPENLIBRARY_INFO,
    sourceId: "openlibrary",
    weight: SOURCE_WEIGHTS.openlibrary,
    wants,
    async processBatch(books, ctx) {
      const outcomes: LayerOutcome[] = [];
      for (const book of books) {
        if (ctx.signal.aborted) break;
        const outcome = await lookUp(book, ctx.signal);
        if (outcome === "aborted") break;
        outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}

function validateOptions(options: OpenLibraryOptions): void {
  let protocol = "";
  try {
    protocol = new URL(options.url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new RangeError(`openlibrary_url must be an http(s) URL, got ${JSON.stringify(options.url)}`);
  }
  const positive = (name: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  };
  positive("openlibrary_timeout_ms", options.timeoutMs);
  positive("openlibrary_rate_per_sec", options.ratePerSec);
  if (!Number.isInteger(options.breakerFailures) || options.breakerFailures < 1) {
    throw new RangeError(`openlibrary_breaker_failures must be a whole number >= 1, got ${options.breakerFailures}`);
  }
  if (!(options.breakerCooldownS >= 0) || !Number.isFinite(options.breakerCooldownS)) {
    throw new RangeError(`openlibrary_breaker_cooldown_s must be >= 0, got ${options.breakerCooldownS}`);
  }
  if (!Number.isFinite(options.confidenceThreshold)) {
    throw new RangeError(`confidence_threshold must be a number, got ${options.confidenceThreshold}`);
  }
}

function userAgent(): string {
  try {
    // src/pipeline/layers and dist/pipeline/layers are both three levels below package.json.
    const pkg = createRequire(import.meta.url)("../../../package.json") as { version?: unknown };
    if (typeof pkg.version === "string") return `shelfwise/${pkg.version}`;
  } catch {
    // fall through: a missing package.json must not stop identification
  }
  return "shelfwise/unknown";
}

// ---- query -----------------------------------------------------------------

interface Query {
  title: string;
  author: string | null;
}

function queryOf(book: LayerBook): Query | null {
  const title = cleanQueryValue(book.current.title);
  if (title === null) return null;
  return { title, author: cleanQueryValue(book.current.author) };
}

function cleanQueryValue(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const cleaned = cleanString(value, MAX_QUERY_CHARS);
  return cleaned === "" ? null : cleaned;
}

function searchParams(query: Query): string {
  const params = new URLSearchParams({ title: query.title });
  if (query.author !== null) params.set("author", query.author);
  params.set("limit", "5");
  params.set("fields", "title,author_name,first_publish_year,language,key");
  return params.toString();
}

function pausedOutcome(bookId: number, decision: Extract<BreakerDecision, { allowed: false }>): LayerOutcome {
  return {
    book_id: bookId,
    error: `Open Library paused after ${decision.failures} failures; retrying after ${clockTime(decision.retryAt)}`,
    kind: "error",
  };
}

function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

// ---- HTTP ------------------------------------------------------------------

type SearchResult =
  | { kind: "ok"; docs: OpenLibraryDoc[] }
  | { kind: "failed"; error: string; timeout: boolean }
  | { kind: "aborted" };

async function search(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  userSignal: AbortSignal,
): Promise<SearchResult> {
  // One deadline for connect, headers and body: a server that trickles its body is a timeout too.
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deadline, userSignal]);
  const failed = (error: string, timeout = false): SearchResult => ({ kind: "failed", error, timeout });
  try {
    const response = await fetch(url, { headers, signal, redirect: "follow" });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const hint = response.status === 429 ? " (rate limited)" : "";
      return failed(`Open Library answered HTTP ${response.status}${hint}`);
    }
    const body = await readCapped(response, MAX_RESPONSE_BYTES);
    if (body === null) return failed(`Open Library response is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; ignored`);
    const parsed = parseSearchResponse(body);
    return typeof parsed === "string" ? failed(parsed) : { kind: "ok", docs: parsed };
  } catch (error) {
    if (userSignal.aborted) return { kind: "aborted" };
    if (deadline.aborted) return failed(`Open Library did not answer within ${timeoutMs} ms`, true);
    return failed(`Open Library request to ${new URL(url).origin} failed: ${describeFetchError(error)}`);
  }
}

/** The body as text, or null when it exceeds maxBytes (reading stops there). */
async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeFetchError(error: unknown): string {
  // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND ...) in `cause`.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.message === "string") {
    return typeof cause.code === "string" && !cause.message.includes(cause.code)
      ? `${cause.code}: ${cause.message}`
      : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

// ---- response --------------------------------------------------------------

/** Validated docs, or an error message. Docs that are individually malformed are dropped. */
export function parseSearchResponse(body: string): OpenLibraryDoc[] | string {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    const start = body.slice(0, 40).replace(/\s+/g, " ").trim();
    return `Open Library returned invalid JSON (starts with ${JSON.stringify(start)})`;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return "Open Library response has an unexpected shape: expected an object";
  }
  const docs = (data as { docs?: unknown }).docs;
  if (!Array.isArray(docs)) return "Open Library response has an unexpected shape: `docs` is not a list";
  return docs.slice(0, 50).flatMap((doc) => {
    const parsed = parseDoc(doc);
    return parsed ? [parsed] : [];
  });
}

function parseDoc(doc: unknown): OpenLibraryDoc | null {
  if (typeof doc !== "object" || doc === null) return null;
  const raw = doc as Record<string, unknown>;
  const title = cleanValue(raw.title);
  if (title === null) return null;
  const year = raw.first_publish_year;
  return {
    title,
    authors: stringList(raw.author_name),
    year: typeof year === "number" && Number.isInteger(year) ? year : null,
    languages: stringList(raw.language),
    key: cleanValue(raw.key),
  };
}

/** Cleaned text, or null when empty or longer than MAX_VALUE_CHARS (too long to be a real title or name). */
function cleanValue(value: unknown): string | null {
  if (typeof value !== "string") return null;
  // Capped well above the limit, so text over it still measures over it.
  const cleaned = cleanString(value, MAX_VALUE_CHARS * 2);
  return cleaned === "" || cleaned.length > MAX_VALUE_CHARS ? null : cleaned;
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, 20).flatMap((item) => {
    const cleaned = cleanValue(item);
    return cleaned === null ? [] : [cleaned];
  });
}

// ---- claims ----------------------------------------------------------------

/** Open Library's MARC (ISO 639-2/B) codes as ISO 639-1 ('eng' -> 'en'); unknown codes folded, not dropped. */
export const mapLanguageCode: (code: string) => string = normalizeLanguage;

export function claimsFromDoc(doc: OpenLibraryDoc): Claim[] {
  const claims: Claim[] = [{ field: "title", value: doc.title }];
  if (doc.authors.length > 0) claims.push({ field: "author", value: doc.authors[0] });
  if (doc.year !== null && isPlausibleYear(doc.year)) claims.push({ field: "year", value: String(doc.year) });
  // A work with editions in several languages says nothing about this recording's language.
  if (doc.languages.length === 1) claims.push({ field: "language", value: mapLanguageCode(doc.languages[0]) });
  return claims;
}
