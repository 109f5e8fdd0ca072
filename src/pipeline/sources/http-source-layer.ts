/**
 * A configured HTTP source as a pipeline layer (kind "http"): the definition
 * (preset applied) turned into a description for the shared web-source base.
 * Candidate choice: the candidate whose title and author best match the
 * book's current values, refused below the source's thresholds, so a lookup
 * never puts a different book's values on this one.
 */
import { httpSourceIdentity } from "./http-source-identity.js";
import type { HttpSourceDefinition } from "../../config/http-source-schema.js";
import { templateKeysIn } from "../../config/http-source-schema.js";
import type { LayerInfo } from "../layer.js";
import { pickBestCandidate, titleSimilarity } from "../http/candidate-match.js";
import { createWebSourceLayer, type Choice, type WebCallRecord, type WebQuery, type WebSourceLayer } from "../web-source.js";
import { buildRequest, canAsk, credentialOf, headRedactorFor, redactorFor } from "./http-request.js";
import { resolveSource, type ResolvedHttpSource } from "./presets.js";
import { claimsOf, parseMappedAnswer, type MappedCandidate } from "./response-mapping.js";

export interface HttpSourceOptions {
  secrets: Readonly<Record<string, string>>;
  /** Each name a plugin's manifest asks for, to its plugin's id: never a source's credential. */
  pluginSecrets?: ReadonlyMap<string, string>;
  /** Used when the definition sets no only_below_confidence. */
  confidenceThreshold: number;
  onCall?: (record: WebCallRecord) => void | "stop";
  now?: () => number;
  /** Ports of shelfwise's own web server: never asked, allow_private or not. */
  ownServerPorts?: () => readonly number[];
}

export type HttpSourceLayer = WebSourceLayer<MappedCandidate> & { source: ResolvedHttpSource; redact(text: string): string };

export function httpSourceInfo(source: ResolvedHttpSource): LayerInfo {
  return {
    layer_id: source.id,
    layer_name: source.name,
    description: source.description || `HTTP source ${source.url_template.replace(/[?#].*$/, "")}`,
    // Switched by the definition's `enabled`; this key is only where the switch is documented.
    config_enable_key: `http_sources.${source.id}.enabled`,
    default_order: source.order,
    kind: "http",
  };
}

/** Throws MissingSecretError when the credential the definition names is not in secrets.json. */
export function createHttpSourceLayer(definition: HttpSourceDefinition, options: HttpSourceOptions): HttpSourceLayer {
  const source = resolveSource(definition);
  const credential = credentialOf(source, options.secrets, options.pluginSecrets);
  const redact = redactorFor(source, credential);
  const label = `${source.name}`;
  const layer = createWebSourceLayer<MappedCandidate>({
    info: httpSourceInfo(source),
    sourceId: `http:${source.id}`,
    weight: source.source_weight,
    label,
    onlyBelowConfidence: source.only_below_confidence ?? options.confidenceThreshold,
    timeoutMs: source.timeout * 1000,
    maxBytes: source.max_response_bytes,
    allowPrivate: source.allow_private,
    refusedLocalPorts: options.ownServerPorts,
    concurrency: source.concurrency,
    ratePerSec: source.max_requests_per_minute === undefined ? null : source.max_requests_per_minute / 60,
    breakerFailures: source.breaker_failures,
    breakerCooldownMs: source.breaker_cooldown_s * 1000,
    now: options.now,
    // /books/{{asin}}, /isbn/{{isbn}}.json: the URL names the book, so a 404 says there is no such book.
    notFoundIsNoResult: templateKeysIn(source.url_template.split(/[?#]/)[0] ?? "").length > 0,
    canAsk: (query) => canAsk(source, query),
    buildRequest: (query) => buildRequest(source, query, credential),
    parse: (body, shown) => parseMappedAnswer(body, source.response_mapping, source.result_path, label, shown),
    choose: (candidates, query) => chooseCandidate(source, candidates, query),
    compared: (candidates) => candidates.some((candidate) => candidate.title !== null),
    redact,
    redactHead: headRedactorFor(source, credential),
    quoteServiceWords: true,
    onCall: options.onCall,
  });
  return Object.assign(layer, { source, redact, identity: httpSourceIdentity(source, options.confidenceThreshold) });
}

export function chooseCandidate(source: ResolvedHttpSource, candidates: MappedCandidate[], query: WebQuery): Choice<MappedCandidate> {
  if (candidates.length === 0) return { candidate: null, reason: "the source returned no candidates" };
  const take = (candidate: MappedCandidate): Choice<MappedCandidate> => ({ candidate, claims: claimsOf(candidate) });
  const asksByTitle = templateKeysIn(source.url_template + JSON.stringify(source.request_fields ?? {})).includes("title");
  if (query.title === null || (!asksByTitle && !candidates.some((c) => c.title !== null))) {
    // Looked up by an identifier (ISBN, ASIN): the answer is that book; one candidate only, else it is ambiguous.
    if (asksByTitle) return { candidate: null, reason: "the book has no title to compare candidates with" };
    return candidates.length === 1 ? take(candidates[0]!) : { candidate: null, reason: `${candidates.length} candidates for one identifier; none taken` };
  }
  const titled = candidates.filter((c): c is MappedCandidate & { title: string } => c.title !== null);
  if (titled.length === 0) {
    const path = source.response_mapping.title;
    // A mapped path that finds nothing is the usual mistake (the answer names it "name", or nests it): say which.
    const reason =
      path === undefined
        ? "no candidate has a title to compare (map `title` in response_mapping)"
        : `no candidate has a title to compare: response_mapping.title ${path} gives no text in ${candidates.length === 1 ? "the one candidate" : `any of the ${candidates.length} candidates`} (${nearerTitle(candidates) ?? "compare it with the raw answer"})`;
    return { candidate: null, reason };
  }
  const best = pickBestCandidate(titled, query.title, query.author, {
    title: source.match_threshold,
    author: source.author_match_threshold,
  });
  if (best !== null) return take(best);
  const closest = titled.reduce((a, b) => (titleSimilarity(query.title!, b.title) > titleSimilarity(query.title!, a.title) ? b : a));
  const score = titleSimilarity(query.title, closest.title);
  return {
    candidate: null,
    reason:
      score < source.match_threshold
        ? `closest candidate "${closest.title}" matches the title ${score.toFixed(2)}, below match_threshold ${source.match_threshold}`
        : `candidates with a matching title are by another author (below author_match_threshold ${source.author_match_threshold})`,
  };
}

/** "did you mean $.volumeInfo.title?" when the title's path is a typo of one the candidates have. */
function nearerTitle(candidates: MappedCandidate[]): string | null {
  const hint = candidates.find((candidate) => candidate.nearer?.title !== undefined)?.nearer?.title;
  return hint === undefined ? null : `did you mean ${hint}? the answer has that`;
}
