/**
 * One entry of config `http_sources`: a metadata API described without code.
 * The schema is the type, the validation with its messages, and the defaults.
 * Credentials are named, never stored: `auth.credential` is a key of
 * secrets.json.
 */
import { ADVICE } from "../domain/command-advice.js";
import { z } from "zod";
import { FIELD_NAMES } from "../domain/fields.js";
import { jsonPathProblem } from "./json-path-rule.js";
import { lineBreaksOnly, unmeant, unmeantInJson } from "./text-rules.js";
import { closestName } from "../domain/closest-name.js";
import { keyLikeValue, pathSegmentHoldsKey, textHoldsKey } from "../domain/key-literal.js";
import { sourceSecretName } from "../domain/credential-scope.js";
import { authorityProblem, newcomerMistake, parsedTemplate, placeholderBeforePath, placeholderInFragment, PLACEHOLDER_MARK, requestFieldsProblem, unknownPlaceholderMessage } from "./template-rules.js";
import { PLUGIN_ID_PATTERN, PLUGIN_ID_RULE, RESERVED_PLUGIN_IDS } from "../domain/plugin-id.js";


/**
 * Fields a response may be mapped to: the claimable book fields, and details
 * that are read, cleaned and shown (`sources test`, the web form) but not
 * claimed, because no layer claims them.
 */
export const INFO_FIELDS = ["subtitle", "publisher", "description", "cover", "isbn", "asin", "genres", "tags", "duration"] as const;
export const MAPPABLE_FIELDS = [...FIELD_NAMES, ...INFO_FIELDS] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

export const HTTP_SOURCE_PRESETS = ["audiobookshelf"] as const;

export { TEMPLATE_KEYS, templateKeysIn, unknownPlaceholders, type TemplateKey } from "./template-rules.js";

/**
 * Why a URL is no http(s) URL the parser reads, or null. "api.example.org/search?…" (copied without its scheme)
 * reads as no URL at all: say what to add.
 */
function schemeProblem(text: string): string | null {
  const protocol = parsedTemplate(text)?.protocol ?? "";
  if (protocol === "http:" || protocol === "https:") return null;
  // Spelled as one, and still no URL: its host is what the parser refused ("https://[::1", "https://a%b").
  if (protocol === "" && /^\s*https?:\/\//i.test(text)) return "is no URL a parser reads: check its host (letters, digits, \"-\" and \".\", or an IPv6 address in [ ])";
  const bare = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?]|$)/i.test(text.trim());
  return bare ? `must be an http:// or https:// URL: write https:// (or http:// for a service on your own network) before ${JSON.stringify(text.trim().split(/[/?]/)[0])}` : "must be an http:// or https:// URL";
}


/** Whether the URL names a user (and maybe a password) before its host. */
function hasUserInfo(text: string): boolean {
  const afterScheme = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const authorityEnd = afterScheme.search(/[/?#]/);
  if ((authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd)).includes("@")) return true;
  // As the URL parser reads it too: " https://me:pw@host", "https:/me:pw@host" are that URL.
  const url = parsedTemplate(text);
  return url !== null && (url.username !== "" || url.password !== "");
}

/** Query parameter names APIs take a key under (Google's `key`, `api_key`, `access_token`, ...). */
const CREDENTIAL_PARAM = /^(?:key|api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|token|secret|client[_-]?secret|password|passwd|pwd|auth)$/i;

/**
 * The name of a query parameter whose value in the URL itself looks like a key (8 or more characters, no space,
 * with a digit or both letter cases: `key=AIzaSyD...`), or null. Such a URL put the key into config.json, and
 * from there into `sources list`, `status`, the pages and every support paste, unmasked: the key is no secret
 * of secrets.json, so nothing knew to mask it. A placeholder's value is the book's, never a key.
 */
export function credentialInQuery(text: string): string | null {
  const url = parsedTemplate(text);
  if (url === null) return null;
  for (const [name, value] of url.searchParams) {
    if (value.includes(PLACEHOLDER_MARK)) continue;
    // Under any name, a value that looks like a key by itself (a 32-hex run, a known key's spelling), as in the path.
    if (CREDENTIAL_PARAM.test(name) ? keyLikeValue(value) : pathSegmentHoldsKey(value)) return name;
  }
  return null;
}

/**
 * Whether the URL's fragment (`#access_token=…`, `#key=…`, `#/sk_live_…`) holds what looks like a key: OAuth's
 * implicit flow hands its token back in one, and a URL copied from a browser's address bar carries it. A fragment
 * is never sent, so the key does nothing there but sit in config.json, shown unmasked. Read as a query
 * (`name=value&…`, by the query rule) and part by part (`/`, `&`, `;`, `,`: by the path rule).
 */
export function credentialInFragment(text: string): boolean {
  const url = parsedTemplate(text);
  if (url === null || url.hash.length < 2) return false;
  const fragment = url.hash.slice(1);
  for (const [name, value] of new URLSearchParams(fragment)) {
    if (value.includes(PLACEHOLDER_MARK)) continue;
    if (CREDENTIAL_PARAM.test(name) ? keyLikeValue(value) : pathSegmentHoldsKey(value)) return true;
  }
  return fragment.split(/[/&;,=]/).some((part) => {
    let decoded = part;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      // kept as written
    }
    return !decoded.includes(PLACEHOLDER_MARK) && pathSegmentHoldsKey(decoded);
  });
}

