/**
 * A plugin setting its config_schema marks secret (writeOnly, format "password", secret) is kept in
 * secrets.json as plugin_configs.<id>.<key>, never in config.json: the web app's save moves it there, the
 * plugin's process still gets it in its config, and `config set` refuses to take it from the command line.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import { spawn } from "node:child_process";
import { CLI_BIN } from "../support/cli.js";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import * as S from "../../src/server/schemas.js";
import { apiClient, closeApi, openApi } from "./inject.js";
import { withSecretSettings } from "../../src/plugins/manifest/secret-settings.js";

const KEY = "sk-stored-apart-4821";
const NEW_KEY = "sk-replaced-apart-6610";
const HAND_WRITTEN = "sk-hand-written-9377";
let home: TestHome;
let service: ShelfService | undefined;
let app: FastifyInstance | undefined;
const { ok } = apiClient(() => app!);

/** The CLI as its own process with stdin open (`secrets set` reads the value from it). */
function spawnCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.SHELFWISE_DATA_DIR;
  return spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["pipe", "ignore", "ignore"] });
}

// A digest proves which key the plugin got without printing it (a reversed copy is masked as the key is).
const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 12);
const configText = () => fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
const secretsFile = () => JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")) as Record<string, string>;

beforeAll(async () => {
  requireBuilt();
  home = inProcess(createHome({ books: 1, config: { plugin_configs: { handy: { api_key: HAND_WRITTEN, region: "eu" } } } }));
  // Answers with its key's digest: the key itself, in any spelling, would be masked in its answer.
  const code = (field: string) =>
    `import { createHash } from "node:crypto";\n` +
    nodePlugin(`setup(config) { this.key = config.api_key; this.region = config.region; }
    process() { return { ${field}: this.key ? this.region + ":" + createHash("sha256").update(this.key).digest("hex").slice(0, 12) : "no key" }; }`);
  const schema = { type: "object", required: ["api_key"], properties: { api_key: { type: "string", writeOnly: true }, region: { type: "string" } } };
  home.plugin("keyed", { code: code("narrator"), manifest: { config_schema: { ...schema, properties: { ...schema.properties, pin: { type: "string", secret: true } } } } });
  home.plugin("handy", { code: code("series"), manifest: { config_schema: { ...schema, properties: { api_key: { type: "string", format: "password" }, region: { type: "string" } } } } });
  ({ service, app } = await openApi(home));
});

afterAll(() => closeApi({ app, service, home }));

