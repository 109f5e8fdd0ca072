/**
 * A response body as validated data: JSON parsed, then checked by a zod
 * schema, with messages that say what was wrong without echoing much of a
 * hostile body.
 */
import type { z } from "zod";
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from "../../domain/json-depth.js";

export type Parsed<T> = { ok: true; data: T } | { ok: false; error: string };

/**
 * `shown` is the body as it may be quoted (credentials masked): a quote cut
 * short would keep part of a key the whole body's masking would have hidden.
 */
export function parseJsonBody(body: string, label: string, shown = body): Parsed<unknown> {
  // A UTF-8 byte order mark (some Windows and .NET services send one) is not part of the JSON text (RFC 8259 8.1).
  let text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  // A guard against JSON hijacking that Google's and Angular's APIs put before their JSON (`)]}'`), and older
  // ones' `while(1);` or `for(;;);`: not part of the answer, as every client of such an API drops it.
  const guard = XSSI_GUARD.exec(text);
  if (guard !== null) text = text.slice(guard[0].length);
  // JSON.parse of a million nested arrays (2 MiB) held the event loop for a second; the scan costs ~1 ms per MiB.
  if (jsonNestedDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false, error: `${label} answer nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch {
    const lines = jsonLines(text, label);
    if (lines !== null) return lines;
    const start = shown.slice(0, 40).replace(/\s+/g, " ").trim();
    // JSONP, JSON wrapped in a call for a browser's <script>: asked so by a callback parameter in the URL.
    const call = JSONP.exec(text);
    if (call !== null) {
      return { ok: false, error: `${label} returned JSONP, JSON wrapped in a call to ${JSON.stringify(call[1]!.slice(0, 40))} (starts with ${JSON.stringify(start)}), not JSON: remove the callback parameter (callback=, jsonp=, cb=) from url_template, or ask the service for format=json` };
    }
    return { ok: false, error: `${label} returned invalid JSON (starts with ${JSON.stringify(start)})` };
  }
}

/**
 * NDJSON / JSON Lines (`application/x-ndjson`, `application/jsonl`: one JSON value a line, as streaming and bulk
 * APIs answer) as the list of its lines' values, or null when the text is no such thing (its first line is no
 * JSON object or list, or it has one line). It failed as "invalid JSON". Told by the text, not the Content-Type:
 * such services label it text/plain or application/json as often. The body is already capped, and its depth was
 * checked over every line; a line that is not JSON is named by its number (not quoted: the text here is not the
 * masked one, and a line may hold a key the service echoed).
 */
function jsonLines(text: string, label: string): Parsed<unknown> | null {
  const values: unknown[] = [];
  let counted = 0;
  let line = 0;
  for (let at = 0; at < text.length && values.length < MAX_JSON_LINES; ) {
    const end = text.indexOf("\n", at);
    const one = text.slice(at, end === -1 ? text.length : end).trim();
    at = end === -1 ? text.length : end + 1;
    line++;
    if (one === "") continue;
    counted++;
    let value: unknown;
    try {
      value = JSON.parse(one);
    } catch {
      if (values.length === 0) return null;
      return { ok: false, error: `${label} answered NDJSON (one JSON value a line), but its line ${line} is not JSON` };
    }
    if (values.length === 0 && (value === null || typeof value !== "object")) return null;
    values.push(value);
  }
  return counted > 1 ? { ok: true, data: values } : null;
}

/**
 * The lines of an NDJSON answer read: a search answers with tens, and each line is a JSON.parse of its own (a
 * 2 MiB answer of 260,000 one-key lines took ~0.8 s of CPU read whole, 2.5 times the same values as one list).
 * The walk of a result_path is bounded further on.
 */
const MAX_JSON_LINES = 10_000;

const XSSI_GUARD = /^\s*(?:\)\]\}'?,?|while\s*\(\s*1\s*\)\s*;|for\s*\(\s*;\s*;\s*\)\s*;)[ \t]*\r?\n?/;
const JSONP = /^\s*(?:\/\*\*\/\s*)?(?:typeof\s+[\w$.]+\s*===?\s*['"]function['"]\s*&&\s*)?([A-Za-z_$][\w$.]*)\s*\(\s*[[{"]/;

/** Parse and validate; the first schema issue becomes the message. */
export function parseJsonResponse<S extends z.ZodType>(body: string, schema: S, label: string): Parsed<z.infer<S>> {
  const json = parseJsonBody(body, label);
  if (!json.ok) return json;
  const checked = schema.safeParse(json.data);
  if (checked.success) return { ok: true, data: checked.data };
  const issue = checked.error.issues[0];
  return { ok: false, error: `${label} response has an unexpected shape: ${issue?.message ?? "invalid"}` };
}
