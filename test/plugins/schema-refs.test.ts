/**
 * What shelfwise reads out of a config_schema follows its references as ajv does: to a JSON pointer, an
 * `$anchor`, a `$dynamicAnchor`, a draft-07 `"$id": "#name"` or a subschema's `$id`. A setting marked secret in
 * a shared definition went unmasked, and a requirement on one of shelfwise's keys behind an anchor or an `$id`
 * made the plugin invalid.
 */
import { describe, expect, it } from "vitest";
import { checkManifest, checkPluginConfig } from "../../src/plugins/manifest/manifest-schema.js";
import { secretSettingNames } from "../../src/plugins/manifest/secret-settings.js";

const DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema";

/** The same plugin schema, its definition reached by each kind of reference. */
const byKind: Record<string, Record<string, unknown>> = {
  pointer: { $schema: DRAFT_2020, $ref: "#/$defs/base", $defs: { base: base({ $ref: "#/$defs/key" }), key: key() } },
  $anchor: { $schema: DRAFT_2020, $ref: "#base", $defs: { base: { $anchor: "base", ...base({ $ref: "#key" }) }, key: { $anchor: "key", ...key() } } },
  $id: {
    $schema: DRAFT_2020,
    $id: "https://plugins.example/config",
    $ref: "base.json",
    $defs: { base: { $id: "base.json", ...base({ $ref: "key.json" }) }, key: { $id: "key.json", ...key() } },
  },
  $dynamicRef: {
    $schema: DRAFT_2020,
    $dynamicRef: "#base",
    $defs: { base: { $dynamicAnchor: "base", ...base({ $dynamicRef: "#key" }) }, key: { $dynamicAnchor: "key", ...key() } },
  },
  "draft-07 $id": { $ref: "#base", definitions: { base: { $id: "#base", ...base({ $ref: "#key" }) }, key: { $id: "#key", ...key() } } },
};

function base(keyRef: Record<string, unknown>): Record<string, unknown> {
  return { type: "object", required: ["allow_private_network", "memory_mb", "region"], properties: { region: { type: "string" }, api_key: keyRef } };
}

function key(): Record<string, unknown> {
  return { type: "string", minLength: 8, writeOnly: true };
}

describe.each(Object.entries(byKind))("a config_schema reaching its definitions by %s", (kind, schema) => {
  it("marks a setting secret where its definition does", () => {
    expect(secretSettingNames(schema)).toEqual(["api_key"]);
  });

  it("requires none of shelfwise's own keys behind it, and still judges the plugin's own", () => {
    expect(checkPluginConfig("p", schema, { region: "eu", api_key: "0123456789" })).toEqual([]);
    expect(checkPluginConfig("p", schema, { api_key: "short" })).toEqual([
      "plugin_configs.p: must have required property 'region'",
      "plugin_configs.p.api_key: must NOT have fewer than 8 characters",
    ]);
  });
});

it("a setting marked secret through allOf or a nested reference chain is secret too; an unmarked one is not", () => {
  expect(
    secretSettingNames({
      allOf: [{ $ref: "#/$defs/a" }],
      properties: { plain: { type: "string" } },
      $defs: { a: { properties: { token: { $ref: "#/$defs/b" } } }, b: { allOf: [{ $ref: "#/$defs/c" }] }, c: { format: "password" } },
    }),
  ).toEqual(["token"]);
  // A loop of references ends.
  expect(secretSettingNames({ properties: { x: { $ref: "#/$defs/l" } }, $defs: { l: { $ref: "#/$defs/l" } } })).toEqual([]);
});

describe("a reference the checker cannot follow makes the manifest invalid, naming it and the fix", () => {
  const errors = (config_schema: Record<string, unknown>) =>
    checkManifest({ id: "p", name: "P", version: "1.0.0", entry_point: "index.mjs", config_schema }, "manifest.json").errors;

  it("a $dynamicRef to an anchor named nowhere (it was taken as the root: a setting judged by the whole schema)", () => {
    expect(errors({ $schema: DRAFT_2020, type: "object", properties: { region: { $dynamicRef: "#regoin" } }, $defs: { r: { $dynamicAnchor: "region", type: "string" } } })).toEqual([
      `manifest.json: config_schema: is not a valid JSON Schema: "$dynamicRef": "#regoin" at #/properties/region leads to nothing in the schema (no "$dynamicAnchor", "$anchor" or pointer "#regoin"): name the subschema it means with "$dynamicAnchor": "regoin", or point at it with "$ref"`,
    ]);
  });

  it("a $ref to another document: never fetched, copy it into $defs", () => {
    expect(errors({ properties: { region: { $ref: "https://schemas.example/region.json" } } })).toEqual([
      `manifest.json: config_schema: is not a valid JSON Schema: can't resolve reference https://schemas.example/region.json from id # (a reference is followed only inside config_schema, never fetched: copy another document's schema into "$defs" and point at it with "#/$defs/NAME"; an "$anchor" or "$id" is matched exactly as the reference spells it)`,
    ]);
  });
});
