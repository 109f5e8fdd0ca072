/**
 * The `openlibrary` built-in layer: looks a low-confidence book's title and
 * author up in an Open Library compatible search API and, when one result is a
 * convincing match, claims its title, first author, first publish year and
 * language. Off by default (it talks to the internet).
 *
 * A small description on the shared web-source base (pipeline/http), which
 * owns the capped fetch, breaker, rate limit and failure handling. Books go
 * one at a time: Open Library's rate limit dominates. The URL is the user's
 * own setting (openlibrary_url), so a self-hosted mirror on the LAN is allowed.
 */
import { z } from "zod";
import { cleanString } from "../../domain/clean-text.js";
import { SOURCE_WEIGHTS, type Claim } from "../../domain/fields.js";
import { normalizeLanguage } from "../../domain/normalize.js";
import { isPlausibleYear } from "../../domain/year.js";
import type { Layer, LayerInfo } from "../layer.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../http/capped-fetch.js";
import { parseJsonResponse } from "../http/json-response.js";
import { userAgent } from "../http/user-agent.js";
import { createWebSourceLayer, type ParsedAnswer, type WebQuery } from "../web-source.js";
import { pickBestDoc, type OpenLibraryDoc } from "./openlibrary-match.js";

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
  /** Ports of shelfwise's own web server: never asked (the configured server may redirect anywhere). */
  ownServerPorts?: () => readonly number[];
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
export const MAX_RESPONSE_BYTES = DEFAULT_MAX_RESPONSE_BYTES;
const MAX_VALUE_CHARS = 500;
const LABEL = "Open Library";

export function createOpenLibraryLayer(options: OpenLibraryOptions): Layer {
  validateOptions(options);
  const searchUrl = options.url.replace(/\/+$/, "") + "/search.json";
  const headers = { "User-Agent": userAgent(), Accept: "application/json" };
  return createWebSourceLayer<OpenLibraryDoc>({
    info: OPENLIBRARY_INFO,
    sourceId: "openlibrary",
    weight: SOURCE_WEIGHTS.openlibrary,
    label: LABEL,
    onlyBelowConfidence: options.confidenceThreshold,
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_RESPONSE_BYTES,
    allowPrivate: true,
    refusedLocalPorts: options.ownServerPorts,
    concurrency: 1,
    ratePerSec: options.ratePerSec,
    breakerFailures: options.breakerFailures,
    breakerCooldownMs: options.breakerCooldownS * 1000,
    now: options.now,
    buildRequest: (query) => ({ url: searchUrl + "?" + searchParams(query), method: "GET", headers }),
    parse: parseAnswer,
    choose(docs, query) {
      const best = pickBestDoc(docs, query.title ?? "", query.author);
      return best ? { candidate: best, claims: claimsFromDoc(best) } : { candidate: null, reason: "no convincing match" };
    },
  });
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

function searchParams(query: WebQuery): string {
  const params = new URLSearchParams({ title: query.title ?? "" });
  if (query.author !== null) params.set("author", query.author);
  params.set("limit", "5");
  params.set("fields", "title,author_name,first_publish_year,language,key");
  return params.toString();
}

// ---- response --------------------------------------------------------------

/** The envelope: an object with a `docs` list; each doc is checked on its own (malformed ones are dropped). */
const SearchResponseSchema = z.object(
  { docs: z.array(z.unknown(), { error: "`docs` is not a list" }) },
  { error: "expected an object" },
);

function parseAnswer(body: string): ParsedAnswer<OpenLibraryDoc> {
  const parsed = parseSearchResponse(body);
  return typeof parsed === "string" ? { ok: false, error: parsed } : { ok: true, candidates: parsed };
}

/** Validated docs, or an error message. Docs that are individually malformed are dropped. */
export function parseSearchResponse(body: string): OpenLibraryDoc[] | string {
  const parsed = parseJsonResponse(body, SearchResponseSchema, LABEL);
  if (!parsed.ok) return parsed.error;
  return parsed.data.docs.slice(0, 50).flatMap((doc) => {
    const one = parseDoc(doc);
    return one ? [one] : [];
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
