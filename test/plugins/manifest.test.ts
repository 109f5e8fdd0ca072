import fs from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { checkManifest, checkPluginConfig, manifestJsonSchema, runtimeForEntry, withSchemaVerdicts, type SchemaVerdicts } from "../../src/plugins/manifest/manifest-schema.js";
import { manifestSchemaText } from "../../scripts/write-manifest-schema.js";
import { jsonMemberText } from "../../src/plugins/manifest/json-member-text.js";

const LABEL = "plugins/my-plugin/manifest.json";
const BASE = { id: "my-plugin", name: "My plugin", entry_point: "index.js" };

/** A schema of objects in objects, `levels` properties deep (2 JSON levels each, plus the top). */
function nestedSchema(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "object" };
  for (let i = 0; i < levels; i++) schema = { type: "object", properties: { a: schema } };
  return schema;
}

/** An array nested `levels` deep: [[[...]]]. */
function nestedArray(levels: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

function errorsFor(patch: Record<string, unknown>, remove: string[] = []): string[] {
  const raw: Record<string, unknown> = { ...BASE, ...patch };
  for (const key of remove) delete raw[key];
  return checkManifest(raw, LABEL).errors;
}

describe("manifest rules", () => {
  // One row per rule: the manifest change and the exact message a user sees.
  const rejected: [string, Record<string, unknown>, string[], string][] = [
    ["id missing", {}, ["id"], "id: is required"],
    ["id with a space", { id: "my plugin" }, [], 'id: must be 1 to 64 letters, digits, _ or -, not starting with - (got "my plugin")'],
    ["id too long", { id: "a".repeat(65) }, [], "id: must be 1 to 64 letters, digits, _ or -, not starting with -"],
    ["id empty", { id: "" }, [], 'id: must be 1 to 64 letters, digits, _ or -, not starting with - (got "")'],
    ["id with a dot", { id: "a.b" }, [], 'id: must be 1 to 64 letters, digits, _ or -, not starting with - (got "a.b")'],
    ["id a number", { id: 7 }, [], "id: must be a string (got 7)"],
    ["id reserved", { id: "node_modules" }, [], 'id: "node_modules" is reserved (got "node_modules")'],
    // A key of plugin_configs and of many maps: under __proto__ a saved setting was lost, constructor read Object as its settings.
    // A $ref loop overflowed the compiler's stack: "Maximum call stack size exceeded" said nothing to fix.
    [
      "config_schema a $ref loop",
      { config_schema: { $ref: "#/definitions/a", definitions: { a: { $ref: "#/definitions/a" } } } },
      [],
      'config_schema: is not a valid JSON Schema: its $ref references lead back to themselves with no schema between ({"$ref": "#/definitions/a"} inside "a"): point each $ref at a schema that judges something',
    ],
    ["id __proto__", { id: "__proto__" }, [], 'id: "__proto__" is reserved (a name every JavaScript object has); choose another id (got "__proto__")'],
    ["id constructor", { id: "constructor" }, [], 'id: "constructor" is reserved (a name every JavaScript object has); choose another id (got "constructor")'],
    ["id toString", { id: "toString" }, [], 'id: "toString" is reserved (a name every JavaScript object has); choose another id (got "toString")'],
    ["name missing", {}, ["name"], "name: is required"],
    ["name blank", { name: "   " }, [], 'name: must be a non-empty string (got "   ")'],
    ["name not a string", { name: ["x"] }, [], "name: must be a non-empty string (got an array)"],
    ["version a boolean", { version: true }, [], 'version: must be a string such as "1.2.0" (got true)'],
    ["description an object", { description: {} }, [], "description: must be a string (got an object)"],
    ["type other than layer", { type: "exporter" }, [], 'type: must be "layer" (got "exporter")'],
    ["entry_point missing", {}, ["entry_point"], "entry_point: is required"],
    ["entry_point empty", { entry_point: "" }, [], 'entry_point: must not be empty (got "")'],
    ["entry_point ../", { entry_point: "../x.js" }, [], 'entry_point: must stay inside the plugin folder (no "..")'],
    ["entry_point nested ..", { entry_point: "lib/../../x.js" }, [], 'entry_point: must stay inside the plugin folder (no "..")'],
    ["entry_point absolute", { entry_point: "/etc/x.js" }, [], "entry_point: must be a path relative to the plugin folder, not an absolute path"],
    ["entry_point drive letter", { entry_point: "C:\\x.js" }, [], "entry_point: must be a path relative to the plugin folder, not an absolute path"],
    ["entry_point .rb", { entry_point: "main.rb" }, [], "entry_point: must end in .js, .mjs, .cjs, .ts, .mts or .py"],
    ["entry_point .d.ts-less .tsx", { entry_point: "main.tsx" }, [], "entry_point: must end in .js, .mjs, .cjs, .ts, .mts or .py"],
    ["entry_point upper-case .JS", { entry_point: "MAIN.JS" }, [], "entry_point: must end in .js, .mjs, .cjs, .ts, .mts or .py"],
    ["class_name with a dot", { class_name: "a.B" }, [], 'class_name: must be a class or export name (letters, digits, _ or $) (got "a.B")'],
    ["default_order float", { default_order: 1.5 }, [], "default_order: must be an integer from 1 to 999 (got 1.5)"],
    ["default_order boolean", { default_order: true }, [], "default_order: must be an integer from 1 to 999 (got true)"],
    ["default_order string", { default_order: "35" }, [], 'default_order: must be an integer from 1 to 999 (got "35": write 35, a number without quotes)'],
    ["default_order zero", { default_order: 0 }, [], "default_order: must be an integer from 1 to 999 (got 0)"],
    ["default_order 1000", { default_order: 1000 }, [], "default_order: must be an integer from 1 to 999 (got 1000)"],
    // Failing two checks the same way, it was named twice.
    ["default_order 1e308", { default_order: 1e308 }, [], "default_order: must be an integer from 1 to 999 (got 1e+308)"],
    ["default_order null", { default_order: null }, [], "default_order: must be an integer from 1 to 999 (got null)"],
    ["requires_config a string", { requires_config: "api_key" }, [], 'requires_config: must be an array of strings (got "api_key": write ["api_key"], a list)'],
    ["requires_config item a number", { requires_config: ["a", 2] }, [], "requires_config[1]: must be a string (got 2)"],
    ["requires_secrets item empty", { requires_secrets: [""] }, [], 'requires_secrets[0]: must not be empty (got "")'],
    ["requires_secrets shelfwise's own", { requires_secrets: ["API_KEY", "web_token"] }, [], "requires_secrets[1]: is shelfwise's own secret (the web server's access token); a plugin cannot ask for it"],
    ["requires_secrets an HTTP source's key", { requires_secrets: ["sources.abs.key"] }, [], "requires_secrets[0]: is an HTTP source's own key (sources.<id>.<key> names only sources' keys); a plugin cannot ask for it"],
    // Another plugin's secret setting (kept in secrets.json as plugin_configs.<id>.<key>): first use would hand it over.
    ["requires_secrets a plugin's secret setting", { requires_secrets: ["plugin_configs.other.api_key"] }, [], "requires_secrets[0]: is a plugin's secret setting (plugin_configs.<id>.<key> is given in that plugin's config only); a plugin cannot ask for it"],
    ["config_schema an array", { config_schema: [] }, [], "config_schema: must be a JSON Schema object (got an array)"],
    ["config_schema invalid", { config_schema: { type: "nope" } }, [], "config_schema: is not a valid JSON Schema: config_schema/type must be equal to one of the allowed values"],
    // JSON carries a lone surrogate as an escape; the compiler stopped at it with "URI malformed".
    ["config_schema a key with a lone surrogate", { config_schema: { type: "object", properties: { ok: { type: "object", properties: { "bad\ud800": { type: "string" } } } } } }, [], 'config_schema: config_schema["properties"]["ok"]["properties"]["bad\\ud800"] is a key that is not valid Unicode'],
    ["config_schema old draft", { config_schema: { $schema: "http://json-schema.org/draft-04/schema#" } }, [], "config_schema: is not a valid JSON Schema: unsupported $schema"],
    ["permissions a list", { permissions: ["network"] }, [], "permissions: must be an object (got an array)"],
    ["network a string", { permissions: { network: "api.example.com" } }, [], 'permissions.network: must be an array of host names (got "api.example.com": write ["api.example.com"], a list)'],
    // Each entry that would open more than one domain's hosts, or is no host at all, says what to write instead.
    ["network every host", { permissions: { network: ["*"] } }, [], "permissions.network[0]: * would allow every host: list the hosts the plugin connects to (api.example.com), or *.example.com for one domain's subdomains"],
    ["network a top-level wildcard", { permissions: { network: ["*.com"] } }, [], "permissions.network[0]: *.com would allow every domain under com, which anyone can register names under: name the domain, as in *.example.com"],
    ["network a public-suffix wildcard", { permissions: { network: ["https://*.co.uk/"] } }, [], "permissions.network[0]: *.co.uk would allow every domain under co.uk"],
    ["network a hosting-domain wildcard", { permissions: { network: ["*.github.io"] } }, [], "permissions.network[0]: *.github.io would allow every domain under github.io"],
    ["network a wildcard inside a name", { permissions: { network: ["api.*.example.com"] } }, [], "permissions.network[0]: a wildcard may only be the whole first label, as in *.example.com"],
    ["network an address range", { permissions: { network: ["10.0.0.0/8"] } }, [], "permissions.network[0]: an address range is not allowed: list each address the plugin connects to"],
    ["network an address wildcard", { permissions: { network: ["192.168.1.*"] } }, [], "permissions.network[0]: an address range is not allowed"],
    ["network an empty entry", { permissions: { network: [""] } }, [], "permissions.network[0]: must not be empty: write a host name such as api.example.com"],
    ["network only spaces", { permissions: { network: ["  "] } }, [], "permissions.network[0]: must not be empty"],
    ["network a space inside", { permissions: { network: ["api .example.com"] } }, [], "permissions.network[0]: must be one host name, without spaces, such as api.example.com"],
    ["network not a host", { permissions: { network: ["a_b.example.com"] } }, [], "permissions.network[0]: must be a host name like api.example.com, a URL, or *.example.com for a domain's subdomains"],
    ["network bad punycode", { permissions: { network: ["xn--zz.example"] } }, [], "permissions.network[0]: must be a host name like api.example.com"],
    ["filesystem write", { permissions: { filesystem: "write" } }, [], 'permissions.filesystem: must be "read" or "none" (got "write")'],
    ["api_version 2", { api_version: 2 }, [], "api_version: plugin needs shelfwise plugin API 2; this shelfwise supports API 1"],
    ["api_version 0", { api_version: 0 }, [], "api_version: must be a positive integer (got 0)"],
    ["api_version string", { api_version: "1" }, [], 'api_version: must be a positive integer (got "1": write 1, a number without quotes)'],
    ["name too long", { name: "n".repeat(201) }, [], `name: must be at most 200 characters (got 201: "${"n".repeat(56)}...)`],
    ["name too long once trimmed", { name: ` ${"n".repeat(201)} ` }, [], "name: must be at most 200 characters (got 203: "],
    ["version too long", { version: "1".repeat(101) }, [], "version: must be at most 100 characters (got 101: "],
    ["description too long", { description: "d".repeat(4001) }, [], "description: must be at most 4000 characters (got 4001: "],
    ["class_name too long", { class_name: "C".repeat(201) }, [], "class_name: must be at most 200 characters (got 201: "],
    ["entry_point too long", { entry_point: `${"a/".repeat(600)}x.js` }, [], "entry_point: must be at most 1024 characters (got 1204: "],
    ["a requires_config key too long", { requires_config: ["k".repeat(201)] }, [], "requires_config[0]: must be at most 200 characters (got 201: "],
    ["a requires_secrets key too long", { requires_secrets: ["k".repeat(201)] }, [], "requires_secrets[0]: must be at most 200 characters (got 201: "],
    ["too many requires_config keys", { requires_config: Array.from({ length: 101 }, (_, i) => `k${i}`) }, [], "requires_config: must be at most 100 keys (got 101)"],
    ["too many requires_secrets keys", { requires_secrets: Array.from({ length: 101 }, (_, i) => `k${i}`) }, [], "requires_secrets: must be at most 100 keys (got 101)"],
    ["config_schema too large", { config_schema: { type: "object", description: "d".repeat(70_000) } }, [], "config_schema: must be at most 65536 bytes as JSON (got 70034)"],
    // 5,000 levels fit in the size bound and overflowed the stack ("Maximum call stack size exceeded").
    ["config_schema nested 5,000 levels", { config_schema: nestedSchema(2500) }, [], "config_schema: must nest objects and arrays at most 32 levels deep (a settings form needs a dozen at most); flatten it"],
    ["config_schema nested 33 levels", { config_schema: { type: "object", default: nestedArray(32) } }, [], "config_schema: must nest objects and arrays at most 32 levels deep"],
    // Shown in plugins list, layers, the pages and reasons: a character that redraws a terminal line or shows a
    // name in another order than stored is refused, named, rather than trusted to every place that shows it.
    ["name with a terminal escape", { name: "Path\u001b[2K" }, [], "name: has a control character (U+001B) at character 5; remove it"],
    ["name with a C1 escape", { name: "x\u009b2Kevil" }, [], "name: has a control character (U+009B) at character 2; remove it"],
    ["version with a line break", { version: "1.0\nfake" }, [], "version: has a line break (U+000A) at character 4; remove it"],
    ["description with a carriage return kept, a C1 escape not", { description: "one\r\ntwo\u009b2K" }, [], "description: has a control character (U+009B) at character 9; remove it"],
    ["a requires_config key with an escape", { requires_config: ["k\u001b[31m"] }, [], "requires_config[0]: has a control character (U+001B) at character 2; remove it"],
    ["a requires_secrets key with a line break", { requires_secrets: ["A\nB"] }, [], "requires_secrets[0]: has a line break (U+000A) at character 2; remove it"],
    ["too many network hosts", { permissions: { network: Array.from({ length: 101 }, (_, i) => `h${i}.example.com`) } }, [], "permissions.network: must be at most 100 host names (got 101)"],
  ];

  it.each(rejected)("rejects %s", (_case, patch, remove, message) => {
    const errors = errorsFor(patch, remove);
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(`${LABEL}: ${message}`)).toBe(true);
  });

  const accepted: [string, Record<string, unknown>][] = [
    ["the minimum", {}],
    ["default_order 1", { default_order: 1 }],
    ["default_order 999", { default_order: 999 }],
    ["a python entry point in a subfolder", { entry_point: "src/plugin.py" }],
    ["a .mts entry point", { entry_point: "main.mts" }],
    ["host names and addresses", { permissions: { network: ["api.example.com", "localhost", "127.0.0.1", "::1"] } }],
    ["filesystem read", { permissions: { filesystem: "read" } }],
    ["a 2020-12 config_schema", { config_schema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" } }],
    ["a draft-07 config_schema with a custom keyword", { config_schema: { type: "object", "x-secret": true } }],
    ["a config_schema nested 32 levels", { config_schema: { type: "object", default: nestedArray(31) } }],
    ["requires lists", { requires_config: ["base_url"], requires_secrets: ["API_KEY"] }],
    ["a description of several lines, with a tab", { description: "Finds narrators.\r\n\n\tBy name." }],
    // A right-to-left name may carry direction marks: the pages isolate them, the CLI writes them as escapes.
    ["a name with direction controls", { name: "\u202bשם\u202c \u200fx" }],
    [
      "every text at its limit",
      {
        name: "n".repeat(200),
        version: "v".repeat(100),
        description: "d".repeat(4000),
        class_name: "C".repeat(200),
        entry_point: `${"a".repeat(1021)}.js`,
        requires_config: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(200, "k")),
        requires_secrets: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(200, "s")),
        permissions: { network: Array.from({ length: 100 }, (_, i) => `h${i}.example.com`) },
      },
    ],
    [
      "Library Manager's own example manifest",
      {
        id: "example-logger",
        name: "Example Logger Plugin",
        version: "1.0.0",
        description: "A minimal example plugin that logs book data and returns empty results. Use as a template for building your own plugins.",
        type: "layer",
        entry_point: "layer.py",
        class_name: "ExampleLoggerPlugin",
        default_order: 35,
        requires_config: [],
        requires_secrets: [],
        permissions: { network: [], database: "read" },
      },
    ],
  ];

  it.each(accepted)("accepts %s", (_case, patch) => {
    expect(errorsFor(patch)).toEqual([]);
  });

  // Library Manager reads "version" and permissions.network as information, so its manifests hold a number
  // and URLs; shelfwise runs them unchanged and says how it read them.
  it("reads a Library Manager manifest's numeric version and URL, port and Unicode hosts, noting each", () => {
    const result = checkManifest(
      {
        ...BASE,
        version: 1.2,
        permissions: { network: ["https://API.example.com/v1", "http://user:hunter2@media.example.com:8443/x", " api.example.org ", "*.Example.net", "bücher.de", "localhost", "[::1]", "xn--bcher-kva.de"] },
      },
      LABEL,
    );
    expect(result.errors).toEqual([]);
    expect(result.manifest?.version).toBe("1.2");
    expect(result.manifest?.permissions.network).toEqual(["api.example.com", "media.example.com", "api.example.org", "*.example.net", "xn--bcher-kva.de", "localhost", "::1", "xn--bcher-kva.de"]);
    expect(result.warnings).toEqual([
      `${LABEL}: permissions.network[0]: read as api.example.com (scheme https, path dropped)`,
      `${LABEL}: permissions.network[1]: read as media.example.com (scheme http, user name and password, port 8443, path dropped: a plugin may reach the hosts it lists on any port)`,
      `${LABEL}: permissions.network[2]: read as api.example.org (the spaces around it dropped)`,
      `${LABEL}: permissions.network[4]: read as xn--bcher-kva.de (the ASCII form of bücher.de, which is what is looked up)`,
      `${LABEL}: version: a number, shown as "1.2"; write it as text ("version": "1.2") to keep what a number drops, such as the 0 of 1.10`,
    ]);
    // A password in a URL is never repeated.
    expect(result.warnings.join("\n")).not.toContain("hunter2");
  });

  it("fills defaults", () => {
    const { manifest } = checkManifest(BASE, LABEL);
    expect(manifest).toMatchObject({
      type: "layer",
      default_order: 35,
      requires_config: [],
      requires_secrets: [],
      permissions: { network: [], filesystem: "none" },
      api_version: 1,
    });
  });

  it("reports every problem at once", () => {
    const errors = checkManifest({ id: "bad id", default_order: 2.5 }, LABEL).errors;
    expect(errors).toEqual([
      `${LABEL}: id: must be 1 to 64 letters, digits, _ or -, not starting with - (got "bad id")`,
      `${LABEL}: name: is required`,
      `${LABEL}: entry_point: is required`,
      `${LABEL}: default_order: must be an integer from 1 to 999 (got 2.5)`,
    ]);
  });

  it("says how to write a value of the wrong type, for the slips authors make", () => {
    expect(errorsFor({ requires_secrets: "api_key", requires_config: "", default_order: "50", concurrency: " 2 " })).toEqual([
      `${LABEL}: default_order: must be an integer from 1 to 999 (got "50": write 50, a number without quotes)`,
      `${LABEL}: concurrency: must be a whole number from 1 to 32 (got " 2 ": write 2, a number without quotes)`,
      `${LABEL}: requires_config: must be an array of strings (got "": write [])`,
      `${LABEL}: requires_secrets: must be an array of strings (got "api_key": write ["api_key"], a list)`,
    ]);
    // Library Manager's informational key often holds a URL: the host is what to write.
    expect(errorsFor({ permissions: { network: "https://api.example.com/v1" } })).toEqual([
      `${LABEL}: permissions.network: must be an array of host names (got "https://api.example.com/v1": write ["api.example.com"], a list of host names)`,
    ]);
    // No obvious rewrite: the value alone, as before.
    expect(errorsFor({ default_order: "soon" })).toEqual([`${LABEL}: default_order: must be an integer from 1 to 999 (got "soon")`]);
  });

  it.each([
    ["an array", [BASE], "must contain a JSON object (got an array)"],
    ["a string", "hello", 'must contain a JSON object (got "hello")'],
    ["null", null, "must contain a JSON object (got null)"],
  ])("rejects a manifest that is %s", (_case, raw, message) => {
    expect(checkManifest(raw, LABEL)).toEqual({ manifest: null, errors: [`${LABEL}: ${message}`], warnings: [] });
  });

  it("warns about unknown keys and the ignored database permission, without failing", () => {
    const result = checkManifest({ ...BASE, homepage: "x", permissions: { database: "read", gpu: true } }, LABEL);
    expect(result.errors).toEqual([]);
    expect(result.manifest?.id).toBe("my-plugin");
    expect(result.warnings).toEqual([
      `${LABEL}: homepage: unknown key, ignored`,
      `${LABEL}: permissions.gpu: unknown key, ignored`,
      `${LABEL}: permissions.database: ignored; plugins never get database access`,
    ]);
  });

  it("warns that a config_schema property named as shelfwise's own setting is not the plugin's to describe", () => {
    const config_schema = { type: "object", properties: { region: { type: "string" }, allow_private_network: { type: "boolean", default: true }, timeout: { type: "integer" } } };
    const result = checkManifest({ ...BASE, config_schema }, LABEL);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(
      ["allow_private_network", "timeout"].map(
        (key) =>
          `${LABEL}: config_schema: properties["${key}"] is shelfwise's own setting of plugin_configs.<id> (the user's grant or limit), not the plugin's: ` +
          `the settings page draws it as shelfwise describes it, without this schema's title, help or default; give the plugin's own setting another name`,
      ),
    );
  });

  it("says what picks the runtime to an author who writes a runtime key", () => {
    expect(checkManifest({ ...BASE, runtime: "python" }, LABEL).warnings).toEqual([
      `${LABEL}: runtime: not a manifest key, ignored: the entry_point's extension picks the runtime (.py: Python; .js, .mjs, .cjs, .ts, .mts: Node)`,
    ]);
  });

  it("names the key a misspelt one was meant as: camelCase, other case, - or no _, a slip of a letter", () => {
    const { entry_point: _entry, ...noEntry } = BASE;
    const result = checkManifest({ ...noEntry, entryPoint: "index.js", Class_Name: "A", defualt_order: 3, requires_secret: ["k"], colour: 1, idd: 2, permissions: { netwrok: ["a.com"] } }, LABEL);
    expect(result.errors).toEqual([`${LABEL}: entry_point: is required (the manifest has "entryPoint": write it entry_point)`]);
    expect(result.warnings).toEqual([
      `${LABEL}: entryPoint: unknown key, ignored (did you mean entry_point?)`,
      `${LABEL}: Class_Name: unknown key, ignored (did you mean class_name?)`,
      `${LABEL}: defualt_order: unknown key, ignored (did you mean default_order?)`,
      `${LABEL}: requires_secret: unknown key, ignored (did you mean requires_secrets?)`,
      `${LABEL}: colour: unknown key, ignored`,
      `${LABEL}: idd: unknown key, ignored`,
      `${LABEL}: permissions.netwrok: unknown key, ignored (did you mean permissions.network?)`,
    ]);
    // Beside the key itself it is a key of the author's own, not a slip.
    expect(checkManifest({ ...BASE, entryPoint: "x.js" }, LABEL).warnings).toEqual([`${LABEL}: entryPoint: unknown key, ignored`]);
  });

  it("names the key meant when it is there too but empty (a scaffold's placeholder), and a limit only config.json sets", () => {
    const result = checkManifest(
      { ...BASE, requires_secrets: [], requires_secret: ["api_key"], config_schema: {}, configSchema: { type: "object" }, timout_seconds: 30, memory_mb: 512, "Setup-Timeout": 9 },
      LABEL,
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      `${LABEL}: requires_secret: unknown key, ignored (did you mean requires_secrets? the manifest has requires_secrets too, and only it counts: merge this one into it)`,
      `${LABEL}: configSchema: unknown key, ignored (did you mean config_schema? the manifest has config_schema too, and only it counts: merge this one into it)`,
      `${LABEL}: timout_seconds: unknown key, ignored (timeout is not the manifest's to set: it is the user's setting plugin_configs.my-plugin.timeout in config.json, in seconds)`,
      `${LABEL}: memory_mb: unknown key, ignored (memory_mb is not the manifest's to set: it is the user's setting plugin_configs.my-plugin.memory_mb in config.json, in MB)`,
      `${LABEL}: Setup-Timeout: unknown key, ignored (setup_timeout is not the manifest's to set: it is the user's setting plugin_configs.my-plugin.setup_timeout in config.json, in seconds)`,
    ]);
    // Keys of the manifest's own that are also settings are the manifest's: no word about config.json.
    expect(checkManifest({ ...BASE, concurrency: 2, rate_limit_per_minute: 30 }, LABEL).warnings).toEqual([]);
  });

  it("names at most 10 unknown keys, each cut to 60 characters, and counts the rest", () => {
    const raw: Record<string, unknown> = { ...BASE, ["k".repeat(100_000)]: 1 };
    for (let i = 0; i < 50_000; i++) raw[`junk${i}`] = i;
    const result = checkManifest(raw, LABEL);
    expect(result.manifest?.id).toBe("my-plugin");
    expect(result.warnings).toHaveLength(11);
    expect(result.warnings[0]).toBe(`${LABEL}: ${"k".repeat(57)}...: unknown key, ignored`);
    expect(result.warnings[10]).toBe(`${LABEL}: 49991 more unknown keys, ignored`);
  });
});

