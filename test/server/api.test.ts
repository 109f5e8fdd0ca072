/**
 * Every API endpoint through fastify's injection, against a real data folder,
 * library and plugin: success, bad input (400 with a message, no stack),
 * response shapes (parsed by the same zod schemas), secret hiding, the
 * same-origin rule and the token rule.
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { spawn } from "node:child_process";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { builtModuleUrl } from "../support/built.js";
import { ShelfService } from "../../src/server/service.js";
import { addLibraryFolder, removeLibraryFolder } from "../../src/app/library-paths.js";
import { openDatabase } from "../../src/store/database.js";
import { buildServer } from "../../src/server/server.js";
import * as S from "../../src/server/schemas.js";
import { apiClient, HOST, closeApi, openApi } from "./inject.js";

const SECRET = "s3cr3t-value-never-shown";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;

const { call, ok, bad } = apiClient(() => app);

/**
 * The library scanned and processed, whichever test runs first: tests that
 * read books must not depend on the "work" test having run before them (a
 * filtered run, `-t`, skips it).
 */
async function libraryReady(): Promise<void> {
  await service.idle();
  const status = service.status();
  if (status.books_total > 0 && status.last_job?.kind === "process") return;
  if (status.books_total === 0) {
    service.startScan();
    await service.idle();
  }
  service.startProcess({});
  await service.idle();
}

beforeAll(async () => {
  home = createHome({ books: 4 });
  fs.mkdirSync(path.join(home.library, "<script>alert(1)</script>", "Evil"), { recursive: true });
  fs.copyFileSync(path.join(home.books[0]!, "01.mp3"), path.join(home.library, "<script>alert(1)</script>", "Evil", "01.mp3"));
  home.plugin("narrators", {
    code: nodePlugin(`setup(config) { this.who = config.reader ?? "Nobody"; } process(book) { return { narrator: this.who }; }`),
    manifest: {
      requires_secrets: ["api_key"],
      config_schema: { type: "object", properties: { reader: { type: "string", minLength: 2 }, retries: { type: "integer", minimum: 0, maximum: 5 } } },
      permissions: { network: ["api.example.com"] },
    },
  });
  home.writeSecrets({ api_key: SECRET });
  home.plugin("broken", { manifestText: "{ not json" });
  ({ service, app } = await openApi(home));
});

afterAll(() => closeApi({ app, service, home }));

describe("work: scan and process", () => {
  it("scan and process run as jobs and the status shows the result", async () => {
    const idle = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(idle.job).toBeNull();
    const scan = await ok(S.JobView, { method: "POST", url: "/api/scan" }, 202);
    expect(scan).toMatchObject({ kind: "scan", state: "running" });
    await service.idle();
    const afterScan = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(afterScan.books_total).toBe(5);
    expect(afterScan.last_job).toMatchObject({ kind: "scan", state: "done" });
    await ok(S.JobView, { method: "POST", url: "/api/process", json: {} }, 202);
    await service.idle();
    const done = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(done.last_job).toMatchObject({ kind: "process", state: "done" });
    expect(done.by_status.identified ?? 0).toBeGreaterThan(0);
    expect(done.layers.find((l) => l.layer_id === "narrators")).toMatchObject({ ok: 5, enabled: true });
    expect(done.problems.some((p) => p.kind === "plugin_invalid")).toBe(true);
  });

  it("process refuses bad input and unknown layers", async () => {
    await bad({ method: "POST", url: "/api/process", json: { rerun: "yes" } }, 400, /body\.rerun: /);
    await bad({ method: "POST", url: "/api/process", json: { extra: 1 } }, 400, /body: Unrecognized key/);
    await bad({ method: "POST", url: "/api/process", json: { layer: "nope" } }, 400, /unknown or inactive layer "nope"/);
    await bad({ method: "POST", url: "/api/process", payload: "{oops", headers: { "content-type": "application/json" } }, 400, /JSON/);
  });

  it("one job at a time: a second is refused while one runs, and stop stops it", async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    service.startJob("process", "held job", async (_job, signal) => {
      await Promise.race([held, new Promise((resolve) => signal.addEventListener("abort", resolve))]);
      return "held";
    });
    await bad({ method: "POST", url: "/api/scan" }, 409, /busy: held job is running/);
    expect((await ok(S.StatusView, { method: "GET", url: "/api/status" })).job).toMatchObject({ label: "held job", state: "running" });
    expect((await ok(S.Ok, { method: "POST", url: "/api/stop" })).message).toMatch(/stopping/);
    await service.idle();
    finish();
    expect((await ok(S.StatusView, { method: "GET", url: "/api/status" })).last_job).toMatchObject({ label: "held job", state: "stopped" });
  });

  it("a job is refused while another process holds the data folder's lock", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", `
      const { acquireDataLock } = await import(${JSON.stringify(builtModuleUrl("store/data-lock.js"))});
      await acquireDataLock(${JSON.stringify(home.dataDir)}, { command: "process" });
      console.log("held");
      setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve()));
      await bad({ method: "POST", url: "/api/scan" }, 409, /is being written by another shelfwise program \(process \d+\), doing: process, since /);
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("stop answers whether something ran", async () => {
    expect((await ok(S.Ok, { method: "POST", url: "/api/stop" })).message).toBe("nothing is running");
  });

  it("a process stopped says what to do in the page's words (its control), not a command", async () => {
    await ok(S.JobView, { method: "POST", url: "/api/process", json: { rerun: true } }, 202);
    expect((await ok(S.Ok, { method: "POST", url: "/api/stop" })).message).toMatch(/stopping/);
    await service.idle();
    const { last_job } = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(last_job).toMatchObject({ kind: "process", state: "stopped", message: "stopped: use Process on the dashboard again to finish" });
    // As the advice says: the books it left pending are processed (the tests after this one read them).
    service.startProcess({});
    await service.idle();
  });
});

