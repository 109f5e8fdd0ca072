/**
 * What an adversarial audit of the web app (#14) found, as requests a user or
 * an attacker makes: unknown ids answer 404 and bad input 400 on every route,
 * the server's settings writes respect the data folder's lock like every other
 * writer, shelfwise's own access token is no plugin's secret, and the pages
 * ask for nothing the server does not have (a missing favicon is a console
 * error on every fresh load).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { spawn } from "node:child_process";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, requireBuilt, runCli, type TestHome } from "../support/plugin-fixtures.js";
import { builtModuleUrl } from "../support/built.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { tokenCookieName } from "../../src/server/security.js";
import { pluginSettings } from "../../src/app/attach-plugins.js";
import * as S from "../../src/server/schemas.js";
import { apiClient, closeApi, openApi } from "./inject.js";
import { changeConfig } from "../../src/app/settings-writes.js";
import { queryBooks } from "../../src/store/book-queries.js";
import { createLoginLimiter } from "../../src/server/login-limit.js";

const WEB_TOKEN = "the-web-token-of-this-server-0123456789";
const SETTING_SECRET = "sk-live-setting-never-sent-42";
/** A talky plugin's key, kept in plugin_configs as a setting its config_schema marks secret. */
const TALKY_SECRET = "sk-talky-key-printed-by-its-plugin-77";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { call, ok, bad } = apiClient(() => app, { forbidden: WEB_TOKEN });

function secretsFile(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8"));
}

beforeAll(async () => {
  home = createHome({ books: 2, config: { plugin_configs: { keyed: { api_key: SETTING_SECRET, region: "eu" }, talky: { api_key: TALKY_SECRET } } } });
  // Prints its settings and fails naming its key, as plugins being debugged do.
  home.plugin("talky", {
    code: nodePlugin(`setup(config) { this.key = config.api_key; console.log("settings: " + JSON.stringify(config)); }
      process(book) { console.error("asking with " + encodeURIComponent(this.key)); throw new Error("the service refused the key " + this.key); }`),
    manifest: { config_schema: { type: "object", properties: { api_key: { type: "string", secret: true } } } },
  });
  home.plugin("keyed", {
    code: nodePlugin(`process(book) { return null; }`),
    manifest: {
      config_schema: {
        type: "object",
        properties: { api_key: { type: "string", writeOnly: true, minLength: 8 }, pin: { type: "string", format: "password" }, region: { type: "string" } },
      },
    },
  });
  home.plugin("greedy", {
    code: nodePlugin(`process(book) { return null; }`),
    manifest: { requires_secrets: ["web_token"] },
  });
  home.plugin("plain", { code: nodePlugin(`process(book) { return null; }`) });
  home.plugin("needs-key", { code: nodePlugin(`process(book) { return null; }`), manifest: { requires_secrets: ["needs_key_token"] } });
  home.plugin("backtrack", {
    code: nodePlugin(`process(book) { return null; }`),
    manifest: { config_schema: { type: "object", properties: { code: { type: "string", pattern: "^([a-z0-9]+)*$" } } } },
  });
  home.writeSecrets({ web_token: WEB_TOKEN });
  ({ service, app } = await openApi(home));
});

afterAll(() => closeApi({ app, service, home }));

