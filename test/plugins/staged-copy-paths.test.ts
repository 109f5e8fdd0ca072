/**
 * A TypeScript plugin runs from a compiled copy in shelfwise's cache: its load and call errors named that copy
 * (`<data>/cache/plugins/<id>/<hash>/index.js`) in `plugins list`, `plugins health` and the Plugins page, a
 * folder the author never saw. They name the plugin's own folder and its `.ts` file.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createHome, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";

let home: TestHome;
beforeAll(() => {
  requireBuilt();
  home = inProcess(createHome({ books: 1 }));
  home.writeConfig({});
  home.plugin("ts-import", { entry: "index.ts", code: `import "./helper.js";\nexport default class P { process(book: unknown) { return null; } }\n` });
  home.plugin("ts-read", {
    entry: "index.ts",
    code: `import fs from "node:fs";\nexport default class P { process(book: unknown) { return JSON.parse(fs.readFileSync(new URL("./missing.json", import.meta.url), "utf8")); } }\n`,
  });
});
afterAll(() => home.cleanup());

test("load and call errors of a plugin run from a copy name the plugin's own folder", async () => {
  await home.cli(["scan"]);
  await home.cli(["process"]);
  const cache = path.join(home.dataDir, "cache");
  const list = await home.cli(["plugins", "list"]);
  const health = await home.cli(["plugins", "health"]);
  expect(list.stdout + health.stdout).not.toContain(cache);
  const own = (id: string) => path.join(home.pluginDir, id);
  expect(list.stdout).toContain(`Cannot find module '${own("ts-import")}/helper.js' imported from ${own("ts-import")}/index.ts`);
  expect(health.stdout).toContain(`ENOENT: no such file or directory, open '${own("ts-read")}/missing.json'`);
  expect(fs.existsSync(path.join(own("ts-read"), "missing.json"))).toBe(false);
});