describe("books", () => {
  beforeAll(libraryReady, 60_000);

  it("pages, searches, filters and sorts", async () => {
    const all = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=2" });
    expect(all.total).toBe(5);
    expect(all.books).toHaveLength(2);
    const byText = await ok(S.BookPage, { method: "GET", url: "/api/books?text=author%203" });
    expect(byText.books.map((b) => b.author)).toEqual(["Author 3"]);
    const short = await ok(S.BookPage, { method: "GET", url: "/api/books?text=3" });
    expect(short.books.map((b) => b.author)).toEqual(["Author 3"]);
    // The folders above the library root are every book's: they match none (long and short queries).
    const rootName = path.basename(path.dirname(home.library)); // shelfwise-e2e-XXXXXX
    expect(rootName).toContain("e2e");
    for (const above of [rootName, "e2"]) {
      const none = await ok(S.BookPage, { method: "GET", url: `/api/books?text=${encodeURIComponent(above)}` });
      expect(none.books.map((b) => b.path), above).toEqual([]);
    }
    const author = await ok(S.BookPage, { method: "GET", url: "/api/books?author=author%202" });
    expect(author.books.map((b) => b.title)).toEqual(["Title 2"]);
    const sorted = await ok(S.BookPage, { method: "GET", url: "/api/books?sort=author&order=desc&limit=3" });
    expect(sorted.books.map((b) => b.author)).toEqual(["Author 4", "Author 3", "Author 2"]);
    const second = await ok(S.BookPage, { method: "GET", url: "/api/books?sort=author&offset=2&limit=1" });
    expect(second.books[0]!.author).toBe("Author 2");
    const status = await ok(S.BookPage, { method: "GET", url: "/api/books?status=missing" });
    expect(status.total).toBe(0);
    // The comma-separated list `shelfwise books --status` takes: any of them.
    const every = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=500" });
    const some = await ok(S.BookPage, { method: "GET", url: "/api/books?status=missing,identified,pending&limit=500" });
    expect(some.books.map((b) => b.id)).toEqual(every.books.filter((b) => ["identified", "pending"].includes(b.status)).map((b) => b.id));
    expect(some.total).toBeGreaterThan(0);
    const confident = await ok(S.BookPage, { method: "GET", url: "/api/books?min_confidence=1&max_confidence=100&layer_errors=false" });
    expect(confident.total).toBe(5);
    await bad({ method: "GET", url: "/api/books?min_confidence=101" }, 400, /query\.min_confidence/);
  });

  it("refuses bad list queries with a message", async () => {
    await bad({ method: "GET", url: "/api/books?status=bogus" }, 400, /query\.status: unknown status "bogus"; use one of: new, pending/);
    await bad({ method: "GET", url: "/api/books?status=identified,bogus" }, 400, /query\.status: unknown status "bogus"/);
    await bad({ method: "GET", url: "/api/books?status=identified,,new" }, 400, /query\.status: an empty item in "identified,,new"/);
    await bad({ method: "GET", url: "/api/books?limit=0" }, 400, /query\.limit: /);
    await bad({ method: "GET", url: "/api/books?sort=profile" }, 400, /query\.sort: unknown value "profile"; use one of: path, status,/);
    // A mistyped word gets the CLI's "did you mean" (domain/closest-name.ts): the API's answers had none.
    await bad({ method: "GET", url: "/api/books?status=identifed" }, 400, /query\.status: unknown status "identifed" \(did you mean "identified"\?\); use one of: /);
    await bad({ method: "GET", url: "/api/books?sort=confidance&order=decs" }, 400, /query\.sort: unknown value "confidance" \(did you mean "confidence"\?\); use one of: path, .*query\.order: unknown value "decs" \(did you mean "desc"\?\)/);
    await bad({ method: "GET", url: "/api/books?min_confidence=abc" }, 400, /query\.min_confidence: /);
    await bad({ method: "GET", url: "/api/books?wat=1" }, 400, /Unrecognized key/);
  });

  it("shows one book with every field's evidence, its layers and files", async () => {
    const list = await ok(S.BookPage, { method: "GET", url: "/api/books?author=Author%201" });
    const book = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${list.books[0]!.id}` });
    const author = book.profile.author;
    expect(author.value).toBe("Author 1");
    expect(author.evidence.map((e) => e.source)).toContain("embedded_tags");
    expect(book.profile.narrator.evidence).toEqual([expect.objectContaining({ source: "plugin:narrators", value: "Nobody" })]);
    expect(book.layers.map((l) => l.layer_id)).toEqual(expect.arrayContaining(["path", "embedded_tags", "narrators"]));
    expect(book.files[0]!.path).toMatch(/01\.mp3$/);
    await bad({ method: "GET", url: "/api/books/abc" }, 400, /path\.id: /);
    await bad({ method: "GET", url: "/api/books/99999" }, 404, /no book with id 99999/);
  });

  it("a hostile folder name is data, not markup, in the API", async () => {
    const page = await ok(S.BookPage, { method: "GET", url: "/api/books?text=%3Cscript%3E" });
    expect(page.books[0]!.path).toContain("<script>alert(1)</script>");
  });

  it("locks and unlocks a book; reruns it", async () => {
    const { books } = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=1" });
    const id = books[0]!.id;
    await ok(S.Ok, { method: "POST", url: `/api/books/${id}/lock`, json: { locked: true } });
    expect((await ok(S.BookDetailView, { method: "GET", url: `/api/books/${id}` })).locked).toBe(true);
    await ok(S.Ok, { method: "POST", url: `/api/books/${id}/lock`, json: { locked: false } });
    await bad({ method: "POST", url: `/api/books/${id}/lock`, json: { locked: "no" } }, 400, /body\.locked/);
    await bad({ method: "POST", url: "/api/books/4242/lock", json: { locked: true } }, 404, /no book/);
    await ok(S.JobView, { method: "POST", url: `/api/books/${id}/rerun`, json: { layers: ["narrators"] } }, 202);
    await service.idle();
    const after = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${id}` });
    expect(after.layers.find((l) => l.layer_id === "narrators")?.status).toBe("ok");
  });
});

