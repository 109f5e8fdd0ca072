import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSession } from "../../src/app/open-session.js";
import type { Session } from "../../src/app/session.js";
import { attachHttpSources, reattachHttpSources } from "../../src/app/attach-http-sources.js";
import {
  deleteHttpSource,
  listHttpSources,
  resetHttpSource,
  saveHttpSource,
  saveSecret,
  setHttpSourceEnabled,
  SourceListSchema,
  SourceTestSchema,
  testHttpSource,
} from "../../src/app/http-sources.js";
import { loadConfig } from "../../src/config/config-file.js";
import { startJsonApi, type JsonApiServer } from "../../fixtures/json-api-server.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { withDb } from "../support/db.js";
import { book, signal } from "./source-book.js";
import { sourceHealthView } from "../../src/app/views/plugin-health.js";

const SECRET = "zz-top-secret-4242";
let api: JsonApiServer;
let dir: string;

beforeAll(async () => {
  api = await startJsonApi(() => ({ json: {} }));
});
afterAll(() => api.close());
beforeEach(() => {
  if (dir) removeTempDir(dir);
  dir = makeTempDir("http-sources");
});
afterAll(() => removeTempDir(dir));

function writeConfig(sources: unknown[], extra: Record<string, unknown> = {}): void {
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ http_sources: sources, ...extra }, null, 2));
  fs.writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ cat_key: SECRET }), { mode: 0o600 });
}

const definition = (id = "catalogue", extra: Record<string, unknown> = {}) => ({
  id,
  name: "Home catalogue",
  url_template: `${api.url}/search?q={{title}}`,
  auth: { type: "query", param: "api_key", credential: "cat_key" },
  response_mapping: { title: "$.title", author: "$.author" },
  allow_private: true,
  ...extra,
});

