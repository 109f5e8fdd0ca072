/**
 * The SDK's hand-written types (src/sdk/index.ts and shelfwise/testing's
 * src/plugins/authoring/testing.ts: what authors' editors and tsc see) against
 * the shapes shelfwise really uses (the protocol's zod schemas, the harness).
 * The type assertions are checked by the typecheck (tsc), the rest at run time.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Book, FieldName, PluginResult, ProfileField } from "../../src/sdk/index.js";
import { BasePlugin } from "../../src/sdk/index.js";
import { FIELD_NAMES, type FieldName as DomainFieldName } from "../../src/domain/fields.js";
import { RESULT_FIELDS, type PluginBook, type ResultField } from "../../src/plugins/protocol/protocol.js";
import type * as Internal from "../../src/plugins/authoring/plugin-harness.js";
import type * as Testing from "../../src/plugins/authoring/testing.js";
import type { CallOutcome } from "../../src/plugins/plugin-types.js";
import type { LayerBook } from "../../src/pipeline/layer.js";

describe("shelfwise/plugin types", () => {
  it("name the same fields as the profile and the result", () => {
    expectTypeOf<FieldName>().toEqualTypeOf<DomainFieldName>();
    expectTypeOf<FieldName>().toEqualTypeOf<ResultField>();
    expect([...RESULT_FIELDS]).toEqual([...FIELD_NAMES]);
  });

  it("describe the book the protocol sends, key for key", () => {
    expectTypeOf<keyof Book>().toEqualTypeOf<keyof PluginBook>();
    expectTypeOf<Omit<Book, "profile">>().toEqualTypeOf<Omit<PluginBook, "profile">>();
    expectTypeOf<ProfileField>().toEqualTypeOf<PluginBook["profile"][string]>();
    // What the host builds (every field) fits the author's type, and the other way round.
    expectTypeOf<Book>().toExtend<PluginBook>();
  });

  it("let process() answer a field with null or undefined (no value), as the runtime does", () => {
    expectTypeOf<{ narrator: null; year: undefined; title: "Dune"; series_num: 2 }>().toExtend<PluginResult>();
    expectTypeOf<undefined>().toExtend<PluginResult>();
    expectTypeOf<{ colour: "red" }>().not.toExtend<NonNullable<PluginResult>>();
    class Maybe extends BasePlugin {
      override process(book: Book): PluginResult {
        return book.current_title === "Dune" ? { narrator: book.profile.narrator.value ?? undefined } : undefined;
      }
    }
    expect(new Maybe().process({ current_title: "x" } as Book)).toBeUndefined();
  });
});

describe("shelfwise/testing types", () => {
  it("match the harness they front", () => {
    expectTypeOf<Testing.CallOutcome>().toEqualTypeOf<CallOutcome>();
    expectTypeOf<Testing.TestBook>().toExtend<LayerBook>();
    expectTypeOf<Omit<LayerBook, "sidecars">>().toExtend<Testing.TestBook>();
    expectTypeOf<Testing.MakeBookFields>().toEqualTypeOf<Internal.MakeBookFields>();
    expectTypeOf<Testing.HarnessOptions>().toEqualTypeOf<Internal.HarnessOptions>();
    expectTypeOf<keyof Testing.HarnessCall>().toEqualTypeOf<keyof Internal.HarnessCall>();
    expectTypeOf<Omit<Internal.HarnessCall, "received">>().toExtend<Omit<Testing.HarnessCall, "received">>();
  });

  // testing.ts restates the harness's types by hand (an author's tsc must not load zod's and ajv's) and
  // casts the harness's calls to its own: only these equalities keep the two from drifting, either way.
  it("equal the harness's, type for type and in both directions", () => {
    expectTypeOf<Omit<Testing.HarnessCall, "received">>().toEqualTypeOf<Omit<Internal.HarnessCall, "received">>();
    expectTypeOf<Testing.HarnessCall["received"]>().toEqualTypeOf<Book>();
    expectTypeOf<Internal.HarnessCall["received"]>().toEqualTypeOf<PluginBook>();
    expectTypeOf<Required<Testing.HarnessOptions>>().toEqualTypeOf<Required<Internal.HarnessOptions>>();
    expectTypeOf<Required<Testing.MakeBookFields>>().toEqualTypeOf<Required<Internal.MakeBookFields>>();
    expectTypeOf<Testing.TestBook>().toEqualTypeOf<Omit<LayerBook, "sidecars">>();
    expectTypeOf<Parameters<typeof Testing.makeBook>>().toEqualTypeOf<Parameters<typeof Internal.makeBook>>();
    expectTypeOf<Parameters<typeof Testing.validatePlugin>>().toEqualTypeOf<Parameters<typeof Internal.validatePlugin>>();
    type InternalRun = Parameters<typeof Internal.runPlugin>;
    expectTypeOf<Parameters<typeof Testing.runPlugin>>().toEqualTypeOf<[InternalRun[0], Testing.TestBook[], (Omit<NonNullable<InternalRun[2]>, "profiles"> | undefined)?]>();
    expectTypeOf<Awaited<ReturnType<typeof Testing.runPlugin>>["calls"]>().toEqualTypeOf<Testing.HarnessCall[]>();
    // The plugin as authors see it: each field is the harness's own, non-null where the harness guarantees it.
    type Found = Awaited<ReturnType<typeof Internal.validatePlugin>>;
    expectTypeOf<Testing.HarnessPlugin>().toEqualTypeOf<{
      id: NonNullable<Found["id"]>;
      name: NonNullable<Found["name"]>;
      version: Found["version"];
      runtime: NonNullable<Found["runtime"]>;
      default_order: Found["default_order"];
      folder: Found["folder"];
      manifest: Record<string, unknown>;
      warnings: Found["warnings"];
    }>();
  });
});
