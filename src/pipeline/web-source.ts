/**
 * The one base every web metadata source stands on (the way beets'
 * SearchApiMetadataSourcePlugin serves its web sources): query normalization,
 * the confidence filter, circuit breaker, rate limit, a pool of concurrent
 * requests, the capped fetch, failure handling and the choice among candidates.
 * A source (Open Library, each configured HTTP source) is a small description
 * on top: how to ask, how to read the answer, which claims a candidate makes.
 *
 * Every failure (network, refused address, timeout, non-2xx, non-JSON, wrong
 * shape, oversized body) becomes an error outcome for that one book and counts
 * towards the circuit breaker; nothing throws. When `ctx.signal` aborts,
 * processBatch returns outcomes only for the books it finished.
 */
import { roundedMs } from "../domain/duration-round.js";
import { counted, noun } from "../domain/plural.js";
// Times in text carry their zone, as everywhere ("14:00:30" alone read as UTC to some and local to others).
import { shownTime } from "../domain/time-text.js";
import { looksLikeHtml, stripHtml } from "../domain/html-text.js";
import { setTimeout as sleep } from "node:timers/promises";
import { cleanString } from "../domain/clean-text.js";
import type { Claim } from "../domain/fields.js";
import { checkClaim } from "../domain/garbage.js";
import type { Layer, LayerBook, LayerInfo, LayerOutcome } from "./layer.js";
import { cappedFetch, charsetOverruledWords, createAgents, HttpFailure, undecodableWords, type CappedResponse } from "./http/capped-fetch.js";
import { createCircuitBreaker, type BreakerDecision } from "./http/circuit-breaker.js";
import { createRateLimiter } from "./http/rate-limiter.js";

/** The book's values a request may use, cleaned; null when unknown. */
export interface WebQuery {
  title: string | null;
  author: string | null;
  narrator: string | null;
  series: string | null;
  year: string | null;
  isbn: string | null;
  asin: string | null;
}

export const QUERY_KEYS = ["title", "author", "narrator", "series", "year", "isbn", "asin"] as const satisfies readonly (keyof WebQuery)[];

export interface WebRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

/** What a source made of an answer: its candidates, or why the answer is unusable. */
export type ParsedAnswer<C> = { ok: true; candidates: C[] } | { ok: false; error: string };

/** A candidate's verdict: the claims it makes, or why it was not taken. */
export type Choice<C> = { candidate: C; claims: Claim[] } | { candidate: null; reason: string };

export interface WebSourceDescription<C> {
  info: LayerInfo;
  sourceId: string;
  weight: number;
  /** Names the source in messages: "Open Library answered HTTP 500". */
  label: string;
  /** Only books whose confidence is below this are looked up. */
  onlyBelowConfidence: number;
  timeoutMs: number;
  maxBytes?: number;
  allowPrivate: boolean;
  /** Ports of this machine never asked, allow_private or not: shelfwise's own web server (see cappedFetch). */
  refusedLocalPorts?: () => readonly number[];
  /** Requests in flight at once (default 1). */
  concurrency?: number;
  /** Requests per second, spaced evenly; null: no limit. */
  ratePerSec: number | null;
  breakerFailures: number;
  breakerCooldownMs: number;
  /** Clock for the circuit breaker's cooldown (default: monotonic); tests inject one. */
  now?: () => number;
  /** A 404 or 410 means "no such book" (the URL names the book), not a failure; default false. */
  notFoundIsNoResult?: boolean;
  /** Whether the query holds what this source needs to ask (default: a title). */
  canAsk?(query: WebQuery): boolean;
  buildRequest(query: WebQuery): WebRequest;
  /** `shown`: the body with credentials masked, what an error may quote. */
  parse(body: string, shown: string): ParsedAnswer<C>;
  choose(candidates: C[], query: WebQuery): Choice<C>;
  /**
   * For a source that leaves out values holding unreadable bytes (U+FFFD: HTTP sources' mapping): whether these
   * candidates could be compared with the book, so a refusal has its own reason. An answer with such bytes that
   * gave nothing otherwise fails saying so (attempt()). Open Library keeps such values: it does not set this.
   */
  compared?(candidates: C[]): boolean;
  /** Blanks credentials out of any text that leaves the source (messages, shown URLs, bodies). */
  redact?(text: string): string;
  /**
   * Whether a 4xx/5xx error quotes the answer's own words (serviceWords): an HTTP source's user wrote its
   * definition and acts on "Invalid API key"; Open Library's are nobody's to fix.
   */
  quoteServiceWords?: boolean;
  /** The first `limit` characters of a text, credentials masked (a key the cut splits too): what is kept of a body. */
  redactHead?(text: string, limit: number): string;
  /** Told of every finished call; "stop" (auto-disabled) ends the work: no further book is asked. */
  onCall?(record: WebCallRecord): void | "stop";
}

