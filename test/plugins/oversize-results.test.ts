/**
 * An answer past the protocol's 1 MiB is refused by the runner as soon as its size passes the limit
 * (`too_large`, recorded as invalid_output), never encoded whole: a 25 MB answer took seconds to encode
 * and pipe, only to be thrown away by the host. Each plugin counts, in its own process, how much of the
 * answer the encoder read: nothing past the limit is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginProcess, type PluginProcess } from "../../src/plugins/process/supervisor.js";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { createPythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { createSandbox, ensureRunnerBuilt, type Sandbox } from "./runner-harness.js";
import { cleanupRunners, launchSpec, lmPlugin, makeBook, writePlugin } from "./python-harness.js";

/** protocol.ts MAX_MESSAGE_BYTES less the runners' room for the envelope. */
const LIMIT = 1024 * 1024 - 200;
/** `{"notes":"` + `"}`: a result of `notes` holding `LIMIT - ENVELOPE` characters is exactly LIMIT bytes of JSON. */
const ENVELOPE = 12;
/** Python's json.dumps writes `{"notes": "`, a space more. */
const PY_ENVELOPE = 13;

let box: Sandbox;
const processes: PluginProcess[] = [];
beforeAll(() => {
  ensureRunnerBuilt();
  box = createSandbox();
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.close()));
  await box.cleanup();
  cleanupRunners();
});

/** Long values by their length: a failure must not print megabytes. */
const summary = (result: { outcome: string; error?: string; data?: unknown } | undefined) =>
  result?.outcome === "ok"
    ? { outcome: "ok", data: JSON.parse(JSON.stringify(result.data, (_key, v: unknown) => (typeof v === "string" && v.length > 100 ? `${v.length} chars` : v))) }
    : { outcome: result?.outcome, error: result?.error };
/** The limit, what was counted, the largest field and the fix: the limit alone was the whole reason. */
const refused = {
  outcome: "invalid_output",
  error: expect.stringMatching(
    /^result larger than 1 MiB: process\(\) returned at least ([\d,]+ bytes|[\d.]+ MiB) of JSON, the largest field is "notes" \(at least ([\d,]+ bytes|[\d.]+ MiB)\); return fewer candidates or shorter values and leave raw payloads out \(a whole API response, HTML, base64 images\): shelfwise keeps only the result's fields$/,
  ),
};