/**
 * Which path segment of the URL (1 = the first after the host) holds what looks like a key, or null: a segment
 * after one named as a key's parameter (`/k/…`, `/api_key/…`) by the query rule's measure, or any segment that
 * looks like a key by itself (`sk_live_…`, a long mixed-case token, 32+ hex digits: domain/key-literal.ts). A placeholder's
 * segment is the book's, never a key. The same reason as credentialInQuery: config.json is shown unmasked.
 */
export function credentialInPath(text: string): number | null {
  const url = parsedTemplate(text);
  if (url === null) return null;
  const segments = url.pathname.split("/").slice(1).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.includes(PLACEHOLDER_MARK)) continue;
    const previous = i > 0 ? segments[i - 1]! : "";
    if (pathSegmentHoldsKey(segment) || ((CREDENTIAL_PARAM.test(previous) || /^k$/i.test(previous)) && keyLikeValue(segment))) return i + 1;
  }
  return null;
}


/**
 * zod's error for keys a strict object does not know, naming for each the
 * known key it was probably meant to be: a typo such as "alow_private" is
 * otherwise a bare "Unrecognized key" and the setting silently not what the
 * user wrote.
 */
function unknownKeys(names: readonly string[]): { error: (issue: { code?: string; keys?: readonly string[] }) => string | undefined } {
  const known = [...new Set(names)];
  return {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys" || !issue.keys?.length) return undefined;
      const guesses = issue.keys.map((key) => closestName(key, known));
      const named = issue.keys.map((key, i) => `${JSON.stringify(key)}${guesses[i] == null ? "" : ` (did you mean ${JSON.stringify(guesses[i])}?)`}`);
      // Without a near miss to point to, the keys it may have meant.
      const list = guesses.every((guess) => guess !== null) ? "" : `; known: ${known.join(", ")}`;
      return `unknown ${issue.keys.length === 1 ? "key" : "keys"} ${named.join(", ")}${list}`;
    },
  };
}

/**
 * The fix for a value that is one of `options` but for a stray space or its letter case ("audiobookshelf ",
 * "Bearer", "get"): copied from a page or typed from memory, it read as a wrong value with no word of what was
 * off. Null when it is no near miss.
 */
export function nearOption(input: unknown, options: readonly string[]): string | null {
  if (typeof input !== "string") return null;
  const meant = options.find((option) => option.toLowerCase() === input.trim().toLowerCase());
  if (meant === undefined || meant === input) return null;
  const why = input.trim() !== input ? "without the space" : "in this letter case";
  return `is ${JSON.stringify(input)}: write ${JSON.stringify(meant)} (${why})`;
}

/** An enum whose refusal names the near miss (nearOption), else the options. */
function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return z.enum(options, {
    error: (issue) => nearOption(issue.input, options) ?? `must be ${options.map((option) => JSON.stringify(option)).join(" or ")}`,
  });
}

