/**
 * The rules for what a source writes as a URL or a request body with {{placeholders}}: which book values exist,
 * and the mistakes a newcomer makes in spelling them, checked wherever a URL or request field is written
 * (url_template, a preset's url, request_fields) by config/http-source-schema.ts.
 */
import { closestName } from "../domain/closest-name.js";

/** Book values a url_template or request_fields may name as {{key}}. */
export const TEMPLATE_KEYS = ["title", "author", "narrator", "series", "isbn", "asin", "year"] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A book value written in another tool's spelling: `{title}`, `${title}`, `$title`, `:title`, `<title>`, `%title%`. */
const OTHER_SPELLING = new RegExp(`(?<!\\{)(?:\\$?\\{\\s*(KEYS)\\s*\\}(?!\\})|\\$(KEYS)\\b|[/=]:(KEYS)\\b|<(KEYS)>|%(KEYS)%)`.replaceAll("KEYS", TEMPLATE_KEYS.join("|")), "i");

/**
 * What a newcomer's URL got wrong that the URL rules below would only call "not a URL" or take as meant: a pasted
 * curl command, a space inside (the URL parser sends it as %20, so "q={{title}} &author=" asked for the title with a
 * space after it), a book value in another tool's spelling (sent as written, the same for every book). The same
 * for a preset's base `url` ("base"), whose end is inside the URL asked: the preset appends its path to it as text,
 * so a space after "https://abs.example " broke every request, and a book value there is never filled.
 */
export function newcomerMistake(template: string, role: UrlRole = "template"): string | null {
  // A line break or control character is the text rule's to name (config/text-rules.ts): one thing to fix at a time.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(template)) return null;
  const text = role === "base" ? template.trimStart() : template.trim();
  if (/^curl\s/i.test(text)) {
    return role === "base"
      ? "is a curl command: put only the service's base address here (https://abs.example.org, what comes before /search); the key goes in auth, named in secrets.json"
      : 'is a curl command: put only its URL here (https://…, with {{title}} where the book\'s title goes); a -H header\'s key goes in auth with the key in secrets.json, -X POST is method "POST", -d is request_fields';
  }
  // A placeholder may hold spaces ({{ title }}): the value replaces it whole. Same length, so the place is right.
  const space = /\s/.exec(text.replace(PLACEHOLDER, (placeholder) => "x".repeat(placeholder.length)));
  if (space !== null) {
    const at = space.index + 1 + template.indexOf(text.charAt(0));
    const what = space[0] === " " ? "space" : "white-space character";
    if (role === "base" && /^\s+$/.test(text.slice(space.index))) {
      return `ends with a ${what} (character ${at}): the preset adds its path (/search?…) right after it, so every request's URL would hold it; remove it`;
    }
    return `holds a ${what} at character ${at}: a URL has none (it would be sent as %20, part of the value before it); remove it, or write %20 where the service wants one`;
  }
  const other = OTHER_SPELLING.exec(text);
  if (other !== null) {
    const key = other.slice(1).find((group) => group !== undefined)!.toLowerCase();
    return role === "base"
      ? `writes a book value as ${JSON.stringify(other[0])}, which is sent as it is: the preset puts the book's title and author in its own query; give only the service's base address`
      : `writes a book value as ${JSON.stringify(other[0])}, which is sent as it is, the same for every book: write {{${key}}}`;
  }
  return null;
}

/** A whole URL with {{placeholders}} (url_template), or a preset's base address the preset appends its path to (url). */
export type UrlRole = "template" | "base";

/**
 * What the URL's scheme and host part get wrong, as it is spelled (the URL parser forgives what sends the request
 * elsewhere): "https:///search" is read as the host "search", "https:/api.example.org" and "http:api.example.org"
 * lose the slashes a reader expects, "https://?q=" names no host, a port past 65535 or 0 is no port. Null when
 * the spelling is right or is no http(s) URL at all (the scheme rule says that).
 */