describe("pipeline", () => {
  beforeAll(libraryReady, 60_000);

  it("lists layers in order, saves a new order, refuses a bad one", async () => {
    const before = await ok(S.LayersView, { method: "GET", url: "/api/layers" });
    const ids = before.layers.map((l) => l.layer_id);
    expect(ids.slice(0, 3)).toEqual(["path", "embedded_tags", "sidecar"]);
    const reordered = [ids[1]!, ids[0]!, ...ids.slice(2)];
    const after = await ok(S.LayersView, { method: "PUT", url: "/api/pipeline/order", json: { order: reordered } });
    expect(after.layers.map((l) => l.layer_id)).toEqual(reordered);
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).pipeline_order).toEqual(reordered);
    await bad({ method: "PUT", url: "/api/pipeline/order", json: { order: ["path", "path"] } }, 400, /"path" is listed twice/);
    await bad({ method: "PUT", url: "/api/pipeline/order", json: { order: ["ghost"] } }, 400, /unknown layer ghost/);
    await bad({ method: "PUT", url: "/api/pipeline/order", json: { order: "path" } }, 400, /body\.order/);
  });

  it("switches a built-in layer off and on, runs one layer", async () => {
    const off = await ok(S.LayersView, { method: "POST", url: "/api/layers/sidecar/enabled", json: { enabled: false } });
    expect(off.layers.find((l) => l.layer_id === "sidecar")!.enabled).toBe(false);
    const on = await ok(S.LayersView, { method: "POST", url: "/api/layers/sidecar/enabled", json: { enabled: true } });
    expect(on.layers.find((l) => l.layer_id === "sidecar")!.enabled).toBe(true);
    await bad({ method: "POST", url: "/api/layers/ghost/enabled", json: { enabled: true } }, 404, /no layer "ghost"/);
    const job = await ok(S.JobView, { method: "POST", url: "/api/layers/path/rerun" }, 202);
    expect(job.label).toBe("process (path)");
    await service.idle();
    await ok(S.JobView, { method: "POST", url: "/api/layers/path/run" }, 202);
    await service.idle();
  });
});