describe("an answer larger than 1 MiB", () => {
  it("Node: is refused as invalid_output without being encoded past the limit; one of exactly the limit passes", async () => {
    const spec = box.plugin(
      "node-big",
      `let read = 0;
      export default class {
        process(book) {
          const spy = { get later() { read++; return "x"; } };
          switch (book.book_id) {
            case 1: return { notes: "x".repeat(25 * 1024 * 1024), spy };
            case 2: return { notes: Array.from({ length: 3_000_000 }, () => "abcdefgh"), spy };
            case 3: return { notes: "x".repeat(${LIMIT - ENVELOPE}) };
            case 4: return { notes: "x".repeat(${LIMIT - ENVELOPE + 1}) };
            case 5: return { notes: "\\u00e9".repeat(${Math.ceil((LIMIT - ENVELOPE) / 2) + 1}) };
            // V8 lists a typed array's keys, and walks a sparse array's holes (each written as null), one by one.
            case 6: return { notes: new Uint8Array(25 * 1024 * 1024), spy };
            case 7: { const sparse = []; sparse[30_000_000] = 1; return { notes: sparse, spy }; }
            case 9: return { title: "Dune", candidates: Array.from({ length: 3 }, () => "c".repeat(100_000)), raw: "r".repeat(20 * 1024 * 1024) };
            default: return { title: "read " + read };
          }
        }
      }`,
      { memoryMb: 512 },
    );
    const proc = createPluginProcess(spec, createNodeLauncher());
    processes.push(proc);
    const results = await proc.runBatch([1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => makeBook(id)));
    expect(results.map(summary)).toEqual([
      refused,
      refused,
      { outcome: "ok", data: { notes: `${LIMIT - ENVELOPE} chars` } },
      // Found too large only once encoded whole: the exact size.
      {
        outcome: "invalid_output",
        error: `result larger than 1 MiB: process() returned at least ${(LIMIT + 1).toLocaleString("en-US")} bytes of JSON, the largest field is "notes" (at least ${(LIMIT - ENVELOPE + 3).toLocaleString("en-US")} bytes); return fewer candidates or shorter values and leave raw payloads out (a whole API response, HTML, base64 images): shelfwise keeps only the result's fields`,
      },
      // Counted in UTF-8 bytes, not characters: 2 bytes each.
      refused,
      refused,
      refused,
      // The encoder stopped before the field after the large one: its getter never ran.
      { outcome: "ok", data: { title: "read 0" } },
      // The raw payload named, not the candidates before it.
      { outcome: "invalid_output", error: expect.stringMatching(/^result larger than 1 MiB: process\(\) returned at least 20\.3 MiB of JSON, the largest field is "raw" \(at least 20\.0 MiB\); return fewer/) },
    ]);
    // No restart was needed: the channel stayed whole.
    expect(proc.pid()).not.toBeNull();
  });

  it("Python: is refused as invalid_output, as for Node, before the encoder reads any of it", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    read = 0

    def process(self, book_data):
        plugin = type(self)

        class Spy(dict):
            def items(self):
                plugin.read += 1
                return dict.items(self)

        book = book_data["book_id"]
        if book == 1:
            return {"notes": "x" * (25 * 1024 * 1024), "spy": Spy(a=1)}
        if book == 2:
            return {"notes": ["abcdefgh"] * 3000000, "spy": Spy(a=1)}
        if book == 3:
            return {"notes": "x" * ${LIMIT - PY_ENVELOPE}}
        if book == 4:
            return {"notes": "x" * ${LIMIT - PY_ENVELOPE + 1}}
        # Counted in UTF-8 bytes, as for Node: 2 bytes each (json.dumps' ASCII escapes took 6).
        if book == 5:
            return {"notes": "\u00e9" * ${Math.floor((LIMIT - PY_ENVELOPE) / 2)}}
        if book == 6:
            return {"notes": "\u00e9" * ${Math.floor((LIMIT - PY_ENVELOPE) / 2) + 1}}
        # 4 bytes each: 1.2 MB, refused before the encoder reads the spy (escaped, it was 3.6 MB to build).
        if book == 7:
            return {"notes": "\U0001F600" * 300000, "spy": Spy(a=1)}
        return {"title": "read %d" % plugin.read}
`),
    });
    const proc = createPluginProcess(launchSpec(dir, { memoryMb: 512 }), createPythonLauncher());
    processes.push(proc);
    const results = await proc.runBatch([1, 2, 3, 4, 5, 6, 7, 8].map((id) => makeBook(id)));
    expect(results.map(summary)).toEqual([
      refused,
      refused,
      { outcome: "ok", data: { notes: `${LIMIT - PY_ENVELOPE} chars` } },
      refused,
      { outcome: "ok", data: { notes: `${Math.floor((LIMIT - PY_ENVELOPE) / 2)} chars` } },
      refused,
      refused,
      { outcome: "ok", data: { title: "read 0" } },
    ]);
  });

  it("Python: names a dict's largest field by its JSON key, not as a list item", async () => {
    // {5: ...} was named "[5]", read as the sixth item of a list; JSON has the key "5".
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        big = "x" * (2 * 1024 * 1024)
        book = book_data["book_id"]
        if book == 1:
            return {5: big, "a": 1}
        return {True: big}
`),
    });
    const proc = createPluginProcess(launchSpec(dir), createPythonLauncher());
    processes.push(proc);
    const results = await proc.runBatch([1, 2].map((id) => makeBook(id)));
    expect(results.map((r) => /the largest field is (\S+)/.exec(r?.error ?? "")?.[1])).toEqual(['"5"', '"true"']);
  });
});
