/**
 * A `process` start reads each plugin folder once: staging (a TypeScript plugin's mirror), the fingerprint its
 * layer keeps to notice files changed during the run, its identity hash and its start record each walked the
 * whole folder again, four walks of every plugin folder at every `process`.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHome, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

let home: TestHome;

beforeAll(() => {
  requireBuilt();
  home = inProcess(createHome({ books: 1 }));
  home.plugin("typed", {
    entry: "index.ts",
    code: `import { helper } from "./lib/helper.js";\nexport default { process(): null { return helper(); } };\n`,
    files: { "lib/helper.ts": "export function helper(): null { return null; }\n", "lib/deeper/data.json": "{}" },
  });
});

afterAll(() => home?.cleanup());

it("reads each folder of a plugin once at a start, whatever asks about it", async () => {
  const folder = path.join(home.pluginDir, "typed");
  const reads = new Map<string, number>();
  const original = fs.readdirSync;
  fs.readdirSync = function (this: unknown, dir: fs.PathLike, ...rest: unknown[]) {
    const shown = String(dir);
    if (shown === folder || shown.startsWith(`${folder}/`)) reads.set(shown, (reads.get(shown) ?? 0) + 1);
    return (original as (...args: unknown[]) => unknown).call(this, dir, ...rest);
  } as typeof fs.readdirSync;
  let result;
  try {
    result = await home.cli(["process"]);
  } finally {
    fs.readdirSync = original;
  }
  expect(result.stderr).not.toMatch(/typed: failed/);
  expect(result.code).toBe(0);
  expect(Object.fromEntries(reads)).toEqual({ [folder]: 1, [`${folder}/lib`]: 1, [`${folder}/lib/deeper`]: 1 });
});