describe("what ajv said yes to, remembered (status need not load ajv)", () => {
  const schema = { type: "object", properties: { file: { type: "string", pattern: "^[^/]+\\.csv$" } }, required: ["file"] };
  it("repeats only a yes, for exactly that schema and config", () => {
    const first: SchemaVerdicts = { known: new Set(), learned: new Set() };
    withSchemaVerdicts(first, () => {
      expect(checkManifest({ ...BASE, config_schema: schema }, LABEL).errors).toEqual([]);
      expect(checkPluginConfig("p", schema, { file: "books.csv" })).toEqual([]);
      expect(checkPluginConfig("p", schema, { file: "../books.csv" })).toEqual(["plugin_configs.p.file: must match pattern \"^[^/]+\\.csv$\""]);
    });
    // The schema compiles, the first config conforms: two yeses; the no is not remembered.
    expect(first.learned.size).toBe(2);
    const later: SchemaVerdicts = { known: first.learned, learned: new Set() };
    withSchemaVerdicts(later, () => {
      expect(checkPluginConfig("p", schema, { file: "books.csv" })).toEqual([]);
      // Another config, or the same config against an edited schema, is asked again.
      expect(checkPluginConfig("p", schema, { file: "a/b.csv" })).toEqual(["plugin_configs.p.file: must match pattern \"^[^/]+\\.csv$\""]);
      expect(checkPluginConfig("p", { ...schema, required: ["file", "key"] }, { file: "books.csv" })).toEqual(["plugin_configs.p: must have required property 'key'"]);
      expect(checkManifest({ ...BASE, config_schema: { ...schema, type: "nope" } }, LABEL).errors).toHaveLength(1);
    });
    expect(later.learned.size).toBe(0);
  });
});