describe("unknown ids and bad input", () => {
  it("a call log of a plugin that does not exist is a 404, not an empty log", async () => {
    await bad({ method: "GET", url: "/api/health/no-such-plugin/calls" }, 404, /no plugin "no-such-plugin"/);
    await ok(S.CallLogView, { method: "GET", url: "/api/health/plain/calls" });
  });

  it("rerunning a book with a layer that does not exist is a 400 naming it, and starts nothing", async () => {
    service.startScan();
    await service.idle();
    const id = (await ok(S.BookPage, { method: "GET", url: "/api/books?limit=1" })).books[0]!.id;
    await bad({ method: "POST", url: `/api/books/${id}/rerun`, json: { layers: ["path", "no-such-layer"] } }, 400, /unknown layer no-such-layer; known: .*path/);
    expect(service.status().job).toBeNull();
    await bad({ method: "POST", url: `/api/books/999999/rerun`, json: {} }, 404, /no book with id 999999/);
  });

  it("a body that is not JSON, or has a __proto__ key, is a 400 that says which", async () => {
    const post = (payload: string) => call({ method: "POST", url: "/api/apply", headers: { "content-type": "application/json" }, payload });
    const message = async (payload: string) => {
      const response = await post(payload);
      expect(response.statusCode, payload).toBe(400);
      return S.ErrorBody.parse(response.json()).error;
    };
    expect(await message("{bad")).toMatch(/^body: not valid JSON \(.+\)/);
    expect(await message('{"__proto__": {"polluted": 1}, "ids": [1], "dry_run": true}')).toBe("body: the key __proto__ is not allowed");
    expect(await message('{"ids": [1], "x": {"constructor": {"prototype": {"polluted": 1}}}}')).toBe("body: the key constructor.prototype is not allowed");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a JSON bomb (brackets nested 100,000 deep, a few hundred KB) is a 400 saying so, on every route, not a 500", async () => {
    const arrays = "[".repeat(100_000) + "]".repeat(100_000);
    const objects = '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000);
    const routes: [string, string, (bomb: string) => string][] = [
      ["PUT", "/api/plugins/plain/config", (bomb) => `{"config":{"a":${bomb}}}`],
      ["PUT", "/api/settings", (bomb) => `{"values":{"naming_template":${bomb}}}`],
      ["POST", "/api/sources/test", (bomb) => `{"definition":{"id":"x","x":${bomb}},"book":{"title":"a"}}`],
      ["POST", "/api/sources", (bomb) => `{"definition":{"id":"x","x":${bomb}}}`],
      ["POST", "/api/apply", (bomb) => `{"ids":${bomb}}`],
    ];
    for (const [method, url, body] of routes) {
      for (const bomb of [arrays, objects]) {
        const response = await call({ method: method as "PUT" | "POST", url, headers: { "content-type": "application/json" }, payload: body(bomb) });
        expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(400);
        expect(S.ErrorBody.parse(response.json()).error).toBe("body: is nested more than 64 levels deep; send a flatter JSON object");
      }
    }
    // Nesting a real request needs is taken.
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/plain/config", json: { config: { a: [[[["deep enough"]]]] } } });
  });

  it("running a layer that does not exist is a 404, like switching it", async () => {
    await bad({ method: "POST", url: "/api/layers/no-such-layer/run" }, 404, /no layer "no-such-layer"/);
    await bad({ method: "POST", url: "/api/layers/no-such-layer/rerun" }, 404, /no layer "no-such-layer"/);
    await bad({ method: "POST", url: "/api/layers/no-such-layer/enabled", json: { enabled: true } }, 404, /no layer "no-such-layer"/);
    expect(service.status().job).toBeNull();
  });

  it("running a layer that exists but is switched off is a 400 and starts nothing (Open Library, off by default, ran)", async () => {
    await bad({ method: "POST", url: "/api/layers/openlibrary/run" }, 400, /unknown or inactive layer "openlibrary"/);
    await bad({ method: "POST", url: "/api/layers/openlibrary/rerun" }, 400, /unknown or inactive layer "openlibrary"/);
    expect(service.status().job).toBeNull();
  });

  it("an id that is not a positive whole number is a 400 that says what an id is", async () => {
    for (const id of ["abc", "1.5", "-1", "0", "99999999999999999999999"]) {
      await bad({ method: "GET", url: `/api/books/${id}` }, 400, /^path\.id: must be a positive whole number/);
    }
  });

  it("apply and undo of ids that do not exist are a 404 before any job starts (as the CLI refuses them)", async () => {
    await bad({ method: "POST", url: "/api/apply", json: { ids: [999999], dry_run: true } }, 404, /no book with id 999999/);
    await bad({ method: "POST", url: "/api/apply", json: { ids: [999999] } }, 404, /no book with id 999999/);
    await bad({ method: "POST", url: "/api/undo", json: { ids: [999999] } }, 404, /no move with id 999999/);
    expect(service.status().job).toBeNull();
  });
});

describe("the dashboard's problems", () => {
  it("name a plugin that cannot run until the user gives it a missing secret or setting (skipped), with a link to it", async () => {
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.problems).toContainEqual({ kind: "plugin_skipped", message: "plugin needs-key is skipped: missing secrets: needs_key_token", link: "#/plugins/needs-key" });
  });

  it("name books a layer failed on, with a link to them (the count alone was a card, not a problem to act on)", async () => {
    const db = service.session.db;
    const id = (db.prepare("SELECT min(id) AS id FROM books").get() as { id: number }).id;
    db.prepare("INSERT OR REPLACE INTO layer_runs (book_id, layer_id, status, ran_at, error) VALUES (?, 'audit-layer', 'error', 'now', 'tag unreadable')").run(id);
    try {
      const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
      expect(status.books_with_errors).toBeGreaterThan(0);
      expect(status.problems).toContainEqual({
        kind: "layer_errors",
        message: expect.stringMatching(/^\d+ books? (has|have) a layer that failed on (it|them): each book's page says why and reruns its failed layers$/),
        link: "#/books?layer_errors=true",
      });
    } finally {
      db.prepare("DELETE FROM layer_runs WHERE layer_id = 'audit-layer'").run();
    }
  });
});

