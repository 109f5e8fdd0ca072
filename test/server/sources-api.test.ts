/**
 * The HTTP source form's API through fastify's injection, against the
 * Audiobookshelf provider fixture on 127.0.0.1: presets, a live test of an
 * unsaved definition (credentials masked), add, edit, delete, enable, and
 * the secret that is written once and never read back.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProviderFixture, type ProviderFixture } from "../../fixtures/audiobookshelf/provider-server.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import * as S from "../../src/server/schemas.js";
import { apiClient } from "./inject.js";
import { SourceListSchema, SourceTestSchema } from "../../src/app/http-sources.js";
import { SourceDefinitionView, SourceHealthDetail, SourcePresets } from "../../src/server/routes/sources.js";
import { setSourceState } from "../../src/app/http-source-health.js";

const KEY = "abs-key-0123456789-secret";

let home: TestHome;
let provider: ProviderFixture;
let service: ShelfService;
let app: FastifyInstance;

const { call, ok, bad } = apiClient(() => app, { forbidden: KEY });

const definition = () => ({
  id: "abs-provider",
  preset: "audiobookshelf",
  url: provider.url,
  auth: { type: "header", header: "Authorization", credential: "abs_key" },
  allow_private: true,
});

const configText = () => fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");

beforeAll(async () => {
  provider = await startProviderFixture(KEY);
  home = createHome({ books: 0 });
  service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
  app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  await provider?.close();
  home?.cleanup();
});

describe("HTTP source form API", () => {
  it("offers the Audiobookshelf preset with what it fills in", async () => {
    const presets = await ok(SourcePresets, { method: "GET", url: "/api/sources/presets" });
    expect(presets.audiobookshelf).toMatchObject({ auth: { type: "header", header: "Authorization" }, fills: expect.objectContaining({ result_path: "$.matches" }) });
  });

  it("tests an unsaved definition live: masked URL, status, time, mapped fields; nothing is saved", async () => {
    const result = await ok(SourceTestSchema, { method: "POST", url: "/api/sources/test", json: { definition: definition(), secret: KEY, book: { title: "The Way of Kings", author: "Brandon Sanderson" } } });
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(result.request!.url).toContain(`${provider.url}/search?mediaType=book&query=The%20Way%20of%20Kings`);
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    expect(result.chosen).toMatchObject({ title: "The Way of Kings", author: "Brandon Sanderson" });
    expect(configText()).not.toContain("abs-provider");
    expect(fs.existsSync(path.join(home.dataDir, "secrets.json")) ? fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8") : "").not.toContain(KEY);
    // A wrong key: the provider refuses, and the test says so; no key at all: what to do.
    const refused = await ok(SourceTestSchema, { method: "POST", url: "/api/sources/test", json: { definition: definition(), secret: "wrong-key", book: { title: "The Way of Kings" } } });
    expect(refused).toMatchObject({ ok: false, status: 401 });
    await bad({ method: "POST", url: "/api/sources/test", json: { definition: definition(), book: { title: "The Way of Kings" } } }, 400, /"abs_key", which is not in secrets\.json/);
  });

  it("refuses a bad definition or test with a message that names the key", async () => {
    await bad({ method: "POST", url: "/api/sources/test", json: { definition: { ...definition(), url: undefined }, book: { title: "X" } } }, 400, /url/);
    await bad({ method: "POST", url: "/api/sources/test", json: { definition: definition(), book: { title: " " } } }, 400, /book title/);
    await bad({ method: "POST", url: "/api/sources", json: { definition: { ...definition(), id: "Bad Id" } } }, 400, /id/);
    // Each problem also by the key the form names its field by, so the page shows it beside that field.
    const refused = await call({ method: "POST", url: "/api/sources", json: { definition: { id: "x", url_template: "https://api.example/?q={{bogus}}", response_mapping: { title: "no path" } } } });
    expect(refused.statusCode).toBe(400);
    expect(S.ErrorBody.parse(refused.json()).fields?.map((f) => f.field)).toEqual(expect.arrayContaining(["definition.url_template", "definition.response_mapping.title"]));
    await bad({ method: "POST", url: "/api/sources", json: { definition: { id: "x", auth: { type: "none" }, preset: "audiobookshelf", url: "https://x.example" }, secret: "v" } }, 400, /no auth\.credential/);
    await bad({ method: "POST", url: "/api/sources", json: { definition: definition() }, headers: { origin: "http://evil.example" } }, 403, /cross-site/);
    expect(configText()).not.toContain("abs-provider");
  });

  it("says a definition's wrong kinds of value as config.json's loading says them, beside each field, never in zod's words", async () => {
    const wrong = { ...definition(), enabled: "yes", timeout: "fast", response_mapping: { title: 5 } };
    for (const [method, url, json] of [["POST", "/api/sources", { definition: wrong }], ["POST", "/api/sources/test", { definition: wrong, book: { title: "X" } }]] as const) {
      const refused = await call({ method, url, json });
      expect(refused.statusCode).toBe(400);
      const body = S.ErrorBody.parse(refused.json());
      expect(JSON.stringify(body)).not.toMatch(/Invalid input|expected \w+, received|Invalid enum/);
      expect(body.fields).toEqual(expect.arrayContaining([
        { field: "definition.enabled", message: "must be true or false (no quotes)" },
        { field: "definition.timeout", message: "must be a number" },
        { field: "definition.response_mapping.title", message: "must be a text in double quotes" },
      ]));
    }
    // The request around the definition too: a secret that is no text.
    await bad({ method: "POST", url: "/api/sources", json: { definition: definition(), secret: 42 } }, 400, /^body\.secret: must be a text in double quotes$/);
    expect(configText()).not.toContain("abs-provider");
  });

  it("adds a source: config names the secret, secrets.json holds it, the API only says it is set", async () => {
    const added = await ok(S.Ok, { method: "POST", url: "/api/sources", json: { definition: definition(), secret: KEY } }, 201);
    expect(added.message).toMatch(/abs-provider added/);
    expect(configText()).toContain('"credential": "abs_key"');
    expect(configText()).not.toContain(KEY);
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")).abs_key).toBe(KEY);
    const list = await ok(SourceListSchema, { method: "GET", url: "/api/sources" });
    expect(list).toEqual([expect.objectContaining({ id: "abs-provider", preset: "audiobookshelf", state: "active", auth: expect.objectContaining({ credential: "abs_key" }) })]);
    const loaded = await ok(SourceDefinitionView, { method: "GET", url: "/api/sources/abs-provider/definition" });
    expect(loaded).toMatchObject({ secret_set: true, definition: { id: "abs-provider", url: provider.url } });
    // The pipeline has the new layer.
    expect(service.session.registry.get("abs-provider")).toBeDefined();
    await bad({ method: "POST", url: "/api/sources", json: { definition: definition() } }, 400, /already exists/);
  });

  it("edits (rename included; a secret left out stays), disables, enables and deletes", async () => {
    await ok(S.Ok, { method: "PUT", url: "/api/sources/abs-provider", json: { definition: { ...definition(), id: "abs", name: "My shelf" } } });
    const list = await ok(SourceListSchema, { method: "GET", url: "/api/sources" });
    expect(list.map((s) => [s.id, s.name])).toEqual([["abs", "My shelf"]]);
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")).abs_key).toBe(KEY);
    await bad({ method: "PUT", url: "/api/sources/ghost", json: { definition: definition() } }, 404, /no HTTP source with id "ghost"/);
    await ok(S.Ok, { method: "POST", url: "/api/sources/abs/disable" });
    expect((await ok(SourceListSchema, { method: "GET", url: "/api/sources" }))[0]!.state).toBe("disabled");
    await ok(S.Ok, { method: "POST", url: "/api/sources/abs/enable" });
    expect((await ok(SourceListSchema, { method: "GET", url: "/api/sources" }))[0]!.state).toBe("active");
    await bad({ method: "DELETE", url: "/api/sources/abs", headers: { "sec-fetch-site": "cross-site" } }, 403, /cross-site/);
    await ok(S.Ok, { method: "DELETE", url: "/api/sources/abs" });
    expect(await ok(SourceListSchema, { method: "GET", url: "/api/sources" })).toEqual([]);
    expect(service.session.registry.get("abs")).toBeUndefined();
    await bad({ method: "DELETE", url: "/api/sources/abs" }, 404, /no HTTP source with id "abs"/);
  });

  it("an edit from a form loaded before another edit keeps that edit; the same field edited in both is refused by name (409), nothing written", async () => {
    await ok(S.Ok, { method: "POST", url: "/api/sources", json: { definition: { ...definition(), id: "two-tabs" } } }, 201);
    const base = (await ok(SourceDefinitionView, { method: "GET", url: "/api/sources/two-tabs/definition" })).definition as Record<string, unknown>;
    const stored = () => (JSON.parse(configText()).http_sources as Record<string, unknown>[]).find((s) => s.id === "two-tabs")!;
    // Two tabs opened the form on the same definition; the first saves a name, the second a timeout.
    await ok(S.Ok, { method: "PUT", url: "/api/sources/two-tabs", json: { definition: { ...base, name: "From the first tab" }, base } });
    await ok(S.Ok, { method: "PUT", url: "/api/sources/two-tabs", json: { definition: { ...base, timeout: 20 }, base } });
    expect(stored()).toMatchObject({ name: "From the first tab", timeout: 20 });
    // A third, as stale, changes the name too.
    await bad({ method: "PUT", url: "/api/sources/two-tabs", json: { definition: { ...base, name: "From the third tab" }, base } }, 409, /changed elsewhere.*: name;/);
    expect(stored()).toMatchObject({ name: "From the first tab", timeout: 20 });
    await ok(S.Ok, { method: "DELETE", url: "/api/sources/two-tabs" });
  });

  it("config writes wait for no job: refused while one runs", async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    service.startJob("process", "held job", async () => (await held, "held"));
    try {
      await bad({ method: "POST", url: "/api/sources", json: { definition: definition(), secret: KEY } }, 409, /busy: held job/);
    } finally {
      finish();
      await service.idle();
    }
    expect(configText()).not.toContain("abs-provider");
  });
});

describe("settings changed outside the server (by hand, or by a command such as `sources enable`)", () => {
  it("reach its next runs at the next request: a source attached or dropped, the naming template and Open Library's url; a broken file is told once and the settings kept", async () => {
    await service.idle();
    const write = (change: (raw: Record<string, unknown>) => void) => {
      const raw = JSON.parse(configText()) as Record<string, unknown>;
      change(raw);
      fs.writeFileSync(path.join(home.dataDir, "config.json"), JSON.stringify(raw, null, 2));
    };
    const openLibrary = service.session.registry.get("openlibrary");
    // Only library_paths and output_path were followed: the source was never attached, the old template and url kept.
    write((raw) => {
      raw.http_sources = [...((raw.http_sources as unknown[]) ?? []), { id: "by-hand", preset: "audiobookshelf", url: provider.url, allow_private: true }];
      raw.naming_template = "{author}/{title} (by hand)";
      raw.openlibrary_url = "http://127.0.0.1:9/";
    });
    await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(service.session.registry.get("by-hand")).toBeDefined();
    expect(service.session.config.naming_template).toBe("{author}/{title} (by hand)");
    expect(service.session.registry.get("openlibrary")).not.toBe(openLibrary);
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.activity.map((a) => a.message)).toContainEqual(expect.stringMatching(/^settings changed outside this server \(http_sources, naming_template, openlibrary_url\): used from now on$/));
    const settings = await ok(S.SettingsView, { method: "GET", url: "/api/settings" });
    expect(settings.settings.find((row) => row.key === "openlibrary_url")).toMatchObject({ value: "http://127.0.0.1:9/", restart: false });
    // A file that does not read: the settings in use are kept, and the error told once however often the pages ask.
    const good = configText();
    fs.writeFileSync(path.join(home.dataDir, "config.json"), "{ not json");
    await ok(S.StatusView, { method: "GET", url: "/api/status" });
    const broken = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(broken.activity.filter((a) => a.message.startsWith("config.json was changed but cannot be used"))).toHaveLength(1);
    expect(service.session.registry.get("by-hand")).toBeDefined();
    fs.writeFileSync(path.join(home.dataDir, "config.json"), good);
    write((raw) => {
      raw.http_sources = [];
      raw.naming_template = "{author}/{title}";
      delete raw.openlibrary_url;
    });
    await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(service.session.registry.get("by-hand")).toBeUndefined();
    expect(service.session.config.naming_template).toBe("{author}/{title}");
    // Saved by the Settings page: Open Library's layer is built again too (it was marked "after a restart").
    const before = service.session.registry.get("openlibrary");
    await ok(S.SettingsView, { method: "PUT", url: "/api/settings", json: { values: { openlibrary_timeout_ms: 4321 } } });
    await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(service.session.registry.get("openlibrary")).not.toBe(before);
  });
});

describe("HTTP sources that need the user", () => {
  it("are on the dashboard's problems like plugins: one invalid (its key missing), one auto-disabled", async () => {
    const problems = async () => (await ok(S.StatusView, { method: "GET", url: "/api/status" })).problems.filter((p) => p.kind.startsWith("source_"));
    expect(await problems()).toEqual([]);
    // Saved without its key: it cannot run until the key is in secrets.json.
    await ok(S.Ok, { method: "POST", url: "/api/sources", json: { definition: { ...definition(), id: "keyless", auth: { type: "header", header: "Authorization", credential: "keyless_key" } } } }, 201);
    await ok(S.Ok, { method: "POST", url: "/api/sources", json: { definition: definition(), secret: KEY } }, 201);
    // What a run records when the source fails auto_disable_after times in a row.
    setSourceState(service.session.db, "abs-provider", "auto-disabled", "auto-disabled after 5 consecutive failures (last: error: Audiobookshelf answered HTTP 500)");
    // The activity line names it as what it is (it said "plugin abs-provider").
    service.checkPluginStates();
    const activity = (await ok(S.StatusView, { method: "GET", url: "/api/status" })).activity.map((a) => a.message);
    expect(activity).toContainEqual(expect.stringMatching(/^HTTP source abs-provider: auto-disabled \(auto-disabled after 5/));
    expect(await problems()).toEqual([
      { kind: "source_invalid", message: expect.stringMatching(/^HTTP source keyless is invalid: .*keyless_key/), link: "#/plugins" },
      { kind: "source_auto_disabled", message: "HTTP source abs-provider is auto-disabled: auto-disabled after 5 consecutive failures (last: error: Audiobookshelf answered HTTP 500)", link: "#/health/source/abs-provider" },
    ]);
    // Its health page's data: the state and reason as the list says them, and its (empty) call log.
    const health = await ok(SourceHealthDetail, { method: "GET", url: "/api/sources/abs-provider/health" });
    expect(health).toMatchObject({ id: "abs-provider", state: "auto-disabled", reason: expect.stringMatching(/^auto-disabled after 5/), recent: [] });
    expect(await ok(S.CallLogView, { method: "GET", url: "/api/sources/abs-provider/calls?outcome=error" })).toEqual({ calls: [] });
    await bad({ method: "GET", url: "/api/sources/abs-provider/calls?outcome=sometimes" }, 400, /query\.outcome/);
    await bad({ method: "GET", url: "/api/sources/nope/health" }, 404, /no HTTP source with id "nope"/);
    // Re-enabled, and the keyless one deleted: nothing left to do.
    await ok(S.Ok, { method: "POST", url: "/api/sources/abs-provider/reset" });
    await ok(S.Ok, { method: "DELETE", url: "/api/sources/keyless" });
    expect(await problems()).toEqual([]);
    await ok(S.Ok, { method: "DELETE", url: "/api/sources/abs-provider" });
  });
});