describe("runtimeForEntry", () => {
  it.each([
    ["a.js", "node"],
    ["a.mjs", "node"],
    ["a.cjs", "node"],
    ["a.ts", "node"],
    ["a.mts", "node"],
    ["a.py", "python"],
    ["a.tsx", null],
    ["a", null],
  ])("%s -> %s", (file, runtime) => {
    expect(runtimeForEntry(file)).toBe(runtime);
  });
});

describe("published JSON Schema", () => {
  it("is up to date on disk (run: npx tsx scripts/write-manifest-schema.ts)", () => {
    const onDisk = fs.readFileSync(new URL("../../schemas/manifest.schema.json", import.meta.url), "utf8");
    expect(onDisk).toBe(manifestSchemaText());
  });

  // Editors validate with the JSON Schema; it must agree with the runtime check.
  const validate = new Ajv2020({ strict: false }).compile(manifestJsonSchema());
  it.each([
    ["the minimum", BASE, true],
    ["an unknown key", { ...BASE, homepage: "x" }, true],
    ["a python plugin", { ...BASE, entry_point: "plugin/main.py", default_order: 10 }, true],
    ["no id", { name: "x", entry_point: "a.js" }, false],
    ["a float order", { ...BASE, default_order: 1.5 }, false],
    ["an escaping entry point", { ...BASE, entry_point: "../a.js" }, false],
    ["an absolute entry point", { ...BASE, entry_point: "/a.js" }, false],
    ["a .rb entry point", { ...BASE, entry_point: "a.rb" }, false],
    ["api_version 2", { ...BASE, api_version: 2 }, false],
    ["the reserved id", { ...BASE, id: "node_modules" }, false],
    ["an id every object has", { ...BASE, id: "hasOwnProperty" }, false],
    ["declared hosts", { ...BASE, permissions: { network: ["api.example.com", "127.0.0.1", "::1", "localhost", "xn--bcher-kva.example"] } }, true],
    ["a URL as host", { ...BASE, permissions: { network: ["https://api.example.com/v1"] } }, true],
    ["a wildcard host", { ...BASE, permissions: { network: ["*.example.com"] } }, true],
    ["a host with a port", { ...BASE, permissions: { network: ["api.example.com:443"] } }, true],
    ["a hex-looking host with a port", { ...BASE, permissions: { network: ["cafe.be:80"] } }, true],
    ["a host with a path", { ...BASE, permissions: { network: ["api.example.com/v1"] } }, true],
    ["every host", { ...BASE, permissions: { network: ["*"] } }, false],
    ["a wildcard inside a name", { ...BASE, permissions: { network: ["api.*.example.com"] } }, false],
    ["an address range", { ...BASE, permissions: { network: ["10.0.0.0/8"] } }, false],
    ["a top-level wildcard", { ...BASE, permissions: { network: ["*.com"] } }, false],
    ["an empty host", { ...BASE, permissions: { network: [""] } }, false],
    ["a numeric version", { ...BASE, version: 1.2 }, true],
    ["a boolean version", { ...BASE, version: true }, false],
    ["a declared secret", { ...BASE, requires_secrets: ["api_key"] }, true],
    ["the web server's token as a secret", { ...BASE, requires_secrets: ["web_token"] }, false],
    ["an HTTP source's key as a secret", { ...BASE, requires_secrets: ["sources.abs.key"] }, false],
    ["a secret whose name only contains sources.", { ...BASE, requires_secrets: ["my_sources.key"] }, true],
  ])("agrees with the runtime check on %s", (_case, raw, valid) => {
    expect(validate(raw)).toBe(valid);
    expect(checkManifest(raw, LABEL).errors.length === 0).toBe(valid);
  });
});

