import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanupRunners, eventually, lmPlugin, makeBook, startReady, startRunner, launchSpec, writePlugin } from "./python-harness.js";

afterEach(cleanupRunners);

const EVIDENCE_PLUGIN = lmPlugin(`
    def setup(self, config, secrets):
        super().setup(config, secrets)
        self.prefix = config.get("prefix", "")
        self.key = secrets.get("api_key")

    def can_process(self, book_data):
        return book_data["current_title"] != "Skip Me"

    def process(self, book_data):
        return {
            "title": self.prefix + book_data["current_title"].upper(),
            "author": book_data["current_author"],
            "series_num": 3,
            "narrator": self.key,
        }
`);

describe("python runner: Library Manager plugins", () => {
  it("returns the evidence dict, honours can_process and passes config and secrets to setup", async () => {
    const dir = writePlugin({ "layer.py": EVIDENCE_PLUGIN });
    const runner = await startReady(dir, { config: { prefix: "The " }, secrets: { api_key: "k-123" } });
    runner.batch([makeBook(1), makeBook(2, { current_title: "Skip Me" }), makeBook(3)], 10);
    expect(await runner.next()).toEqual({
      type: "result",
      seq: 10,
      outcome: "ok",
      data: { title: "The TITLE 1", author: "Author 1", series_num: 3, narrator: "k-123" },
    });
    expect(await runner.next()).toEqual({ type: "result", seq: 11, outcome: "skipped" });
    expect(await runner.next()).toMatchObject({ seq: 12, outcome: "ok", data: { title: "The TITLE 3" } });
    runner.send({ type: "teardown" });
    expect(await runner.next()).toEqual({ type: "teardown_done" });
    expect(await runner.exited).toEqual({ code: 0, signal: null });
  });

  it("sends print, sys.stdout, logging, raw writes to fd 1 and child output to the log, never to the protocol", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def setup(self, config, secrets):
        print("PRINT-IN-SETUP")
        log.info("LOG-IN-SETUP")

    def process(self, book_data):
        print("PRINT-IN-PROCESS", book_data["book_id"])
        sys.stdout.write("SYS-STDOUT\\n")
        sys.__stdout__.write("DUNDER-STDOUT\\n")
        sys.__stdout__.flush()
        os.write(1, b"RAW-FD1\\n")
        os.write(2, b"RAW-FD2\\n")
        log.warning("LOG-IN-PROCESS")
        subprocess.run(["echo", "CHILD-PROCESS-ECHO"], check=True)
        try:
            os.write(3, b'{"type":"ready"}\\n')  # the protocol fd is not reachable as fd 3
        except OSError:
            pass
        return {"title": sys.stdin.read() or "stdin is empty"}
`,
        "import logging, os, subprocess, sys\nlog = logging.getLogger('my-plugin')",
      ),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(7)]);
    // The harness parses every fd-3 line with the schema: stray output would fail it.
    expect(await runner.next()).toEqual({ type: "result", seq: 1, outcome: "ok", data: { title: "stdin is empty" } });
    runner.send({ type: "teardown" });
    expect(await runner.next()).toEqual({ type: "teardown_done" });
    await runner.exited;
    const log = runner.stderr();
    for (const text of ["PRINT-IN-SETUP", "LOG-IN-SETUP", "PRINT-IN-PROCESS 7", "SYS-STDOUT", "DUNDER-STDOUT", "RAW-FD1", "RAW-FD2", "LOG-IN-PROCESS", "CHILD-PROCESS-ECHO"]) {
      expect(log).toContain(text);
    }
    expect(log).not.toContain("[stdout!]");
  });

  it("runs the plugin with a minimal environment: HOME is its data folder, no host variables", async () => {
    process.env.SHELFWISE_TEST_LEAK = "secret-token";
    try {
      const dir = writePlugin({
        "layer.py": lmPlugin(`
    def process(self, book_data):
        import os
        return {"title": ",".join(sorted(os.environ)), "author": os.environ["HOME"], "narrator": os.environ["SHELFWISE_PLUGIN_ID"]}
`),
      });
      const runner = await startReady(dir, { plugin_id: "env-check" });
      runner.batch([makeBook(1)]);
      const result = await runner.next();
      expect(result).toMatchObject({ outcome: "ok", data: { author: dir, narrator: "env-check" } });
      const names = ((result as { data: { title: string } }).data.title).split(",");
      expect(names).not.toContain("SHELFWISE_TEST_LEAK");
      expect(names.sort()).toEqual(["HOME", "LANG", "LC_ALL", "MALLOC_ARENA_MAX", "PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING", "PYTHONNOUSERSITE", "SHELFWISE_PLUGIN_ID", "TZ"]);
    } finally {
      delete process.env.SHELFWISE_TEST_LEAK;
    }
  });

  it("accepts any JSON value from process() and leaves checking it to the host", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        return [None, {}, {"title": "ünïcode ✓"}, "text", ["a"], {"year": 1999, "bogus": {"x": 1}}][book_data["book_id"]]
`),
    });
    const runner = await startReady(dir);
    runner.batch([0, 1, 2, 3, 4, 5].map((id) => makeBook(id)), 0);
    const data = [];
    for (let i = 0; i < 6; i++) data.push(await runner.next());
    expect(data.map((m) => (m.type === "result" ? [m.outcome, m.data] : m))).toEqual([
      ["ok", null],
      ["ok", {}],
      ["ok", { title: "ünïcode ✓" }],
      ["ok", "text"],
      ["ok", ["a"]],
      ["ok", { year: 1999, bogus: { x: 1 } }],
    ]);
  });

  it.each([
    ["a set", `{"title": {1, 2}}`, /^process\(\) returned a value that is not JSON: .*set/],
    ["bytes", `b"raw"`, /^process\(\) returned a value that is not JSON: .*bytes/],
    ["a plugin object", `self`, /^process\(\) returned a value that is not JSON: .*TestPlugin/],
  ])("reports a non-JSON return value (%s) as an error for that book only", async (_name, value, pattern) => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        if book_data["book_id"] == 2:
            return {"title": "fine"}
        return ${value}
`),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1), makeBook(2)]);
    const bad = await runner.next();
    expect(bad).toMatchObject({ type: "result", seq: 1, outcome: "error" });
    expect(bad.type === "result" && bad.error).toMatch(pattern);
    expect(await runner.next()).toMatchObject({ seq: 2, outcome: "ok", data: { title: "fine" } });
  });

  it("refuses a result larger than the protocol's message limit instead of breaking the channel", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        return {"title": "x" * (2 * 1024 * 1024)}
`),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    // too_large: the host records it as invalid_output, as it does for a Node plugin (test/plugins/oversize-results.test.ts).
    // With what the host's reason names: the size counted (a lower bound) and the largest field.
    const refused = (await runner.next()) as { size?: number; field_size?: number };
    expect(refused).toEqual({ type: "result", seq: 1, outcome: "too_large", size: expect.any(Number), field: "title", field_size: expect.any(Number) });
    expect(refused.size).toBeGreaterThan(2 * 1024 * 1024);
    expect(refused.field_size).toBeGreaterThan(2 * 1024 * 1024);
  });

  it("ends quietly at end of input without a teardown", async () => {
    const dir = writePlugin({ "layer.py": EVIDENCE_PLUGIN });
    const runner = await startReady(dir);
    runner.child.stdin!.end();
    expect(await runner.exited).toEqual({ code: 0, signal: null });
    expect(await runner.silentFor(50)).toBeNull();
  });
});

