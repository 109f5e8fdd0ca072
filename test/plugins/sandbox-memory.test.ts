/**
 * Memory a plugin holds outside its resident set still counts against
 * memory_mb: files in its private /tmp (a tmpfs, i.e. RAM) and memfds it
 * writes without mapping (in no process's VmRSS, outside RLIMIT_AS).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginProcess } from "../../src/plugins/process/supervisor.js";
import { sandboxReport } from "../../src/plugins/sandbox/wall.js";
import { call, createLayout, ensureBuilt, pluginSpec, startPlugin, type Layout } from "./sandbox-fixture.js";

const HOARDER = String.raw`
import os, time
KEEP = []

def fill_tmp(mb):
    chunk = b"x" * (1 << 20)
    with open("/tmp/hoard", "wb") as f:
        for _ in range(mb):
            f.write(chunk)
    return "wrote %d MB to /tmp" % mb

def fill_memfd(mb):
    fd = os.memfd_create("hoard")
    chunk = b"x" * (1 << 20)
    for _ in range(mb):
        os.write(fd, chunk)
    KEEP.append(fd)
    time.sleep(3)
    return "holds %d MB in a memfd" % mb

class Hoarder:
    def process(self, book):
        how = fill_tmp if book["current_title"] == "tmp" else fill_memfd
        try:
            return {"title": "ok:" + how(int(book["current_author"]))}
        except OSError as e:
            return {"title": "denied:%s" % e}
`;

let layout: Layout;
const running: PluginProcess[] = [];
beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.close()));
  await layout?.cleanup();
});

function hoarder(id: string): PluginProcess {
  const plugin = startPlugin(pluginSpec(layout, id, "python", { "layer.py": HOARDER }, { memoryMb: 64, timeoutSeconds: 15 }));
  running.push(plugin);
  return plugin;
}

describe("memory held in files counts against memory_mb", () => {
  it.runIf(sandboxReport({ runtime: "python", sandbox: {} }).mechanisms.includes("namespace"))(
    "caps the private /tmp at memory_mb",
    async () => {
      const plugin = hoarder("tmp-hoarder");
      expect(await call(plugin, "tmp", "32")).toBe("ok:wrote 32 MB to /tmp");
      expect(await call(plugin, "tmp", "200")).toMatch(/^denied:.*No space left on device/);
    },
  );

  it("kills a plugin that holds more than its limit in a memfd", async () => {
    const result = await call(hoarder("memfd-hoarder"), "memfd", "300");
    expect(result).toMatch(/^call failed: crash exceeded memory limit of 64 MB/);
  });
});