describe("the access token is shelfwise's own", () => {
  it("is never given to a plugin that declares it, and no plugin form can replace it", async () => {
    expect(Object.keys(pluginSettings(service.session).secrets)).not.toContain("web_token");
    const greedy = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/greedy" });
    // A manifest that asks for it is refused as a whole (manifest-schema), and the form below refuses it anyway.
    expect(greedy.errors.join("\n")).toMatch(/requires_secrets.*shelfwise's own secret/);
    expect(greedy.secrets).toEqual([]);
    await bad({ method: "PUT", url: "/api/plugins/greedy/secrets", json: { name: "web_token", value: "attacker-chosen-token" } }, 400, /web_token.*shelfwise's own web access token/);
    expect(secretsFile().web_token).toBe(WEB_TOKEN);
  });
});

describe("the web app and the CLI see the same plugin states", () => {
  it("a CLI disable shows on the pages at once, and a web enable shows in `plugins list`", async () => {
    requireBuilt();
    await service.idle();
    // A real process: the pages must see another process's change (the lists below only read, in this process).
    const disabled = await runCli(["plugins", "disable", "plain"], home.dataDir);
    expect(disabled.code, disabled.stderr).toBe(0);
    const plugins = await ok(S.PluginView.array(), { method: "GET", url: "/api/plugins" });
    expect(plugins.find((p) => p.key === "plain")?.state).toBe("disabled");
    const layers = await ok(S.LayersView, { method: "GET", url: "/api/layers" });
    expect(layers.layers.find((l) => l.layer_id === "plain")?.enabled).toBe(false);
    const health = await ok(S.HealthView, { method: "GET", url: "/api/health" });
    expect(health.plugins.find((r) => r.plugin_id === "plain")?.state).toBe("disabled");
    // Each in its own words: the pages name the button, the CLI its command (issue #14).
    const pageWords = "disabled by the user (Enable on the Plugins page turns it on)";
    expect(plugins.find((p) => p.key === "plain")?.reason).toBe(pageWords);
    expect(health.plugins.find((r) => r.plugin_id === "plain")?.reason).toBe(pageWords);
    const cliList = await runCliInProcess(["plugins", "list", "--json"], { dataDir: home.dataDir });
    expect((JSON.parse(cliList.stdout) as { id: string; reason: string }[]).find((p) => p.id === "plain")?.reason).toBe("disabled by the user (`shelfwise plugins enable` turns it on)");
    expect(service.enabledLayers().map((l) => l.info.layer_id)).not.toContain("plain");

    await ok(S.Ok, { method: "POST", url: "/api/plugins/plain/enable" });
    const listed = await runCliInProcess(["plugins", "list", "--json"], { dataDir: home.dataDir });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string; state: string }[]).find((p) => p.id === "plain")?.state).toBe("active");
  });
});

describe("health figures", () => {
  it("p95 is over the calls the success rate and average use, the same on the list and the detail page", async () => {
    const insert = service.session.db.prepare("INSERT INTO plugin_calls (plugin_id, book_id, at, outcome, duration_ms) VALUES ('plain', NULL, ?, ?, ?)");
    const at = new Date().toISOString();
    for (let i = 0; i < 100; i++) insert.run(at, "ok", 1000); // older than the window
    for (let i = 1; i <= 50; i++) insert.run(at, i % 10 === 0 ? "error" : "ok", i);
    for (let i = 0; i < 5; i++) insert.run(at, "interrupted", 9999); // shelfwise stopped them: not the plugin's time
    for (let i = 0; i < 5; i++) insert.run(at, "skipped", 0);
    const list = (await ok(S.HealthView, { method: "GET", url: "/api/health" })).plugins.find((r) => r.plugin_id === "plain")!;
    const detail = await ok(S.HealthRow, { method: "GET", url: "/api/health/plain" });
    expect(list.avg_duration_ms).toBe(25.5);
    expect(list.success_rate).toBe(0.9);
    expect(list.p95_duration_ms).toBe(48);
    expect(detail.p95_duration_ms).toBe(48);
    expect(detail.avg_duration_ms).toBe(list.avg_duration_ms);
    service.session.db.prepare("DELETE FROM plugin_calls WHERE plugin_id = 'plain'").run();
  });
});

