/**
 * Turns a source definition and a book's values into the request: template
 * values URL-encoded (JSON-encoded in a POST body), the credential put only
 * where the definition says, and a redactor that blanks the credential out of
 * anything shown or stored.
 */
import { templateKeysIn, type HttpAuth } from "../../config/http-source-schema.js";
import { userAgent } from "../http/user-agent.js";
import { heldTailMasked, SECRET_MASK, secretMask } from "../../domain/secret-mask.js";
import type { WebQuery, WebRequest } from "../web-source.js";
import type { ResolvedHttpSource } from "./presets.js";
import { credentialScopeProblem } from "../../domain/credential-scope.js";

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
export const MASK = SECRET_MASK;

export class MissingSecretError extends Error {}

/**
 * The credential's value from secrets.json; a clear error when it is not there, or when the name is not this
 * source's to use (a plugin's secret, the web token, another source's key: domain/credential-scope.ts), which is
 * refused before secrets.json is read, whatever wrote the definition (a config.json from before the rule too).
 */
export function credentialOf(
  source: ResolvedHttpSource,
  secrets: Readonly<Record<string, string>>,
  pluginSecrets: ReadonlyMap<string, string> = new Map(),
): string | null {
  if (source.auth.type === "none") return null;
  const name = source.auth.credential;
  const scope = credentialScopeProblem(source.id, name, pluginSecrets);
  if (scope !== null) throw new MissingSecretError(scope);
  const value = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
  if (value === undefined || value === "") {
    throw new MissingSecretError(
      `http source "${source.id}": auth.credential names "${name}", which is not in secrets.json; add it there (the value is never written to config.json)`,
    );
  }
  if (source.auth.type === "bearer" || source.auth.type === "header") {
    const problem = headerValueProblem(value);
    if (problem !== null) {
      // Node refused it anyway ("Invalid character in header content"), so nothing was injected, but the user
      // read no word of what to fix. The value itself is never quoted: it is the secret.
      throw new MissingSecretError(
        `http source "${source.id}": the credential "${name}" in secrets.json holds ${problem}, which an HTTP header cannot carry; fix its value in secrets.json (a key is one line of ASCII)`,
      );
    }
  }
  return value;
}

/** What in a value an HTTP header field cannot hold (node's rule: tab, space, visible ASCII, bytes 0x80-0xFF), or null. */
function headerValueProblem(value: string): string | null {
  const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(value);
  if (bad === null) return null;
  const char = bad[0];
  if (char === "\r" || char === "\n") return "a line break (a newline pasted with the key?)";
  if (char.charCodeAt(0) < 0x20 || char === "\x7f") return "a control character";
  return "a character outside ASCII";
}

/**
 * Half of a UTF-16 surrogate pair with no other half: encodeURIComponent throws on it ("URI malformed", which
 * said nothing of the title), so a title typed into the live test or a badly decoded tag failed the request.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function fill(template: string, query: WebQuery, encode: (value: string) => string): string {
  return template.replace(PLACEHOLDER, (_, key: string) => {
    const value = (query as unknown as Record<string, string | null>)[key];
    return typeof value === "string" ? encode(value.replace(LONE_SURROGATE, "\uFFFD")) : "";
  });
}

function fillFields(value: unknown, query: WebQuery): unknown {
  if (typeof value === "string") return fill(value, query, (v) => v);
  if (Array.isArray(value)) return value.map((item) => fillFields(item, query));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillFields(v, query)]));
  }
  return value;
}

/**
 * "." and ".." fill a whole path segment that a URL parser then resolves
 * however it is encoded (%2E%2E too): /books/{{title}}/info with the title
 * ".." would ask /info. Such a value is never put in the path.
 */
const DOT_SEGMENT = /^\.{1,2}$/;

