/** docs/cli-json.md is generated from the view schemas; the schemas' own examples must parse with them. */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { VIEW_DOCS } from "../../src/app/views/index.js";
import { EXIT_CODE_DOCS } from "../../src/app/exit-codes.js";
import { cliJsonDocText } from "../../scripts/write-cli-json-doc.js";
import { checkView } from "../support/views.js";

describe("docs/cli-json.md", () => {
  it("is what scripts/write-cli-json-doc.ts writes from the view schemas (run it after changing a view)", () => {
    const onDisk = fs.readFileSync(new URL("../../docs/cli-json.md", import.meta.url), "utf8");
    expect(onDisk === cliJsonDocText(), "docs/cli-json.md is stale: run `npx tsx scripts/write-cli-json-doc.ts`").toBe(true);
  });

  it.each(VIEW_DOCS.map((doc) => [doc.title, doc] as const))("the example of %s matches its schema exactly", (_title, doc) => {
    expect(() => checkView(doc.schema, doc.example)).not.toThrow();
  });

  it("every documented key has a meaning or a self-explaining name, and every key is snake_case", () => {
    const text = cliJsonDocText();
    const keys = [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(50);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9_]+(?:(?:\[\])?\.(?:[a-z0-9_]+|<field>))*(?:\[\])?$/);
  });

  it("the README's exit-code table is the one documented here (one list: EXIT_CODE_DOCS)", () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const table = readme.slice(readme.indexOf("#### Exit codes")).split("\n\n")[1]!;
    expect(table).toBe(["| code | meaning |", "|---|---|", ...EXIT_CODE_DOCS.map((e) => `| ${e.code} | ${e.meaning} |`)].join("\n"));
  });
});
