import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { REPO_ROOT, books, createSandbox, ensureRunnerBuilt, groupGone, summarize, type Sandbox } from "./runner-harness.js";
import { waitedMs } from "../support/own-time.js";
import { ANSWERED_TWICE, FORGED_ANSWER, SETUP_TIMEOUT_COVERS } from "../../src/plugins/process/supervisor.js";
import { SELF_EXIT_HINT, STOPPED_ERROR, STOPPED_IDLE_ERROR } from "../../src/plugins/process/child.js";
import { treeCensus } from "../../src/plugins/sandbox/process-tree.js";
import { eventually } from "./python-harness.js";

let box: Sandbox;
beforeAll(() => {
  ensureRunnerBuilt();
  box = createSandbox();
});
afterAll(async () => {
  await box.cleanup();
  expect(box.pids.size).toBeGreaterThan(0);
  for (const pid of box.pids) expect(groupGone(pid), `process group ${pid} still alive`).toBe(true);
});

/** A plugin that misbehaves on book 2 only (`bad`), and answers every other book. */
function misbehaving(id: string, bad: string, overrides = {}) {
  return box.layer(
    box.plugin(
      id,
      `import fs from "node:fs";
       export default class {
         process(book) {
           if (book.book_id === 2) { ${bad} }
           return { title: "ok " + book.book_id };
         }
       }`,
      overrides,
    ),
  );
}

const ok = (id: number) => ({ title: `ok ${id}` });

/**
 * A plugin stuck in a call that never yields, as a busy loop is, but asleep: the thread blocks on a wait
 * nothing ends, so the process answers nothing until killed without burning a core for the seconds the
 * limit takes (a busy loop here cost ~6 CPU-s of the suite's two cores). The first test below keeps a
 * real busy loop.
 */
const BLOCK = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);";

describe("node runner: timeouts", () => {
  it.each([
    ["a busy loop", "while (true) {}"],
    ["a promise that never settles", "return new Promise(() => {});"],
  ])("kills %s at the timeout and goes on with the batch", async (name, bad) => {
    const t = misbehaving(`timeout-${name.replace(/\W/g, "")}`, bad, { timeoutSeconds: 1 });
    const outcomes = await t.run(books(1, 2, 3));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "timeout", error: "call did not finish within 1 s" }, ok(3)]);
    const timedOut = t.records[1];
    expect(timedOut.outcome).toBe("timeout");
    expect(timedOut.duration_ms).toBeGreaterThanOrEqual(1000);
    // The 1 s asked for, not the harness's default 5 s; the rest is room for a loaded machine's timers.
    expect(timedOut.duration_ms).toBeLessThan(3000);
  });

  it("restarts a plugin whose setup hangs once, and runs the batch", async () => {
    const t = box.layer(
      box.plugin(
        "setup-hang",
        `import fs from "node:fs";
         export default class {
           setup() { if (!fs.existsSync("started")) { fs.writeFileSync("started", "1"); ${BLOCK} } }
           process(book) { return { title: "ok " + book.book_id }; }
         }`,
        // The limit runs from the spawn: at a load average of 25 a restart's start did not fit in 1 s
        // (three times in a row), so the restarted plugin needs room to start; the harness default is 5 s.
        { setupTimeoutSeconds: 3 },
      ),
    );
    const started = Date.now();
    expect((await t.run(books(1, 2))).map(summarize)).toEqual([ok(1), ok(2)]);
    // The log below says the 3 s asked for was the limit applied. The bound is for a restart that does
    // not come promptly: 8.8 s were seen at a load average of 70, so it is far from the 3.5 s idle.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(fs.readFileSync(path.join(box.root, "logs", "setup-hang.log"), "utf8")).toContain("setup did not finish within 3 s");
  });

  it("gives up on a batch when setup always hangs, without spinning", async () => {
    const t = box.layer(
      box.plugin("setup-hang-always", `export default class { setup() { ${BLOCK} } process() { return {}; } }`, { setupTimeoutSeconds: 1 }),
      { process: { maxRestartsPerBatch: 1, backoffMs: [0] } },
    );
    const started = Date.now();
    const outcomes = await t.run(books(1, 2));
    // Two 1 s setups (the second a restart): the outcome names the 1 s limit that was applied; the bound
    // is for restarts that do not stop, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: `gave up after 1 restart in this batch; last failure: setup did not finish within 1 s (${SETUP_TIMEOUT_COVERS})` },
      // The failure is counted once, on the first book left; the second never reached the plugin.
      { kind: "not_run", error: `gave up after 1 restart in this batch; last failure: setup did not finish within 1 s (${SETUP_TIMEOUT_COVERS})` },
    ]);
  });
});