/** The first template value that cannot go where the template puts it, as a message; null when all can. */
export function unsendableValue(source: ResolvedHttpSource, query: WebQuery): string | null {
  const end = source.url_template.search(/[?#]/);
  const path = end === -1 ? source.url_template : source.url_template.slice(0, end);
  for (const key of templateKeysIn(path)) {
    const value = query[key];
    if (typeof value === "string" && DOT_SEGMENT.test(value)) {
      return `the book's ${key} ${JSON.stringify(value)} cannot be put in the URL path (a URL reads it as a folder step); not asked`;
    }
  }
  return null;
}

/** Whether the book has what the template asks by: its title, else one of the identifiers it names. */
export function canAsk(source: ResolvedHttpSource, query: WebQuery): boolean {
  if (unsendableValue(source, query) !== null) return false;
  const keys = new Set([...templateKeysIn(source.url_template), ...templateKeysIn(JSON.stringify(source.request_fields ?? {}))]);
  if (keys.has("title")) return query.title !== null;
  if (keys.size === 0) return true;
  return [...keys].some((key) => query[key] !== null);
}

export function buildRequest(source: ResolvedHttpSource, query: WebQuery, credential: string | null): WebRequest {
  const unsendable = unsendableValue(source, query);
  if (unsendable !== null) throw new Error(unsendable);
  const url = new URL(fill(source.url_template, query, encodeURIComponent));
  // A fragment is never sent: left out, the URL `sources test` and the call log show is the one asked.
  url.hash = "";
  const headers: Record<string, string> = { "User-Agent": userAgent(), Accept: "application/json" };
  applyAuth(source.auth, credential, url, headers);
  if (source.method === "POST") {
    headers["Content-Type"] = "application/json";
    return { url: url.href, method: "POST", headers, body: JSON.stringify(fillFields(source.request_fields ?? {}, query)) };
  }
  return { url: url.href, method: "GET", headers };
}

function applyAuth(auth: HttpAuth, credential: string | null, url: URL, headers: Record<string, string>): void {
  if (auth.type === "none" || credential === null) return;
  switch (auth.type) {
    case "bearer":
      headers.Authorization = `Bearer ${credential}`;
      return;
    case "header":
      headers[auth.header] = credential;
      return;
    case "basic":
      headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${credential}`).toString("base64")}`;
      return;
    case "query": {
      // Appended to the query as the template wrote it: searchParams.set would re-encode all of it form-style
      // (%20 to +, which an API not decoding forms reads as a plus; ":" to %3A; "flag" to "flag=").
      if (url.searchParams.has(auth.param)) {
        url.searchParams.set(auth.param, credential);
        return;
      }
      const pair = `${encodeURIComponent(auth.param)}=${encodeURIComponent(credential)}`;
      url.search = url.search.length > 1 ? `${url.search.slice(1)}&${pair}` : pair;
      return;
    }
  }
}

/** Replaces every spelling of the credential a message, URL or body could carry. */
export function redactorFor(source: ResolvedHttpSource, credential: string | null): (text: string) => string {
  if (credential === null || credential === "") return (text) => text;
  const basic = source.auth.type === "basic" ? [Buffer.from(`${source.auth.username}:${credential}`).toString("base64")] : [];
  // A credential is masked whatever its length: it is named as one, never a guess.
  const mask = secretMask([credential], basic, 1);
  return (text) => maskPartial(mask.text(text), credential);
}

/**
 * The first `limit` characters of a text, credentials masked, at the cost of those characters (redactorFor's cost
 * grows with the text: every answer was masked whole, ~a 5 MB answer's worth, for the 4,000 characters shown). A
 * key cut by the limit has its start masked too (as a plugin's output ending on part of a key is: 3 characters at
 * most shown); what is masked can be cut again safely.
 */
export function headRedactorFor(source: ResolvedHttpSource, credential: string | null): (text: string, limit: number) => string {
  if (credential === null || credential === "") return (text, limit) => text.slice(0, limit);
  const basic = source.auth.type === "basic" ? [Buffer.from(`${source.auth.username}:${credential}`).toString("base64")] : [];
  const mask = secretMask([credential], basic, 1);
  const redact = redactorFor(source, credential);
  return (text, limit) => {
    if (text.length <= limit) return redact(text);
    return heldTailMasked(mask, redact(text.slice(0, limit)));
  };
}

/** The marks a service cuts a quoted key with: after its start, or before its end. */
const CUT_AFTER = /^(?:\.\.|…|\*|xxx|XXX)/;
const CUT_BEFORE = /(?:\.\.|…|\*|xxx|XXX)$/;

/** The fewest characters of a credential's start or end masked when an answer quotes only part of it. */
function partialChars(credential: string): number {
  return Math.max(6, Math.min(8, Math.ceil(credential.length / 2)));
}

/**
 * A service refusing a key often quotes part of it ("invalid key key-5a4b...", "…3c2d1e not found"): half a
 * 14-character key was shown and stored in clear, as secretMask masks a copy missing at most 2 characters.
 * Here a run of the key's first characters followed by a cut mark (`...`, `…`, `***`, `xxx`), or of its last
 * ones after one, partialChars or more, is masked too. Without the mark it is left: a key often starts with
 * words of its own ("abs-provider-key-…" beside the source "abs-provider"), which text names for other reasons.
 */
function maskPartial(text: string, credential: string): string {
  const min = partialChars(credential);
  if (credential.length <= min || text.length < min) return text;
  const head = credential.slice(0, min);
  const tail = credential.slice(-min);
  if (!text.includes(head) && !text.includes(tail)) return text;
  const spans: [number, number][] = [];
  for (let at = text.indexOf(head); at !== -1; at = text.indexOf(head, at + 1)) {
    let end = at + min;
    while (end < text.length && end - at < credential.length && text[end] === credential[end - at]) end++;
    if (CUT_AFTER.test(text.slice(end, end + 3))) spans.push([at, end]);
  }
  for (let at = text.indexOf(tail); at !== -1; at = text.indexOf(tail, at + 1)) {
    let start = at;
    const from = credential.length - min;
    while (start > 0 && from - (at - start) > 0 && text[start - 1] === credential[from - (at - start) - 1]) start--;
    if (CUT_BEFORE.test(text.slice(Math.max(0, start - 3), start))) spans.push([start, at + min]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let last = 0;
  for (const [start, end] of spans) {
    if (end <= last) continue;
    out += text.slice(last, Math.max(start, last)) + (start >= last ? SECRET_MASK : "");
    last = end;
  }
  return out + text.slice(last);
}