describe("python runner: failures in plugin code", () => {
  it("setup() raising gives fatal stage setup with the last traceback line, and a non-zero exit", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def setup(self, config, secrets):
        raise ValueError("missing api_key in secrets.json")

    def process(self, book_data):
        return {}
`),
    });
    const runner = startRunner(launchSpec(dir));
    runner.init();
    const fatal = await runner.next();
    expect(fatal).toMatchObject({ type: "fatal", stage: "setup", error: "ValueError: missing api_key in secrets.json" });
    // The traceback is in the log once, written by the runner (a detail would be written there again by the host).
    expect(fatal.type === "fatal" && fatal.detail).toBeUndefined();
    const { code } = await runner.exited;
    expect(runner.stderr()).toMatch(/^Traceback[\s\S]*layer\.py", line \d+, in setup/m);
    expect(code).not.toBe(0);
    expect(runner.stderr()).toContain("ValueError: missing api_key in secrets.json");
  });

  it("process() and can_process() raising give an error result; the next book still runs", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def can_process(self, book_data):
        if book_data["book_id"] == 2:
            raise KeyError("current_series")
        return True

    def process(self, book_data):
        if book_data["book_id"] == 1:
            raise RuntimeError("lookup failed\\nsecond line")
        if book_data["book_id"] == 3:
            import sys
            sys.exit(4)
        return {"title": "ok"}
`),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1), makeBook(2), makeBook(3), makeBook(4)]);
    const first = await runner.next();
    expect(first).toMatchObject({ seq: 1, outcome: "error", error: "RuntimeError: lookup failed second line" });
    expect(first.type === "result" && first.detail).toBeUndefined();
    expect(await runner.next()).toMatchObject({ seq: 2, outcome: "error", error: "KeyError: 'current_series'" });
    expect(await runner.next()).toMatchObject({ seq: 3, outcome: "error", error: "SystemExit: 4 (the plugin called sys.exit() or raised SystemExit: a plugin does not end its process; raise an exception saying what went wrong)" });
    expect(await runner.next()).toMatchObject({ seq: 4, outcome: "ok", data: { title: "ok" } });
    await eventually(() => /Traceback[\s\S]*in process[\s\S]*RuntimeError: lookup failed/.test(runner.stderr()), "the traceback in the log");
  });

  it("teardown() raising still answers teardown_done (with the error) and exits 0", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        return {}

    def teardown(self):
        raise OSError("cannot close cache")
`),
    });
    const runner = await startReady(dir);
    runner.send({ type: "teardown" });
    expect(await runner.next()).toEqual({ type: "teardown_done", error: "OSError: cannot close cache" });
    expect(await runner.exited).toEqual({ code: 0, signal: null });
  });

  it.each([
    ["an import error", "from library_manager.plugin_loader import BasePlugin\nimport nope\n", "ModuleNotFoundError: No module named 'nope'"],
    ["a syntax error", "from library_manager.plugin_loader import BasePlugin\nclass P(BasePlugin)\n    pass\n", /^SyntaxError: .*\(layer\.py, line 2\)$/],
    ["a module-level exception", "raise RuntimeError('boom at import')\n", "RuntimeError: boom at import"],
  ])("%s gives fatal stage load with the last traceback line", async (_name, source, expected) => {
    const dir = writePlugin({ "layer.py": source });
    const runner = startRunner(launchSpec(dir));
    runner.init();
    const fatal = await runner.next();
    expect(fatal).toMatchObject({ type: "fatal", stage: "load" });
    if (fatal.type !== "fatal") throw new Error("unreachable");
    if (typeof expected === "string") expect(fatal.error).toBe(expected);
    else expect(fatal.error).toMatch(expected);
    expect(fatal.detail).toBeUndefined();
    expect((await runner.exited).code).not.toBe(0);
    expect(runner.stderr()).toMatch(/Traceback|SyntaxError/);
  });

  it("a missing entry file gives fatal stage load", async () => {
    const dir = writePlugin({ "other.py": "" });
    const runner = startRunner(launchSpec(dir));
    runner.init();
    const fatal = await runner.next();
    expect(fatal).toMatchObject({ type: "fatal", stage: "load" });
    expect(fatal.type === "fatal" && fatal.error).toMatch(/^FileNotFoundError: .*layer\.py/);
  });

  it("a MemoryError under the memory limit is an error for that call, saying the limit and what to do, or the process dies; it never hangs", async () => {
    const dir = writePlugin({
      // The memory is taken as address space only (bytes() of zeros is calloc: pages never touched): RLIMIT_AS
      // counts it all the same, and filling 256 MB of real pages took seconds under load (this test ran out of
      // its time once on a busy machine: a bytearray hoard is zero-filled page by page).
      "layer.py": `import os, resource\n` + lmPlugin(`
    reserve = None

    def process(self, book_data):
        type(self).reserve = None
        if book_data["book_id"] == 1:
            block = bytearray(4 * 1024 * 1024 * 1024)
            return {"title": str(len(block))}
        if book_data["book_id"] == 4:
            # Answers past the size limit are refused before encoding (too_large); a dict whose items() lies
            # to the size count still reaches the encoder: 4 GB once encoded, the answer, not process(),
            # runs out of memory. Most of the address space left is held first, so the encoder writes only
            # a few megabytes before it runs out.
            with open("/proc/self/status") as status:
                used = int(next(l for l in status if l.startswith("VmSize:")).split()[1]) * 1024
            type(self).reserve = bytes(resource.getrlimit(resource.RLIMIT_AS)[0] - used - 24 * 1024 * 1024)
            class Lying(dict):
                def items(self):
                    return [("notes", ["x" * 2000] * 2_000_000)]
            return {"title": "big", "extra": Lying(a=1)}
        if book_data["book_id"] == 2:
            hoard = []
            while True:
                hoard.append(bytes(8 * 1024 * 1024))
        return {"title": "still alive"}
`),
    });
    const runner = await startReady(dir, { memoryMb: 256 });
    runner.batch([makeBook(1), makeBook(4), makeBook(2), makeBook(3)]);
    const advice = "the plugin's memory limit is 256 MB: use less memory, or raise plugin_configs.py-test.memory_mb";
    expect(await runner.next()).toMatchObject({ seq: 1, outcome: "error", error: `MemoryError: out of memory (${advice})` });
    // Uncaught in the runner, it left the call unanswered (or ended the process, reported as Node's "heap exhausted").
    expect(await runner.next()).toMatchObject({ seq: 2, outcome: "error", error: `MemoryError: process() returned a value too large to encode as JSON (${advice})` });
    const outcome = await Promise.race([
      runner.next().then((m) => ({ message: m })),
      runner.exited.then((e) => ({ exit: e })),
    ]);
    if ("message" in outcome) {
      expect(outcome.message).toMatchObject({ seq: 3, outcome: "error", error: `MemoryError: out of memory (${advice})` });
      expect(await runner.next()).toMatchObject({ seq: 4, outcome: "ok", data: { title: "still alive" } });
    } else {
      expect(outcome.exit.code === 0 && outcome.exit.signal === null).toBe(false);
    }
  });

  it("an endless loop keeps the runner silent (the host's timeout kills it)", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        while True:
            pass
`),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.silentFor(1000)).toBeNull();
    expect(runner.child.exitCode).toBeNull();
    runner.kill();
    expect((await runner.exited).signal).toBe("SIGKILL");
  });
});