async function withSession<T>(use: (session: Session) => Promise<T> | T): Promise<T> {
  const session = openSession(dir);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

function everythingWritten(): string {
  const log = fs.readFileSync(path.join(dir, "logs", "shelfwise.log"), "utf8");
  const calls = withDb(dir, (db) => JSON.stringify(db.prepare("SELECT * FROM plugin_calls").all()));
  const state = withDb(dir, (db) => JSON.stringify(db.prepare("SELECT * FROM plugin_state").all()));
  return log + calls + state + fs.readFileSync(path.join(dir, "config.json"), "utf8");
}

describe("HTTP sources in a session", () => {
  it("attach as kind http layers next to the plugins, in their order", async () => {
    writeConfig([definition("catalogue", { order: 45 }), definition("off", { enabled: false })]);
    await withSession((session) => {
      const entries = attachHttpSources(session, []);
      expect(entries.map((e) => [e.definition.id, e.state])).toEqual([["catalogue", "active"], ["off", "disabled"]]);
      const layer = session.registry.get("catalogue")!;
      expect(layer.info).toMatchObject({ layer_id: "catalogue", layer_name: "Home catalogue", kind: "http", default_order: 45 });
      expect(layer.sourceId).toBe("http:catalogue");
      expect(layer.weight).toBe(55);
      expect(session.registry.get("off")).toBeUndefined();
    });
  });

  it("an edit saved through the app is picked up by reattaching, without a restart", async () => {
    writeConfig([definition("catalogue")]);
    await withSession(async (session) => {
      attachHttpSources(session, []);
      expect(session.registry.get("catalogue")!.info.default_order).toBe(40);
      saveHttpSource(session, definition("catalogue", { order: 12 }), "catalogue");
      saveHttpSource(session, definition("second"));
      await reattachHttpSources(session, []);
      expect(session.registry.get("catalogue")!.info.default_order).toBe(12);
      expect(session.registry.get("second")).toBeDefined();
      setHttpSourceEnabled(session, "second", false);
      await reattachHttpSources(session, []);
      expect(session.registry.get("second")).toBeUndefined();
    });
  });

  it("refuses an id taken by a plugin or a built-in layer, with a clear reason", async () => {
    writeConfig([definition("my-plugin"), definition("openlibrary"), definition("My-Other"), definition("Embedded-Tags")]);
    await withSession((session) => {
      const entries = attachHttpSources(session, ["my-plugin", "my-other"]);
      expect(entries.map((e) => e.state)).toEqual(["invalid", "invalid", "invalid", "invalid"]);
      expect(entries[0]!.reason).toBe('id "my-plugin" is already the id of a plugin; rename the source (or the plugin)');
      expect(entries[1]!.reason).toBe('id "openlibrary" is the id of a built-in layer; choose another id');
      // Told apart only by case, they would read as one layer in every list.
      expect(entries[2]!.reason).toBe('id "My-Other" is already the id of plugin "my-other" (ids are told apart without case); rename the source (or the plugin)');
      expect(entries[3]!.reason).toBe('id "Embedded-Tags" reads as the built-in layer "embedded_tags" (ids are told apart without case, and - as _); choose another id');
      expect(session.registry.all()).toEqual([]);
    });
  });

  it("warns of a name that reads as a built-in layer's (other scripts' lookalike letters too), a plugin's or another source's, naming the source's id", async () => {
    fs.mkdirSync(path.join(dir, "plugins", "wanted"), { recursive: true });
    fs.writeFileSync(path.join(dir, "plugins", "wanted", "manifest.json"), JSON.stringify({ id: "wanted", name: "Wanted list", entry_point: "index.mjs" }));
    fs.writeFileSync(path.join(dir, "plugins", "wanted", "index.mjs"), "export default class P { process() { return null; } }\n");
    writeConfig([definition("cyr", { name: "P\u0430th" }), definition("spy", { name: "WANTED-LIST" }), definition("twin", { name: "Cyr" }), definition("plain", { name: "Library" })]);
    await withSession((session) => {
      const warnings = Object.fromEntries(listHttpSources(session).map((s) => [s.id, s.warnings]));
      const tail = (id: string) => `; this source's id is ${id} (the id is what switches, health and logs name)`;
      expect(warnings).toEqual({
        cyr: [`name "P\u0430th" reads as the built-in layer path (read U+0430, a Cyrillic letter, as "a")${tail("cyr")}`],
        spy: [`name "WANTED-LIST" reads as plugin wanted${tail("spy")}`],
        twin: [`name "Cyr" reads as HTTP source cyr${tail("twin")}`],
        plain: [],
      });
    });
  });

  it("marks a source invalid when its credential is missing from secrets.json", async () => {
    writeConfig([definition("catalogue", { auth: { type: "bearer", credential: "nope" } })]);
    await withSession((session) => {
      const [entry] = attachHttpSources(session, []);
      expect(entry!.state).toBe("invalid");
      expect(entry!.reason).toMatch(/auth.credential names "nope", which is not in secrets.json/);
    });
  });

  it("records calls, auto-disables after auto_disable_after failures, stays off across sessions, and reset brings it back", async () => {
    writeConfig([definition("catalogue", { breaker_failures: 100, concurrency: 1 })], { auto_disable_after: 3 });
    api.setHandler((r) => ({ status: 500, json: { error: `bad request ${r.url}` } }));
    const before = api.requests.length;
    await withSession(async (session) => {
      attachHttpSources(session, []);
      const layer = session.registry.get("catalogue")!;
      const outcomes = await layer.processBatch([1, 2, 3, 4, 5].map((id) => book(id, { title: `Book ${id}` })), { signal: signal() });
      expect(outcomes.map((o) => o.book_id)).toEqual([1, 2, 3]);
      expect(await layer.processBatch([book(6, { title: "Later" })], { signal: signal() })).toEqual([]);
    });
    expect(api.requests.length - before).toBe(3);
    await withSession((session) => {
      const [row] = SourceListSchema.parse(listHttpSources(session));
      expect(row).toMatchObject({ id: "catalogue", state: "auto-disabled", health: { consecutive_failures: 3, total_processed: 3 } });
      expect(row!.reason).toMatch(/^auto-disabled after 3 consecutive failures \(last: error: Home catalogue answered HTTP 500: it said "bad request \/search\?q=Book%20\d&api_key=\*\*\*"\)/);
      expect(row!.health.recent_errors).toHaveLength(3);
      expect(attachHttpSources(session, [])[0]!.state).toBe("auto-disabled");
      expect(session.registry.get("catalogue")).toBeUndefined();
    });
    await withSession((session) => {
      resetHttpSource(session, "catalogue");
      expect(listHttpSources(session)[0]).toMatchObject({ state: "active", health: { consecutive_failures: 0 } });
    });
    // The query-string credential was sent, but appears in no log line, call record or state.
    expect(new URL(api.requests.at(-1)!.url, "http://x").searchParams.get("api_key")).toBe(SECRET);
    expect(everythingWritten()).not.toContain(SECRET);
  });

  it("records its peak of requests in flight, as a plugin's, for `plugins health` (PEAK)", async () => {
    writeConfig([definition("catalogue", { concurrency: 3 })]);
    // The three answers wait until all three requests have arrived: three were in flight at once.
    const waiting: (() => void)[] = [];
    api.setHandler(async () => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 3) for (const release of waiting.splice(0)) release();
      });
      return { json: { title: "Book" } };
    });
    await withSession(async (session) => {
      attachHttpSources(session, []);
      const outcomes = await session.registry.get("catalogue")!.processBatch([1, 2, 3].map((id) => book(id, { title: "Book" })), { signal: signal() });
      expect(outcomes).toHaveLength(3);
    });
    await withSession((session) => {
      const [row] = SourceListSchema.parse(listHttpSources(session));
      expect(row!.health.peak_in_flight).toBe(3);
      expect(sourceHealthView(row!).peak_in_flight).toBe(3);
    });
  });

  it("a success resets the failure count", async () => {
    writeConfig([definition()], { auto_disable_after: 2 });
    let n = 0;
    api.setHandler(() => (++n % 2 === 1 ? { status: 500, json: {} } : { json: { title: "Book" } }));
    await withSession(async (session) => {
      attachHttpSources(session, []);
      const outcomes = await session.registry.get("catalogue")!.processBatch(
        [1, 2, 3, 4].map((id) => book(id, { title: "Book" })),
        { signal: signal() },
      );
      expect(outcomes).toHaveLength(4);
      expect(listHttpSources(session)[0]!.state).toBe("active");
    });
  });
});