describe("a secret plugin setting saved in the web app", () => {
  it("goes into secrets.json (0600) under plugin_configs.<id>.<key>, not config.json, and reads as set", async () => {
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/keyed/config", json: { config: { api_key: KEY, region: "us" } } });
    expect(configText()).not.toContain(KEY);
    expect(JSON.parse(configText()).plugin_configs.keyed).toEqual({ region: "us" });
    expect(secretsFile()["plugin_configs.keyed.api_key"]).toBe(KEY);
    expect(fs.statSync(path.join(home.dataDir, "secrets.json")).mode & 0o777).toBe(0o600);
    const view = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/keyed" });
    expect(view.secret_settings).toEqual([
      { name: "api_key", set: true },
      { name: "pin", set: false },
    ]);
    // A save that leaves the key out (the page never has it) keeps it where it is.
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/keyed/config", json: { config: { api_key: "", region: "us" } } });
    expect(secretsFile()["plugin_configs.keyed.api_key"]).toBe(KEY);
    expect(configText()).not.toContain(KEY);
  });

  it("a copy hand-written into config.json moves to secrets.json with the next save, the other settings kept", async () => {
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/handy/config", json: { config: { region: "eu" } } });
    expect(configText()).not.toContain(HAND_WRITTEN);
    expect(JSON.parse(configText()).plugin_configs).toMatchObject({ handy: { region: "eu" }, keyed: { region: "us" } });
    expect(secretsFile()["plugin_configs.handy.api_key"]).toBe(HAND_WRITTEN);
  });

  it("a running server follows `config set` and `secrets set` from the command line: the next page it answers shows them", async () => {
    expect((await ok(S.SettingsView, { method: "GET", url: "/api/settings" })).settings.find((row) => row.key === "confidence_threshold")?.value).toBe(60);
    const set = await home.cli(["config", "set", "confidence_threshold", "72"]);
    expect(set.code, set.stderr).toBe(0);
    expect((await ok(S.SettingsView, { method: "GET", url: "/api/settings" })).settings.find((row) => row.key === "confidence_threshold")?.value).toBe(72);
    expect(service!.session.config.confidence_threshold).toBe(72);
    // A secret setting set from the command line (a process of its own: the value comes on stdin).
    const child = spawnCli(["secrets", "set", "plugin_configs.keyed.pin", "--data-dir", home.dataDir]);
    child.stdin!.end("4711-pin\n");
    const [code] = (await once(child, "close")) as [number];
    expect(code).toBe(0);
    const view = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/keyed" });
    expect(view.secret_settings).toEqual([
      { name: "api_key", set: true },
      { name: "pin", set: true },
    ]);
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.activity.map((a) => a.message)).toEqual(
      expect.arrayContaining(["settings changed outside this server (confidence_threshold): used from now on", "settings changed outside this server (secrets.json): used from now on"]),
    );
    expect((await home.cli(["config", "unset", "confidence_threshold"])).code).toBe(0);
  });

  it("Clear removes a stored one from secrets.json (and a copy hand-written into config.json), as `secrets unset` does", async () => {
    const { call } = apiClient(() => app!);
    await ok(S.PluginView, { method: "PUT", url: "/api/plugins/keyed/config", json: { config: { pin: "48213", region: "us" } } });
    expect(secretsFile()["plugin_configs.keyed.pin"]).toBe("48213");
    // A copy left in config.json by hand too: cleared, the setting is set nowhere.
    const raw = JSON.parse(configText());
    raw.plugin_configs.keyed.pin = "11111";
    fs.writeFileSync(path.join(home.dataDir, "config.json"), JSON.stringify(raw, null, 2));
    const cleared = await call({ method: "DELETE", url: "/api/plugins/keyed/config/pin", headers: { origin: "http://127.0.0.1:8790" } });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.body).not.toMatch(/48213|11111/);
    expect(S.PluginView.parse(cleared.json()).secret_settings).toEqual([
      { name: "api_key", set: true },
      { name: "pin", set: false },
    ]);
    expect(secretsFile()).not.toHaveProperty(["plugin_configs.keyed.pin"]);
    expect(secretsFile()["plugin_configs.keyed.api_key"]).toBe(KEY);
    expect(JSON.parse(configText()).plugin_configs.keyed).toEqual({ region: "us" });
    // The CLI reads it as not set, as after `shelfwise secrets unset plugin_configs.keyed.pin`.
    const listed = await home.json<{ name: string; state: string }[]>(["secrets", "list"]);
    expect(listed.find((row) => row.name === "plugin_configs.keyed.pin")?.state).toBe("not_set");
    // Cleared again: nothing to do, still 200. A setting that is not secret, or a plugin that is not there: refused.
    expect((await call({ method: "DELETE", url: "/api/plugins/keyed/config/pin" })).statusCode).toBe(200);
    const plain = await call({ method: "DELETE", url: "/api/plugins/keyed/config/region" });
    expect(plain.statusCode).toBe(400);
    expect(plain.json().error).toBe("region: not a secret setting of plugin keyed (its secret settings: api_key, pin); a setting shown in the form is cleared there, emptied and saved");
    expect((await call({ method: "DELETE", url: "/api/plugins/nobody/config/pin" })).statusCode).toBe(404);
    // From another site: refused like every change.
    expect((await call({ method: "DELETE", url: "/api/plugins/keyed/config/api_key", headers: { origin: "http://evil.example" } })).statusCode).toBe(403);
    expect(secretsFile()["plugin_configs.keyed.api_key"]).toBe(KEY);
  });

  it("the plugin's process still gets it in its config", async () => {
    await app!.close();
    await service!.close();
    app = service = undefined;
    // Replaced as `shelfwise secrets set plugin_configs.keyed.api_key` replaces it: in secrets.json alone.
    const secrets = secretsFile();
    secrets["plugin_configs.keyed.api_key"] = NEW_KEY;
    fs.writeFileSync(path.join(home.dataDir, "secrets.json"), JSON.stringify(secrets), { mode: 0o600 });
    expect((await home.cli(["scan"])).code).toBe(0);
    const run = await home.cli(["process"]);
    expect(run.code, run.stderr).toBe(0);
    const books = await home.json<{ narrator: string | null; series: string | null }[]>(["books"]);
    expect(books.map((b) => [b.narrator, b.series])).toEqual([[`us:${digest(NEW_KEY)}`, `eu:${digest(HAND_WRITTEN)}`]]);
  });
});

describe("config set of a secret plugin setting", () => {
  it("is refused (exit 2) without echoing the value, pointing to `secrets set`; config.json is not written", async () => {
    const before = configText();
    const refused = await home.cli(["config", "set", "plugin_configs.keyed.api_key", "sk-from-argv-5550"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("shelfwise secrets set plugin_configs.keyed.api_key");
    expect(refused.stderr).not.toContain("sk-from-argv-5550");
    expect(configText()).toBe(before);
    // Named like no key at all: its manifest's mark decides.
    const pin = await home.cli(["config", "set", "plugin_configs.keyed.pin", "48213"]);
    expect(pin.code).toBe(2);
    expect(pin.stderr).toContain("`shelfwise secrets set plugin_configs.keyed.pin` reads it from stdin");
    expect(pin.stderr).not.toContain("48213");
    expect(configText()).toBe(before);
    // One marked secret by its manifest, with nothing stored yet, too.
    fs.rmSync(path.join(home.dataDir, "secrets.json"));
    expect((await home.cli(["config", "set", "plugin_configs.handy.api_key", "sk-from-argv-5551"])).code).toBe(2);
    expect(configText()).toBe(before);
    // `secrets list` names the plugin that uses each such entry, and whether it is set.
    const listed = await home.json<{ name: string; state: string; used_by: { kind: string; id: string }[] }[]>(["secrets", "list"]);
    expect(listed.find((row) => row.name === "plugin_configs.keyed.pin")).toEqual({ name: "plugin_configs.keyed.pin", state: "not_set", used_by: [{ kind: "plugin", id: "keyed" }] });
    // Its other settings are set as before.
    expect((await home.cli(["config", "set", "plugin_configs.keyed.region", "fr"])).code).toBe(0);
  });
});

describe("secret settings merged from a hand-edited secrets.json", () => {
  it("a name such as plugin_configs.__proto__.x is an entry like any other, not a prototype; a key may hold dots", () => {
    const merged = withSecretSettings({ a: { region: "eu" } }, { "plugin_configs.__proto__.x": "v", "plugin_configs.a.k.y": "s", flat: "f" });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, "__proto__")).toBe(true);
    expect(merged.a).toEqual({ region: "eu", "k.y": "s" });
    expect(Object.keys(merged)).toEqual(["a", "__proto__"]);
  });
});
