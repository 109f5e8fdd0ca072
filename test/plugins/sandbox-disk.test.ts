/**
 * A plugin's data folder is bounded as a whole (max_data_mb), measured by walking it. A file the plugin
 * deleted, or made with O_TMPFILE, while it keeps it open is in no folder, yet holds its disk space until
 * the last descriptor closes: up to max_file_mb for each of 1,024 descriptors, a terabyte that no walk sees.
 */
import fs from "node:fs";
import { expect, it } from "vitest";
import { layoutPerFile, pluginSpec, startPlugin, testBook } from "./sandbox-fixture.js";

const HOLDER = String.raw`
import os, time

class Holder:
    def process(self, book):
        fd = os.open("held.bin", os.O_CREAT | os.O_RDWR, 0o600)
        os.unlink("held.bin")
        nameless = os.open(".", os.O_TMPFILE | os.O_RDWR, 0o600)
        for target in (fd, nameless):
            for _ in range(2):
                os.write(target, b"x" * (1 << 20))
        time.sleep(60)
        return {"title": "held"}
`;

const ctx = layoutPerFile();

it("counts the files a plugin deleted but holds open against max_data_mb: stopped with the reason, its folder empty", async () => {
  const spec = pluginSpec(ctx.layout, "disk-holder", "python", { "layer.py": HOLDER }, { class_name: "Holder", maxDataMb: 3, timeoutSeconds: 40 });
  const plugin = startPlugin(spec);
  ctx.running.push(plugin);
  const [result] = await plugin.runBatch([testBook("hold")]);
  expect(result?.outcome).toBe("crash");
  expect(result?.error).toMatch(
    /its data folder .*disk-holder holds more than 3 MB \(plugin_configs\.disk-holder\.max_data_mb\), counting 4 MB in files it deleted but keeps open; delete files there, or raise that setting/,
  );
  // Each file alone is under the bound, and neither is in the folder: only their sum, held open, is over it.
  expect(fs.readdirSync(spec.dataDir).filter((name) => name !== ".tmp")).toEqual([]);
});
