/**
 * An HTTP source's credential names only the source's own secrets: a plugin's (`plugin_configs.<id>.<key>`, a
 * name its manifest lists in requires_secrets), the web token or another source's `sources.<id>.*` key is never
 * sent, whichever way the source came (the web form's test and save on a real server, a hand-written
 * config.json from before the rule), and the rest of the pipeline runs. A key written into a URL's path, a
 * name or a description is refused as one in the query is.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJsonApi, type JsonApiServer } from "../../fixtures/json-api-server.js";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { runCliInProcess, runCliInProcessJson } from "../support/cli-in-process.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { SourceListSchema } from "../../src/app/views/sources.js";
import { httpSourceSchema } from "../../src/config/http-source-schema.js";

const PLUGIN_SETTING = "plugin-setting-8r7Qx2Lm";
const PLUGIN_DECLARED = "plugin-declared-5Tz9Wk3P";
const OWN_KEY = "own-key-4Hq8Zr1N";

let api: JsonApiServer;
let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;

const leaked = () => api.requests.filter((r) => JSON.stringify(r).includes(PLUGIN_SETTING) || JSON.stringify(r).includes(PLUGIN_DECLARED));
const definition = (id: string, credential: string) => ({
  id,
  url_template: `${api.url}/find?t={{title}}`,
  auth: { type: "bearer", credential },
  result_path: "$.results",
  response_mapping: { title: "$.name" },
  allow_private: true,
  // The book's tags identify it already; asked all the same.
  only_below_confidence: 100,
});
const post = async (url: string, body: unknown) => {
  const response = await fetch(`${base}${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
};

beforeAll(async () => {
  api = await startJsonApi(() => ({ json: { results: [{ name: "Title 1" }] } }));
  home = createHome({ books: 0 });
  // Untagged, so that its confidence stays below 100 and every source is asked.
  const folder = path.join(home.library, "Title 1");
  fs.mkdirSync(folder, { recursive: true });
  writeMp3(path.join(folder, "01.mp3"), {});
  home.plugin("shop", { code: "export default class {}", manifest: { requires_secrets: ["shop_key"] } });
  home.writeSecrets({ "plugin_configs.shop.api_key": PLUGIN_SETTING, shop_key: PLUGIN_DECLARED, "sources.mine.key": OWN_KEY });
  service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
  app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  await api?.close();
  home?.cleanup();
});

describe("a source's credential names only its own secrets", () => {
  it("the web form's live test and save refuse a plugin's secret, the web token and another source's key, saying where to keep the key; nothing is sent or saved", async () => {
    const config = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
    for (const credential of ["plugin_configs.shop.api_key", "shop_key", "web_token", "sources.mine.key"]) {
      const tested = await post("/api/sources/test", { definition: definition("leak", credential), book: { title: "Title 1" } });
      expect(tested.status).toBe(400);
      expect(tested.text).toContain(`auth.credential names \\"${credential}\\"`);
      // The page's words for `shelfwise secrets set sources.leak.key`: the form's key field.
      expect(tested.text).toContain(`keep this source's key in secrets.json as \\"sources.leak.key\\" (the key field of HTTP source leak's form, under HTTP sources on the Plugins page)`);
      expect(tested.text).toContain('set auth.credential to \\"sources.leak.key\\"');
      const saved = await post("/api/sources", { definition: definition("leak", credential) });
      expect(saved.status).toBe(400);
      expect(saved.text).toContain('set auth.credential to \\"sources.leak.key\\"');
      // A secret typed into the form is not stored under a plugin's name either.
      expect((await post("/api/sources", { definition: definition("leak", credential), secret: "typed-value-123" })).status).toBe(400);
    }
    expect(api.requests).toEqual([]);
    expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).toBe(config);
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8"))).toMatchObject({ "plugin_configs.shop.api_key": PLUGIN_SETTING, shop_key: PLUGIN_DECLARED });
    // Its own key is sent.
    const own = await post("/api/sources/test", { definition: definition("mine", "sources.mine.key"), book: { title: "Title 1" } });
    expect(own.status).toBe(200);
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${OWN_KEY}`]);
    api.requests.length = 0;
  });

  it("a config.json written before the rule: that source is invalid with the same words, sends nothing, and the rest of the pipeline runs", async () => {
    home.writeConfig({
      http_sources: [definition("leak", "plugin_configs.shop.api_key"), definition("leak2", "shop_key"), definition("mine", "sources.mine.key")],
    });
    const list = SourceListSchema.parse(await runCliInProcessJson(["sources", "list", "--json"], { dataDir: home.dataDir }));
    const byId = new Map(list.map((s) => [s.id, s]));
    expect(byId.get("leak")).toMatchObject({ state: "invalid" });
    expect(byId.get("leak")!.reason).toContain('auth.credential names "plugin_configs.shop.api_key"');
    expect(byId.get("leak")!.reason).toContain("shelfwise secrets set sources.leak.key");
    expect(byId.get("leak2")!.reason).toContain('a secret plugin "shop" declares');
    expect(byId.get("mine")).toMatchObject({ state: "active" });
    const tested = await runCliInProcess(["sources", "test", "leak", "--title", "Title 1"], { dataDir: home.dataDir });
    expect(tested.code).not.toBe(0);
    expect(tested.stderr + tested.stdout).toContain("shelfwise secrets set sources.leak.key");
    expect((await runCliInProcess(["scan"], { dataDir: home.dataDir })).code).toBe(0);
    const processed = await runCliInProcess(["process"], { dataDir: home.dataDir });
    expect(processed.stderr + processed.stdout).toContain("shelfwise secrets set sources.leak.key");
    expect(leaked()).toEqual([]);
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests.every((r) => r.headers.authorization === `Bearer ${OWN_KEY}`)).toBe(true);
  });
});

describe("the edit form and status judge a credential as loading does", () => {
  const get = async (url: string) => {
    const response = await fetch(`${base}${url}`);
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it("a config.json giving one source another's key or a plugin's: the form's definition says it is not set for it and why; the owner's is set", async () => {
    home.writeSecrets({ "plugin_configs.shop.api_key": PLUGIN_SETTING, shop_key: PLUGIN_DECLARED, "sources.mine.key": OWN_KEY });
    home.writeConfig({ http_sources: [definition("mine", "sources.mine.key"), definition("thief", "sources.mine.key"), definition("leak2", "shop_key"), definition("leak3", "web_token")] });
    service.reloadConfig();
    api.requests.length = 0;
    const list = SourceListSchema.parse(await runCliInProcessJson(["sources", "list", "--json"], { dataDir: home.dataDir }));
    expect(list.map((s) => [s.id, s.state])).toEqual([["mine", "active"], ["thief", "invalid"], ["leak2", "invalid"], ["leak3", "invalid"]]);
    expect((await get("/api/sources/thief/definition")).json).toMatchObject({ secret_set: false, credential_problem: expect.stringContaining("another source's key") });
    expect((await get("/api/sources/leak2/definition")).json).toMatchObject({ secret_set: false, credential_problem: expect.stringContaining('a secret plugin "shop" declares') });
    expect((await get("/api/sources/leak3/definition")).json).toMatchObject({ secret_set: false, credential_problem: expect.stringContaining("the web app's access token") });
    expect((await get("/api/sources/mine/definition")).json).toMatchObject({ secret_set: true, credential_problem: null });
    const cli = await runCliInProcess(["sources", "test", "thief", "--title", "Title 1"], { dataDir: home.dataDir });
    expect(cli.code).not.toBe(0);
    expect(api.requests).toEqual([]);
  });
});

describe("a key written into a source's URL path, name or description", () => {
  const problems = (input: Record<string, unknown>) => {
    const parsed = httpSourceSchema().safeParse({ id: "cat", url_template: "https://api.example.org/search?q={{title}}", response_mapping: { title: "$.t" }, ...input });
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("is refused, naming the field and where the key goes, never quoting it", () => {
    for (const [input, field] of [
      [{ url_template: "https://api.example.org/k/sk_live_51HxQ2aBcD/search?q={{title}}" }, "url_template"],
      [{ url_template: "https://api.example.org/apikey/a8f3k2m9x1/search?q={{title}}" }, "url_template"],
      [{ url_template: "https://api.example.org/v1/Zq8XkP2mWv7NtR4sLb9HcJ3d/search?q={{title}}" }, "url_template"],
      // TMDB-style: a 32-hex key as a path segment (an MD5 digest looks the same, and is refused with it).
      [{ url_template: "https://api.example.org/3/search/abc0123def4567890abc0123def45678?query={{title}}" }, "url_template"],
      [{ url_template: "https://api.example.org/objects/5d41402abc4b2a76b9719d911017c592?q={{title}}" }, "url_template"],
      [{ url_template: "https://api.example.org/v1/key-3ax6xnjp29jd6fds4gc373sgvjxteol0/books/{{isbn}}" }, "url_template"],
      [{ url_template: "https://api.example.org/v1/q8xkp2mwv7ntr4slb9hcj3d5k1m0z6ye/books/{{isbn}}" }, "url_template"],
      [{ preset: "audiobookshelf", url: "https://abs.example.org/k/sk_live_51HxQ2aBcD", url_template: undefined, response_mapping: undefined }, "url"],
      [{ name: "Catalogue sk_live_51HxQ2aBcD" }, "name"],
      [{ description: "My catalogue. Key: AIzaSyD3xQ9mP2kL7vN4bR8tW1yZ5cF6hJ0gE2s (do not share)" }, "description"],
      [{ description: "see https://api.example.org/k/Zq8XkP2mWv7NtR4sLb9HcJ3d/" }, "description"],
    ] as const) {
      const found = problems(input);
      expect(found, JSON.stringify(input)).toEqual([expect.stringMatching(new RegExp(`^${field}: .*shelfwise secrets set sources\\.cat\\.key`))]);
      expect(found.join(" ")).not.toMatch(/sk_live_51|AIzaSy|Zq8XkP2m|a8f3k2m9x1/);
    }
  });

  it("refuses a 32-hex key in the query under a name that does not say key, naming the parameter, not its value", () => {
    const found = problems({ url_template: "https://api.example.org/3/search/movie?q={{title}}&k2=abc0123def4567890abc0123def45678" });
    expect(found).toEqual([expect.stringMatching(/^url_template: must not carry a key: its query parameter "k2" holds one, .*"param": "k2"/)]);
    expect(found.join(" ")).not.toContain("abc0123def");
    expect(problems({ url_template: "https://api.example.org/search?q={{title}}&isbn=9780441013593&lib=3f2b8c1e-9d4a-4e6b-8a7c-1b2c3d4e5f60&v=2" })).toEqual([]);
  });

  it("leaves ids, versions, UUIDs, digests and ordinary words alone", () => {
    for (const input of [
      { url_template: "https://api.example.org/v2/books/{{isbn}}.json" },
      { url_template: "https://abs.example.org/api/libraries/3f2b8c1e-9d4a-4e6b-8a7c-1b2c3d4e5f60/search?q={{title}}" },
      { url_template: "https://api.example.org/token/refresh/books?q={{title}}" },
      { url_template: "https://api.example.org/objects/507f1f77bcf86cd799439011?q={{title}}" },
      { url_template: "https://api.example.org/books/9780441013593/B0036S4BH6/978-0-441-01359-3?q={{title}}" },
      { url_template: "https://api.example.org/series/the-wheel-of-time-book-1-the-eye-of-the-world-2004-edition?q={{title}}" },
      { url_template: "https://api.example.org/v2/AudiobookshelfCompatibleProvider2024/search?q={{title}}" },
      { name: "Open Library (ISBN lookup, v2)" },
      { name: "AudiobookshelfCompatibleProvider2024" },
      { description: "Looks books up by ISBN-13 in my Calibre-Web server at https://books.example.org/opds/search/{title}; rate limited to 60/min." },
    ]) {
      expect(problems(input), JSON.stringify(input)).toEqual([]);
    }
  });
});
