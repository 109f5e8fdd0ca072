/**
 * Answers a hostile or careless plugin sends, through real plugin processes
 * (node and Python): whatever comes back, only well-formed text becomes
 * evidence, and the call is recorded as what it was.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginLayer } from "../../src/plugins/manager/plugin-layer.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { books, createSandbox, ensureRunnerBuilt, groupGone, summarize, type Sandbox } from "./runner-harness.js";
import { cleanupRunners, launchSpec as pythonSpec, lmPlugin, writePlugin } from "./python-harness.js";

let box: Sandbox;
beforeAll(() => {
  ensureRunnerBuilt();
  box = createSandbox();
});
afterAll(async () => {
  await box.cleanup();
  cleanupRunners();
  for (const pid of box.pids) expect(groupGone(pid), `process group ${pid} still alive`).toBe(true);
});

describe("text that is not valid Unicode", () => {
  it("node: a value holding half of a surrogate pair is ignored with a warning; the other fields count", async () => {
    const t = box.layer(
      box.plugin("half-pair", `export default class { process() { return { title: "Caf" + "\\u00e9\\ud83d".slice(1), narrator: "Kate Reading" }; } }`),
    );
    const [outcome] = await t.run(books(1));
    expect(summarize(outcome)).toEqual({ narrator: "Kate Reading" });
    expect(outcome).toMatchObject({ warnings: [expect.stringContaining('ignored field "title": it is not valid Unicode')] });
    expect(t.records[0]).toMatchObject({ outcome: "ok", resolved: true });
    // The call log says what was left out: the claim that remained made it read as a clean ok.
    expect((t.records[0] as { error: string | null }).error).toContain('ignored field "title": it is not valid Unicode');
  });

  it("python: a value read from bytes that are not UTF-8 (surrogateescape) is ignored with a warning", async () => {
    const folder = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book):
        latin1 = b"Jos\\xe9 Saramago".decode("utf-8", "surrogateescape")
        replaced = b"Kate Re\\xe9ding".decode("utf-8", "replace")
        return {"author": latin1, "year": 1995, "series": False, "narrator": replaced}
`),
    });
    const spec = pythonSpec(folder, { logFile: path.join(box.root, "logs", "py-latin1.log"), dataDir: path.join(box.root, "data", "py-latin1") });
    fs.mkdirSync(spec.dataDir, { recursive: true });
    const records: unknown[] = [];
    const layer = createPluginLayer({
      info: { layer_id: "py-latin1", layer_name: "py-latin1", description: "", config_enable_key: "plugin_py-latin1_enabled", default_order: 50, kind: "plugin" },
      spec,
      launcher: pythonLauncher,
      weight: 60,
      onCall: (record) => records.push(record),
    });
    try {
      const [outcome] = await layer.processBatch(books(1), { signal: new AbortController().signal });
      expect(summarize(outcome)).toEqual({ year: "1995" });
      expect(outcome).toMatchObject({
        warnings: [
          expect.stringContaining('ignored field "author": it is not valid Unicode'),
          'ignored field "series": false is no value',
          expect.stringContaining('ignored field "narrator": it holds U+FFFD'),
        ],
      });
      // The call log's note names the value lost, not Library Manager's "no opinion" (`series or False`).
      expect(records[0]).toMatchObject({ outcome: "ok", error: expect.stringContaining('ignored field "author": it is not valid Unicode') });
      expect((records[0] as { error: string }).error).toContain('ignored field "narrator": it holds U+FFFD, the mark of bytes that could not be decoded');
      expect((records[0] as { error: string }).error).not.toContain("series");
    } finally {
      await layer.close();
    }
  });
});