export type WebCallOutcome = "ok" | "no_result" | "skipped" | "error" | "timeout" | "paused";

export interface WebCallRecord {
  book_id: number;
  at: string;
  outcome: WebCallOutcome;
  duration_ms: number;
  error: string | null;
  resolved: boolean;
}

/** Everything one lookup did, for `sources test` and the web form's live test. */
export interface WebTrace<C> {
  request: { url: string; method: string; body: string | null } | null;
  status: number | null;
  duration_ms: number;
  /** The body's first SHOWN_BODY_CHARS characters, credentials masked; null when none arrived. */
  body: string | null;
  /** The whole body's length in characters (null: none arrived): `body` is cut when it is longer. */
  body_length: number | null;
  candidates: C[];
  chosen: C | null;
  claims: Claim[];
  /** Why nothing was claimed, when a candidate was rejected or there was none. */
  note: string | null;
  error: string | null;
  error_kind: "error" | "timeout" | "paused" | null;
  /** What the call log notes of an answer taken all the same (a charset its header names wrongly). */
  call_note?: string;
}

export interface WebSourceLayer<C> extends Layer {
  /** One lookup with its full trace; no breaker, rate limit or health recording. */
  trace(query: WebQuery, signal?: AbortSignal): Promise<WebTrace<C>>;
  takeRunNotes(): string[];
  /** Most requests in flight at once since the layer was made (retries included): its health's PEAK, as a plugin's. */
  peakInFlight(): number;
  close(): Promise<void>;
}

const MAX_QUERY_CHARS = 200;
/** The longest Retry-After (429/503) a source waits out before asking again; a longer one fails the book. */
export const MAX_RETRY_AFTER_MS = 30_000;
/** How often one book is asked again after a Retry-After. */
const MAX_RETRIES = 2;
const MAX_ERROR_CHARS = 1000;
/**
 * Of a body, what is masked and kept: the live test shows 4,000 characters, an error quotes a few hundred. Masking
 * the whole answer cost CPU on every call for nothing kept (docs/performance-log.md, asrc6).
 */
export const SHOWN_BODY_CHARS = 8192;
/** The most of a service's own words quoted in a failed call's error. */
const SERVICE_WORDS_CHARS = 200;

export function queryOf(book: LayerBook): WebQuery {
  const tag = (name: string): string | null => {
    const tags = book.tags;
    if (!tags) return null;
    for (const key of Object.keys(tags)) if (key.toLowerCase() === name) return cleanQueryValue(tags[key]);
    return null;
  };
  return {
    title: cleanQueryValue(book.current.title),
    author: cleanQueryValue(book.current.author),
    narrator: cleanQueryValue(book.current.narrator),
    series: cleanQueryValue(book.current.series),
    year: cleanQueryValue(book.current.year),
    isbn: tag("isbn"),
    asin: tag("asin") ?? asinTag(tag),
  };
}

/**
 * Where rippers keep an Audible ASIN when no `ASIN` tag is written: Audible's own `CDEK` atom (kept by
 * AAXtoMP3, inAudible and audible-cli's m4b files) and Libation's and OpenAudible's `AUDIBLE_ASIN`. Only a value
 * shaped like an ASIN is taken: `CDEK` holds other ids in some files.
 */
function asinTag(tag: (name: string) => string | null): string | null {
  for (const name of ASIN_TAGS) {
    const value = tag(name);
    if (value !== null && ASIN_SHAPE.test(value)) return value;
  }
  return null;
}
const ASIN_TAGS = ["cdek", "audible_asin", "txxx:audible_asin", "----:com.apple.itunes:audible_asin"] as const;
const ASIN_SHAPE = /^(?:B0[0-9A-Z]{8}|\d{9}[\dX])$/u;

