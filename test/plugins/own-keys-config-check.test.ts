/**
 * shelfwise's own keys of plugin_configs.<id> (memory_mb, timeout, allow_private_network, ...) are judged by
 * shelfwise's schema, not the manifest's config_schema: a schema closed with `additionalProperties: false`
 * disabled a plugin the user only gave more memory, and one with `required`/`const` on allow_private_network
 * kept it disabled until the user granted private addresses.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHome, listedPlugin, nodePlugin, requireBuilt, type ListedPlugin, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

let home: TestHome;

beforeAll(() => {
  requireBuilt();
  home = inProcess(createHome());
  const code = nodePlugin(`process() { return null; }`);
  home.plugin("closed", {
    code,
    manifest: { config_schema: { type: "object", properties: { region: { type: "string" } }, additionalProperties: false } },
  });
  home.plugin("greedy", {
    code,
    manifest: {
      config_schema: {
        type: "object",
        properties: { allow_private_network: { const: true }, extra_read_paths: { minItems: 1 } },
        required: ["allow_private_network", "extra_read_paths"],
      },
    },
  });
  home.plugin("demanding", { code, manifest: { requires_config: ["allow_private_network", "region"] } });
  home.plugin("roundabout", {
    code,
    manifest: {
      config_schema: {
        anyOf: [{ required: ["allow_private_network"] }, { required: ["extra_read_paths"] }],
        allOf: [{ if: { required: ["region"] }, then: { required: ["memory_mb"] } }],
        dependencies: { timeout: ["region"] },
      },
    },
  });
  // The requirement reached through $ref: to $defs (2020-12) and to definitions (draft-07), a chain of them.
  home.plugin("referred", {
    code,
    manifest: {
      config_schema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $ref: "#/$defs/base",
        $defs: { base: { type: "object", required: ["allow_private_network", "region"], properties: { region: { type: "string" } } } },
      },
    },
  });
  home.plugin("defined", {
    code,
    manifest: {
      config_schema: {
        allOf: [{ $ref: "#/definitions/outer" }],
        definitions: { outer: { $ref: "#/definitions/inner" }, inner: { required: ["memory_mb"], dependencies: { timeout: ["extra_read_paths"] } } },
        // The same definition for a nested object: there "memory_mb" is the plugin's own key, still required.
        properties: { retry: { $ref: "#/definitions/inner" } },
      },
    },
  });
  home.plugin("typed", {
    code,
    manifest: { config_schema: { type: "object", properties: { timeout: { type: "integer", minimum: 1 } }, additionalProperties: false } },
  });
});

afterAll(() => home?.cleanup());

async function listed(config: Record<string, unknown>): Promise<ListedPlugin[]> {
  home.writeConfig({ plugin_configs: config });
  return home.json<ListedPlugin[]>(["plugins", "list"]);
}

it("a closed config_schema does not turn shelfwise's own keys into unknown settings", async () => {
  const list = await listed({ closed: { region: "eu", memory_mb: 1024, timeout: 90, source_weight: 40, allow_private_network: false, extra_read_paths: [] } });
  expect(listedPlugin(list, "closed")).toMatchObject({ state: "active", reason: null });
  // The plugin's own keys are still judged by its schema.
  const wrong = await listed({ closed: { region: 5, memory_mb: 1024 } });
  expect(listedPlugin(wrong, "closed").state).toBe("invalid");
  expect(listedPlugin(wrong, "closed").reason).toContain("plugin_configs.closed.region: must be string");
  expect(listedPlugin(wrong, "closed").reason).not.toContain("memory_mb");
});

it("a config_schema cannot require or pin the wall's allowances", async () => {
  expect(listedPlugin(await listed({}), "greedy")).toMatchObject({ state: "active", reason: null });
  expect(listedPlugin(await listed({ greedy: { allow_private_network: false } }), "greedy")).toMatchObject({ state: "active", reason: null });
});

it("nor by a roundabout way: a requirement inside anyOf or then, or one that a key of shelfwise's triggers", async () => {
  expect(listedPlugin(await listed({ roundabout: { region: "eu", timeout: 60 } }), "roundabout")).toMatchObject({ state: "active", reason: null });
  expect(listedPlugin(await listed({ roundabout: { timeout: 60 } }), "roundabout")).toMatchObject({ state: "active", reason: null });
});

it("nor through $ref, $defs or definitions; a nested object referring to the same definition keeps its requirement", async () => {
  expect(listedPlugin(await listed({ referred: { region: "eu" } }), "referred")).toMatchObject({ state: "active", reason: null });
  const missing = listedPlugin(await listed({ referred: {} }), "referred");
  expect(missing.state).toBe("invalid");
  expect(missing.reason).toContain("must have required property 'region'");
  expect(missing.reason).not.toContain("allow_private_network");
  expect(listedPlugin(await listed({ defined: { timeout: 30 } }), "defined")).toMatchObject({ state: "active", reason: null });
  const nested = listedPlugin(await listed({ defined: { retry: {} } }), "defined");
  expect(nested.state).toBe("invalid");
  expect(nested.reason).toContain("plugin_configs.defined.retry: must have required property 'memory_mb'");
});

it("a value shelfwise refuses is still held against the property the plugin declares for it (the plugin gets it too)", async () => {
  expect(listedPlugin(await listed({ typed: { timeout: 45 } }), "typed").state).toBe("active");
  const wrong = listedPlugin(await listed({ typed: { timeout: "ten" } }), "typed");
  expect(wrong.state).toBe("invalid");
  expect(wrong.reason).toContain("plugin_configs.typed.timeout: must be integer");
});

it("plugins validate loads a plugin whose closed schema meets the user's memory_mb", async () => {
  home.writeConfig({ plugin_configs: { closed: { region: "eu", memory_mb: 1024 } } });
  const result = await home.cli(["plugins", "validate", `${home.pluginDir}/closed`]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("ok: closed");
});

it("requires_config cannot require one of shelfwise's own keys: it requires the plugin's own only, with a warning", async () => {
  const list = await listed({ demanding: { region: "eu" } });
  const plugin = listedPlugin(list, "demanding");
  expect(plugin).toMatchObject({ state: "active", reason: null });
  expect(plugin.warnings.join("\n")).toContain(`requires_config: "allow_private_network" is shelfwise's own setting`);
  // Its own key is still required, and only that one is named as missing.
  const missing = await home.cli(["plugins", "validate", `${home.pluginDir}/demanding`]);
  expect(missing.code).toBe(0);
  home.writeConfig({});
  const skipped = await home.cli(["plugins", "validate", `${home.pluginDir}/demanding`]);
  expect(skipped.code).toBe(1);
  expect(skipped.stderr).toContain('missing config: add "region" to');
  expect(skipped.stderr).not.toMatch(/missing config: add "allow_private_network"/);
});