describe("python runner: finding the plugin class", () => {
  it("ignores a BasePlugin subclass imported from another module and picks the one defined in the entry", async () => {
    const dir = writePlugin({
      "other.py": lmPlugin(`
    def process(self, book_data):
        return {"title": "from the imported class"}
`),
      "layer.py": `from library_manager.plugin_loader import BasePlugin
from other import TestPlugin as Imported

class Mine(BasePlugin):
    def process(self, book_data):
        return {"title": "from the entry's class"}
`,
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toMatchObject({ outcome: "ok", data: { title: "from the entry's class" } });
    // One that defines none takes the class it imports, as Library Manager does (a layer.py that re-exports it).
    fs.writeFileSync(path.join(dir, "layer.py"), "from other import TestPlugin\n");
    const reexported = await startReady(dir);
    reexported.batch([makeBook(1)]);
    expect(await reexported.next()).toMatchObject({ outcome: "ok", data: { title: "from the imported class" } });
  });

  it("honours class_name when the entry defines several classes", async () => {
    const dir = writePlugin({
      "layer.py": `from shelfwise import BasePlugin

class First(BasePlugin):
    def process(self, book_data):
        return {"title": "first"}

class Second(BasePlugin):
    def process(self, book_data):
        return {"title": "second"}
`,
    });
    const runner = await startReady(dir, { class_name: "Second" });
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toMatchObject({ outcome: "ok", data: { title: "second" } });
  });

  it.each([
    ["a class_name that does not exist", "Missing", "class Real(BasePlugin):\n    pass\n", /^class 'Missing' .*not found in layer\.py; classes defined there: Real$/],
    ["several candidates and no class_name", null, "class A(BasePlugin):\n    pass\nclass B(BasePlugin):\n    pass\n", /several plugin classes in layer\.py \(A, B\): set class_name/],
    ["no class at all", null, "def process(book):\n    return {}\n", /^no plugin class found in layer\.py/],
  ])("%s gives fatal stage class", async (_name, className, body, pattern) => {
    const dir = writePlugin({ "layer.py": `from library_manager.plugin_loader import BasePlugin\n${body}` });
    const runner = startRunner(launchSpec(dir, { class_name: className }));
    runner.init();
    const fatal = await runner.next();
    expect(fatal).toMatchObject({ type: "fatal", stage: "class" });
    expect(fatal.type === "fatal" && fatal.error).toMatch(pattern);
    expect((await runner.exited).code).not.toBe(0);
  });

  it("picks the leaf when the entry defines an intermediate base class", async () => {
    const dir = writePlugin({
      "layer.py": `from library_manager.plugin_loader import BasePlugin

class Common(BasePlugin):
    def process(self, book_data):
        return {"title": self.label()}

class Concrete(Common):
    def label(self):
        return "concrete"
`,
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toMatchObject({ outcome: "ok", data: { title: "concrete" } });
  });

  it("accepts a plain class with a process() method (and async methods)", async () => {
    const dir = writePlugin({
      "layer.py": `import asyncio

class Plain:
    async def process(self, book_data):
        await asyncio.sleep(0)
        return {"title": "plain " + book_data["current_title"]}
`,
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(5)]);
    expect(await runner.next()).toMatchObject({ outcome: "ok", data: { title: "plain Title 5" } });
    runner.send({ type: "teardown" });
    expect(await runner.next()).toEqual({ type: "teardown_done" });
  });

  it("loads a plugin that spans several files: a sibling module and a package folder", async () => {
    const dir = writePlugin({
      "helper.py": "def shout(text):\n    return text.upper() + '!'\n",
      "naming/__init__.py": "from .rules import clean\n",
      "naming/rules.py": "def clean(text):\n    return ' '.join(text.split())\n",
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        return {"title": helper.shout(clean("  many   spaces ")), "author": __file__}
`,
        "import helper\nfrom naming import clean",
      ),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    expect(await runner.next()).toMatchObject({ outcome: "ok", data: { title: "MANY SPACES!", author: `${dir}/layer.py` } });
  });
});

describe("python runner: what a start costs", () => {
  it("reaches the plugin without having imported logging, traceback or the host rule, and from compiled files", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        import importlib.util, os
        core = os.path.join(os.path.dirname(sys.modules["__main__"].__file__), "shelfwise_runner_core.py")
        with open(importlib.util.cache_from_source(core), "rb") as f:
            head = f.read(16)
        with open(core, "rb") as f:
            source = f.read()
        # Checked by the source's hash (flags 3), not its time, and matching the source as it is: the copy is read.
        hashed = int.from_bytes(head[4:8], "little") == 3 and head[8:16] == importlib.util.source_hash(source)
        # EARLY: seen at the plugin's own import, before anything it does.
        return {"title": ",".join(EARLY) or "none", "author": str(hashed)}
`, 'import sys\nEARLY = [m for m in ("logging", "traceback", "shelfwise_hosts", "ipaddress") if m in sys.modules]'),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(1)]);
    // The compiled copy is the build's (scripts/build-python.mjs, with this python3): the runner reads it instead of
    // compiling, also where the times were reset (an npm install), since it is checked by the source's hash.
    expect(await runner.next()).toMatchObject({ seq: 1, outcome: "ok", data: { title: "none", author: "True" } });
    runner.send({ type: "teardown" });
    expect(await runner.next()).toEqual({ type: "teardown_done" });
  });

  it("still logs INFO records of a logging imported late, and of the interpreter's logging when the plugin ships a logging.py", async () => {
    const dir = writePlugin({
      "logging.py": "raise RuntimeError('the plugin folder's logging.py was imported')\n",
      "layer.py": lmPlugin(`
    def process(self, book_data):
        import logging
        logging.getLogger("late").info("INFO-FROM-PROCESS %s", book_data["book_id"])
        try:
            raise ValueError("described")
        except ValueError:
            logging.getLogger("late").exception("WITH-TRACEBACK")
        return {"title": "ok"}
`),
    });
    const runner = await startReady(dir);
    runner.batch([makeBook(4)]);
    expect(await runner.next()).toMatchObject({ seq: 1, outcome: "ok", data: { title: "ok" } });
    runner.send({ type: "teardown" });
    expect(await runner.next()).toEqual({ type: "teardown_done" });
    await runner.exited;
    expect(runner.stderr()).toContain("INFO late: INFO-FROM-PROCESS 4");
    expect(runner.stderr()).toMatch(/ERROR late: WITH-TRACEBACK\nTraceback \(most recent call last\):[\s\S]*ValueError: described/);
  });
});