/**
 * A text that must match `pattern`; one that would but for a space at its start or end is told so ("the header
 * name ends with a space: remove it"), not that the whole value is wrong.
 */
function spelled(what: string, pattern: RegExp, message: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    if (pattern.test(value)) return;
    const stray = value.trim() !== value && pattern.test(value.trim());
    // The value is not quoted: a credential's "name" is sometimes the pasted key itself.
    ctx.addIssue({ code: "custom", message: stray ? `${what} ${/^\s/.test(value) ? "starts" : "ends"} with a space: remove it` : message });
  };
}

/** A strict object whose unknown keys are named with their likely meaning (see unknownKeys). */
function strict<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, unknownKeys(Object.keys(shape)));
}

/**
 * The schemas, built on first use rather than at import: every command that opens a data folder checks
 * config.json, whose `http_sources` most never set, and building these ~30 zod schemas took 5-9 ms of each
 * start (docs/performance-log.md, acli11). ConfigSchema asks for them only when config.json has the key.
 */
function buildSchemas() {
  const credential = z
    .string({ error: "must name a key of secrets.json" })
    .superRefine(spelled("the secret's name", /^[A-Za-z0-9_.-]{1,128}$/, "must be the NAME of a key in secrets.json (1 to 128 letters, digits, _ . or -), not the secret itself"));

  const headerName = z.string().superRefine(spelled("the header name", /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "must be an HTTP header name"));

  const HttpAuthSchema = z.discriminatedUnion(
    "type",
    [
      strict({ type: z.literal("none") }),
      strict({ type: z.literal("bearer"), credential }),
      strict({ type: z.literal("header"), header: headerName, credential }),
      strict({ type: z.literal("basic"), username: z.string().regex(/^[^:]{0,200}$/, { error: "must not contain ':'" }).superRefine(unmeant("a user name")), credential }),
      strict({ type: z.literal("query"), param: z.string().min(1).max(100).superRefine(unmeant("a query parameter's name")), credential }),
    ],
    {
      error: (issue) => {
        const type = issue.input !== null && typeof issue.input === "object" ? (issue.input as { type?: unknown }).type : undefined;
        const near = nearOption(type, ["none", "bearer", "header", "basic", "query"]);
        return near === null ? 'auth.type must be "none", "bearer", "header", "basic" or "query"' : `auth.type ${near}`;
      },
    },
  );

  const jsonPath = z
    .string()
    .trim()
    .min(1)
    .max(500)
    .superRefine(unmeant("a JSONPath such as $.results[*].title"))
    .superRefine((p, ctx) => {
      const problem = jsonPathProblem(p);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    });

  const idSchema = z
    .string({ error: "must be a string" })
    .regex(PLUGIN_ID_PATTERN, { error: PLUGIN_ID_RULE })
    .refine((id) => !RESERVED_PLUGIN_IDS.has(id), { error: "is reserved" });

  const HttpSourceSchema = strict({
    id: idSchema,
    name: z.string().trim().min(1).max(200).superRefine(unmeant("a name")).optional(),
    // A description may run over several lines (a paragraph each); any other control character is no text.
    description: z.string().max(2000).superRefine(lineBreaksOnly("a description")).default(""),
    enabled: z.boolean().default(true),
    order: z.number().int().min(1).max(999).default(40),
    /** A protocol preset fills method, url_template, response_mapping and result_path from `url`. */
    preset: oneOf(HTTP_SOURCE_PRESETS).optional(),
    /** The service's base URL, for a preset. */
    url: z.string().superRefine(unmeant("the service's base URL (https://...)")).optional(),
    method: oneOf(["GET", "POST"]).optional(),
    url_template: z.string().min(1).max(2000).superRefine(unmeant("a URL with {{placeholders}} (https://api.example.org/search?q={{title}})")).optional(),
    request_fields: z.record(z.string(), z.unknown()).optional(),
    auth: HttpAuthSchema.default({ type: "none" }),
    /** Seconds for connect, headers and body together. */
    timeout: z.number().min(1).max(60).default(10),
    source_weight: z.number().min(0).max(100).default(55),
    response_mapping: z.partialRecord(z.enum(MAPPABLE_FIELDS), jsonPath, unknownKeys(MAPPABLE_FIELDS)).optional(),
    result_path: jsonPath.optional(),
    /** Skip books at or above this confidence (0..100); default: confidence_threshold. */
    only_below_confidence: z.number().min(0).max(100).optional(),
    /** Minimum title similarity (0..1) for a candidate to count as the same book. */
    match_threshold: z.number().min(0).max(1).default(0.85),
    /** Minimum author similarity (0..1) when both sides name an author. */
    author_match_threshold: z.number().min(0).max(1).default(0.6),
    concurrency: z.number().int().min(1).max(32).default(4),
    max_requests_per_minute: z.number().int().min(1).max(100_000).optional(),
    allow_private: z.boolean().default(false),
    max_response_bytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(2 * 1024 * 1024),
    breaker_failures: z.number().int().min(1).max(1000).default(3),
    breaker_cooldown_s: z.number().min(0).max(86_400).default(60),
  })
    .superRefine((source, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      if (source.preset !== undefined) {
        if (source.url === undefined) issue("url", `the ${source.preset} preset needs the service's base URL in "url"`);
      } else {
        if (source.url_template === undefined) issue("url_template", "is required (or use a preset)");
        if (source.response_mapping === undefined || Object.keys(source.response_mapping).length === 0) {
          issue("response_mapping", "must map at least one field to a JSONPath (or use a preset)");
        }
      }
      if (source.url_template !== undefined) {
        const template = source.url_template;
        const newcomer = newcomerMistake(template);
        if (newcomer !== null) issue("url_template", newcomer);
        const unknown = unknownPlaceholderMessage(template);
        if (unknown !== null) issue("url_template", unknown);
        const address = authorityProblem(template) ?? schemeProblem(template);
        if (address !== null) issue("url_template", address);
        // A book's value (a folder name, a tag: anyone's text) must never choose the host: "{{title}}" after
        // "https://api." would let a title such as "evil.example" send the request, and its credential, elsewhere.
        if (placeholderBeforePath(template)) {
          issue("url_template", "placeholders may only stand in the path or query, after the host (e.g. https://api.example.org/search?q={{title}})");
        }
        // A fragment is never sent (buildRequest drops it): "…/search#q={{title}}" asked the same for every book.
        const inFragment = placeholderInFragment(template);
        if (inFragment !== null) {
          issue("url_template", `puts ${inFragment} after "#", in the URL's fragment, which is never sent to the service: every book would be asked the same; move it into the path or query (https://api.example.org/search?q=${inFragment}) and remove the "#…"`);
        }
      }
      if (source.url !== undefined && source.url.includes("{{")) issue("url", "is the service's base URL; it takes no placeholders");
      // The checks url_template gets, for the address a preset builds its URL from.
      else if (source.url !== undefined) {
        const address = newcomerMistake(source.url, "base") ?? authorityProblem(source.url) ?? schemeProblem(source.url);
        if (address !== null) issue("url", address);
        // The preset appends its path to `url` as text: `https://abs.example/api?x=1` asked `/api?x=1/search?mediaType=…`,
        // a request the provider never saw as a search (its query swallowed the path; a fragment is never sent at all).
        else if (/[?#]/.test(source.url)) {
          issue("url", `must be the provider's base address without "?…" or "#…" (the preset adds /search?mediaType=book&query=… to it): remove everything from the "?" or "#" on (a key goes in auth, named in secrets.json)`);
        }
      }
      for (const key of ["url_template", "url"] as const) {
        const text = source[key];
        if (text !== undefined && hasUserInfo(text)) {
          issue(key, 'must not carry a user name or password ("user:pass@host"): config.json holds no secrets; use auth {"type": "basic", "username": …, "credential": NAME} with the password in secrets.json');
        }
        const param = text === undefined ? null : credentialInQuery(text);
        if (param !== null) {
          issue(key, `must not carry a key: its query parameter ${JSON.stringify(param)} holds one, and config.json holds no secrets (${ADVICE.sourceShown.cli()}); remove it from the URL and use auth {"type": "query", "param": ${JSON.stringify(param)}, "credential": NAME} with the key in secrets.json (\`shelfwise secrets set NAME\`)`);
        }
      }
      for (const key of ["url_template", "url"] as const) {
        const text = source[key];
        if (text !== undefined && credentialInFragment(text)) {
          issue(key, `must not carry a key: its fragment (after "#") holds one; a fragment is never sent to the service, so the key does nothing there, and config.json holds no secrets (${ADVICE.sourceShown.cli()}): remove everything from the "#" on and keep the key in secrets.json (\`shelfwise secrets set ${sourceSecretName(source.id)}\`), sent as auth {"type": "query" | "header" | "bearer", ..., "credential": "${sourceSecretName(source.id)}"}`);
        }
      }
      for (const key of ["url_template", "url"] as const) {
        const text = source[key];
        const segment = text === undefined ? null : credentialInPath(text);
        if (segment !== null) {
          issue(key, `must not carry a key: its path's segment ${segment} looks like one, and config.json holds no secrets (${ADVICE.sourceShown.cli()}); remove it from the URL and keep the key in secrets.json (\`shelfwise secrets set ${sourceSecretName(source.id)}\`), sent as auth {"type": "header" | "bearer" | "query", ..., "credential": "${sourceSecretName(source.id)}"} (a service that takes its key only in the path needs a plugin)`);
        }
      }
      for (const key of ["name", "description"] as const) {
        const text = source[key];
        if (text !== undefined && textHoldsKey(text)) {
          issue(key, `looks like it holds a key (a known key's spelling such as sk_live_…, or a long token of letters and digits in both cases, as a generated key is), and config.json holds no secrets (the ${key} is shown everywhere); remove it and keep the key in secrets.json (\`shelfwise secrets set ${sourceSecretName(source.id)}\`), named by auth.credential`);
        }
      }
      if (source.request_fields !== undefined && (source.method ?? "GET") !== "POST") {
        issue("request_fields", 'is only sent with method "POST"');
      }
      if (source.request_fields !== undefined) {
        const unmeantAt = unmeantInJson(source.request_fields, "a field's text");
        if (unmeantAt !== null) ctx.addIssue({ code: "custom", path: ["request_fields", ...unmeantAt.path], message: unmeantAt.message });
        else {
          const problem = requestFieldsProblem(source.request_fields);
          if (problem !== null) ctx.addIssue({ code: "custom", path: ["request_fields", ...problem.path], message: problem.message });
        }
      }
    });

  const HttpSourcesSchema = z
    .array(HttpSourceSchema)
    .superRefine((sources, ctx) => {
      // Without case, as plugin ids: "Covers" and "covers" would read as one layer in every list.
      const seen = new Map<string, string>();
      sources.forEach((source, index) => {
        const first = seen.get(source.id.toLowerCase());
        if (first !== undefined) ctx.addIssue({ code: "custom", path: [index, "id"], message: first === source.id ? `"${source.id}" is used by two sources` : `"${source.id}" and "${first}" name two sources (ids are told apart without case)` });
        else seen.set(source.id.toLowerCase(), source.id);
      });
    });
  return { auth: HttpAuthSchema, source: HttpSourceSchema, sources: HttpSourcesSchema };
}

let built: ReturnType<typeof buildSchemas> | undefined;
function schemas(): ReturnType<typeof buildSchemas> {
  return (built ??= buildSchemas());
}

/** Whether the schemas were built in this process (test/sources/http-source-schema.test.ts pins when). */
export function httpSourceSchemasBuilt(): boolean {
  return built !== undefined;
}

/** One `http_sources` entry: the type, the validation with its messages, and the defaults. */
export function httpSourceSchema(): ReturnType<typeof buildSchemas>["source"] {
  return schemas().source;
}

/** The whole `http_sources` list (ids unique). */
export function httpSourcesSchema(): ReturnType<typeof buildSchemas>["sources"] {
  return schemas().sources;
}

export type HttpAuth = z.infer<ReturnType<typeof buildSchemas>["auth"]>;

export type HttpSourceDefinition = z.infer<ReturnType<typeof buildSchemas>["source"]>;
export type HttpSourceInput = z.input<ReturnType<typeof buildSchemas>["source"]>;