describe("plugin settings marked secret in config_schema", () => {
  it("are never sent, are reported as set or not, and a save that leaves them out keeps them", async () => {
    const get = async () => (await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/keyed" }));
    let keyed = await get();
    expect(keyed.config).toEqual({ region: "eu" });
    expect(keyed.secret_settings).toEqual([
      { name: "api_key", set: true },
      { name: "pin", set: false },
    ]);
    for (const url of ["/api/plugins", "/api/plugins/keyed", "/api/status", "/api/settings", "/api/health", "/api/layers", "/api/openapi.json"]) {
      expect((await call({ method: "GET", url })).body, url).not.toContain(SETTING_SECRET);
    }
    const saved = await ok(S.PluginView, { method: "PUT", url: "/api/plugins/keyed/config", json: { config: { region: "us", api_key: "" } } });
    expect(JSON.stringify(saved)).not.toContain(SETTING_SECRET);
    const stored = () => JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).plugin_configs.keyed;
    // Kept apart from config.json: the hand-written copy moved to secrets.json with this save.
    expect(stored()).toEqual({ region: "us" });
    expect(secretsFile()["plugin_configs.keyed.api_key"]).toBe(SETTING_SECRET);
    await bad({ method: "PUT", url: "/api/plugins/keyed/config", json: { config: { api_key: "short" } } }, 400, /api_key/);
    // Each refused setting is named on its own, for the form to show beside its field.
    const refused = await call({ method: "PUT", url: "/api/plugins/keyed/config", json: { config: { region: 5, api_key: "short" } } });
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body).fields).toEqual([
      { field: "api_key", message: "must NOT have fewer than 8 characters" },
      { field: "region", message: "must be string" },
    ]);
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/keyed/config", json: { config: { region: "us", api_key: "sk-replaced-0001" } } });
    expect(stored()).toEqual({ region: "us" });
    expect(secretsFile()["plugin_configs.keyed.api_key"]).toBe("sk-replaced-0001");
    keyed = await get();
    expect(keyed.config).toEqual({ region: "us" });
  });
});

describe("saving a plugin's settings that changed since the page loaded them", () => {
  it("keeps what a command changed meanwhile (the page's base), refuses the same field changed in both by name, and keeps the secret", async () => {
    const stored = () => JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).plugin_configs.backtrack;
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/backtrack/config", json: { config: { code: "abc" } } });
    const base = (await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/backtrack" })).config;
    // A command (or another tab) adds a setting after the page loaded.
    changeConfig(home.dataDir, (raw) => {
      (raw.plugin_configs as Record<string, Record<string, unknown>>).backtrack!.extra = "kept";
    });
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/backtrack/config", json: { config: { ...base, code: "xyz" }, base } });
    expect(stored()).toEqual({ code: "xyz", extra: "kept" });
    // The same field changed elsewhere too: refused, named, nothing written.
    changeConfig(home.dataDir, (raw) => {
      (raw.plugin_configs as Record<string, Record<string, unknown>>).backtrack!.code = "fromcli";
    });
    await bad({ method: "PUT", url: "/api/plugins/backtrack/config", json: { config: { code: "mine" }, base: { code: "xyz" } } }, 409, /changed elsewhere.*: code;/);
    expect(stored()).toEqual({ code: "fromcli", extra: "kept" });
    // Without a base (an API client that sends the whole settings): they replace what is stored, as before.
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/backtrack/config", json: { config: { code: "whole" } } });
    expect(stored()).toEqual({ code: "whole" });
  });
});

