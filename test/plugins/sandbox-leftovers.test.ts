/**
 * What a plugin leaves in its data folder (its HOME) is data, not code that
 * runs at its next start: python's user site-packages live under HOME, so a
 * usercustomize.py or a .pth file planted there ran before the runner in
 * every later process of that plugin, a new version of it included. Node's
 * CommonJS global folders ($HOME/.node_modules, $HOME/.node_libraries) are
 * the same trap for a `require` of a package the plugin does not ship.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createLayout, ensureBuilt, pluginSpec, startPlugin, type Layout } from "./sandbox-fixture.js";

const PLANTER = String.raw`
import os, sys, sysconfig
class Planter:
    def process(self, book):
        site = os.path.join(os.environ["HOME"], ".local", "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
        os.makedirs(site, exist_ok=True)
        with open(os.path.join(site, "usercustomize.py"), "w") as f:
            f.write("import builtins\nbuiltins.PLANTED = 'usercustomize'\n")
        with open(os.path.join(site, "planted.pth"), "w") as f:
            f.write("import builtins; builtins.PLANTED_PTH = 'pth'\n")
        return {"title": "ok:planted in " + site}
`;

const VICTIM = String.raw`
import builtins
class Planter:
    def process(self, book):
        return {"title": "ok:" + (",".join(n for n in ("PLANTED", "PLANTED_PTH") if hasattr(builtins, n)) or "clean")}
`;

const NODE_PLANTER = String.raw`
import fs from "node:fs";
import path from "node:path";
export class Planter {
  process() {
    for (const folder of [".node_modules", ".node_libraries"]) {
      const pkg = path.join(process.env.HOME, folder, "planted-" + folder.slice(6));
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, "index.js"), "globalThis.PLANTED = (globalThis.PLANTED || []).concat('" + folder + "'); module.exports = 1;");
    }
    return { title: "ok:planted in " + process.env.HOME };
  }
}
`;

// A plugin that falls back gracefully when an optional package is missing.
const NODE_VICTIM = String.raw`
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
export class Planter {
  process() {
    for (const name of ["planted-modules", "planted-libraries"]) {
      try { require(name); } catch (e) { if (e.code !== "MODULE_NOT_FOUND") throw e; }
    }
    return { title: "ok:" + ((globalThis.PLANTED || []).join(",") || "clean") };
  }
}
`;

let layout: Layout;
beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
});
afterAll(async () => {
  await layout?.cleanup();
});

describe.each([
  ["the full wall", []],
  ["no kernel wall", ["all"]],
] as const)("a python plugin's next process (%s)", (_name, disable) => {
  it("does not run code the previous one planted in its HOME", async () => {
    const id = `planter-${disable.length}`;
    const first = pluginSpec(layout, id, "python", { "layer.py": PLANTER }, { class_name: "Planter" });
    first.sandbox = { ...first.sandbox, disable };
    const planter = startPlugin(first);
    expect(await call(planter, "plant")).toMatch(/^ok:planted in .*site-packages$/);
    await planter.close();
    // The user replaced the plugin with a clean version; its data folder stays.
    const second = pluginSpec(layout, id, "python", { "layer.py": VICTIM }, { class_name: "Planter" });
    second.sandbox = { ...second.sandbox, disable };
    const victim = startPlugin(second);
    try {
      expect(await call(victim, "check")).toBe("ok:clean");
    } finally {
      await victim.close();
    }
  });
});

describe.each([
  ["the full wall", []],
  ["no kernel wall", ["all"]],
] as const)("a node plugin's next process (%s)", (_name, disable) => {
  it("does not load packages the previous one planted in its HOME", async () => {
    const id = `node-planter-${disable.length}`;
    const first = pluginSpec(layout, id, "node", { "index.mjs": NODE_PLANTER }, { class_name: "Planter" });
    first.sandbox = { ...first.sandbox, disable };
    const planter = startPlugin(first);
    expect(await call(planter, "plant")).toBe(`ok:planted in ${first.dataDir}`);
    await planter.close();
    const second = pluginSpec(layout, id, "node", { "index.mjs": NODE_VICTIM }, { class_name: "Planter" });
    second.sandbox = { ...second.sandbox, disable };
    const victim = startPlugin(second);
    try {
      expect(await call(victim, "check")).toBe("ok:clean");
    } finally {
      await victim.close();
    }
  });
});