describe("plugins", () => {
  beforeAll(libraryReady, 60_000);

  it("lists every plugin folder, the invalid one with its manifest problem", async () => {
    const list = await ok(S.PluginView.array(), { method: "GET", url: "/api/plugins" });
    const broken = list.find((p) => p.key === "broken")!;
    expect(broken.state).toBe("invalid");
    expect(broken.reason).toMatch(/JSON/);
    const good = list.find((p) => p.key === "narrators")!;
    expect(good).toMatchObject({ state: "active", permissions: { network: ["api.example.com"], filesystem: "none" }, secrets: [{ name: "api_key", set: true, granted: true }] });
    const detail = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/narrators" });
    expect(detail.config_schema).toMatchObject({ type: "object" });
    await bad({ method: "GET", url: "/api/plugins/ghost" }, 404, /no plugin "ghost" in /);
    // The CLI's "did you mean" for a mistyped plugin id.
    await bad({ method: "GET", url: "/api/plugins/narators" }, 404, /no plugin "narators" \(did you mean "narrators"\?\) in /);
  });

  it("saves settings validated by config_schema; refuses invalid ones", async () => {
    const saved = await ok(S.PluginView, { method: "PUT", url: "/api/plugins/narrators/config", json: { config: { reader: "Kate Reading", retries: 2 } } });
    expect(saved.config).toEqual({ reader: "Kate Reading", retries: 2 });
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).plugin_configs.narrators).toEqual({ reader: "Kate Reading", retries: 2 });
    await bad({ method: "PUT", url: "/api/plugins/narrators/config", json: { config: { retries: 9 } } }, 400, /plugin_configs\.narrators\.retries: must be <= 5/);
    await bad({ method: "PUT", url: "/api/plugins/narrators/config", json: { config: "x" } }, 400, /body\.config/);
    await bad({ method: "PUT", url: "/api/plugins/broken/config", json: { config: {} } }, 409, /no valid id/);
    // The reloaded plugin uses the new setting on the next run.
    await ok(S.JobView, { method: "POST", url: "/api/layers/narrators/rerun" }, 202);
    await service.idle();
    const { books } = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=1" });
    expect(books[0]!.narrator).toBe("Kate Reading");
  });

  it("secrets are write-only: set, reported as set, never returned anywhere", async () => {
    await ok(S.Ok, { method: "PUT", url: "/api/plugins/narrators/secrets", json: { name: "api_key", value: "another-secret-value" } });
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")).api_key).toBe("another-secret-value");
    await bad({ method: "PUT", url: "/api/plugins/narrators/secrets", json: { name: "web_token", value: "x" } }, 400, /"web_token" is shelfwise.s own web access token/);
    await bad({ method: "PUT", url: "/api/plugins/narrators/secrets", json: { name: "api_key", value: "" } }, 400, /body\.value/);
    await bad({ method: "PUT", url: "/api/plugins/narrators/secrets", json: { name: "api_key", value: "  \t" } }, 400, /body\.value.*white space/);
    for (const url of ["/api/plugins", "/api/plugins/narrators", "/api/status", "/api/settings", "/api/health", "/api/openapi.json", "/api/books"]) {
      const body = (await call({ method: "GET", url })).body;
      expect(body, url).not.toContain("another-secret-value");
      expect(body, url).not.toContain(SECRET);
    }
  });

  it("a secret is granted and revoked per plugin: revoked, the plugin is skipped; granted again, it runs", async () => {
    expect((await ok(S.Ok, { method: "POST", url: "/api/plugins/narrators/revoke", json: { name: "api_key" } })).message).toBe("api_key revoked from narrators");
    let detail = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/narrators" });
    expect(detail).toMatchObject({ state: "skipped", secrets: [{ name: "api_key", set: true, granted: false }] });
    // What to do on the page (its Grant button), not the command `plugins list` names.
    expect(detail.reason).toBe("needs secret api_key, revoked from it: Grant api_key on the page of plugin narrators (Plugins) to give it back");
    await bad({ method: "POST", url: "/api/plugins/narrators/grant", json: { name: "other_key" } }, 400, /does not declare a secret "other_key"/);
    expect((await ok(S.Ok, { method: "POST", url: "/api/plugins/narrators/grant", json: { name: "api_key" } })).message).toBe("api_key granted to narrators");
    detail = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/narrators" });
    expect(detail).toMatchObject({ state: "active", secrets: [{ name: "api_key", set: true, granted: true }] });
  });

  it("disable, enable and reset change the state and reload the plugin", async () => {
    expect((await ok(S.Ok, { method: "POST", url: "/api/plugins/narrators/disable" })).message).toBe("plugin narrators disabled");
    let list = await ok(S.PluginView.array(), { method: "GET", url: "/api/plugins" });
    expect(list.find((p) => p.key === "narrators")!.state).toBe("disabled");
    const layers = await ok(S.LayersView, { method: "GET", url: "/api/layers" });
    expect(layers.layers.find((l) => l.layer_id === "narrators")!.enabled).toBe(false);
    await ok(S.Ok, { method: "POST", url: "/api/plugins/narrators/enable" });
    list = await ok(S.PluginView.array(), { method: "GET", url: "/api/plugins" });
    expect(list.find((p) => p.key === "narrators")!.state).toBe("active");
    expect((await ok(S.Ok, { method: "POST", url: "/api/plugins/narrators/reset" })).message).toMatch(/plugin narrators enabled/);
    await bad({ method: "POST", url: "/api/plugins/ghost/enable" }, 404, /no plugin "ghost"/);
  });

  it("health and the call log", async () => {
    const health = await ok(S.HealthView, { method: "GET", url: "/api/health" });
    const row = health.plugins.find((p) => p.plugin_id === "narrators")!;
    expect(row.success_rate).toBe(1);
    expect(row.total_processed).toBeGreaterThan(0);
    expect(row.p95_duration_ms).not.toBeNull();
    const one = await ok(S.HealthRow, { method: "GET", url: "/api/health/narrators" });
    expect(one.recent.length).toBe(one.total_processed);
    expect(one.recent.every((c) => c.outcome === "ok")).toBe(true);
    await bad({ method: "GET", url: "/api/health/ghost" }, 404, /no plugin "ghost"/);
    const log = await ok(S.CallLogView, { method: "GET", url: "/api/health/narrators/calls?outcome=ok&limit=3" });
    expect(log.calls).toHaveLength(3);
    expect(log.calls.every((c) => c.outcome === "ok")).toBe(true);
    const older = await ok(S.CallLogView, { method: "GET", url: `/api/health/narrators/calls?before=${log.calls[2]!.id}&limit=1` });
    expect(older.calls[0]!.id).toBeLessThan(log.calls[2]!.id);
    await bad({ method: "GET", url: "/api/health/narrators/calls?outcome=great" }, 400, /query\.outcome/);
  });
});

