/**
 * `process --layer X` for a layer that exists but may not run: refused with
 * its state and reason (exit 2), nothing run. A disabled plugin was called an
 * unknown layer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
beforeAll(() => {
  requireBuilt();
  home = inProcess(createHome({ books: 1 }));
  home.plugin("reader", { code: nodePlugin(`process() { return { narrator: "Someone" }; }`) });
});
let liarHome: TestHome | undefined;
afterAll(() => {
  home?.cleanup();
  liarHome?.cleanup();
});

describe("process --layer", () => {
  it("a plugin the user disabled: named as disabled with how to enable it, not 'unknown layer'; nothing run", async () => {
    expect((await home.cli(["plugins", "disable", "reader"])).code).toBe(0);
    const result = await home.cli(["process", "--layer", "reader", "--rerun"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^shelfwise: layer "reader" cannot run: it is disabled: disabled by the user \(`shelfwise plugins enable` turns it on\); nothing was done\n$/);
    expect(result.stdout).toBe("");
  });

  it("a plugin that failed to start: its reason, the plugin's words, stays on the one line, escaped", async () => {
    liarHome = inProcess(createHome({ books: 1 }));
    // Fails at every start: its state's reason quotes what it threw.
    liarHome.plugin("liar", { code: nodePlugin(`setup() { throw new Error("bad\\nshelfwise: layer liar ran fine \\u001b[2J"); } process() { return null; }`) });
    const result = await liarHome.cli(["process", "--layer", "liar", "--rerun"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("shelfwise: "))).toEqual([]);
    expect(result.stderr).toMatch(/cannot run: it is failed: .*bad\\nshelfwise: layer liar ran fine \\e\[2J.*; nothing was done\n$/);
  });
});
