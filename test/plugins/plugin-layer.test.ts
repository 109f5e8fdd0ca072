import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPluginLayers } from "../../src/plugins/manager/plugin-layer.js";
import { runInProcess } from "../../bench/in-process.js";
import { toPluginBook } from "../../src/plugins/protocol/plugin-book.js";
import { SELF_EXIT_HINT } from "../../src/plugins/process/child.js";
import { books, createSandbox, ensureRunnerBuilt, groupGone, makeBook, summarize, type Sandbox } from "./runner-harness.js";

let box: Sandbox;
beforeAll(() => {
  ensureRunnerBuilt();
  box = createSandbox();
});
afterAll(async () => {
  await box.cleanup();
  for (const pid of box.pids) expect(groupGone(pid), `process group ${pid} still alive`).toBe(true);
});

describe("plugin layer: hostile outputs", () => {
  // One plugin, one book per hostile return value; the books after each must still work.
  const cases: [string, string, unknown][] = [
    ["a getter that throws", `({ get title() { throw new Error("getter exploded"); } })`, { kind: "error", error: "process() returned a value that cannot be sent as JSON: getter exploded" }],
    ["a __proto__ key", `JSON.parse('{"__proto__": {"admin": true}, "title": "Mort"}')`, { title: "Mort" }],
    ["a 2 MB string", `({ title: "x".repeat(2 * 1024 * 1024) })`, { kind: "invalid_output", error: "result larger than 1 MiB: process() returned at least 2,097,163 bytes of JSON, the largest field is \"title\" (at least 2,097,162 bytes); return fewer candidates or shorter values and leave raw payloads out (a whole API response, HTML, base64 images): shelfwise keeps only the result's fields" }],
    ["a nested object", `({ author: { first: "Terry" } })`, { kind: "invalid_output", error: 'field "author" must be a string or a number, got an object' }],
    ["an array", `[{ title: "Mort" }]`, { kind: "invalid_output", error: "process() must return an object or null, got an array" }],
    ["a cycle", `(() => { const o = { title: "Mort" }; o.self = o; return o; })()`, { kind: "error", error: 'process() returned a value that cannot be sent as JSON: it contains a cycle (property "self" closes it)' }],
    ["a BigInt", `({ year: 1987n })`, { kind: "error", error: 'process() returned a value that cannot be sent as JSON: field "year" is a BigInt' }],
    ["a function", `({ title: () => "Mort" })`, { kind: "error", error: 'process() returned a value that cannot be sent as JSON: field "title" is a function' }],
    ["a value over 500 characters", `({ title: "y".repeat(501) })`, { kind: "invalid_output", error: 'field "title" is longer than 500 characters' }],
    ["undefined", `undefined`, {}],
    [
      "an extra key nested past the stack",
      `(() => { const root = {}; let o = root; for (let i = 0; i < 200000; i++) o = o.x = {}; return { title: "Mort", extra: root }; })()`,
      { kind: "error", error: 'process() returned a value that cannot be sent as JSON: field "extra" is nested too deeply (results hold strings or numbers; more than 64 levels are refused)' },
    ],
  ];

  it("records each as a clear invalid_output or error, and keeps going", async () => {
    const source = `export default class {
      process(book) {
        switch (book.book_id) {
          ${cases.map(([, expr], i) => `case ${i + 1}: return ${expr};`).join("\n")}
          default: return { title: "fine " + book.book_id };
        }
      }
    }`;
    const t = box.layer(box.plugin("hostile", source));
    const ids = [...cases.map((_, i) => i + 1), 99];
    const outcomes = await t.run(books(...ids));
    expect(outcomes.map(summarize)).toEqual([...cases.map(([, , expected]) => expected), { title: "fine 99" }]);
    expect(t.records.map((r) => r.outcome)).toEqual([
      "error", "ok", "invalid_output", "invalid_output", "invalid_output", "error", "error", "error", "invalid_output", "no_result", "error", "ok",
    ]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // Nothing here needed a restart.
    expect(t.layer.pid()).not.toBeNull();
  });

  it("counts an answer made only of garbage as no result, as `plugins test` does, and still hands it on to be rejected visibly", async () => {
    const source = `export default class {
      process(book) {
        if (book.book_id === 1) return { author: "Unknown", title: "Tantor Audio presents" };
        if (book.book_id === 2) return { author: "Unknown", title: "Mort" };
        return { year: "not a year" };
      }
    }`;
    const t = box.layer(box.plugin("garbage", source));
    const outcomes = await t.run(books(1, 2, 3));
    expect(t.records.map((r) => [r.outcome, r.resolved])).toEqual([
      ["no_result", false],
      ["ok", true],
      ["no_result", false],
    ]);
    expect(outcomes.map(summarize)).toEqual([
      { author: "Unknown", title: "Tantor Audio presents" },
      { author: "Unknown", title: "Mort" },
      { year: "not a year" },
    ]);
  });

  it("caps errors at 2000 characters from the runner and 1000 recorded", async () => {
    const t = box.layer(box.plugin("long-error", `export default class { process() { throw new Error("e".repeat(5000)); } }`));
    const [outcome] = await t.run(books(1));
    expect((outcome as { error: string }).error).toHaveLength(2000);
    expect(t.records[0].error).toHaveLength(1000);
  });
});

describe("plugin layer: lifecycle", () => {
  it("starts many plugins in parallel", async () => {
    const layers = Array.from({ length: 4 }, (_, i) =>
      box.layer(box.plugin(`parallel-${i}`, `export default class { process() { return { title: "p${i}" }; } }`)).layer,
    );
    const started = Date.now();
    const settled = await startPluginLayers(layers);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(new Set(layers.map((l) => l.pid())).size).toBe(4);
    // Room for a loaded machine, where one start can take 2 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    await Promise.all(layers.map((l) => l.close()));
    expect(layers.map((l) => l.pid())).toEqual([null, null, null, null]);
  });

  it("close() during a running batch ends it without starting a new process", async () => {
    const t = box.layer(
      box.plugin(
        "closing",
        `import fs from "node:fs";
         export default class { async process(b) { fs.writeFileSync("in-call", "1"); await new Promise((r) => setTimeout(r, 2000)); return { title: "c" + b.book_id }; } }`,
      ),
    );
    await t.layer.start();
    const pid = t.layer.pid()!;
    const running = t.run(books(1, 2, 3));
    // The first call is in the plugin (it wrote "in-call" in its data folder), not a fixed wait that may end before it.
    const inCall = path.join(box.root, "data", "closing", "in-call");
    while (!fs.existsSync(inCall)) await new Promise((r) => setTimeout(r, 10));
    await t.layer.close();
    const outcomes = await running;
    // Books not answered get no outcome: they stay pending for a later run.
    expect(outcomes).toEqual([]);
    expect(t.layer.pid()).toBeNull();
    expect(groupGone(pid)).toBe(true);
  });

  it("leaves the books pending, not crashed, when its files changed before a lost process would be started again", async () => {
    // An edit, a `git pull` or an updater replacing the folder during a run: started again, the process ran
    // other code under the run's identity (or none: every book left a crash, counted towards auto-disable).
    const spec = box.plugin("edited", `export default class { process(b) { if (b.book_id === 2) process.exit(7); return { title: "v1 " + b.book_id }; } }`);
    const t = box.layer(spec);
    expect((await t.run(books(1))).map(summarize)).toEqual([{ title: "v1 1" }]);
    fs.writeFileSync(spec.entry, `export default class { process(b) { return { title: "v2 " + b.book_id }; } }`);
    expect((await t.run(books(2, 3, 4))).map(summarize)).toEqual([{ kind: "crash", error: `plugin process exited with code 7: ${SELF_EXIT_HINT.node}` }]);
    expect(t.records.map((r) => r.outcome)).toEqual(["ok", "crash"]);
    // The rest of the run leaves it alone; the next run's layer loads the new version.
    expect(await t.run(books(5))).toEqual([]);
    expect(fs.readFileSync(spec.logFile, "utf8")).toContain(`not started again: the plugin's files changed during this run (${spec.folder})`);
    expect(t.layer.takeRunNotes?.()).toEqual([
      `plugin edited was not started again after its process ended: the plugin's files changed during this run (${spec.folder}); its books left stay pending for the next run`,
    ]);
    const next = box.layer(spec);
    expect((await next.run(books(3))).map(summarize)).toEqual([{ title: "v2 3" }]);
  });

  it("restarts after close when asked for more books", async () => {
    const t = box.layer(box.plugin("reopen", `export default class { process(b) { return { title: "r" + b.book_id }; } }`));
    expect((await t.run(books(1))).map(summarize)).toEqual([{ title: "r1" }]);
    await t.layer.close();
    expect((await t.run(books(2))).map(summarize)).toEqual([{ title: "r2" }]);
  });
});

describe("runInProcess", () => {
  it("runs a plugin instance on copies of the books, like the runner", async () => {
    const seen: unknown[] = [];
    const plugin = {
      canProcess: (book: { book_id: number }) => book.book_id !== 2,
      process(book: { book_id: number; files: unknown[] }) {
        seen.push(book);
        book.files.length = 0;
        return book.book_id === 3 ? [1] : { narrator: `n${book.book_id}` };
      },
    };
    const input = [1, 2, 3].map((id) => toPluginBook(makeBook(id), 10));
    const outcomes = await runInProcess(plugin, input);
    expect(outcomes.map(summarize)).toEqual([
      { narrator: "n1" },
      "skipped",
      { kind: "invalid_output", error: "process() must return an object or null, got an array" },
    ]);
    expect(input[0].files).toHaveLength(1);
    expect(seen[0]).not.toBe(input[0]);
  });
});

describe("plugin layer: concurrent batches", () => {
  it("runs overlapping processBatch calls one after the other", async () => {
    const t = box.layer(
      box.plugin("overlap", `export default class { async process(b) { await new Promise((r) => setTimeout(r, 5)); return { title: "t" + b.book_id }; } }`),
    );
    const [a, b] = await Promise.all([t.run(books(1, 2, 3)), t.run(books(4, 5, 6))]);
    expect([...a, ...b].map(summarize)).toEqual([1, 2, 3, 4, 5, 6].map((id) => ({ title: `t${id}` })));
  });
});