export function authorityProblem(url: string): string | null {
  const text = url.trim().replace(PLACEHOLDER, PLACEHOLDER_MARK);
  const scheme = /^(https?):([/\\]*)/i.exec(text);
  if (scheme === null) return null;
  const name = scheme[1]!.toLowerCase();
  const slashes = scheme[2]!;
  if (slashes !== "//") {
    const rest = text.slice(scheme[0].length);
    const host = rest.split(/[/?#\\]/)[0] ?? "";
    const said = slashes.includes("\\") ? `"${slashes}" (backslashes)` : slashes.length === 0 ? "no slash" : `${slashes.length} slash${slashes.length === 1 ? "" : "es"}`;
    const read = host === "" ? "" : `; the host would be read as ${JSON.stringify(host.replace(PLACEHOLDER_MARK, "{{…}}"))}`;
    return `must be written ${name}:// followed by the host (${name}://api.example.org/…): it has ${said} after "${name}:"${read}`;
  }
  const afterScheme = text.slice(scheme[0].length);
  const authority = afterScheme.split(/[/?#]/)[0] ?? "";
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  // An IPv6 address ([::1]) holds colons of its own: the port is what follows its "]".
  const portFrom = hostPort.startsWith("[") ? hostPort.indexOf("]") + 1 : 0;
  const port = /:(\d*)$/.exec(hostPort.slice(portFrom));
  const host = port === null ? hostPort : hostPort.slice(0, portFrom + port.index);
  if (host === "") return `names no host: write the service's address after ${name}:// (${name}://api.example.org/…)`;
  if (port !== null && port[1] !== "" && (Number(port[1]) === 0 || Number(port[1]) > 65_535)) {
    return `names the port ${port[1]}, which is no port (1 to 65535): check the number after ${JSON.stringify(`${host}:`)}`;
  }
  return null;
}

/** The first placeholder after the "#" of a URL, or null: a fragment is never sent, so the book's value there goes nowhere. */
export function placeholderInFragment(template: string): string | null {
  const hash = template.indexOf("#");
  if (hash === -1) return null;
  return [...template.slice(hash).matchAll(PLACEHOLDER)][0]?.[0] ?? null;
}

/** `unknown placeholder {{titel}} (did you mean {{title}}?); known: …`, for the first unknown one, or null. */
export function unknownPlaceholderMessage(text: string): string | null {
  const unknown = unknownPlaceholders(text)[0];
  if (unknown === undefined) return null;
  const guess = closestName(unknown, TEMPLATE_KEYS);
  return `unknown placeholder {{${unknown}}}${guess === null ? "" : ` (did you mean {{${guess}}}?)`}; known: ${TEMPLATE_KEYS.map((k) => `{{${k}}}`).join(", ")}`;
}

/**
 * What a request_fields body got wrong, at its path: the text checks of url_template (a placeholder unknown or in
 * another tool's spelling) and what only a body has: a placeholder in a field's name (only values are filled, the
 * name is sent as written), a stray space at a value's or name's start or end (sent as part of it: " {{title}}"
 * asked for " Dune").
 */
export function requestFieldsProblem(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; message: string } | null {
  if (typeof value === "string") {
    const message = fieldTextProblem(value, "value");
    return message === null ? null : { path: at, message };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = requestFieldsProblem(value[i], [...at, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("{{")) {
        return { path: [...at, key], message: `the field's name ${JSON.stringify(key)} holds a placeholder, which is sent as written (only values are filled): put it in the value, {"q": "{{title}}"}` };
      }
      const keyProblem = fieldTextProblem(key, "name");
      if (keyProblem !== null) return { path: [...at, key], message: keyProblem };
      const found = requestFieldsProblem(item, [...at, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

function fieldTextProblem(text: string, what: "value" | "name"): string | null {
  // Control characters are the text rule's (unmeantInJson): one thing to fix at a time.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) return null;
  const unknown = unknownPlaceholderMessage(text);
  if (unknown !== null) return unknown;
  // Only a whole value: inside a text, `$title` and `{ title }` are a GraphQL query's variable and selection.
  const other = WHOLE_OTHER_SPELLING.exec(text.trim());
  if (other !== null) {
    const key = other.slice(1).find((group) => group !== undefined)!.toLowerCase();
    return `writes a book value as ${JSON.stringify(other[0])}, which is sent as it is, the same for every book: write {{${key}}}`;
  }
  // A name is matched whole by the service; a value with a placeholder is the book's text with the space added.
  // (A space around a query's text is the query language's to ignore.)
  if (text !== "" && text.trim() !== text && (what === "name" || text.includes("{{"))) {
    const where = /^\s/.test(text) ? "starts" : "ends";
    return `the ${what} ${JSON.stringify(text)} ${where} with a space, which is sent as part of it: remove it`;
  }
  return null;
}

/** A request field's whole value in another tool's spelling of a book value. */
const WHOLE_OTHER_SPELLING = new RegExp(`^(?:\\$?\\{\\s*(KEYS)\\s*\\}|\\$(KEYS)|:(KEYS)|<(KEYS)>|%(KEYS)%)$`.replaceAll("KEYS", TEMPLATE_KEYS.join("|")), "i");

/** Stands for every placeholder when a template is parsed: letters only, so it survives host normalization. */
export const PLACEHOLDER_MARK = "shelfwiseplaceholdermark";

export function parsedTemplate(template: string): URL | null {
  try {
    return new URL(template.replace(PLACEHOLDER, PLACEHOLDER_MARK));
  } catch {
    return null;
  }
}

/** Whether a placeholder stands in the scheme, user info, host or port (before the path starts). */
export function placeholderBeforePath(template: string): boolean {
  const afterScheme = template.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const authorityEnd = afterScheme.search(/[/?#]/);
  const authority = authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd);
  if (authority.includes("{{") || template.slice(0, template.length - afterScheme.length).includes("{{")) return true;
  // The spelling check above misses what the URL parser forgives: leading spaces (" https://{{title}}/"),
  // one slash ("https:/{{title}}/"): it makes the placeholder the host. Where the parser puts it decides.
  const url = parsedTemplate(template);
  return url !== null && `${url.protocol}${url.username}${url.password}${url.host}`.toLowerCase().includes(PLACEHOLDER_MARK);
}

export function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = TEMPLATE_KEYS;
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "").filter((key) => !known.includes(key));
}

export function templateKeysIn(template: string): TemplateKey[] {
  const known: readonly string[] = TEMPLATE_KEYS;
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "").filter((key): key is TemplateKey => known.includes(key));
}