describe("app functions for the web form", () => {
  it("tests an unsaved definition, masking the credential everywhere", async () => {
    writeConfig([]);
    api.setHandler((r) => ({ json: { title: "Dune", author: "Frank Herbert", debug: `you sent ${r.url}` } }));
    await withSession(async (session) => {
      const result = SourceTestSchema.parse(await testHttpSource(session, definition("draft"), { title: "Dune", author: "Frank Herbert" }));
      expect(result.ok).toBe(true);
      expect(result.status).toBe(200);
      expect(result.request!.url).toBe(`${api.url}/search?q=Dune&api_key=***`);
      expect(result.chosen).toEqual({ title: "Dune", author: "Frank Herbert" });
      expect(result.claims).toEqual([
        { field: "title", value: "Dune", accepted: true, reason: null, note: null },
        { field: "author", value: "Frank Herbert", accepted: true, reason: null, note: null },
      ]);
      expect(result.raw_response).toContain("api_key=***");
      expect(JSON.stringify(result)).not.toContain(SECRET);
    });
  });

  it("tests with the values a run would send: a pasted 10 KB title with a line break is cleaned and cut as process cuts it", async () => {
    writeConfig([]);
    api.setHandler(() => ({ json: { title: "Dune" } }));
    const title = `Dune\nMessiah ${"x".repeat(10_000)}`;
    await withSession(async (session) => {
      await testHttpSource(session, definition("draft"), { title, author: "Frank\tHerbert" });
      const sent = new URL(api.requests.at(-1)!.url, api.url).searchParams.get("q")!;
      expect(sent).toBe(`Dune Messiah ${"x".repeat(200 - "Dune Messiah ".length)}`);
    });
  });

  it("never calls the port shelfwise serve noted in the data folder (a run or test from another process included)", async () => {
    writeConfig([]);
    api.setHandler(() => ({ json: { title: "Dune" } }));
    // As `shelfwise serve` on this data folder notes itself in <data-dir>/server.json; here another process's.
    fs.writeFileSync(path.join(dir, "server.json"), JSON.stringify({ pid: 1, port: api.port }));
    const before = api.requests.length;
    await withSession(async (session) => {
      const tested = await testHttpSource(session, definition("draft"), { title: "Dune" });
      expect(tested.ok).toBe(false);
      expect(tested.error).toMatch(/that port is shelfwise's own web server, which no source may call/);
    });
    writeConfig([definition()]);
    await withSession(async (session) => {
      const [entry] = attachHttpSources(session, []);
      const [outcome] = await entry!.layer!.processBatch([book(1, { title: "Dune" })], { signal: signal() });
      expect(outcome).toMatchObject({ error: expect.stringMatching(/shelfwise's own web server/) });
      await entry!.layer!.close?.();
    });
    expect(api.requests.length).toBe(before);
  });

  it("explains an invalid definition field by field", async () => {
    writeConfig([]);
    await withSession(async (session) => {
      await expect(
        testHttpSource(session, { id: "bad id", url_template: "ftp://x/{{titel}}", response_mapping: { colour: "$.c" } }, { title: "Dune" }),
      ).rejects.toThrow(/id": must be 1 to 64 letters, digits, _ or -, not starting with -.*url_template": unknown placeholder \{\{titel\}\}/);
    });
  });

  it("says a definition's wrong kinds of value in the words config.json's loading says them, never zod's", async () => {
    const bad = definition("catalogue", { enabled: "yes", max_requests_per_minute: 1.5, response_mapping: { title: 5 }, method: 7, auth: { type: "bearer" } });
    const words = ['"enabled": must be true or false (no quotes)', '"max_requests_per_minute": must be a whole number', '"response_mapping.title": must be a text in double quotes', '"method": must be one of: "GET", "POST"', '"auth.credential" is not given: must name a key of secrets.json'];
    writeConfig([bad]);
    let loading = "";
    try {
      loadConfig(dir);
    } catch (error) {
      loading = (error as Error).message;
    }
    for (const said of words) expect(loading).toContain(said.replace(/^"/, '"http_sources[0].'));
    writeConfig([]);
    await withSession(async (session) => {
      for (const use of [() => saveHttpSource(session, bad), () => testHttpSource(session, bad, { title: "Dune" })]) {
        let message = "";
        let fields: { field: string; message: string }[] = [];
        try {
          await use();
        } catch (error) {
          message = (error as Error).message;
          fields = (error as { fields: typeof fields }).fields;
        }
        for (const said of words) expect(message).toContain(said);
        expect(message).not.toMatch(/Invalid input|expected \w+, received|Invalid enum/);
        expect(fields).toContainEqual({ field: "response_mapping.title", message: "must be a text in double quotes" });
        expect(fields).toContainEqual({ field: "enabled", message: "must be true or false (no quotes)" });
      }
    });
  });

  it("adds, updates, enables, disables and deletes definitions in config.json, keeping other settings", async () => {
    writeConfig([], { batch_size: 7, some_future_key: { kept: true } });
    await withSession((session) => {
      saveHttpSource(session, definition("one"));
      expect(() => saveHttpSource(session, definition("one"))).toThrow(/already exists/);
      saveHttpSource(session, { ...definition("uno"), timeout: 5 }, "one");
      setHttpSourceEnabled(session, "uno", false);
    });
    let raw = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    expect(raw.batch_size).toBe(7);
    expect(raw.some_future_key).toEqual({ kept: true });
    expect(raw.http_sources).toEqual([{ ...definition("uno"), timeout: 5, enabled: false }]);
    expect(loadConfig(dir).config.http_sources[0]).toMatchObject({ id: "uno", enabled: false, concurrency: 4 });
    await withSession((session) => {
      expect(listHttpSources(session)[0]!.state).toBe("disabled");
      setHttpSourceEnabled(session, "uno", true);
      deleteHttpSource(session, "uno");
      expect(() => deleteHttpSource(session, "uno")).toThrow(/no HTTP source with id "uno"/);
    });
    raw = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    expect(raw.http_sources).toEqual([]);
  });

  it("never writes a secret value into config.json; secrets go to secrets.json", async () => {
    writeConfig([]);
    await withSession((session) => {
      expect(() => saveHttpSource(session, definition("leaky", { description: `key is ${SECRET}` }))).toThrow(
        /contains the value of secret "cat_key"/,
      );
      expect(() => saveHttpSource(session, definition("leaky2", { auth: { type: "bearer", credential: "sk live 123" } }))).toThrow(
        /must be the NAME of a key in secrets.json/,
      );
      expect(() => saveHttpSource(session, definition("path"))).toThrow(/built-in layer/);
      saveSecret(session, "abs_key", "abs-value-777");
    });
    expect(fs.readFileSync(path.join(dir, "config.json"), "utf8")).not.toContain(SECRET);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8"))).toEqual({ cat_key: SECRET, abs_key: "abs-value-777" });
    expect(fs.statSync(path.join(dir, "secrets.json")).mode & 0o777).toBe(0o600);
  });
});
