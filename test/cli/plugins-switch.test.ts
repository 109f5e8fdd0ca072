/**
 * `plugins enable|disable|reset` read the plugin folder once: for the id check, before the lock. Under the
 * lock only the database is read. Counted through python_path: discovery checks the interpreter once per
 * read of a folder holding a Python plugin.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { inProcess } from "../support/cli-in-process.js";
import { createHome, pythonPlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
beforeAll(requireBuilt);
afterAll(() => home?.cleanup());

test("disable, enable and reset read the plugin folder once each (the interpreter is checked while the plugin is on)", async () => {
  home = inProcess(createHome());
  const calls = path.join(home.root, "python-calls");
  const python = path.join(home.root, "counting-python");
  fs.writeFileSync(python, `#!/bin/sh\necho call >> '${calls}'\nexec python3 "$@"\n`, { mode: 0o755 });
  home.writeConfig({ python_path: python });
  home.plugin("py", { entry: "plugin.py", code: pythonPlugin(`    def process(self, book_data):\n        return {}\n`) });
  // A disabled plugin's interpreter is not checked: enable reads the folder while it is off.
  const expected: Record<string, number> = { disable: 1, enable: 0, reset: 1 };
  for (const action of ["disable", "enable", "reset"]) {
    fs.rmSync(calls, { force: true });
    const result = await home.cli(["plugins", action, "py"]);
    expect(result.code, result.stderr).toBe(0);
    const counted = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").split("\n").filter(Boolean) : [];
    expect(counted, action).toHaveLength(expected[action]!);
  }
});