/** A book value as a lookup sends it (`process`, and `sources test` alike). */
export function cleanQueryValue(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const cleaned = cleanString(value, MAX_QUERY_CHARS);
  return cleaned === "" ? null : cleaned;
}

export function createWebSourceLayer<C>(source: WebSourceDescription<C>): WebSourceLayer<C> {
  const breaker = createCircuitBreaker({ failureThreshold: source.breakerFailures, cooldownMs: source.breakerCooldownMs, now: source.now });
  const limiter = source.ratePerSec === null ? null : createRateLimiter(source.ratePerSec);
  const concurrency = Math.max(1, Math.floor(source.concurrency ?? 1));
  const agents = createAgents(concurrency);
  const redact = source.redact ?? ((text: string) => text);
  const redactHead = source.redactHead ?? ((text: string, limit: number) => redact(text.slice(0, limit)));
  const canAsk = source.canAsk ?? ((query: WebQuery) => query.title !== null);
  let stopped = false;

  const wants = (book: LayerBook): boolean => book.confidence < source.onlyBelowConfidence && canAsk(queryOf(book));

  // Until when (performance.now() ms) the service asked every request of this source to hold off (429/503 Retry-After).
  let holdUntil = 0;

  async function trace(query: WebQuery, signal?: AbortSignal): Promise<WebTrace<C>> {
    const { result, retryAfterMs } = await attempt(query, signal);
    // A test asks once and waits for nothing: the wait the service asked for is when trying again can work.
    if (retryAfterMs !== null && retryAfterMs > 0 && result.error !== null) {
      result.error = truncate(`${result.error}; it asks to wait ${waitWords(retryAfterMs)} before asking again`);
    }
    return result;
  }

  async function attempt(query: WebQuery, signal?: AbortSignal): Promise<{ result: WebTrace<C>; retryAfterMs: number | null }> {
    let retryAfterMs: number | null = null;
    const done = (result: WebTrace<C>) => ({ result, retryAfterMs });
    const result: WebTrace<C> = {
      request: null,
      status: null,
      duration_ms: 0,
      body: null,
      body_length: null,
      candidates: [],
      chosen: null,
      claims: [],
      note: null,
      error: null,
      error_kind: null,
    };
    const fail = (message: string, kind: "error" | "timeout" = "error") => {
      result.error = truncate(redact(message));
      result.error_kind = kind;
      return done(result);
    };
    let request: WebRequest;
    try {
      request = source.buildRequest(query);
    } catch (error) {
      return fail(`${source.label}: ${(error as Error).message}`);
    }
    result.request = { url: redact(request.url), method: request.method, body: request.body === undefined ? null : redact(request.body) };
    const started = performance.now();
    let response: CappedResponse;
    try {
      response = await cappedFetch({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeoutMs: source.timeoutMs,
        maxBytes: source.maxBytes,
        allowPrivate: source.allowPrivate,
        refusedLocalPorts: source.refusedLocalPorts,
        signal,
        agents,
        // A request sent again on a new connection (its kept-alive one broke) counts towards the rate limit.
        beforeResend: limiter === null ? undefined : () => limiter.acquire(signal),
        redact,
      });
    } catch (error) {
      result.duration_ms = elapsed(started);
      if (!(error instanceof HttpFailure)) return fail(`${source.label} request failed: ${(error as Error)?.message ?? String(error)}`);
      if (error.kind === "aborted") throw error;
      // A deadline that passed mid-body says so (cappedFetch's words): the service answered, then stalled.
      if (error.kind === "timeout") return fail(error.message.startsWith("no answer") ? `${source.label} did not answer within ${source.timeoutMs} ms` : `${source.label}: ${error.message}`, "timeout");
      // "Open Library request to … failed: …", "Open Library response is larger than …"; otherwise "Label: …".
      const joiner = error.kind === "network" || error.kind === "too_large" ? " " : ": ";
      return fail(`${source.label}${joiner}${error.message}`);
    }
    result.duration_ms = elapsed(started);
    result.status = response.status;
    result.body = redactHead(response.body, SHOWN_BODY_CHARS);
    result.body_length = response.body.length;
    if (response.charsetOverruled) result.call_note = charsetOverruledWords(source.label, response.charsetOverruled, redact);
    if ((response.status === 404 || response.status === 410) && source.notFoundIsNoResult) {
      result.note = `${source.label} answered HTTP ${response.status}: it has no such book`;
      return done(result);
    }
    if (response.status < 200 || response.status >= 300) {
      let unread = "";
      if (response.status === 429 || response.status === 503) {
        retryAfterMs = retryAfterOf(response.headers["retry-after"]);
        // A wait that cannot be read ("soon", "-5", "5 seconds") was dropped without a word: the user saw a
        // rate limit shelfwise did not wait out, and no reason why.
        const header = [response.headers["retry-after"]].flat()[0]?.trim();
        if (retryAfterMs === null && header) unread = `; its Retry-After ${JSON.stringify(header.replace(UNSHOWABLE, " ").slice(0, 60))} names no wait (seconds or an HTTP date), so it is not waited out`;
      }
      const hint =
        response.status === 429
          ? " (rate limited)"
          : response.status === 401 || response.status === 403
            ? " (check the credential)"
            : response.status === 304
              ? " (not modified: the answer to a conditional request, which shelfwise never sends; a cache or proxy between shelfwise and the service answered it, nothing to read)"
              : response.status >= 300 && response.status < 400
                ? " (a redirect without a Location header: nothing to follow; check url_template's address)"
                : "";
      const said = source.quoteServiceWords ? serviceWords(result.body) : null;
      return fail(`${source.label} answered HTTP ${response.status}${hint}${said === null ? "" : `: it said ${JSON.stringify(said)}`}${unread}`);
    }
    // 204 No Content is how some search APIs say "nothing found": an empty answer, no candidates, no failure.
    if (response.status === 204) {
      result.note = `${source.label} answered HTTP 204 (no content): no candidates`;
      return done(result);
    }
    // An empty 200 read as "invalid JSON (starts with \"\")", which sent users looking for a bad character.
    if (response.body.trim() === "") {
      return fail(`${source.label} answered HTTP ${response.status} with an empty body, not JSON (check url_template: an API answers its search with a JSON body)`);
    }
    const parsed = source.parse(response.body, result.body);
    if (!parsed.ok) return fail(`${parsed.error}${notJsonHint(parsed.error, response.headers["content-type"], response.body.slice(0, 2000))}${cutByLengthHint(parsed.error, response)}`);
    result.candidates = parsed.candidates;
    const choice = source.choose(parsed.candidates, query);
    if ("reason" in choice) {
      // The reason may quote the answer ("closest candidate \"…\""), and an answer may echo the key.
      result.note = redact(choice.reason);
    } else {
      result.chosen = choice.candidate;
      // A value carrying the credential (a service echoing the key back) is not metadata, and evidence is
      // stored and shown: such a claim is dropped, never stored masked or in clear.
      // A claim's basis quotes the answer too (the other values a path matched, the first taken): an echoed key
      // among them is masked there, the claim itself being clean.
      result.claims = choice.claims
        .filter((claim) => redact(claim.value) === claim.value)
        .map((claim) => (claim.basis === undefined ? claim : { ...claim, basis: redact(claim.basis) }));
    }
    // Values holding unreadable bytes are not taken (response-mapping.ts): an answer left with nothing by
    // them ended as "no candidates" or "no title to compare", a no_result the call log and `sources test`
    // gave no reason for. It is the answer's fault, reported as an answer that is not JSON is.
    // Candidates with a title that were compared and refused say why themselves (a bad byte elsewhere is not it).
    if (response.undecodable && result.claims.length === 0 && source.compared) {
      const compared = "reason" in choice && source.compared(parsed.candidates);
      if (!compared) return fail(undecodableWords(source.label, response.undecodable));
    }
    return done(result);
  }

  /**
   * One book's request, asked again when the service answers 429 or 503 with
   * a Retry-After it can wait out (at most MAX_RETRY_AFTER_MS, at most
   * MAX_RETRIES times). The wait holds every request of this source, not only
   * this book's, and each retry passes the rate limit again. null: aborted.
   */
  async function lookUpWithRetries(query: WebQuery, signal: AbortSignal): Promise<WebTrace<C> | null> {
    for (let tries = 0; ; ) {
      if (!(await holdOff(signal))) return null;
      if (limiter !== null && !(await limiter.acquire(signal))) return null;
      // A hold that began while this call queued for the rate limit: wait it out and queue again, so the
      // calls released together at its end are still spaced by the rate limit.
      if (holdUntil > performance.now()) continue;
      inFlight++;
      if (inFlight > peak) peak = inFlight;
      let answer: Awaited<ReturnType<typeof attempt>>;
      try {
        answer = await attempt(query, signal);
      } finally {
        inFlight--;
      }
      const { result, retryAfterMs } = answer;
      tries++;
      if (retryAfterMs === null || result.error === null) return result;
      if (retryAfterMs > MAX_RETRY_AFTER_MS) {
        longestWaitAsked = Math.max(longestWaitAsked, retryAfterMs);
        result.error = truncate(`${result.error}; it asks to wait ${waitWords(retryAfterMs)}, longer than the ${MAX_RETRY_AFTER_MS / 1000} s shelfwise waits`);
        return result;
      }
      holdUntil = Math.max(holdUntil, performance.now() + retryAfterMs);
      if (tries > MAX_RETRIES) return result;
    }
  }

  async function holdOff(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const waitMs = holdUntil - performance.now();
      if (waitMs <= 0) return true;
      try {
        await sleep(Math.ceil(waitMs), undefined, { signal });
      } catch {
        return false;
      }
    }
  }

  /** Requests being made now, and the most at once: what `concurrency` allowed, less what the rate limit and holds kept back. */
  let inFlight = 0;
  let peak = 0;

  // Books the open breaker refused since the last takeRunNotes, and the latest refusal (for the note).
  let pausedBooks = 0;
  /** Books the service refused with HTTP 429 even after the retries: left pending too (see lookUp). */
  let rateLimitedBooks = 0;
  /** The longest Retry-After the service asked for that shelfwise would not wait out (0: none): the run note says it. */
  let longestWaitAsked = 0;
  let lastPause: Extract<BreakerDecision, { allowed: false }> | null = null;

  /** outcome null: the book was not asked (the breaker is open) and stays pending for a later run. */
  async function lookUp(book: LayerBook, signal: AbortSignal): Promise<{ outcome: LayerOutcome | null; record: WebCallRecord } | "aborted"> {
    const query = queryOf(book);
    const record = (outcome: WebCallOutcome, duration: number, error: string | null, resolved = false): WebCallRecord => ({
      book_id: book.book_id,
      at: new Date().toISOString(),
      outcome,
      duration_ms: duration,
      error: error === null ? null : truncate(error),
      resolved,
    });
    if (!(book.confidence < source.onlyBelowConfidence) || !canAsk(query)) {
      return { outcome: { book_id: book.book_id, skipped: true }, record: record("skipped", 0, null) };
    }
    const decision = breaker.tryAcquire();
    if (!decision.allowed) {
      // No request was made, so nothing is known about this book: an error run would keep it from ever
      // being asked again (until a reset). It stays pending; the next run asks it.
      pausedBooks++;
      lastPause = decision;
      return { outcome: null, record: record("paused", 0, pausedMessage(source.label, decision)) };
    }
    let result: WebTrace<C> | null;
    try {
      result = await lookUpWithRetries(query, signal);
    } catch {
      result = null;
    }
    if (result === null) {
      breaker.abandon();
      return "aborted";
    }
    if (result.error !== null) {
      breaker.recordFailure();
      if (result.status === 429) {
        // The service's quota, not a fault of the book or of the service: an error run would keep the book
        // from ever being asked again (until a reset), and counting it would auto-disable a source for being
        // asked too fast. The book stays pending; the breaker still paces the source, and the run says so.
        rateLimitedBooks++;
        return { outcome: null, record: record("paused", result.duration_ms, result.error) };
      }
      const kind = result.error_kind === "timeout" ? "timeout" : "error";
      return { outcome: { book_id: book.book_id, error: result.error, kind }, record: record(kind, result.duration_ms, result.error) };
    }
    breaker.recordSuccess();
    // Resolved means evidence will land: claims made only of garbage resolve nothing.
    const resolved = result.claims.some((claim) => checkClaim(claim.field, claim.value).ok);
    return {
      outcome: { book_id: book.book_id, claims: result.claims },
      // The call log's message column holds a note for an answer taken all the same, as for a plugin's.
      record: record(resolved ? "ok" : "no_result", result.duration_ms, result.call_note ?? null, resolved),
    };
  }

  async function processBatch(books: LayerBook[], ctx: { signal: AbortSignal }): Promise<LayerOutcome[]> {
    const done: (LayerOutcome | undefined)[] = new Array(books.length);
    let next = 0;
    const worker = async () => {
      while (!stopped && !ctx.signal.aborted && next < books.length) {
        const index = next++;
        const answer = await lookUp(books[index]!, ctx.signal);
        if (answer === "aborted" || stopped) return;
        if (answer.outcome !== null) done[index] = answer.outcome;
        if (source.onCall?.(answer.record) === "stop") stopped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, books.length) }, worker));
    return done.filter((outcome): outcome is LayerOutcome => outcome !== undefined);
  }

  return {
    info: source.info,
    sourceId: source.sourceId,
    weight: source.weight,
    wants,
    processBatch,
    takeRunNotes() {
      const notes: string[] = [];
      if (rateLimitedBooks > 0) {
        const books = `${counted(rateLimitedBooks, "book")} ${noun(rateLimitedBooks, "stays", "stay")}`;
        // "After shelfwise's retries" was said of a wait of an hour too, which shelfwise never tried: when to run again is what helps.
        const why =
          longestWaitAsked > 0
            ? `, asking to wait ${waitWords(longestWaitAsked)}, longer than the ${MAX_RETRY_AFTER_MS / 1000} s shelfwise waits: ${books} pending (run again after that wait; a max_requests_per_minute under the service's quota avoids this)`
            : ` after shelfwise's retries: ${books} pending (the next run asks again; a max_requests_per_minute under the service's quota avoids this)`;
        notes.push(`${source.label} answered HTTP 429 (rate limited)${why}`);
        rateLimitedBooks = 0;
        longestWaitAsked = 0;
      }
      if (pausedBooks === 0 || lastPause === null) return notes;
      notes.push(
        `${pausedMessage(source.label, lastPause)}: ${counted(pausedBooks, "book")} ${noun(pausedBooks, "was", "were")} not asked and ${noun(pausedBooks, "stays", "stay")} pending (the next run asks ${noun(pausedBooks, "it", "them")})`,
      );
      pausedBooks = 0;
      lastPause = null;
      return notes;
    },
    trace,
    peakInFlight: () => peak,
    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * Retry-After in ms: delay-seconds or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable. Read as
 * servers send it, not only as the RFC spells it: seconds with a fraction ("1.5", sent by some gateways: waited
 * whole, rounded up), two values a proxy folded into one ("5, 5": the first), and each of the three date forms
 * (IMF-fixdate, RFC 850's "Sunday, 06-Nov-94 …", asctime's "Sun Nov  6 08:49:37 1994") in GMT, as HTTP dates
 * always are: Date.parse read asctime and a date without a zone in the machine's own zone (hours off outside UTC),
 * and took "Tue 5" or "May 5" as a date of 2001 (wait 0) where no time is named at all.
 */
export function retryAfterOf(header: string | string[] | undefined, nowMs = Date.now()): number | null {
  const text = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!text) return null;
  const seconds = /^(\d+(?:\.\d+)?)\s*(?:,|$)/.exec(text);
  if (seconds !== null) return Math.ceil(Number(seconds[1]) * 1000);
  // An HTTP date names a weekday or a month and a time of day; Date.parse would also take "1.5" or "May 5" as a date.
  if (!/[a-z]/i.test(text) || !/(?<!\d)\d{1,2}:\d{2}(?!\d)/.test(text)) return null;
  const zoned = /(?:(?<![a-z])(?:GMT|UTC|UT|Z|[ECMP][SD]T)|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text} GMT`;
  const at = Date.parse(zoned);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function pausedMessage(label: string, decision: Extract<BreakerDecision, { allowed: false }>): string {
  return `${label} paused after ${counted(decision.failures, "failure")}; retrying after ${shownTime(new Date(decision.retryAt).toISOString())}`;
}


/** "7200 s"; past a day (a server's 23-digit or far-future Retry-After) the number says nothing: "more than a day". */
function waitWords(ms: number): string {
  return ms > 86_400_000 ? "more than a day" : `${Math.ceil(ms / 1000)} s`;
}

function elapsed(started: number): number {
  return roundedMs(performance.now() - started);
}

/** How many of an errors[] list's distinct messages an error quotes. */
const QUOTED_ERRORS = 3;
/**
 * Keys services put their error's words under (TMDB's status_message, RFC 9457's detail and title, OAuth's
 * error_description, SOAP's and Apigee's fault.faultstring), read without case (AWS's "Message", OMDb's "Error").
 */
const MESSAGE_KEYS = ["message", "error_description", "status_message", "detail", "error", "errors", "error_message", "errormessage", "fault", "faultstring", "title", "msg", "reason", "description"] as const;
/** Characters a terminal or a page would act on (C0/C1 controls, direction controls): a space in their place. */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * What a failed answer says of itself, for the user to act on ("Invalid API key: You must be granted a valid key"),
 * from the masked start of its body: a JSON error's message, else its text (markup stripped), one line, cut. null
 * when it says nothing readable. Only ever quoted as the service's words.
 */
export function serviceWords(shownBody: string | null): string | null {
  if (shownBody === null || shownBody.trim() === "") return null;
  let text: string | null = null;
  try {
    text = messageOf(JSON.parse(shownBody.charCodeAt(0) === 0xfeff ? shownBody.slice(1) : shownBody), 0);
  } catch {
    const start = shownBody.trimStart();
    // JSON cut at the kept head, or not JSON: its text, unless it is JSON whose message could not be found.
    if (!start.startsWith("{") && !start.startsWith("[")) text = looksLikeHtml(start) ? stripHtml(start.replace(/></g, "> <")) : start;
    else text = /"(?:[Mm]essage|error_description|status_message|detail|[Ee]rror|error_?[Mm]essage|faultstring)"\s*:\s*"((?:[^"\\]|\\.){1,400})/.exec(start)?.[1] ?? null;
  }
  if (text === null) return null;
  const line = text.replace(UNSHOWABLE, " ").replace(/\s+/g, " ").trim();
  if (line === "") return null;
  return line.length > SERVICE_WORDS_CHARS ? `${line.slice(0, SERVICE_WORDS_CHARS - 1).replace(/[\uD800-\uDBFF]$/, "")}…` : line;
}

function messageOf(value: unknown, depth: number, underErrors = false): string | null {
  if (typeof value === "string") return value;
  if (depth > 3 || value === null || typeof value !== "object") return null;
  // GraphQL's and JSON:API's errors[]: the first alone hid the one that said what to fix (a second bad argument,
  // the key refused after a field). Up to 3 distinct messages, in order; the caller cuts the line to 200.
  if (Array.isArray(value)) {
    const said: string[] = [];
    for (const item of value.slice(0, 20)) {
      const found = messageOf(item, depth + 1)?.trim();
      if (found && !said.includes(found)) said.push(found);
      if (said.length === QUOTED_ERRORS) break;
    }
    return said.length > 0 ? said.join("; ") : null;
  }
  const byName = new Map<string, unknown>();
  for (const [key, inner] of Object.entries(value)) if (!byName.has(key.toLowerCase())) byName.set(key.toLowerCase(), inner);
  for (const key of MESSAGE_KEYS) {
    if (!byName.has(key)) continue;
    const found = messageOf(byName.get(key), depth + 1, key === "errors");
    if (found !== null && found.trim() !== "") return found;
  }
  // Rails' and many validators' errors object, field by field ({"errors": {"api_key": ["is invalid"]}}): "api_key is invalid".
  if (underErrors) {
    const said: string[] = [];
    for (const [field, inner] of Object.entries(value).slice(0, 20)) {
      const found = messageOf(inner, depth + 1)?.trim();
      if (found) said.push(`${field} ${found}`);
      if (said.length === QUOTED_ERRORS) break;
    }
    return said.length > 0 ? said.join("; ") : null;
  }
  return null;
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_CHARS ? text.slice(0, MAX_ERROR_CHARS - 1) + "…" : text;
}

/**
 * What an answer that is no JSON was sent as, when that says more than its first characters: a login page, a
 * captive portal or a proxy's error page answer 200 with text/html, and "invalid JSON" alone sent users looking
 * for a bad character. Empty for other errors (a shape, a depth) and when the answer says it is JSON.
 */
export function notJsonHint(error: string, contentType: string | string[] | undefined, head = ""): string {
  if (!error.includes(" returned invalid JSON ")) return "";
  const type = (Array.isArray(contentType) ? contentType[0] : contentType)?.split(";")[0]?.trim().toLowerCase() ?? "";
  // A captive portal or proxy page labelled as JSON (or not labelled) is still a page: its start says so.
  if (/ \(starts with "<(?:!doctype html|html|head|body|meta|title)\b/i.test(error) && (type === "" || /(^|[/+])json$/.test(type))) {
    return `; it is an HTML page${type === "" ? "" : ` sent as ${JSON.stringify(type.slice(0, 80))}`}, not JSON (a login, error or proxy page?): check url_template and auth`;
  }
  const sentAs = type === "" ? "" : ` sent as ${JSON.stringify(type.slice(0, 80))}`;
  // Told by the body's start, not by the quote in the error: that is cut at 40 characters, and an XML declaration
  // alone is 38. The start only classifies; nothing of it is quoted here.
  const start = head.slice(0, 2000).replace(/^\ufeff/, "").trimStart();
  const labelledJson = type === "" || /(^|[/+])json$/.test(type);
  if (/^<(?:\?xml\b|[A-Za-z][\w.-]*(?::[\w.-]+)?[\s>/])/.test(start) && !type.includes("html")) {
    // An RSS or Atom feed, a SOAP or OpenSearch answer, an XML error document: "invalid JSON" sent users looking for a bad character.
    return `; the server answered XML${xmlKind(start)}${sentAs}, not JSON: ask the service for JSON (a format=json or output=json parameter in url_template, if it has one) or check url_template`;
  }
  if (labelledJson) {
    // Words, not JSON ("Service Unavailable", "Too many requests", a key's error): what they say is the problem.
    return /^[\p{L}]/u.test(start) && !/^(?:true|false|null)\b/.test(start) ? `; the server answered plain text${sentAs}, not JSON (its start is quoted): check url_template and auth` : "";
  }
  const page = type === "text/html" || type.includes("xhtml") ? " (a login, error or proxy page?)" : "";
  return `; it was sent as ${JSON.stringify(type.slice(0, 80))}, not JSON${page}: check url_template and auth`;
}

function xmlKind(start: string): string {
  const root = /^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>|\s)*<([\w.:-]+)/.exec(start)?.[1]?.toLowerCase() ?? "";
  if (root === "rss" || root === "rdf:rdf") return " (an RSS feed)";
  if (root === "feed") return " (an Atom feed)";
  if (root.endsWith(":envelope") || root === "envelope") return " (a SOAP answer)";
  return "";
}

/**
 * When JSON that is cut short ends exactly where the answer's Content-Length said: the service declared less than
 * it sent (a proxy or a hand-made server counting characters, not bytes). The rest is dropped, as curl and browsers
 * drop it, and "invalid JSON" alone sent users looking for a bad character in their mapping.
 */
export function cutByLengthHint(error: string, response: { headers: Record<string, string | string[] | undefined>; body: string }): string {
  if (!error.includes(" returned invalid JSON ")) return "";
  const header = response.headers["content-length"];
  const declared = Number(Array.isArray(header) ? header[0] : header);
  if (header === undefined || !Number.isSafeInteger(declared) || response.headers["content-encoding"] !== undefined) return "";
  const body = response.body.trimEnd();
  if (Buffer.byteLength(response.body) !== declared || body.endsWith("}") || body.endsWith("]")) return "";
  return `; it ends where its Content-Length (${declared} bytes) says, mid-JSON: the service declares less than it sends (its fault: the rest is dropped, as curl and browsers drop it)`;
}