describe("saving config keys that changed since the Settings page loaded them", () => {
  it("refuses a key changed elsewhere to another value, naming it, and writes nothing; other keys and the same value pass", async () => {
    const file = () => JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8"));
    const shown = (await ok(S.SettingsView, { method: "GET", url: "/api/settings" })).settings;
    const batch = shown.find((s) => s.key === "batch_size")!.value as number;
    // Another tab (or `shelfwise config`) changes batch_size after this page loaded.
    changeConfig(home.dataDir, (raw) => void (raw.batch_size = batch + 1));
    await bad({ method: "PUT", url: "/api/settings", json: { values: { batch_size: batch + 2 }, base: { batch_size: batch } } }, 409, /changed elsewhere.*: batch_size;/);
    expect(file().batch_size).toBe(batch + 1);
    // The same value as the other change, or a key nobody else touched: saved.
    await ok(S.SettingsView, { method: "PUT", url: "/api/settings", json: { values: { batch_size: batch + 1 }, base: { batch_size: batch } } });
    await ok(S.SettingsView, { method: "PUT", url: "/api/settings", json: { values: { auto_disable_after: 7 }, base: { auto_disable_after: shown.find((s) => s.key === "auto_disable_after")!.value } } });
    expect(file()).toMatchObject({ batch_size: batch + 1, auto_disable_after: 7 });
  });
});

describe("a plugin's config_schema on the settings form", () => {
  it("a pattern that backtracks without end on the value refuses the save within seconds; the server goes on", async () => {
    const before = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
    const started = Date.now();
    await bad({ method: "PUT", url: "/api/plugins/backtrack/config", json: { config: { code: `${"a".repeat(40)}-` } } }, 400, /took longer than 1 s/);
    // The check is stopped at 1 s; unbounded, it backtracks for hours. Room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).toBe(before);
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/backtrack/config", json: { config: { code: "abc123" } } });
  });
});

describe("settings writes and the data folder's lock", () => {
  it("are refused with the holder's name while another process writes, and change nothing", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", `
      const { acquireDataLock } = await import(${JSON.stringify(builtModuleUrl("store/data-lock.js"))});
      await acquireDataLock(${JSON.stringify(home.dataDir)}, { command: "apply" });
      console.log("held");
      setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
    const configBefore = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
    try {
      await new Promise<void>((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve()));
      const busy = /is being written by another shelfwise program \(process \d+\), doing: apply, since /;
      await bad({ method: "POST", url: "/api/plugins/plain/disable" }, 409, busy);
      await bad({ method: "PUT", url: "/api/plugins/plain/config", json: { config: { x: 1 } } }, 409, busy);
      await bad({ method: "POST", url: "/api/layers/plain/enabled", json: { enabled: false } }, 409, busy);
      await bad({ method: "POST", url: "/api/layers/path/enabled", json: { enabled: false } }, 409, busy);
      await bad({ method: "PUT", url: "/api/pipeline/order", json: { order: ["path"] } }, 409, busy);
      await bad({ method: "PUT", url: "/api/settings", json: { values: { batch_size: 7 } } }, 409, busy);
      expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).toBe(configBefore);
      expect((await ok(S.PluginView.array(), { method: "GET", url: "/api/plugins" })).find((p) => p.key === "plain")?.state).not.toBe("disabled");
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    // Once the other writer is gone the same request works.
    expect((await ok(S.Ok, { method: "POST", url: "/api/plugins/plain/disable" })).message).toMatch(/disabled/);
    expect((await ok(S.Ok, { method: "POST", url: "/api/plugins/plain/enable" })).message).toMatch(/enabled/);
  });
});

describe("the login form's next address", () => {
  const HOSTILE_NEXT = ["/%09/evil.example/x", "/%0a/evil.example", "/%0d%0a/evil.example", "/%5C/evil.example", "/%5C%5Cevil.example", "//evil.example", "/%2F/evil.example", "https://evil.example/"];

  function staysHere(location: string | undefined): void {
    expect(location).toBeDefined();
    expect(location).not.toMatch(/[\u0000-\u001f\\]/);
    // Resolved the way the browser resolves a Location header.
    expect(new URL(location!, "http://127.0.0.1:8790/login").origin).toBe("http://127.0.0.1:8790");
  }

  it("never sends the browser to another site, and never fails on a control character", async () => {
    for (const next of HOSTILE_NEXT) {
      const response = await call({ method: "GET", url: `/login?next=${next}` });
      expect(response.statusCode, next).toBe(303);
      staysHere(response.headers.location as string);
    }
    const token = "login-token-0123456789abcdef";
    const guarded = await buildServer(service, { host: "0.0.0.0", token });
    try {
      for (const next of HOSTILE_NEXT) {
        const response = await guarded.inject({
          method: "POST",
          url: "/login",
          headers: { host: "192.0.2.1:8790", origin: "http://192.0.2.1:8790", "content-type": "application/x-www-form-urlencoded" },
          payload: `token=${token}&next=${next}`,
        });
        expect(response.statusCode, next).toBe(303);
        expect(new URL(response.headers.location as string, "http://192.0.2.1:8790/login").origin).toBe("http://192.0.2.1:8790");
      }
      const kept = await guarded.inject({ method: "POST", url: "/login", headers: { host: "192.0.2.1:8790", "content-type": "application/x-www-form-urlencoded" }, payload: `token=${token}&next=${encodeURIComponent("/#/books?status=identified")}` });
      expect(kept.headers.location).toBe("/#/books?status=identified");
    } finally {
      await guarded.close();
    }
  });
});

