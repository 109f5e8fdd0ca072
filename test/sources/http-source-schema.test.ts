import { describe, expect, it, vi } from "vitest";
import { ConfigSchema } from "../../src/config/config-schema.js";

function problems(sources: unknown[]): string[] {
  const parsed = ConfigSchema.safeParse({ http_sources: sources });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const base = { id: "cat", url_template: "https://api.example/s?q={{title}}", response_mapping: { title: "$.title" } };

describe("config http_sources", () => {
  // The schemas are built once per process. Every command checks config.json, most have no http_sources, and
  // building these schemas was 5-9 ms of every start. Fresh module instances: this file shares its worker
  // process with others that may have built them already.
  it("builds the sources' schemas only for a config.json that has http_sources", async () => {
    vi.resetModules();
    const { ConfigSchema: fresh } = await import("../../src/config/config-schema.js");
    const { httpSourceSchemasBuilt } = await import("../../src/config/http-source-schema.js");
    expect(fresh.parse({ library_paths: ["/x"], http_sources: [] }).http_sources).toEqual([]);
    expect(httpSourceSchemasBuilt()).toBe(false);
    const parsed = fresh.safeParse({ http_sources: [{ ...base, id: "has space" }] });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(["http_sources.0.id: must be 1 to 64 letters, digits, _ or -, not starting with -"]);
    expect(httpSourceSchemasBuilt()).toBe(true);
  });

  it("refuses a line break or a control character in a text field, saying what the field accepts (a description may run over lines)", () => {
    expect(problems([{ ...base, url_template: "https://api.example/s?q={{title}}\nX-Evil: 1" }])).toEqual([
      "http_sources.0.url_template: must be a URL with {{placeholders}} (https://api.example.org/search?q={{title}}), on one line: character 34 is a line break (U+000A); remove it",
    ]);
    expect(problems([{ ...base, name: "Cat\u0007alogue" }])).toEqual(["http_sources.0.name: must be a name, on one line: character 4 is a control character (U+0007); remove it"]);
    expect(problems([{ ...base, response_mapping: { title: "$.ti\u001btle" } }])[0]).toMatch(/^http_sources\.0\.response_mapping\.title: must be a JSONPath such as .*U\+001B/);
    expect(problems([{ ...base, result_path: "$.a\u2028b" }])[0]).toMatch(/^http_sources\.0\.result_path: .*a line break \(U\+2028\)/);
    expect(problems([{ id: "abs", preset: "audiobookshelf", url: "https://abs.example\r" }])[0]).toMatch(/^http_sources\.0\.url: must be the service's base URL .*line break \(U\+000D\)/);
    expect(problems([{ ...base, auth: { type: "query", param: "k\ney", credential: "cat_key" } }])[0]).toMatch(/^http_sources\.0\.auth\.param: must be a query parameter's name, on one line/);
    expect(problems([{ ...base, auth: { type: "basic", username: "me\u0000", credential: "cat_key" } }])[0]).toMatch(/^http_sources\.0\.auth\.username: must be a user name, on one line.*U\+0000/);
    expect(problems([{ ...base, method: "POST", request_fields: { query: { title: "{{title}}\n" } } }])).toEqual([
      "http_sources.0.request_fields.query.title: must be a field's text, on one line: character 10 is a line break (U+000A); remove it",
    ]);
    expect(problems([{ ...base, description: "Line one.\tTabbed" }])[0]).toMatch(/^http_sources\.0\.description: must be a description: character 10 is a tab/);
    // What a person can mean still goes: a description over several lines, any letter, an emoji.
    expect(problems([{ ...base, name: "Bücherei 📚", description: "First paragraph.\n\nSecond one.\r\n" }])).toEqual([]);
  });

  it("fills the documented defaults", () => {
    const config = ConfigSchema.parse({ http_sources: [base] });
    expect(config.http_sources[0]).toMatchObject({
      enabled: true,
      order: 40,
      auth: { type: "none" },
      timeout: 10,
      source_weight: 55,
      concurrency: 4,
      allow_private: false,
      match_threshold: 0.85,
      max_response_bytes: 2 * 1024 * 1024,
    });
    expect(config.http_sources[0]!.max_requests_per_minute).toBeUndefined();
    expect(ConfigSchema.parse({}).http_sources).toEqual([]);
  });

  const rows: [string, unknown[], RegExp][] = [
    ["bad id", [{ ...base, id: "has space" }], /^http_sources\.0\.id: must be 1 to 64 letters, digits, _ or -, not starting with -$/],
    ["duplicate ids", [base, base], /^http_sources\.1\.id: "cat" is used by two sources$/],
    ["ids told apart only by case", [base, { ...base, id: "Cat" }], /^http_sources\.1\.id: "Cat" and "cat" name two sources \(ids are told apart without case\)$/],
    ["unknown placeholder", [{ ...base, url_template: "https://x/{{titel}}" }], /unknown placeholder \{\{titel\}\}/],
    ["not http", [{ ...base, url_template: "file:///etc/{{title}}" }], /url_template: must be an http:\/\/ or https:\/\/ URL/],
    ["no mapping", [{ id: "x", url_template: "https://x/{{title}}" }], /response_mapping: must map at least one field/],
    ["unknown mapped field", [{ ...base, response_mapping: { colour: "$.c" } }], /response_mapping/],
    ["mapping not JSONPath", [{ ...base, response_mapping: { title: "title" } }], /must be a JSONPath starting with "\$"/],
    ["a filter that cannot be read", [{ ...base, response_mapping: { title: "$.items[?(@.type == )].title" } }], /response_mapping\.title: has an expression that cannot be read, "\?\(@\.type == \)"/],
    ["a result_path script that cannot be read", [{ ...base, result_path: "$.items[(@.length - )]" }], /result_path: has an expression that cannot be read/],
    ["request_fields with GET", [{ ...base, request_fields: { q: "{{title}}" } }], /request_fields: is only sent with method "POST"/],
    ["timeout over 60 s", [{ ...base, timeout: 61 }], /timeout/],
    ["order 0", [{ ...base, order: 0 }], /order/],
    ["credential that looks like a value", [{ ...base, auth: { type: "bearer", credential: "Bearer abc def" } }], /NAME of a key in secrets.json/],
    ["header auth without a header", [{ ...base, auth: { type: "header", credential: "k" } }], /auth\.header/],
    ["unknown auth", [{ ...base, auth: { type: "oauth", credential: "k" } }], /auth.type must be "none", "bearer", "header", "basic" or "query"/],
    ["preset without url", [{ id: "abs", preset: "audiobookshelf" }], /url: the audiobookshelf preset needs the service's base URL/],
    ["unknown key", [{ ...base, colour: "red" }], /^http_sources\.0: unknown key "colour"; known: id, name, description, /],
    ["mistyped keys", [{ ...base, url_templte: "https://x/{{title}}", alow_private: true }], /^http_sources\.0: unknown keys "url_templte" \(did you mean "url_template"\?\), "alow_private" \(did you mean "allow_private"\?\)$/],
    ["a mistyped auth key", [{ ...base, auth: { type: "bearer", credentail: "k" } }], /^http_sources\.0\.auth: unknown key "credentail" \(did you mean "credential"\?\)$/m],
    ["a mistyped mapped field", [{ ...base, response_mapping: { title: "$.t", autor: "$.a" } }], /^http_sources\.0\.response_mapping: unknown key "autor" \(did you mean "author"\?\)$/m],
    ["a placeholder choosing the host", [{ ...base, url_template: "https://api.{{title}}/s" }], /url_template: placeholders may only stand in the path or query, after the host/],
    ["a placeholder as the host", [{ ...base, url_template: "http://{{title}}/s?q={{title}}" }], /placeholders may only stand in the path or query/],
    ["a placeholder in the port", [{ ...base, url_template: "http://api.example:{{year}}/s" }], /placeholders may only stand in the path or query/],
    ["a placeholder in the user info", [{ ...base, url_template: "https://{{author}}@api.example/s" }], /placeholders may only stand in the path or query/],
    ["a placeholder right after the host", [{ ...base, url_template: "https://api.example{{title}}" }], /placeholders may only stand in the path or query/],
    // The URL parser drops leading spaces and reads "https:/x" as "https://x": the placeholder would be the host.
    ["a placeholder the parser makes the host (one slash)", [{ ...base, url_template: "https:/{{title}}/s" }], /url_template: placeholders may only stand in the path or query, after the host/],
    ["a placeholder the parser makes the host (leading space)", [{ ...base, url_template: " https://{{title}}/s" }], /url_template: placeholders may only stand in the path or query, after the host/],
    ["a placeholder the parser makes the host (no slash)", [{ ...base, url_template: "https:{{title}}/s" }], /url_template: placeholders may only stand in the path or query, after the host/],
    ["a password the parser finds (one slash)", [{ ...base, url_template: "https:/me:hunter22@api.example/s?q={{title}}" }], /url_template: must not carry a user name or password/],
    ["a password in the URL", [{ ...base, url_template: "https://me:hunter22@api.example/s?q={{title}}" }], /url_template: must not carry a user name or password .*secrets\.json/],
    ["a user in a preset's url", [{ id: "abs", preset: "audiobookshelf", url: "http://admin@192.168.1.5:3001" }], /url: must not carry a user name or password/],
    ["a key in the URL's query", [{ ...base, url_template: "https://www.googleapis.com/books/v1/volumes?q=isbn:{{isbn}}&key=AIzaSyD-9tSrke72PouQMnMX" }], /url_template: must not carry a key: its query parameter "key" holds one, .*use auth \{"type": "query", "param": "key", "credential": NAME\} with the key in secrets\.json/],
    ["a token in a preset's url", [{ id: "abs", preset: "audiobookshelf", url: "http://192.168.1.5:3001/?access_token=eyJhbGciOiJIUzI1NiJ9" }], /url: must not carry a key: its query parameter "access_token" holds one/],
    ["a token in the URL's fragment (OAuth's implicit flow)", [{ ...base, url_template: "https://api.example/s?q={{title}}#access_token=ya29.a0AfH6SMBx81Zx81Zx" }], /url_template: must not carry a key: its fragment \(after "#"\) holds one; a fragment is never sent .*remove everything from the "#" on/],
    ["a key in the URL's fragment", [{ ...base, url_template: "https://api.example/s?q={{title}}#key=AIzaSyD-9tSrke72PouQMnMX" }], /url_template: must not carry a key: its fragment/],
    ["a bare key as the URL's fragment", [{ ...base, url_template: "https://api.example/s?q={{title}}#/sk_live_4eC39HqLyjWDarjtT1zdp7dc" }], /url_template: must not carry a key: its fragment/],
    ["a 32-hex key under any name in the fragment", [{ ...base, url_template: "https://api.example/s?q={{title}}#t=0123456789abcdef0123456789abcdef" }], /url_template: must not carry a key: its fragment/],
    ["a token in a preset url's fragment", [{ id: "abs", preset: "audiobookshelf", url: "http://192.168.1.5:3001/#token=eyJhbGciOiJIUzI1NiJ9" }], /url: must not carry a key: its fragment/],
    ["a pasted curl command", [{ ...base, url_template: "curl -H 'Authorization: Bearer x' 'https://api.example.org/search?q={{title}}'" }], /url_template: is a curl command: put only its URL here .*-H header's key goes in auth/],
    ["a space inside the URL", [{ ...base, url_template: "https://api.example.org/search?q={{title}} &author={{author}}" }], /url_template: holds a space at character 43: a URL has none .*remove it, or write %20/],
    ["a no-break space in the URL's path", [{ ...base, url_template: "https://api.example.org/my\u00a0books?q={{title}}" }], /url_template: holds a white-space character at character 27/],
    ["a URL without its scheme", [{ ...base, url_template: "api.example.org/search?q={{title}}" }], /url_template: must be an http:\/\/ or https:\/\/ URL: write https:\/\/ .* before "api\.example\.org"/],
    ["a book value in single braces", [{ ...base, url_template: "https://api.example.org/search?q={title}" }], /url_template: writes a book value as "\{title\}", which is sent as it is, the same for every book: write \{\{title\}\}/],
    ["a book value in a shell's spelling", [{ ...base, url_template: "https://api.example.org/search?q=$author" }], /writes a book value as "\$author", .*write \{\{author\}\}/],
    ["a book value in a route's spelling", [{ ...base, url_template: "https://api.example.org/isbn/:isbn" }], /writes a book value as "\/:isbn", .*write \{\{isbn\}\}/],
    ["a preset url with a placeholder", [{ id: "abs", preset: "audiobookshelf", url: "http://{{title}}.example:3001" }], /url: is the service's base URL; it takes no placeholders/],
    // A fragment is never sent: a book value there asked the same for every book.
    ["a placeholder only in the fragment", [{ ...base, url_template: "https://api.example.org/search#q={{title}}" }], /^http_sources\.0\.url_template: puts \{\{title\}\} after "#", in the URL's fragment, which is never sent to the service: every book would be asked the same; move it into the path or query/],
    ["a placeholder in the fragment beside others", [{ ...base, url_template: "https://api.example.org/search?q={{title}}#by-{{ author }}" }], /^http_sources\.0\.url_template: puts \{\{ author \}\} after "#"/],
    // The spelling of the scheme and host, which the URL parser forgives into another request.
    ["a third slash (the parser takes the path as the host)", [{ ...base, url_template: "https:///search?q={{title}}" }], /^http_sources\.0\.url_template: must be written https:\/\/ followed by the host .*it has 3 slashes after "https:"; the host would be read as "search"$/],
    ["no slash after the scheme", [{ ...base, url_template: "http:api.example.org/search?q={{title}}" }], /url_template: must be written http:\/\/ followed by the host .*it has no slash after "http:"/],
    ["backslashes after the scheme", [{ ...base, url_template: "https:\\\\api.example.org\\search?q={{title}}" }], /url_template: must be written https:\/\/ followed by the host .*backslashes/],
    ["no host", [{ ...base, url_template: "https://?q={{title}}" }], /^http_sources\.0\.url_template: names no host: write the service's address after https:\/\//],
    ["a port out of range", [{ ...base, url_template: "https://api.example.org:99999/search?q={{title}}" }], /^http_sources\.0\.url_template: names the port 99999, which is no port \(1 to 65535\)/],
    ["a host the URL parser refuses", [{ ...base, url_template: "https://a%zz.example/s?q={{title}}" }], /^http_sources\.0\.url_template: is no URL a parser reads: check its host/],
    ["a misspelt placeholder, with its likely meaning", [{ ...base, url_template: "https://x.example/s?q={{titel}}" }], /url_template: unknown placeholder \{\{titel\}\} \(did you mean \{\{title\}\}\?\); known: \{\{title\}\}/],
    // A preset's url gets the checks url_template gets: the preset appends its path to it as text.
    ["a preset url copied with a stray space at its end", [{ id: "abs", preset: "audiobookshelf", url: "https://abs.example.org " }], /^http_sources\.0\.url: ends with a space \(character 24\): the preset adds its path \(\/search\?…\) right after it.*remove it$/],
    ["a space inside a preset url", [{ id: "abs", preset: "audiobookshelf", url: "https://abs.example.org/my api" }], /^http_sources\.0\.url: holds a space at character 27/],
    ["a curl command as a preset url", [{ id: "abs", preset: "audiobookshelf", url: "curl https://abs.example.org" }], /^http_sources\.0\.url: is a curl command: put only the service's base address here/],
    ["a preset url without its scheme", [{ id: "abs", preset: "audiobookshelf", url: "abs.example.org:13378" }], /^http_sources\.0\.url: must be an http:\/\/ or https:\/\/ URL: write https:\/\/ .* before "abs\.example\.org:13378"$/],
    ["a preset url without a host", [{ id: "abs", preset: "audiobookshelf", url: "https://" }], /^http_sources\.0\.url: names no host/],
    ["a preset url with a third slash", [{ id: "abs", preset: "audiobookshelf", url: "http:///abs.example.org" }], /^http_sources\.0\.url: must be written http:\/\/ followed by the host/],
    ["a preset url with a port out of range", [{ id: "abs", preset: "audiobookshelf", url: "http://192.168.1.5:133780" }], /^http_sources\.0\.url: names the port 133780, which is no port/],
    ["a preset url with a book value in another spelling", [{ id: "abs", preset: "audiobookshelf", url: "https://abs.example.org/{title}" }], /^http_sources\.0\.url: writes a book value as "\{title\}", .*give only the service's base address$/],
    // A value copied with a stray space, or typed in another letter case: the near miss is named with its fix.
    ["a preset copied with a stray space", [{ id: "abs", preset: "audiobookshelf ", url: "https://abs.example.org" }], /^http_sources\.0\.preset: is "audiobookshelf ": write "audiobookshelf" \(without the space\)$/],
    ["a preset in another letter case", [{ id: "abs", preset: "Audiobookshelf", url: "https://abs.example.org" }], /^http_sources\.0\.preset: is "Audiobookshelf": write "audiobookshelf" \(in this letter case\)$/],
    ["a method in lower case", [{ ...base, method: "get" }], /^http_sources\.0\.method: is "get": write "GET" \(in this letter case\)$/],
    ["an auth type with a stray space", [{ ...base, auth: { type: "bearer ", credential: "cat_key" } }], /^http_sources\.0\.auth\.type: auth\.type is "bearer ": write "bearer" \(without the space\)$/m],
    ["a header name with a stray space", [{ ...base, auth: { type: "header", header: "X-Api-Key ", credential: "cat_key" } }], /^http_sources\.0\.auth\.header: the header name ends with a space: remove it$/],
    ["a secret's name with a stray space (never quoted: it may be the key)", [{ ...base, auth: { type: "bearer", credential: " cat_key" } }], /^http_sources\.0\.auth\.credential: the secret's name starts with a space: remove it$/],
    // request_fields get the text checks too, at the field's own path.
    ["a misspelt placeholder in request_fields", [{ ...base, method: "POST", request_fields: { query: { title: "{{titel}}" } } }], /^http_sources\.0\.request_fields\.query\.title: unknown placeholder \{\{titel\}\} \(did you mean \{\{title\}\}\?\); known: /],
    ["a book value in another spelling in request_fields", [{ ...base, method: "POST", request_fields: { q: "${title}" } }], /^http_sources\.0\.request_fields\.q: writes a book value as "\$\{title\}", .*write \{\{title\}\}$/],
    ["a stray space around a request field's value", [{ ...base, method: "POST", request_fields: { q: ["{{title}} "] } }], /^http_sources\.0\.request_fields\.q\.0: the value "\{\{title\}\} " ends with a space, which is sent as part of it: remove it$/],
    ["a stray space in a request field's name", [{ ...base, method: "POST", request_fields: { " q": "{{title}}" } }], /^http_sources\.0\.request_fields\. q: the name " q" starts with a space/],
    ["a placeholder as a request field's name", [{ ...base, method: "POST", request_fields: { "{{title}}": true } }], /^http_sources\.0\.request_fields\.\{\{title\}\}: the field's name "\{\{title\}\}" holds a placeholder, which is sent as written \(only values are filled\)/],
  ];
  for (const [name, sources, message] of rows) {
    it(`refuses ${name} with a message that says what to fix`, () => {
      expect(problems(sources).join("\n")).toMatch(message);
    });
  }

  it("accepts query parameters named like a key whose value is a placeholder or no key (never echoing it)", () => {
    for (const url_template of ["https://api.example/s?q={{title}}&key={{isbn}}", "https://api.example/s?key=title&value={{title}}", "https://api.example/s?q={{title}}&token=", "https://api.example/s?q={{title}}&secret=yes"]) {
      expect(problems([{ ...base, url_template }]), url_template).toEqual([]);
    }
    expect(problems([{ ...base, url_template: "https://api.example/s?q={{title}}&apikey=Zx81Zx81Zx81" }]).join("\n")).not.toContain("Zx81");
    expect(problems([{ ...base, url_template: "https://api.example/s?q={{title}}#access_token=Zx81Zx81Zx81" }]).join("\n")).not.toContain("Zx81");
    // A fragment without a key (an anchor, a placeholder) is no key.
    for (const url_template of ["https://api.example/s?q={{title}}#results", "https://api.example/s?q={{title}}#page=2&sort=year"]) {
      expect(problems([{ ...base, url_template }]), url_template).toEqual([]);
    }
  });

  it("accepts placeholders anywhere after the host", () => {
    for (const url_template of ["https://api.example/s?q={{ title }}&a={{author}}", "https://api.example/{{title}}/by/{{author}}", "https://api.example:8443/s?q={{title}}#results", "http://192.168.1.5/{{asin}}.json"]) {
      expect(problems([{ ...base, url_template }]), url_template).toEqual([]);
    }
  });

  it("accepts what the URL checks must not refuse: a preset url with a trailing slash or a leading space (the parser drops it), a request body's inner spaces", () => {
    for (const url of ["https://abs.example.org/", " https://abs.example.org", "http://[::1]:13378", "http://192.168.1.5:13378/audiobookshelf"]) {
      expect(problems([{ id: "abs", preset: "audiobookshelf", url }]), url).toEqual([]);
    }
    expect(problems([{ ...base, method: "POST", request_fields: { q: "{{title}} {{author}}", "sort by": "year", n: 5, all: [true, null] } }])).toEqual([]);
    // A GraphQL body: `$title` and `{ title }` are its own, a space around the query is its to ignore.
    const graphql = { query: " query Search($title: String!) { search(title: $title) { title author } } ", variables: { title: "{{title}}" } };
    expect(problems([{ ...base, method: "POST", request_fields: graphql }])).toEqual([]);
  });

  it("accepts a preset with only a URL and a credential name", () => {
    expect(problems([{ id: "abs", preset: "audiobookshelf", url: "http://192.168.1.5:3001", auth: { type: "header", header: "Authorization", credential: "abs_key" } }])).toEqual([]);
  });
});
