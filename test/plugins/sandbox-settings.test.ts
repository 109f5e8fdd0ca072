/**
 * config.json to the wall: the global switches reach every launch spec through
 * the one settings builder, and the per-plugin allowances (config-schema.ts)
 * allow nothing extra when mistyped, with a warning that says what to fix.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePluginSandbox } from "../../src/config/config-schema.js";
import { buildPluginSettings } from "../../src/plugins/manager/plugin-settings.js";
import { pluginSandboxSettings } from "../../src/plugins/sandbox/plugin-sandbox-settings.js";

const BASE = { library_paths: [], plugin_configs: {}, python_path: "python3", auto_disable_after: 5 };

describe("sandbox settings from config.json", () => {
  it("sandbox_required and sandbox_disable reach the plugin settings; absent, nothing is switched off", () => {
    const on = buildPluginSettings({
      dataDir: "/data",
      pluginDir: "/data/plugins",
      config: { ...BASE, sandbox_required: true, sandbox_disable: ["namespace"] },
      secrets: {},
    });
    expect(on.sandbox).toEqual({ required: true, disable: ["namespace"] });
    const plain = buildPluginSettings({ dataDir: "/data", pluginDir: "/data/plugins", config: BASE, secrets: {} });
    expect(plain.sandbox).toEqual({ required: false, disable: [] });
  });

  it("allowances: extra_read_paths resolve against the data folder; the global switches and protected folders are kept", () => {
    const settings = pluginSandboxSettings(
      { required: true, disable: ["landlock"] },
      { allow_private_network: true, extra_read_paths: ["covers", "/srv/art", "  "] },
      ["/data", "/data/plugins"],
      "/data",
    );
    expect(settings).toEqual({
      required: true,
      disable: ["landlock"],
      allow_private_network: true,
      extra_read_paths: [path.resolve("/data", "covers"), "/srv/art"],
      protect: ["/data", "/data/plugins"],
    });
  });

  it("mistyped allowances allow nothing extra and say what to fix", () => {
    const { settings, warnings } = resolvePluginSandbox("p", { allow_private_network: "yes", extra_read_paths: "/etc" });
    expect(settings).toEqual({ allow_private_network: false, extra_read_paths: [] });
    expect(warnings).toEqual([
      'plugin_configs.p.allow_private_network: must be true or false (got "yes"); private addresses stay refused',
      'plugin_configs.p.extra_read_paths: must be a list of folder paths (got "/etc"); entries that are not strings are ignored',
    ]);
    const mixed = resolvePluginSandbox("p", { extra_read_paths: ["/srv/ok", 7] });
    expect(mixed.settings.extra_read_paths).toEqual(["/srv/ok"]);
    expect(mixed.warnings).toHaveLength(1);
    expect(resolvePluginSandbox("p", {}).warnings).toEqual([]);
  });
});