describe("pages", () => {
  it("name an icon the server serves (a browser otherwise logs a 404 for /favicon.ico on every load)", async () => {
    for (const url of ["/", "/login"]) {
      const response = await call({ method: "GET", url });
      const html = url === "/login" && response.statusCode === 303 ? (await call({ method: "GET", url: "/" })).body : response.body;
      const href = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
      expect(href, url).toBeDefined();
      const icon = await call({ method: "GET", url: href! });
      expect(icon.statusCode).toBe(200);
      expect(icon.headers["content-type"]).toMatch(/^image\/svg\+xml/);
    }
  });
});

describe("hostile searches, oversized requests and token guessing", () => {
  it("a NUL (%00) in any search filter is a 400 naming it, never a match of every book", async () => {
    const all = await ok(S.BookPage, { method: "GET", url: "/api/books" });
    expect(all.total).toBeGreaterThan(0);
    for (const query of ["text=%00", "text=a%00", "text=%00abc", "text=abc%00def", "author=%00", "series=x%00"]) {
      await bad({ method: "GET", url: `/api/books?${query}` }, 400, /query\.(text|author|series): holds a NUL character \(%00\)/);
    }
    // Below the API too: the store matches no book for such a text (no stored value holds a NUL).
    for (const filter of [{ text: "\0" }, { text: "ab\0" }, { text: "\0abcd" }, { author: "\0" }, { series: "\0" }]) {
      expect(queryBooks(service.session.db, { ...filter, limit: 50, offset: 0 }).total, JSON.stringify(filter)).toBe(0);
    }
  });

  it("headers or a query larger than node's limit get a 431 in the API's JSON error shape (a real server)", async () => {
    const server = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    await server.listen({ host: "127.0.0.1", port: 0 });
    const port = (server.server.address() as { port: number }).port;
    try {
      for (const request of [{ path: `/api/books?text=${"x".repeat(20_000)}` }, { path: "/api/status", headers: { "x-filler": "y".repeat(20_000) } }]) {
        const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
          http
            .get({ host: "127.0.0.1", port, ...request }, (response) => {
              let body = "";
              response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
              response.on("end", () => resolve({ status: response.statusCode!, type: String(response.headers["content-type"]), body }));
            })
            .on("error", reject);
        });
        expect(answer.status).toBe(431);
        expect(answer.type).toMatch(/^application\/json/);
        expect(S.ErrorBody.parse(JSON.parse(answer.body)).error).toMatch(/headers are larger than \d+ KB .*shorten the search or query/);
      }
    } finally {
      await server.close();
    }
  });

  it("the login form takes 10 wrong tokens a minute per address, then answers 429 in JSON (the right token too) until the minute passes", async () => {
    const token = "rate-limited-token-0123456789";
    const guarded = await buildServer(service, { host: "0.0.0.0", token });
    const login = (guess: string, remoteAddress = "192.0.2.7") =>
      guarded.inject({ method: "POST", url: "/login", remoteAddress, headers: { host: "192.0.2.1:8790", "content-type": "application/x-www-form-urlencoded" }, payload: `token=${guess}&next=%2F` });
    try {
      for (let i = 0; i < 10; i++) expect((await login(`wrong-${i}`)).statusCode).toBe(401);
      for (const guess of ["wrong-10", token]) {
        const limited = await login(guess);
        expect(limited.statusCode).toBe(429);
        expect(limited.headers["content-type"]).toMatch(/^application\/json/);
        expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
        expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
        expect(S.ErrorBody.parse(limited.json()).error).toMatch(/^too many wrong access tokens from this address \(10 a minute at most\): wait \d+ s/);
        expect(limited.headers["set-cookie"]).toBeUndefined();
        expect(limited.body).not.toContain(token);
      }
      // Another address is not held back by this one's guesses.
      expect((await login(token, "192.0.2.8")).statusCode).toBe(303);
    } finally {
      await guarded.close();
    }
  });

  it("wrong tokens on the API count towards the same limit per address: past 10 a minute, 429 in JSON for any token, the right one too", async () => {
    const token = "api-rate-limited-token-0123456789";
    const guarded = await buildServer(service, { host: "0.0.0.0", token });
    const host = "192.0.2.1:8790";
    const api = (headers: Record<string, string>, remoteAddress = "192.0.2.17") =>
      guarded.inject({ method: "GET", url: "/api/status", remoteAddress, headers: { host, ...headers } });
    const limitedAnswer = (answer: Awaited<ReturnType<typeof api>>) => {
      expect(answer.statusCode).toBe(429);
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(answer.headers["retry-after"])).toBeLessThanOrEqual(60);
      expect(S.ErrorBody.parse(answer.json()).error).toMatch(/^too many wrong access tokens from this address \(10 a minute at most\): wait \d+ s/);
      expect(answer.body).not.toContain(token);
    };
    try {
      // Every way of sending a token counts.
      for (let i = 0; i < 10; i++) {
        const headers: Record<string, string> = [{ authorization: `Bearer wrong-${i}` }, { "x-shelfwise-token": `wrong-${i}` }, { cookie: `${tokenCookieName(0)}=wrong-${i}` }][i % 3]!;
        expect((await api(headers)).statusCode).toBe(401);
      }
      limitedAnswer(await api({ authorization: "Bearer wrong-10" }));
      limitedAnswer(await api({ authorization: `Bearer ${token}` }));
      // A page's cookie and the login form are held back as well: one count per address.
      limitedAnswer(await guarded.inject({ method: "GET", url: "/", remoteAddress: "192.0.2.17", headers: { host, cookie: `${tokenCookieName(0)}=wrong` } }));
      const login = await guarded.inject({
        method: "POST",
        url: "/login",
        remoteAddress: "192.0.2.17",
        headers: { host, "content-type": "application/x-www-form-urlencoded" },
        payload: `token=${token}&next=%2F`,
      });
      limitedAnswer(login);
      // No token at all is no guess: still the plain 401.
      expect((await api({})).statusCode).toBe(401);
      // Another address is not held back.
      expect((await api({ authorization: `Bearer ${token}` }, "192.0.2.18")).statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("the limit forgets a failure once it is a minute old", () => {
    let clock = 0;
    const limiter = createLoginLimiter(() => clock);
    for (let i = 0; i < 10; i++) limiter.failed("a");
    expect(limiter.wait("a")).toBe(60_000);
    expect(limiter.wait("b")).toBe(0);
    clock = 59_999;
    expect(limiter.wait("a")).toBe(1);
    clock = 60_000;
    expect(limiter.wait("a")).toBe(0);
  });
});

describe("a plugin that prints or fails with a setting its config_schema marks secret", () => {
  it("has it masked in its log tail, its errors and the call log, as secrets.json's secrets are", async () => {
    service.startScan();
    await service.idle();
    service.startProcess({ layer: "talky" });
    await service.idle();
    const detail = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/talky" });
    expect(detail.log_tail.join("\n")).toContain('settings: {"api_key":"***"}');
    expect(detail.log_tail.join("\n")).toContain("asking with ***");
    const calls = await ok(S.CallLogView, { method: "GET", url: "/api/health/talky/calls" });
    expect(calls.calls.length).toBeGreaterThan(0);
    expect(calls.calls[0]!.error).toContain("the service refused the key ***");
    for (const url of ["/api/plugins", "/api/plugins/talky", "/api/health", "/api/health/talky", "/api/health/talky/calls", "/api/status"]) {
      expect((await call({ method: "GET", url })).body, url).not.toContain(TALKY_SECRET);
    }
    expect(fs.readFileSync(path.join(home.dataDir, "logs", "plugins", "talky.log"), "utf8")).not.toContain(TALKY_SECRET);
  });
});

describe("requests fastify refuses before any route (aweb24)", () => {
  const SECURITY_HEADERS = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"];

  it("a malformed %-escape in the address answers in the API's error shape, with every security header, and the Host check still comes first", async () => {
    for (const url of ["/api/books/%zz", "/api/health/%C0%AF", "/%E0%A4%A", "/assets/%zz"]) {
      const answer = await call({ method: "GET", url });
      expect(answer.statusCode, url).toBe(400);
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(Object.keys(S.ErrorBody.strict().parse(answer.json()))).toEqual(["error"]);
      expect(answer.json().error).toMatch(/% that does not start a valid escape .*write % as %25/);
      for (const header of SECURITY_HEADERS) expect(answer.headers[header], `${url} ${header}`).toBeDefined();
    }
    expect((await call({ method: "GET", url: "/api/books/%zz" })).headers["cache-control"]).toBe("no-store");
    // A DNS-rebinding page gets the 421 every other request gets, not an answer of the server.
    const foreign = await call({ method: "GET", url: "/api/books/%zz", headers: { host: "evil.example:8790" } });
    expect(foreign.statusCode).toBe(421);
  });

  it("an id longer than fastify's 100 letters reaches the route and its own answer (a 404 naming it), not a bare 414", async () => {
    const long = "a".repeat(150);
    await bad({ method: "GET", url: `/api/plugins/${long}` }, 404, new RegExp(`no plugin "${long}"`));
    await bad({ method: "GET", url: `/api/health/${long}` }, 404, /a{150}/);
  });

  it("a body over the limit is a 413 naming the limit; a file name under /assets/ that leaves the folder or holds a NUL names the file", async () => {
    await bad({ method: "PUT", url: "/api/settings", headers: { "content-type": "application/json" }, payload: `{"values":{"a":"${"x".repeat(1_100_000)}"}}` }, 413, /larger than 1 MB.*send a smaller one/);
    for (const [url, status] of [["/assets/..%2f..%2fpackage.json", 403], ["/assets/..%5c..%5cpackage.json", 403], ["/assets/app.css%00.js", 400], ["/assets/", 403]] as const) {
      await bad({ method: "GET", url }, status, /^no such file of the web app: \/assets\//);
      expect((await call({ method: "GET", url })).body).not.toMatch(/"name"|"version"/);
    }
  });

  it("a HEAD of the event stream answers its headers and ends, rather than holding the connection open", async () => {
    const answer = await Promise.race([
      call({ method: "HEAD", url: "/api/events" }),
      // Bounded as expect.poll is (30 s): a stream held open never answers; 3 s was short of a loaded machine's inject.
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000).unref()),
    ]);
    expect(answer, "no answer within 30 s").not.toBeNull();
    expect(answer!.statusCode).toBe(200);
    expect(answer!.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(answer!.headers["cache-control"]).toBe("no-store");
  });

  it("the login cookie is Secure when the form was posted over https (a reverse proxy's X-Forwarded-Proto or the page's Origin), not over plain http", async () => {
    const token = "secure-cookie-token-0123456789";
    const guarded = await buildServer(service, { host: "0.0.0.0", token });
    try {
      const login = (headers: Record<string, string>) =>
        guarded.inject({ method: "POST", url: "/login", remoteAddress: "192.0.2.50", headers: { host: "books.example", "content-type": "application/x-www-form-urlencoded", ...headers }, payload: `token=${token}&next=%2F` });
      for (const headers of [{ "x-forwarded-proto": "https" }, { origin: "https://books.example", "x-forwarded-proto": "https" }] as Record<string, string>[]) {
        const answer = await login(headers);
        expect(answer.statusCode).toBe(303);
        expect(String(answer.headers["set-cookie"])).toMatch(/; HttpOnly; SameSite=Strict; .*; Secure$/);
      }
      const plain = await login({ origin: "http://books.example" });
      expect(plain.statusCode).toBe(303);
      expect(String(plain.headers["set-cookie"])).not.toMatch(/Secure/);
    } finally {
      await guarded.close();
    }
  });

  it("takes the access token whatever the case of the Bearer scheme (RFC 9110), and still refuses a wrong one", async () => {
    const token = "case-of-the-scheme-token-0123456789";
    const guarded = await buildServer(service, { host: "0.0.0.0", token, pages: false });
    try {
      const status = (authorization: string) => guarded.inject({ method: "GET", url: "/api/status", remoteAddress: "192.0.2.40", headers: { host: "192.0.2.1:8790", authorization } }).then((r) => r.statusCode);
      for (const scheme of ["Bearer", "bearer", "BEARER"]) expect(await status(`${scheme} ${token}`), scheme).toBe(200);
      expect(await status(`Bearer  ${token} `)).toBe(200);
      expect(await status(`bearer ${token}x`)).toBe(401);
      expect(await status(`Basic ${token}`)).toBe(401);
    } finally {
      await guarded.close();
    }
  });
});
