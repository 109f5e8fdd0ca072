/**
 * Protocol presets: a definition that names a preset and a base URL gets the
 * request and mapping of that protocol; anything it sets itself wins.
 */
import type { HttpSourceDefinition } from "../../config/http-source-schema.js";

/** A definition with every part needed to ask (preset applied). */
export type ResolvedHttpSource = HttpSourceDefinition &
  Required<Pick<HttpSourceDefinition, "method" | "url_template" | "response_mapping">> & { name: string };

/**
 * The Audiobookshelf custom metadata provider protocol
 * (custom-metadata-provider-specification.yaml in advplyr/audiobookshelf):
 * `GET {url}/search?mediaType=book&query=<title>&author=<author>`, the key in
 * the `Authorization` header, answer `{matches: [BookMetadata]}`.
 */
export const AUDIOBOOKSHELF_PRESET = {
  method: "GET",
  url_template: "/search?mediaType=book&query={{title}}&author={{author}}",
  result_path: "$.matches",
  response_mapping: {
    title: "$.title",
    subtitle: "$.subtitle",
    author: "$.author",
    narrator: "$.narrator",
    publisher: "$.publisher",
    // publishedYear in the current specification, published_year in its first revision.
    year: "$[publishedYear,published_year]",
    description: "$.description",
    cover: "$.cover",
    isbn: "$.isbn",
    asin: "$.asin",
    genres: "$.genres",
    tags: "$.tags",
    series: "$.series[0].series",
    series_num: "$.series[0].sequence",
    language: "$.language",
    duration: "$.duration",
  },
} as const;

/** What the web form offers for a preset: the auth the protocol uses. */
export const PRESET_AUTH = {
  audiobookshelf: { type: "header", header: "Authorization" },
} as const;

export function resolveSource(definition: HttpSourceDefinition): ResolvedHttpSource {
  const name = definition.name ?? definition.id;
  if (definition.preset === "audiobookshelf") {
    const base = (definition.url ?? "").replace(/\/+$/, "");
    return {
      ...definition,
      name,
      method: definition.method ?? AUDIOBOOKSHELF_PRESET.method,
      url_template: definition.url_template ?? base + AUDIOBOOKSHELF_PRESET.url_template,
      result_path: definition.result_path ?? AUDIOBOOKSHELF_PRESET.result_path,
      response_mapping: { ...AUDIOBOOKSHELF_PRESET.response_mapping, ...definition.response_mapping },
    };
  }
  if (definition.url_template === undefined || definition.response_mapping === undefined) {
    // The config schema refuses this; a hand-built definition may not have gone through it.
    throw new Error(`http source "${definition.id}": url_template and response_mapping are required without a preset`);
  }
  return {
    ...definition,
    name,
    method: definition.method ?? "GET",
    url_template: definition.url_template,
    response_mapping: definition.response_mapping,
  };
}