describe("jsonMemberText: a top-level value as written (a Python plugin's self.version, as in Library Manager)", () => {
  it("keeps what JSON.parse loses (1.0, 1.10, a long integer), finds the key past nested ones, escaped and repeated", () => {
    const text = ' { "permissions": {"version": 9, "a": ["}", "\\"version\\""]}, "name": "v{1}",\n "version" : 1.0 , "x": [1.5] }';
    expect(JSON.parse(text).version).toBe(1);
    expect(jsonMemberText(text, "version")).toBe("1.0");
    expect(jsonMemberText('{"version": 1.10}', "version")).toBe("1.10");
    expect(jsonMemberText('{"version":12345678901234567890}', "version")).toBe("12345678901234567890");
    expect(jsonMemberText('{"vers\\u0069on": 2e0, "version": 3}', "version")).toBe("3");
    expect(jsonMemberText('{"version": 3, "vers\\u0069on": 2e0}', "version")).toBe("2e0");
    expect(jsonMemberText('{"name": "x"}', "version")).toBeNull();
    expect(jsonMemberText("[1]", "version")).toBeNull();
  });
});

describe("checkManifest: keys Library Manager runs with when null", () => {
  it("reads null (and a class_name of \"\") as not set, with a note; keys Library Manager fails on stay errors", () => {
    const result = checkManifest(
      { ...BASE, version: null, description: null, class_name: "", requires_config: null, permissions: { network: null, filesystem: "read" } },
      LABEL,
    );
    expect(result.errors).toEqual([]);
    expect(result.manifest).toMatchObject({ requires_config: [], permissions: { network: [], filesystem: "read" } });
    expect(result.manifest?.version).toBeUndefined();
    expect(result.manifest?.class_name).toBeUndefined();
    expect(result.warnings).toEqual(["version", "description", "class_name", "requires_config", "permissions.network"].map((key) => `${LABEL}: ${key}: ${key === "class_name" ? '""' : "null"}, read as not set`));
    expect(checkManifest({ ...BASE, permissions: null }, LABEL).manifest?.permissions.network).toEqual([]);
    expect(checkManifest({ ...BASE, requires_secrets: null }, LABEL).errors).toEqual([`${LABEL}: requires_secrets: must be an array of strings (got null)`]);
  });
});