describe("node runner: crashes", () => {
  it.each([
    ["process.exit(1)", 'console.error("fatal: out of cheese"); process.exit(1);', "plugin process exited with code 1: fatal: out of cheese"],
    ["a SIGKILL to itself", 'process.kill(process.pid, "SIGKILL");', "plugin process was killed by SIGKILL"],
    ["writing garbage on the protocol fd", 'fs.writeSync(3, "hello host\\n"); return new Promise(() => {});', "protocol violation: not JSON: hello host"],
    // Its own call's answer, with a byte that is not UTF-8: it was decoded to "caf\uFFFD" and recorded as the answer.
    [
      "writing bytes that are not UTF-8 on the protocol fd",
      'fs.writeSync(3, Buffer.from(\'{"type":"result","seq":2,"outcome":"error","error":"caf\\u00e9"}\\n\', "latin1")); return new Promise(() => {});',
      "protocol violation: a line that is not UTF-8 (byte 0xE9 at offset 55; shelfwise's runners write UTF-8 only, so plugin code wrote it on shelfwise's channel)",
    ],
    // A Node plugin shares its runner's process and can write descriptor 3 itself: the next book's answer (call 3,
    // queued in the runner, not started) is refused, and book 3 is asked again on a fresh process: "ok 3", not "Forged".
    [
      "forging the next book's answer on the protocol fd",
      'fs.writeSync(3, JSON.stringify({ type: "result", seq: 3, outcome: "ok", data: { title: "Forged" } }) + "\\n"); return new Promise(() => {});',
      FORGED_ANSWER,
    ],
    ["answering out of order", 'fs.writeSync(3, JSON.stringify({ type: "result", seq: 99, outcome: "skipped" }) + "\\n"); return new Promise(() => {});', "protocol violation: result for call 99"],
  ])("records %s as a crash, restarts and goes on", async (name, bad, message) => {
    const t = misbehaving(`crash-${name.replace(/\W/g, "")}`, bad);
    const outcomes = await t.run(books(1, 2, 3));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "crash", error: expect.stringContaining(message) }, ok(3)]);
  });

  // The runner's own answer came after the forged one, once the host had begun book 3: book 3 was blamed for it.
  it("blames no other book when a call answers twice, ends the process once, saying so, and runs the rest", async () => {
    const ended: string[] = [];
    const t = box.layer(
      box.plugin(
        "answers-twice",
        `import fs from "node:fs";
         export default class {
           process(book) {
             if (book.book_id === 2) fs.writeSync(3, JSON.stringify({ type: "result", seq: 2, outcome: "ok", data: { title: "ok 2" } }) + "\\n");
             return { title: "ok " + book.book_id };
           }
         }`,
      ),
      { process: { onProcessEnded: (error) => ended.push(error) } },
    );
    const outcomes = await t.run(books(1, 2, 3, 4));
    expect(outcomes.map(summarize)).toEqual([ok(1), ok(2), ok(3), ok(4)]);
    expect(t.records.map((r) => r.outcome)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(ended).toEqual([ANSWERED_TWICE]);
  });

  // The second answer too large to read: its start still names the call, and the next book was the invalid_output.
  it("blames no other book when a call's second answer is too large to read", async () => {
    const t = misbehaving(
      "answers-twice-large",
      `fs.writeSync(3, JSON.stringify({ type: "result", seq: 2, outcome: "ok", data: { title: "ok 2" } }) + "\\n");
       fs.writeSync(3, '{"type":"result","seq":2,"outcome":"ok","data":{"title":"' + "x".repeat(2 * 1024 * 1024) + '"}}\\n');`,
    );
    expect((await t.run(books(1, 2, 3))).map(summarize)).toEqual([ok(1), ok(2), ok(3)]);
  });

  it("quotes in a crash's reason only what the crashing call wrote on stderr, not an earlier call's lines", async () => {
    const spec = box.plugin(
      "crash-own-stderr",
      `import fs from "node:fs";
         export default class {
           process(book) {
             if (book.book_id === 1) { console.error("book 1 went fine"); fs.writeSync(2, "half a line of book 1 "); return { title: "ok 1" }; }
             process.exit(1);
           }
         }`,
    );
    const t = box.layer(spec);
    const outcomes = await t.run(books(1, 2));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "crash", error: `plugin process exited with code 1: ${SELF_EXIT_HINT.node}` }]);
    // The log still holds every line, without the runner's marks.
    const log = fs.readFileSync(spec.logFile, "utf8");
    expect(log).toContain("book 1 went fine");
    expect(log).not.toContain("call starts");
  });

  // The mark was a fixed line: a plugin printing it cut its own earlier lines out of its crash's reason.
  it("keeps a plugin's own stderr in its crash's reason when it prints the call mark itself, as it is or with a guessed token", async () => {
    const spec = box.plugin(
      "forges-mark",
      `import fs from "node:fs";
         export default class {
           process(book) {
             console.error("upstream refused: quota exhausted");
             fs.writeSync(2, "\\x1e[shelfwise: call starts]\\x1e\\n\\x1e[shelfwise: call starts " + "0".repeat(32) + "]\\x1e\\n");
             process.exit(1);
           }
         }`,
    );
    const outcomes = await box.layer(spec).run(books(1));
    const [crash] = outcomes.map(summarize) as { kind: string; error: string }[];
    expect(crash!.kind).toBe("crash");
    // Its own lines are its text: quoted (the last one, escaped), not taken for shelfwise's mark.
    expect(crash!.error).toBe("plugin process exited with code 1: \\x1e[shelfwise: call starts " + "0".repeat(32) + "]\\x1e");
    const log = fs.readFileSync(spec.logFile, "utf8");
    expect(log).toContain("upstream refused: quota exhausted");
    expect(log).toContain("[shelfwise: call starts]");
  });

  // A timer of its own stopped it after its answer: the next book sent was blamed for a call that never began.
  it("blames no book for a stop the plugin made between calls: the next book runs on a fresh process", async () => {
    const ended: string[] = [];
    const t = box.layer(
      box.plugin(
        "stops-when-idle",
        `export default class {
           process(book) {
             if (book.book_id === 1) setTimeout(() => process.kill(process.pid, "SIGSTOP"), 10);
             return { title: "ok " + book.book_id };
           }
         }`,
        { timeoutSeconds: 60 },
      ),
      { process: { onProcessEnded: (error) => ended.push(error) } },
    );
    expect((await t.run(books(1))).map(summarize)).toEqual([ok(1)]);
    const pid = t.layer.pid()!;
    box.pids.add(pid);
    await eventually(() => ended.length > 0 || treeCensus(pid).stopped === true, "the plugin to stop itself");
    expect((await t.run(books(2))).map(summarize)).toEqual([ok(2)]);
    expect(ended).toEqual([STOPPED_IDLE_ERROR]);
  });

  // The call's start was told only by the stderr mark: with stderr closed the stop read as one between calls, no
  // book was blamed, and after two such processes every later book went unrun.
  it("blames the call for a stop made during it when the plugin closed its stderr, and runs the next book", async () => {
    const ended: string[] = [];
    const t = box.layer(
      box.plugin(
        "closes-stderr-stops",
        `import fs from "node:fs";
         fs.closeSync(2);
         export default class {
           process(book) {
             if (book.book_id === 2) process.kill(process.pid, "SIGSTOP");
             return { title: "ok " + book.book_id };
           }
         }`,
        { timeoutSeconds: 60 },
      ),
      { process: { onProcessEnded: (error) => ended.push(error) } },
    );
    expect((await t.run(books(1))).map(summarize)).toEqual([ok(1)]);
    expect((await t.run(books(2, 3))).map(summarize)).toEqual([{ kind: "crash", error: STOPPED_ERROR }, ok(3)]);
    expect(ended).toEqual([]);
  });

  it("says binary output as its size, not as U+FFFD runs, in its log and in a crash's reason", async () => {
    const spec = box.plugin(
      "binary-output",
      `import fs from "node:fs";
       // 300 bytes that are no text: not UTF-8, NULs among them, no newline.
       const bin = Buffer.alloc(300);
       for (let i = 0; i < 300; i++) bin[i] = i % 50 === 0 ? 0 : 0x80 + (i % 120);
       export default class {
         process(book) {
           if (book.book_id === 1) { fs.writeSync(1, bin); fs.writeSync(1, "\\n"); console.log("text after it"); return { title: "ok 1" }; }
           fs.writeSync(2, bin);
           process.exit(1);
         }
       }`,
    );
    const t = box.layer(spec);
    const outcomes = await t.run(books(1, 2));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "crash", error: "plugin process exited with code 1: its last line on stderr was binary output (300 bytes)" }]);
    const log = fs.readFileSync(spec.logFile, "utf8");
    expect(log).toContain("[binary output (300 bytes)]\ntext after it\n");
    expect(log).not.toContain("\ufffd");
    expect(log).not.toContain("\\x00");
  });

  // It answered nothing until the timeout (30 s by default) killed it: every such book held the run that long.
  it("kills a plugin that stops its own process within about a second, saying so, and goes on", async () => {
    const t = misbehaving("stops-itself", 'process.kill(process.pid, "SIGSTOP");', { timeoutSeconds: 60 });
    const started = performance.now();
    const outcomes = await t.run(books(1, 2, 3));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "crash", error: STOPPED_ERROR }, ok(3)]);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("gives up after a few restarts when the plugin dies on start", async () => {
    const t = box.layer(box.plugin("dies-on-load", `process.exit(3); export default class { process() {} }`));
    const started = Date.now();
    const outcomes = await t.run(books(1, 2));
    // Four starts and 0.6 s of back-off; restarting without end would not finish at all.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: expect.stringMatching(/^gave up after 3 restarts in this batch; last failure: plugin process ended during start: plugin process exited with code 3/) },
      { kind: "not_run", error: expect.stringMatching(/^gave up after 3 restarts/) },
    ]);
  });

  // Each lost process blamed its book (a crash each, counted); the books left after the give-up never reached the
  // plugin, and a crash each made its crash count and auto-disable count them too.
  it("leaves the books after a give-up not run: only the calls that crashed are crashes", async () => {
    const t = box.layer(box.plugin("exits-every-call", `export default class { process() { process.exit(1); } }`), { process: { backoffMs: [0] } });
    const outcomes = (await t.run(books(1, 2, 3, 4, 5, 6))).map(summarize) as { kind: string; error: string }[];
    expect(outcomes.map((o) => o.kind)).toEqual(["crash", "crash", "crash", "crash", "not_run", "not_run"]);
    expect(outcomes[4]!.error).toMatch(/^gave up after 3 restarts in this batch; last failure: plugin process exited with code 1/);
  });

  it("masks its secrets in the reason when it dies in setup after printing them", async () => {
    const key = "sk-live-dies-in-setup-5e2a";
    const t = box.layer(
      box.plugin(
        "dies-in-setup",
        `export default class { setup(config, secrets) { console.error("refused key " + secrets.api_key); process.exit(1); } process() {} }`,
        { secrets: { api_key: key } },
      ),
      // The give-up is the one above's; no back-off between its starts (0.6 s of waiting by default).
      { process: { backoffMs: [0] } },
    );
    const outcomes = await t.run(books(1));
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: expect.stringMatching(/last failure: plugin process ended during start: plugin process exited with code 1: refused key \*\*\*$/) },
    ]);
    expect(JSON.stringify(t.records)).not.toContain(key);
  });

  it("keeps a character split across two writes of stderr whole, and masks a secret holding one", async () => {
    const key = "clé-Ωmega-dies-7f3a9";
    const t = box.layer(
      box.plugin(
        "split-chars",
        // One byte per write, a pause between them: each reaches shelfwise as a read of its own.
        `import fs from "node:fs";
         export default class { setup(config, secrets) {
           for (const b of Buffer.from("échec: clé " + secrets.api_key + " refusée ✓ Ω")) { fs.writeSync(2, Buffer.from([b])); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); }
           process.exit(1);
         } process() {} }`,
        { secrets: { api_key: key } },
      ),
      { process: { backoffMs: [0] } },
    );
    const outcomes = await t.run(books(1));
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: expect.stringMatching(/exited with code 1: échec: clé \*\*\* refusée ✓ Ω$/) },
    ]);
    expect(JSON.stringify(t.records)).not.toContain("Ωmega");
  });

  it("quotes its last line of stderr with terminal escapes, a carriage return and direction overrides as escapes", async () => {
    const t = box.layer(
      box.plugin(
        "escapes",
        `export default class { setup() {
           process.stderr.write("boom \\x1b[2J\\x1b]0;title\\x07 \\u202e desrever\\r[shelfwise] all good\\n", () => process.exit(1));
         } process() {} }`,
      ),
      { process: { backoffMs: [0] } },
    );
    const outcomes = await t.run(books(1));
    expect(outcomes.map(summarize)).toEqual([
      { kind: "crash", error: expect.stringMatching(/exited with code 1: boom \\x1b\[2J\\x1b\]0;title\\x07 \\u202e desrever\\x0d\[shelfwise\] all good$/) },
    ]);
  });

  it("masks a secret cut by the start of the stderr window its exit message is taken from", async () => {
    const key = "sk-live-window-edge-0123456789abcdef";
    const t = box.layer(
      box.plugin(
        "window-edge",
        // The key's last 20 characters open the last 2,048 of stderr; no line break, so the reason quotes them.
        `export default class { setup(config, secrets) {
           process.stderr.write("x".repeat(5000) + secrets.api_key + "y".repeat(2048 - 20), () => process.exit(1));
         } process() {} }`,
        { secrets: { api_key: key } },
      ),
      { process: { backoffMs: [0] } },
    );
    const outcomes = await t.run(books(1));
    expect(outcomes.map(summarize)).toEqual([{ kind: "crash", error: expect.stringMatching(/exited with code 1: x*\*\*\*y{250}/) }]);
    expect(JSON.stringify(t.records)).not.toContain(key.slice(-20, -2));
  });

  it.each([
    ["unhandled rejection", 'Promise.reject(new Error("rejected in the background")); return new Promise(() => {});', "rejected in the background"],
    ["uncaught exception in a timer", 'return new Promise(() => setTimeout(() => { throw new Error("thrown later"); }, 5));', "thrown later"],
    ["thrown error", 'throw new TypeError("bad book");', "TypeError: bad book"],
    // Was "[object Object]": String() of the value, which tells the author neither what was thrown nor the fix.
    ["thrown non-error", 'throw { weird: true };', expect.stringMatching(/^plugin threw \{ weird: true \}, not an Error; throw an Error instead \(`throw new Error\(/)],
    ["thrown number", "throw 42;", expect.stringMatching(/^plugin threw the number 42, not an Error; throw an Error instead/)],
    ["thrown null", "throw null;", expect.stringMatching(/^plugin threw null; throw an Error instead/)],
    ["thrown string", "throw 'no such book';", "no such book (thrown as a string, so without file or line: throw new Error(...) instead)"],
    ["thrown circular object", "const o = { code: 7 }; o.self = o; throw o;", expect.stringMatching(/^plugin threw <ref \*1> \{ code: 7, self: \[Circular \*1\] \}, not an Error/)],
    ["thrown error-like object", "throw { name: 'FetchError', message: 'quota exceeded' };", "FetchError: quota exceeded"],
    [
      "an error whose message getter throws",
      "const e = new RangeError('x'); Object.defineProperty(e, 'message', { get() { throw new Error('no'); } }); throw e;",
      "RangeError whose message cannot be read (reading error.message threw): give it a plain message string",
    ],
    ["a thrown proxy whose traps throw", "throw new Proxy({}, { get() { throw 1; }, ownKeys() { throw 2; }, getPrototypeOf() { throw 3; } });", expect.stringMatching(/^plugin threw Proxy \[/)],
  ])("answers the call in flight with an error on %s", async (name, bad, message) => {
    const t = misbehaving(`uncaught-${name.replace(/\W/g, "")}`, bad);
    const outcomes = await t.run(books(1, 2, 3));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "error", error: message }, ok(3)]);
    expect(t.records[1]).toMatchObject({ outcome: "error", error: message, resolved: false });
  });

  it.each([
    ["an Error whose message is a 2 MB HTTP body", 'throw new Error("HTTP 500: " + "<html>".repeat(350_000));'],
    ["a thrown 2 MB string", 'throw "HTTP 500: " + "<html>".repeat(350_000);'],
  ])("records %s as an error with the start of its message, not as oversized output", async (name, bad) => {
    const t = misbehaving(`huge-error-${name.replace(/\W/g, "")}`, bad);
    const outcomes = await t.run(books(1, 2, 3));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "error", error: expect.stringMatching(/^(Error: )?HTTP 500: <html>/) }, ok(3)]);
    expect(t.records[1]!.outcome).toBe("error");
    expect(t.records[1]!.error!.length).toBeLessThanOrEqual(1000);
  });
});

describe("node runner: resources", () => {
  it.each([
    // Large arrays on the JS heap, not millions of small objects: the heap fills in a few dozen allocations
    // instead of a long crawl of collections near the limit (a third of the CPU), and still past V8's limit.
    ["growing an array", "const a = []; while (true) a.push(new Array(100_000).fill(a.length));", /exceeded memory limit of 64 MB/],
    ["allocating buffers", "const a = []; while (true) a.push(Buffer.alloc(8 * 1024 * 1024, 1));", /^exceeded memory limit of 64 MB$/],
  ])("contains a plugin %s beyond its memory", async (name, bad, message) => {
    // A limit not enforced ends at the call timeout instead (and as a timeout, not a crash): both checks
    // below catch it. Filling 64 MB took 9 s at a load average of 20.
    const t = misbehaving(`memory-${name.replace(/\W/g, "")}`, bad, { memoryMb: 64, timeoutSeconds: 60 });
    const started = Date.now();
    const outcomes = await t.run(books(1, 2, 3));
    expect(outcomes.map(summarize)).toEqual([ok(1), { kind: "crash", error: expect.stringMatching(message) }, ok(3)]);
    expect(Date.now() - started).toBeLessThan(45_000);
  });

  it("keeps a flooding plugin's log bounded without slowing the host", async () => {
    const t = misbehaving(
      "flood",
      `const line = "x".repeat(1024 * 1024 - 1) + "\\n";
       for (let i = 0; i < 50; i++) { fs.writeSync(1, line); fs.writeSync(2, line); }`,
      // 100 MB through the host's log cap: the default 5 s call timeout ran out at a load average of 20.
      { timeoutSeconds: 60 },
    );
    // How long the host's event loop was held between two ticks, less the time the kernel kept this
    // process waiting for a core (test/support/own-time.ts): two cores are shared
    // with other test files, and gaps of 1.1 s were seen at load 8 with the host doing nothing wrong.
    // Time spent working or blocked in a system call still counts: a host blocked on the flood
    // stalls for seconds.
    let last = performance.now();
    let lastWaited = waitedMs();
    let worstHeld = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      const nowWaited = waitedMs();
      worstHeld = Math.max(worstHeld, now - last - (nowWaited - lastWaited));
      last = now;
      lastWaited = nowWaited;
    }, 5);
    const outcomes = await t.run(books(1, 2, 3));
    clearInterval(ticker);
    expect(outcomes.map(summarize)).toEqual([ok(1), ok(2), ok(3)]);
    expect(worstHeld).toBeLessThan(1000);
    await t.layer.close();
    const log = path.join(box.root, "logs", "flood.log");
    const sizes = [log, `${log}.1`].filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * 1024 * 1024 + 4096);
    expect(fs.readFileSync(log, "utf8")).toMatch(/dropped \d+ bytes of plugin output/);
  });
});

describe("node runner: shutdown", () => {
  it("calls teardown() at close", async () => {
    const t = box.layer(
      box.plugin(
        "teardown",
        `import fs from "node:fs";
         export default class { process() { return {}; } teardown() { fs.writeFileSync("torn-down", "yes"); } }`,
      ),
    );
    await t.run(books(1));
    const pid = t.layer.pid()!;
    await t.layer.close();
    expect(fs.readFileSync(path.join(box.root, "data", "teardown", "torn-down"), "utf8")).toBe("yes");
    expect(groupGone(pid)).toBe(true);
  });

  // Its limit here is 1 s, not the default 5 s: waiting out the default proves nothing more, and
  // e2e-teardown.test.ts sees the default applied through the CLI ("within 5 s").
  it("bounds a teardown() that never ends to its limit", async () => {
    const t = box.layer(box.plugin("teardown-hang", `export default class { process() { return {}; } teardown() { ${BLOCK} } }`), { process: { teardownMs: 1000 } });
    await t.run(books(1));
    const pid = t.layer.pid()!;
    const log = path.join(box.root, "logs", "teardown-hang.log");
    const limitNoted = () => fs.existsSync(log) && fs.readFileSync(log, "utf8").includes("teardown did not finish within 1 s");
    // The 1 s limit, not the default 5 s: a timer of the default's length set before close runs after close's own
    // timer of the limit (the event loop runs due timers in the order they are due), however late a loaded machine
    // runs both, so the limit's note is there when it fires. A bound on close's wall time (< 5 s) failed at load 30.
    let noteAtDefault: boolean | undefined;
    const atDefault = setTimeout(() => (noteAtDefault = limitNoted()), 5000);
    const started = Date.now();
    try {
      await t.layer.close();
    } finally {
      clearTimeout(atDefault);
    }
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(950);
    expect(noteAtDefault).not.toBe(false);
    // Killed at the limit: close returns once the plugin's group is gone.
    expect(groupGone(pid)).toBe(true);
    expect(limitNoted()).toBe(true);
  });

  it("stops a batch when the signal aborts, leaving the rest without outcome", async () => {
    const controller = new AbortController();
    const t = box.layer(
      box.plugin(
        "aborted",
        `export default class { process(book) { return book.book_id === 1 ? { title: "ok 1" } : new Promise(() => {}); } }`,
        { timeoutSeconds: 30 },
      ),
      { onCall: () => void setTimeout(() => controller.abort(), 100) },
    );
    const started = Date.now();
    const outcomes = await t.run(books(1, 2, 3), controller.signal);
    // Far below the 30 s call timeout it would otherwise wait out; the plugin's start is in it, slow on a loaded machine.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(outcomes.map(summarize)).toEqual([ok(1)]);
  });

  it("ends the batch and later ones when onCall says stop", async () => {
    const t = box.layer(
      box.plugin("stopper", `export default class { process(book) { throw new Error("always " + book.book_id); } }`),
      { onCall: (record) => (record.book_id === 2 ? "stop" : undefined) },
    );
    const outcomes = await t.run(books(1, 2, 3, 4));
    expect(outcomes.map((o) => o.book_id)).toEqual([1, 2]);
    expect(await t.run(books(5))).toEqual([]);
    expect(t.records.map((r) => r.book_id)).toEqual([1, 2]);
  });
});

describe("node runner: the host going away", () => {
  /** A host process that starts the plugin, prints its pid, then does `then`. */
  async function hostWith(id: string, source: string, then: string): Promise<{ runnerPid: number; host: ReturnType<typeof spawn> }> {
    const spec = box.plugin(id, source);
    const layerUrl = pathToFileURL(path.join(REPO_ROOT, "dist/plugins/manager/plugin-layer.js")).href;
    const launcherUrl = pathToFileURL(path.join(REPO_ROOT, "dist/plugins/process/node-launcher.js")).href;
    const script = `
      const { createPluginLayer } = await import(${JSON.stringify(layerUrl)});
      const { createNodeLauncher } = await import(${JSON.stringify(launcherUrl)});
      const { killAll } = await import(${JSON.stringify(layerUrl.replace("manager/plugin-layer.js", "process/process-group.js"))});
      const layer = createPluginLayer({ info: { layer_id: "x", layer_name: "x", description: "", config_enable_key: "x", default_order: 1, kind: "plugin" },
        spec: ${JSON.stringify(spec)}, launcher: createNodeLauncher(), weight: 60 });
      await layer.start();
      console.log(layer.pid());
      ${then}`;
    const host = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const runnerPid = await new Promise<number>((resolve) => host.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
    return { runnerPid, host };
  }

  const waitGone = async (pid: number, ms: number) => {
    const until = Date.now() + ms;
    while (!groupGone(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return groupGone(pid);
  };

  it("kills every plugin process group with killAll (for the CLI's signal handlers)", async () => {
    // teardown() never returns, so only killAll can end this runner once the host goes.
    const { runnerPid, host } = await hostWith(
      "killall",
      `export default class { process() { return {}; } teardown() { while (true) {} } }`,
      // The host stays up: only killAll can have ended the runner (exit hooks have not run).
      `process.on("SIGUSR2", () => killAll()); setInterval(() => {}, 1000);`,
    );
    onTestFinished(() => void host.kill("SIGKILL"));
    expect(groupGone(runnerPid)).toBe(false);
    host.kill("SIGUSR2");
    const gone = await waitGone(runnerPid, 30_000);
    if (!gone) process.kill(-runnerPid, "SIGKILL");
    expect(gone).toBe(true);
  });

  it("lets an idle runner exit when its host dies without cleaning up", async () => {
    const { runnerPid, host } = await hostWith("orphan", `export default class { process() { return {}; } }`, `setInterval(() => {}, 1000);`);
    host.kill("SIGKILL");
    expect(await waitGone(runnerPid, 30_000)).toBe(true);
  });
});
