/**
 * A plugin's config_schema draws its settings form, each field filled with the schema's `default`, and a
 * save sends every field. shelfwise's own settings of plugin_configs.<id> (the wall's allowances, limits,
 * source weight) are the user's grants: a manifest describing them as harmless fields, checked by default,
 * had them saved with the user's next save of any setting.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";
import type { ShelfService } from "../../src/server/service.js";
import * as S from "../../src/server/schemas.js";
import { apiClient, closeApi, HOST, openApi } from "./inject.js";

let home: TestHome;
let service: ShelfService | undefined;
let app: FastifyInstance | undefined;
const { ok, bad } = apiClient(() => app!);

beforeAll(async () => {
  requireBuilt();
  home = inProcess(createHome({ books: 1 }));
  home.plugin("shady", {
    code: nodePlugin(`process() { return null; }`),
    manifest: {
      config_schema: {
        type: "object",
        properties: {
          region: { type: "string", title: "Region", default: "eu" },
          allow_private_network: { type: "boolean", title: "Cache covers", description: "faster", default: true },
          extra_read_paths: { type: "array", items: { type: "string" }, title: "Cover folders", default: ["/root"] },
          source_weight: { type: "number", title: "Quality", enum: [100], default: 100 },
          memory_mb: { type: "integer", default: 16384 },
        },
      },
    },
  });
  home.plugin("closed", {
    code: nodePlugin(`process() { return null; }`),
    manifest: { config_schema: { type: "object", properties: { region: { type: "string" } }, additionalProperties: false } },
  });
  home.plugin("greedy", {
    code: nodePlugin(`process() { return null; }`),
    manifest: {
      config_schema: { type: "object", properties: { region: { type: "string" }, allow_private_network: { const: true } }, required: ["region", "allow_private_network"] },
    },
  });
  home.plugin("plain", { code: nodePlugin(`process() { return null; }`) });
  ({ service, app } = await openApi(home));
});

afterAll(() => closeApi({ app, service, home }));

it("draws shelfwise's own settings as shelfwise describes them, never with the manifest's title, choices or default", async () => {
  const view = await ok(S.PluginDetailView, { method: "GET", url: "/api/plugins/shady" });
  const properties = (view.config_schema as { properties: Record<string, Record<string, unknown>> }).properties;
  // The plugin's own setting keeps what its author wrote.
  expect(properties.region).toEqual({ type: "string", title: "Region", default: "eu" });
  for (const key of ["allow_private_network", "extra_read_paths", "source_weight", "memory_mb"]) {
    expect(properties[key], key).not.toHaveProperty("default");
    expect(properties[key], key).not.toHaveProperty("enum");
    expect(properties[key]!.title, key).toBe(key);
    expect(properties[key]!.description, key).toMatch(/^shelfwise's own setting, not the plugin's/);
  }
  expect(properties.allow_private_network!.type).toBe("boolean");
  expect(properties.source_weight).toMatchObject({ type: "number", minimum: 0, maximum: 100 });
  expect(properties.memory_mb).toMatchObject({ type: "integer", minimum: 32, maximum: 16384 });
});

it("saves shelfwise's own settings beside a closed config_schema, which judges only the plugin's own keys", async () => {
  const saved = await ok(S.PluginView, { method: "PUT", url: "/api/plugins/closed/config", json: { config: { region: "eu", memory_mb: 1024, timeout: 90 } } });
  expect(saved.state).toBe("active");
  const written = JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")) as { plugin_configs: Record<string, unknown> };
  expect(written.plugin_configs.closed).toEqual({ region: "eu", memory_mb: 1024, timeout: 90 });
  await bad({ method: "PUT", url: "/api/plugins/closed/config", json: { config: { region: "eu", colour: "red", memory_mb: 1024 } } }, 400, /^plugin_configs\.closed: must NOT have additional properties$/);
});

it("saves a plugin's settings without the wall's allowance its config_schema requires or pins", async () => {
  const saved = await ok(S.PluginView, { method: "PUT", url: "/api/plugins/greedy/config", json: { config: { region: "eu", allow_private_network: false } } });
  expect(saved.state).toBe("active");
  await bad({ method: "PUT", url: "/api/plugins/greedy/config", json: { config: { allow_private_network: false } } }, 400, /required property 'region'/);
});

it("refuses a value of shelfwise's own settings as `config set` does, with or without a config_schema, in the same words", async () => {
  const before = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
  const cases: [string, string, unknown, string][] = [
    ["plain", "memory_mb", 1, "plugin_configs.plain.memory_mb is 1: must be a whole number from 32 to 16384"],
    ["plain", "timeout", "ten", 'plugin_configs.plain.timeout is "ten": must be a number from 1 to 600'],
    ["plain", "allow_private_network", "yes please", 'plugin_configs.plain.allow_private_network is "yes please": must be true or false'],
    ["plain", "rate_limit_per_minute", 0, "plugin_configs.plain.rate_limit_per_minute is 0: must be a whole number from 1 to 1000000, or null (no limit)"],
    // Declared by the plugin's schema too: named once, in shelfwise's words.
    ["shady", "memory_mb", 16, "plugin_configs.shady.memory_mb is 16: must be a whole number from 32 to 16384"],
  ];
  for (const [id, key, value, message] of cases) {
    const response = await app!.inject({ method: "PUT", url: `/api/plugins/${id}/config`, headers: { host: HOST, "content-type": "application/json" }, payload: JSON.stringify({ config: { [key]: value } }) });
    expect(response.statusCode, response.body).toBe(400);
    const body = S.FieldErrorBody.parse(response.json());
    expect(body.error).toBe(message);
    expect(body.fields).toEqual([{ field: key, message: message.slice(message.indexOf(": ") + 2) }]);
    const typed = typeof value === "string" ? value : JSON.stringify(value);
    const cli = await home.cli(["config", "set", `plugin_configs.${id}.${key}`, typed]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(`${message} (nothing was changed)`);
  }
  // A list is given one path a line on the page, as JSON or comma-separated to `config set`: each is told its way.
  const listOnPage = await app!.inject({ method: "PUT", url: "/api/plugins/plain/config", headers: { host: HOST, "content-type": "application/json" }, payload: JSON.stringify({ config: { extra_read_paths: [7] } }) });
  expect(listOnPage.statusCode, listOnPage.body).toBe(400);
  expect(S.FieldErrorBody.parse(listOnPage.json())).toMatchObject({
    error: "plugin_configs.plain.extra_read_paths is [7]: must be a list of folder paths, one a line",
    fields: [{ field: "extra_read_paths", message: "must be a list of folder paths, one a line" }],
  });
  expect((await home.cli(["config", "set", "plugin_configs.plain.extra_read_paths", "[7]"])).stderr).toContain("plugin_configs.plain.extra_read_paths is [7]: must be a list of folder paths (JSON, or comma-separated)");
  expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).toBe(before);
  // A value hand-written into config.json (run clamped, with a warning) does not block saving another field.
  const written = JSON.parse(before) as Record<string, unknown>;
  fs.writeFileSync(path.join(home.dataDir, "config.json"), JSON.stringify({ ...written, plugin_configs: { plain: { timeout: 9999 } } }));
  await ok(S.PluginView, { method: "PUT", url: "/api/plugins/plain/config", json: { config: { timeout: 9999, region: "eu" } } });
  // In range, it saves.
  const saved = await ok(S.PluginView, { method: "PUT", url: "/api/plugins/plain/config", json: { config: { memory_mb: 512, rate_limit_per_minute: null } } });
  expect(saved.state).toBe("active");
});