describe("HTTP sources", () => {
  it("lists the configured sources (none here) and refuses an unknown one", async () => {
    const response = await call({ method: "GET", url: "/api/sources" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
    await bad({ method: "POST", url: "/api/sources/ghost/enable" }, 404, /no HTTP source with id "ghost"/);
  });
});

describe("settings and library folders", () => {
  it("shows documented keys, saves valid values, refuses invalid ones", async () => {
    const view = await ok(S.SettingsView, { method: "GET", url: "/api/settings" });
    expect(view.settings.find((s) => s.key === "confidence_threshold")).toMatchObject({ value: 60, default: 60, type: "integer" });
    const saved = await ok(S.SettingsView, { method: "PUT", url: "/api/settings", json: { values: { confidence_threshold: 70 } } });
    expect(saved.settings.find((s) => s.key === "confidence_threshold")!.value).toBe(70);
    expect(service.session.config.confidence_threshold).toBe(70);
    await bad({ method: "PUT", url: "/api/settings", json: { values: { confidence_threshold: 170 } } }, 400, /confidence_threshold: /);
    await bad({ method: "PUT", url: "/api/settings", json: { values: { plugin_configs: {} } } }, 400, /plugin_configs: not a setting this page edits/);
    await bad({ method: "PUT", url: "/api/settings", json: { values: { batch_size: "many" } } }, 400, /batch_size: /);
  });

  it("names each refused key with its problem in plain words (the page shows each beside its field); books' bounds too", async () => {
    const response = await call({ method: "PUT", url: "/api/settings", json: { values: { confidence_threshold: 170, batch_size: 0, naming_template: "{bogus}" } } });
    expect(response.statusCode).toBe(400);
    const body = S.FieldErrorBody.parse(response.json());
    expect(body.fields).toEqual([
      { field: "confidence_threshold", message: "must be at most 100" },
      { field: "batch_size", message: "must be at least 1" },
      { field: "naming_template", message: expect.stringMatching(/^unknown placeholder \{bogus\}/) },
    ]);
    expect(body.error).toMatch(/^confidence_threshold: must be at most 100; batch_size: must be at least 1; naming_template: unknown placeholder/);
    expect(service.session.config.confidence_threshold).toBe(70);
    await bad({ method: "GET", url: "/api/books?min_confidence=101" }, 400, /^query\.min_confidence: must be a number from 0 to 100 \(decimal digits and an optional fraction, e\.g\. 80\) \(got "101"\)$/);
    await bad({ method: "GET", url: "/api/books?limit=0" }, 400, /^query\.limit: must be a whole number from 1 to 500 \(decimal digits, e\.g\. 20\) \(got "0"\)$/);
  });

  it("reads numbers in queries, paths and bodies by the CLI's rule: decimal digits, refused naming the field and what to write", async () => {
    // Number() took these as 16, 10, 1, 0 and 0: `--min-confidence 0x10` is refused on the command line, so here too.
    for (const text of ["0x10", "1e1", "0b1", "", "5abc", "-0", "Infinity"]) {
      await bad({ method: "GET", url: `/api/books?min_confidence=${encodeURIComponent(text)}` }, 400, new RegExp(`^query\\.min_confidence: must be a number from 0 to 100 \\(decimal digits.*\\(got ${JSON.stringify(text)}\\)$`));
    }
    await bad({ method: "GET", url: "/api/books?limit=1.5" }, 400, /^query\.limit: must be a whole number from 1 to 500 .*\(got "1\.5"\)$/);
    await bad({ method: "GET", url: "/api/books?offset=0x0" }, 400, /^query\.offset: must be a whole number from 0 to 10000000/);
    await bad({ method: "GET", url: "/api/books?limit=5&limit=6" }, 400, /^query\.limit: is given more than once; give it once, as a whole number from 1 to 500/);
    await bad({ method: "GET", url: "/api/plan?min_confidence=1e1" }, 400, /^query\.min_confidence: must be a number from 0 to 100/);
    await bad({ method: "GET", url: "/api/history?limit=0x10" }, 400, /^query\.limit: must be a whole number from 1 to 5000/);
    await bad({ method: "GET", url: "/api/health/narrators/calls?before=1e3" }, 400, /^query\.before: must be a positive whole number in decimal digits \(a call id from the log\) \(got "1e3"\)$/);
    await bad({ method: "GET", url: "/api/books/0x1" }, 400, /^path\.id: must be a positive whole number in decimal digits \(an id from the list\) \(got "0x1"\)$/);
    // White space around the digits and a fraction are the CLI's rule too: taken.
    const spaced = await ok(S.BookPage, { method: "GET", url: "/api/books?min_confidence=%205&max_confidence=99.5&limit=%202" });
    expect(spaced.limit).toBe(2);
    // A JSON body holds JSON numbers: a string or a fraction where a whole number goes is refused in the same words.
    await bad({ method: "POST", url: "/api/undo", json: { last: "5" } }, 400, /^body\.last: must be a whole number from 1 to 100000 \(decimal digits, e\.g\. 20\), without quotes \(got the string "5"\)$/);
    await bad({ method: "POST", url: "/api/undo", json: { last: 1.5 } }, 400, /^body\.last: must be a whole number from 1 to 100000 .*\(got 1\.5\)$/);
    await bad({ method: "POST", url: "/api/apply", json: { min_confidence: 101, dry_run: true } }, 400, /^body\.min_confidence: must be a number from 0 to 100 .*\(got 101\)$/);
    await bad({ method: "POST", url: "/api/apply", json: { ids: [0], dry_run: true } }, 400, /^body\.ids\.0: must be a whole number from 1 to/);
  });

  it("adds a readable folder, refuses missing or relative ones, removes one", async () => {
    const extra = path.join(home.root, "more");
    fs.mkdirSync(path.join(extra, "a"), { recursive: true });
    const added = await ok(S.LibraryAddView, { method: "POST", url: "/api/library", json: { path: extra } });
    expect(added.changed).toBe(true);
    expect(added.folders).toEqual(expect.arrayContaining([{ path: extra, exists: true, readable: true }]));
    await bad({ method: "POST", url: "/api/library", json: { path: path.join(home.root, "nowhere") } }, 400, /is not an existing folder/);
    await bad({ method: "POST", url: "/api/library", json: { path: "relative/dir" } }, 400, /give an absolute folder path/);
    // Each refusal names its field, so the page shows it beside the Add folder field (and focuses it).
    for (const given of [path.join(home.root, "nowhere"), "relative/dir"]) {
      const refused = await call({ method: "POST", url: "/api/library", json: { path: given } });
      expect(S.FieldErrorBody.parse(refused.json()).fields).toEqual([{ field: "path", message: expect.stringMatching(/not an existing folder|give an absolute folder path/) }]);
    }
    // A folder listed already, however written, is no change (`library add` says so): `changed` tells the page.
    expect(await ok(S.LibraryAddView, { method: "POST", url: "/api/library", json: { path: `${extra}/` } })).toMatchObject({ path: extra, changed: false });
    expect(await ok(S.LibraryAddView, { method: "POST", url: "/api/library", json: { path: path.join(extra, "a", "..") } })).toMatchObject({ path: extra, changed: false });
    // The rules of `shelfwise library add` (app/library-paths.ts): a book folder inside the library was taken.
    const inner = fs.readdirSync(home.library, { withFileTypes: true }).find((entry) => entry.isDirectory())!.name;
    await bad({ method: "POST", url: "/api/library", json: { path: path.join(home.library, inner) } }, 400, /^path: .* is inside the library folder /);
    const removed = await ok(S.LibraryView, { method: "DELETE", url: "/api/library", json: { path: extra } });
    expect(removed.folders.map((f) => f.path)).toEqual([home.library]);
    await bad({ method: "DELETE", url: "/api/library", json: { path: extra } }, 404, /is not a library folder/);
    // `shelfwise library add` beside the server writes config.json only: the page listed the folders read at start-up.
    addLibraryFolder(home.dataDir, extra);
    expect((await ok(S.LibraryView, { method: "GET", url: "/api/library" })).folders.map((f) => f.path)).toEqual([home.library, extra]);
    removeLibraryFolder(home.dataDir, extra, extra);
    expect((await ok(S.LibraryView, { method: "GET", url: "/api/library" })).folders.map((f) => f.path)).toEqual([home.library]);
  });
});

describe("OpenAPI", () => {
  it("documents every API route from the same schemas", async () => {
    const doc = (await call({ method: "GET", url: "/api/openapi.json" })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const routes = app.printRoutes({ commonPrefix: false });
    for (const url of ["/api/books", "/api/books/{id}", "/api/plugins/{id}/config", "/api/health/{id}/calls", "/api/pipeline/order", "/api/settings", "/api/library"]) {
      expect(doc.paths[url], url).toBeDefined();
    }
    expect(doc.paths["/api/books"]!.get!.responses["200"]).toBeDefined();
    expect(JSON.stringify(doc.paths["/api/books"]!.get)).toContain("min_confidence");
    expect(routes).toContain("openapi.json");
  });
});

describe("security", () => {
  it("sends a strict CSP and never inline script in the page shell", async () => {
    const page = await call({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect(page.headers["content-security-policy"]).not.toMatch(/unsafe-inline/);
    expect(page.body).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await call({ method: "GET", url: "/assets/app.js" })).statusCode).toBe(200);
  });

  it("keeps no API answer in a cache (a browser's or a proxy's): every one, refused ones included, is no-store", async () => {
    for (const url of ["/api/status", "/api/books", "/api/plugins", "/api/settings", "/api/books?min_confidence=abc", "/api/nope"]) {
      expect((await call({ method: "GET", url })).headers["cache-control"], url).toBe("no-store");
    }
  });

  it("refuses cross-site mutating requests", async () => {
    await bad({ method: "POST", url: "/api/scan", headers: { origin: "http://evil.example" } }, 403, /cross-site request refused/);
    await bad({ method: "POST", url: "/api/stop", headers: { "sec-fetch-site": "cross-site" } }, 403, /cross-site/);
    await bad({ method: "POST", url: "/api/process", payload: "layer=path", headers: { "content-type": "text/plain" } }, 415, /application\/json/);
    const same = await call({ method: "POST", url: "/api/stop", headers: { origin: `http://${HOST}` } });
    expect(same.statusCode).toBe(200);
    // A page served with Referrer-Policy: no-referrer (the login form) posts with Origin "null": its
    // Sec-Fetch-Site says whether it came from this site or from a sandboxed frame elsewhere.
    await bad({ method: "POST", url: "/api/stop", headers: { origin: "null" } }, 403, /cross-site/);
    await bad({ method: "POST", url: "/api/stop", headers: { origin: "null", "sec-fetch-site": "cross-site" } }, 403, /cross-site/);
    expect((await call({ method: "POST", url: "/api/stop", headers: { origin: "null", "sec-fetch-site": "same-origin" } })).statusCode).toBe(200);
  });

  it("on loopback refuses a foreign Host header (DNS rebinding)", async () => {
    const response = await app.inject({ method: "GET", url: "/api/status", headers: { host: "attacker.example:8790" } });
    expect(response.statusCode).toBe(421);
  });

  it("bound beyond loopback, every page and call needs the token; the login form sets an HttpOnly SameSite cookie", async () => {
    const token = "t0ken-for-tests-0123456789";
    const open = await buildServer(service, { host: "0.0.0.0", token });
    try {
      const headers = { host: "192.168.1.20:8790" };
      expect((await open.inject({ method: "GET", url: "/api/status", headers })).statusCode).toBe(401);
      expect((await open.inject({ method: "GET", url: "/api/status", headers: { ...headers, authorization: "Bearer wrong" } })).statusCode).toBe(401);
      const page = await open.inject({ method: "GET", url: "/", headers });
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe("/login?next=%2F");
      expect((await open.inject({ method: "GET", url: "/api/status", headers: { ...headers, authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      // A token alone does not let another site post: the Origin check still applies.
      const crossSite = await open.inject({ method: "POST", url: "/api/stop", headers: { ...headers, authorization: `Bearer ${token}`, origin: "http://evil.example" } });
      expect(crossSite.statusCode).toBe(403);
      const wrong = await open.inject({ method: "POST", url: "/login", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, payload: "token=nope&next=%2F" });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers["set-cookie"]).toBeUndefined();
      const login = await open.inject({
        method: "POST",
        url: "/login",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded", origin: "http://192.168.1.20:8790" },
        payload: `token=${token}&next=${encodeURIComponent("//evil.example")}`,
      });
      expect(login.statusCode).toBe(303);
      expect(login.headers.location).toBe("/");
      const cookie = String(login.headers["set-cookie"]);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const withCookie = await open.inject({ method: "GET", url: "/api/status", headers: { ...headers, cookie: cookie.split(";")[0]! } });
      expect(withCookie.statusCode).toBe(200);
      expect(S.StatusView.parse(withCookie.json()).token_required).toBe(false);
      expect(withCookie.body).not.toContain(token);
    } finally {
      await open.close();
    }
  });
});

describe("live status", () => {
  it("streams status events (server-sent events) to a real client", async () => {
    const server2 = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    await server2.listen({ host: "127.0.0.1", port: 0 });
    const port = (server2.server.address() as { port: number }).port;
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const request = http.get({ host: "127.0.0.1", port, path: "/api/events" }, (response) => {
          expect(response.headers["content-type"]).toMatch(/text\/event-stream/);
          let text = "";
          response.setEncoding("utf8").on("data", (chunk: string) => {
            text += chunk;
            if (text.includes("\n\n", text.indexOf("event: status"))) {
              request.destroy();
              resolve(text);
            }
          });
        });
        request.on("error", reject);
      });
      const data = /event: status\ndata: (.*)\n/.exec(first)![1]!;
      expect(S.StatusView.parse(JSON.parse(data)).books_total).toBe(5);
    } finally {
      await server2.close();
    }
  });

  it("tells every page to load afresh (a data event) after a write outside a job: a lock from another tab, another process's commit", async () => {
    const server2 = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    await server2.listen({ host: "127.0.0.1", port: 0 });
    const port = (server2.server.address() as { port: number }).port;
    let text = "";
    let heard: (() => void) | null = null;
    const request = http.get({ host: "127.0.0.1", port, path: "/api/events" }, (response) => {
      response.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
        heard?.();
      });
    });
    const dataEvents = () => text.split("event: data\n").length - 1;
    const until = (test: () => boolean) => new Promise<void>((resolve) => (heard = () => test() && resolve()) && heard());
    try {
      await until(() => text.includes("event: status"));
      const { books } = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=1" });
      await ok(S.Ok, { method: "POST", url: `/api/books/${books[0]!.id}/lock`, json: { locked: true } });
      await until(() => dataEvents() === 1);
      // Another process (a CLI command between jobs) commits; the server sees it before its next answer.
      const other = openDatabase(path.join(home.dataDir, "shelfwise.db"));
      other.prepare("UPDATE books SET locked = 0 WHERE id = ?").run(books[0]!.id);
      other.close();
      await ok(S.StatusView, { method: "GET", url: "/api/status" });
      await until(() => dataEvents() === 2);
      // Nothing written since: no more.
      await ok(S.StatusView, { method: "GET", url: "/api/status" });
      expect(dataEvents()).toBe(2);
    } finally {
      request.destroy();
      await server2.close();
    }
  });

  it("drops a client that stops reading once 4 MB of events wait for it, instead of keeping them all in memory", async () => {
    const server2 = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    await server2.listen({ host: "127.0.0.1", port: 0 });
    const port = (server2.server.address() as { port: number }).port;
    const before = service.hub.size;
    // A raw connection that asks for the stream and then never reads a byte.
    const socket = net.connect(port, "127.0.0.1");
    try {
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.pause();
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      await expect.poll(() => service.hub.size).toBe(before + 1);
      const big = { note: "x".repeat(256 * 1024) };
      // 64 MB of events: far more than the kernel's socket buffers hold, so most would wait in the server.
      for (let i = 0; i < 256 && service.hub.size > before; i++) {
        service.hub.publish("job", big);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(service.hub.size).toBe(before);
    } finally {
      socket.destroy();
      await server2.close();
    }
  });
});

describe("the process job's message", () => {
  it("says what changed for the user, in the CLI's words (not 'N books got a final status')", async () => {
    await libraryReady();
    service.startProcess({});
    await service.idle();
    expect(service.status().last_job?.message).toBe("no book changed");
  });
});

describe("serve's lines for the terminal", () => {
  it("keep a plugin's start error on shelfwise's line: a line break or an escape in it prints nothing of its own", async () => {
    const own = createHome({ books: 0 });
    own.plugin("liar", { code: nodePlugin(`setup() { throw new Error("boom\\nshelfwise: note: every plugin verified\\u001b[2K"); } process() { return {}; }`) });
    const lines: string[] = [];
    const liar = await ShelfService.open(own.dataDir, { autoRun: false, watch: false, log: (line) => lines.push(line) });
    try {
      expect(lines).toContain("plugin liar: failed: setup: setup() failed: boom\\nshelfwise: note: every plugin verified\\e[2K");
      for (const line of lines) expect(line).not.toMatch(/[\n\u001b]/);
    } finally {
      await liar.close();
      own.cleanup();
    }
  });
});
