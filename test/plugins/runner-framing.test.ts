import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { secretMask } from "../../src/domain/secret-mask.js";
import { LOG_HEADER, OLDER_LOG_MARK, openBoundedLog } from "../../src/plugins/process/bounded-log.js";
import { logTail } from "../../src/server/plugin-views.js";
import type { Session } from "../../src/app/session.js";
import { dataDirLayout } from "../../src/config/data-dir.js";
import { createLineReader } from "../../src/plugins/protocol/line-reader.js";
import { parseRunnerLine } from "../../src/plugins/protocol/runner-line.js";
import { hostAllowed } from "../../src/plugins/runner/net-guard.js";
import { ownClock } from "../support/own-time.js";

function frame(chunks: string[], max = 10): string[] {
  const events: string[] = [];
  const reader = createLineReader(max, (line) => events.push(line), () => events.push("<oversize>"), (text) => events.push(`<not-utf8> ${text}`));
  for (const chunk of chunks) reader.push(Buffer.from(chunk));
  return events;
}

describe("line reader", () => {
  it.each<[string, string[], string[]]>([
    ["one line", ["abc\n"], ["abc"]],
    ["lines split across chunks", ["ab", "c\nde", "f\n"], ["abc", "def"]],
    ["several lines in a chunk", ["a\nb\nc\n"], ["a", "b", "c"]],
    ["an unfinished line waits", ["abc"], []],
    ["exactly the cap", ["0123456789\n"], ["0123456789"]],
    ["over the cap in one chunk", ["0123456789X\nok\n"], ["<oversize>", "ok"]],
    ["over the cap across chunks, reported once", ["012345", "6789X", "YYYYYYYYYYYY", "Z\nok\n"], ["<oversize>", "ok"]],
    ["multi-byte characters split across chunks", ["\u00e9\u00e9".slice(0, 1), "\u00e9\n"], ["\u00e9\u00e9"]],
  ])("%s", (_name, chunks, expected) => {
    expect(frame(chunks)).toEqual(expected);
  });

  it("keeps a multi-byte character intact when a chunk boundary cuts it", () => {
    const bytes = Buffer.from("h\u00e9llo\n");
    const events: string[] = [];
    const reader = createLineReader(100, (line) => events.push(line), () => events.push("<oversize>"), (text) => events.push(`<not-utf8> ${text}`));
    reader.push(bytes.subarray(0, 2));
    reader.push(bytes.subarray(2));
    expect(events).toEqual(["h\u00e9llo"]);
  });

  it("holds a line dripped a byte at a time as its bytes, not as the chunks it came in", () => {
    // Kept as chunks, a 1 MiB line dripped a byte per write held a million Buffer views in the host's heap (~100 MB).
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const events: string[] = [];
    const reader = createLineReader(1024 * 1024, (line) => events.push(line), () => events.push("<oversize>"), (text) => events.push(`<not-utf8> ${text}`));
    const source = Buffer.alloc(200_000, "abcdefghijklmnopqrstuvwxyz");
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < source.length; i++) reader.push(source.subarray(i, i + 1));
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(held).toBeLessThan(4 * 1024 * 1024);
    reader.push(Buffer.from("!\n"));
    expect(events).toEqual([`${source.toString("latin1")}!`]);
  });

  it("gives a line that is not UTF-8 as what it is, whole or split across chunks, never decoded to U+FFFD", () => {
    const latin1 = Buffer.from('{"type":"result","seq":2,"outcome":"error","error":"caf\u00e9"}\n', "latin1");
    const events: string[] = [];
    const reader = createLineReader(1024, (line) => events.push(line), () => events.push("<oversize>"), (text) => events.push(`<not-utf8> ${text}`));
    reader.push(latin1);
    reader.push(latin1.subarray(0, 10));
    reader.push(latin1.subarray(10));
    // An overlong "/" (0xC0 0xAF), an encoded surrogate (0xED 0xA0 0x80): bytes no UTF-8 encoder writes.
    reader.push(Buffer.from([0x61, 0xc0, 0xaf, 0x0a, 0x62, 0xed, 0xa0, 0x80, 0x0a]));
    // A real U+FFFD sent as UTF-8 is text: the value check judges it (output-validation.ts).
    reader.push(Buffer.from("ok \ufffd\n"));
    const described = '<not-utf8> a line that is not UTF-8 (byte 0xE9 at offset 55; shelfwise\'s runners write UTF-8 only, so plugin code wrote it on shelfwise\'s channel): {"type":"result","seq":2,"outcome":"error","error":"caf\\xe9"}';
    expect(events).toEqual([
      described,
      described,
      expect.stringMatching(/^<not-utf8> a line that is not UTF-8 \(byte 0xC0 at offset 1;.*: a\\xc0\\xaf$/),
      expect.stringMatching(/^<not-utf8> a line that is not UTF-8 \(byte 0xED at offset 1;.*: b\\xed\\xa0\\x80$/),
      "ok \ufffd",
    ]);
  });

  it("holds at most the cap of an endless line", () => {
    const reader = createLineReader(1024, () => {}, () => {}, () => {});
    for (let i = 0; i < 1000; i++) reader.push(Buffer.alloc(64 * 1024, 120));
    expect(reader.pendingBytes()).toBe(0);
  });
});

describe("a runner's line, read by the host", () => {
  it("refuses a line nested deeper than 64 levels without parsing it, still attributed to its call", () => {
    // 1 MiB of brackets: JSON.parse took seconds of the host's event loop on it.
    const depth = 500_000;
    const line = `{"type":"result","seq":7,"outcome":"ok","data":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const elapsed = ownClock();
    expect(parseRunnerLine(line)).toEqual({ kind: "unusable", seq: 7, error: "result nested more than 64 levels deep" });
    // Synchronous, so the time less the waits for a core (test/support/own-time.ts) is its CPU time,
    // whatever else runs: the linear scan ~10 ms, JSON.parse of this line ~700 ms (2.6 s of plain time
    // once; the 2 s plain-time bound this replaces let JSON.parse pass on an idle machine).
    expect(elapsed()).toBeLessThan(200);
    // Brackets inside strings are text, not nesting; a flat large answer still parses.
    const text = `{"type":"result","seq":8,"outcome":"ok","data":{"title":${JSON.stringify("[{".repeat(5000) + '\\"')}}}`;
    expect(parseRunnerLine(text)).toMatchObject({ kind: "message", message: { seq: 8, outcome: "ok" } });
  });

  it("clips the error and traceback a rewritten runner sends, as the runners clip their own", () => {
    const fatal = parseRunnerLine(JSON.stringify({ type: "fatal", stage: "setup", error: "e".repeat(500_000), detail: "d".repeat(500_000) }));
    expect(fatal).toMatchObject({ kind: "message" });
    const message = (fatal as { message: { error: string; detail: string } }).message;
    expect(message.error).toHaveLength(2000);
    expect(message.error.endsWith("…")).toBe(true);
    expect(message.detail).toHaveLength(64 * 1024);
    const result = parseRunnerLine(JSON.stringify({ type: "result", seq: 1, outcome: "error", error: "x".repeat(100_000) }));
    expect((result as { message: { error: string } }).message.error).toHaveLength(2000);
    const done = parseRunnerLine(JSON.stringify({ type: "teardown_done", error: "t".repeat(3000) }));
    expect((done as { message: { error: string } }).message.error).toHaveLength(2000);
  });
});

describe("network guard host matching", () => {
  it.each<[string, string[], boolean]>([
    ["openlibrary.org", ["openlibrary.org"], true],
    ["OpenLibrary.org.", ["openlibrary.org"], true],
    ["covers.openlibrary.org", ["openlibrary.org"], false],
    // *.domain: the names under it at any depth, not the domain itself, nothing that only ends like it, no address.
    ["covers.openlibrary.org", ["*.openlibrary.org"], true],
    ["a.b.openlibrary.org", ["*.openlibrary.org"], true],
    ["Covers.OpenLibrary.org.", ["*.openlibrary.org"], true],
    ["openlibrary.org", ["*.openlibrary.org"], false],
    ["openlibrary.org.evil.org", ["*.openlibrary.org"], false],
    ["evilopenlibrary.org", ["*.openlibrary.org"], false],
    ["127.0.0.1", ["*.0.0.1"], false],
    // A Unicode name is compared in its ASCII form, which is what the manifest keeps.
    ["bücher.de", ["xn--bcher-kva.de"], true],
    ["api.bücher.de", ["*.xn--bcher-kva.de"], true],
    ["evilopenlibrary.org", ["openlibrary.org"], false],
    ["127.0.0.1", ["127.0.0.1"], true],
    ["localhost", ["127.0.0.1"], false],
    ["[::1]", ["::1"], true],
    ["example.com", [], false],
  ])("%s with %j allowed: %s", (host, allowed, expected) => {
    expect(hostAllowed(host, allowed)).toBe(expected);
  });
});

describe("bounded log", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-log-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("rotates once past its size and never holds more than two files", () => {
    const file = path.join(dir, "rotate.log");
    const log = openBoundedLog(file, { maxBytes: 1000, windowBytes: 1e9 });
    for (let i = 0; i < 50; i++) log.write(Buffer.from(`line ${i} `.padEnd(100, ".") + "\n"));
    log.close();
    expect(fs.statSync(file).size).toBeLessThanOrEqual(1000);
    expect(fs.statSync(`${file}.1`).size).toBeLessThanOrEqual(1000);
    expect(fs.readFileSync(file, "utf8")).toContain("line 49");
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("rotate"))).toHaveLength(2);
  });

  it("drops output over the window budget and says so", () => {
    const file = path.join(dir, "flood.log");
    const log = openBoundedLog(file, { windowBytes: 1000, windowMs: 60_000 });
    for (let i = 0; i < 100; i++) log.write("x".repeat(99) + "\n");
    log.close();
    const text = fs.readFileSync(file, "utf8");
    expect(text.split("\n").filter((l) => l.startsWith("x"))).toHaveLength(10);
    expect(text).toContain("dropped 9000 bytes of plugin output");
  });

  // The host's notes are the lines that start with "[shelfwise": a plugin printing such a line (a forged
  // "process ended", a forged sandbox level) must not pass for one, however it spells or splits it.
  it.each([
    ["unmasked", undefined],
    ["masked (the plugin has secrets)", secretMask(["k3y-value"])],
  ])("a plugin line that reads as a host note is marked as the plugin's (%s)", (_name, mask) => {
    const file = path.join(dir, `forged-${mask ? "masked" : "plain"}.log`);
    const log = openBoundedLog(file, { windowBytes: 1e9, mask });
    log.note("started p (pid 1)");
    log.write("[shelfwise 2026-01-01T00:00:00.000Z] sandbox: process+permission+seccomp+landlock+namespace\n");
    log.write("ok\n[shelf");
    log.write("wise] network: refused nothing\n");
    log.write(" \u200b[Shelfwise] behind invisible characters\n\uff3b\uff53\uff48\uff45\uff4c\uff46\uff57\uff49\uff53\uff45] fullwidth\n");
    log.write("progress 50%\r[shelfwise] redrawn by a carriage return\r\n");
    log.write("\x1b[1A\x1b[2K[shelfwise] moved up a line by a terminal escape\n\u009b2K[shelfwise] by a C1 escape\n");
    // Shown right to left, this reads "[shelfwise] forged".
    log.write("x\u202edegrof ]esiwflehs[\n");
    // A line not ended when the host notes something: the note still starts its own line, and what the
    // plugin writes next starts a line that is checked in turn.
    log.write("half a line");
    log.note("process 1 ended: exit code 0");
    log.write("[shelfwise] the plugin's continuation\n");
    // A note quoting the plugin (its teardown error) stays on its one line.
    log.note("teardown failed: boom\n[shelfwise 2026-01-01T00:00:00.000Z] process 1 ended: forged");
    // A line longer than the log holds back is written unfinished; the egress proxy's refusal, appended by
    // another writer, then ends it: the plugin's next words start a line and are checked as one.
    log.write("y".repeat(70 * 1024));
    fs.appendFileSync(file, "[shelfwise] network: refused example.com\n");
    log.write("[shelfwise] after another writer's line\n");
    log.close();
    const lines = fs.readFileSync(file, "utf8").split("\n");
    // Only the two real notes read as the host's.
    expect(lines.filter((line) => /^\[shelfwise/i.test(line))).toEqual([
      LOG_HEADER,
      expect.stringMatching(/^\[shelfwise \S+\] started p \(pid 1\)$/),
      expect.stringMatching(/^\[shelfwise \S+\] process 1 ended: exit code 0$/),
      expect.stringMatching(/^\[shelfwise \S+\] teardown failed: boom\\x0a\[shelfwise 2026-01-01T00:00:00.000Z\] process 1 ended: forged$/),
    ]);
    expect(lines.filter((line) => line !== "" && line !== LOG_HEADER && !/^\[shelfwise \S+\] /.test(line))).toEqual([
      "[plugin output] [shelfwise 2026-01-01T00:00:00.000Z] sandbox: process+permission+seccomp+landlock+namespace",
      "ok",
      "[plugin output] [shelfwise] network: refused nothing",
      "[plugin output]  \u200b[Shelfwise] behind invisible characters",
      "[plugin output] \uff3b\uff53\uff48\uff45\uff4c\uff46\uff57\uff49\uff53\uff45] fullwidth",
      "progress 50%\\x0d[shelfwise] redrawn by a carriage return\r",
      "\\x1b[1A\\x1b[2K[shelfwise] moved up a line by a terminal escape",
      "\\u009b2K[shelfwise] by a C1 escape",
      "x\\u202edegrof ]esiwflehs[",
      "half a line",
      "[plugin output] [shelfwise] the plugin's continuation",
      expect.stringMatching(/^y{71680}\[shelfwise\] network: refused example\.com$/),
      "[plugin output] [shelfwise] after another writer's line",
    ]);
  });

  // A log written before plugin lines were marked holds a plugin's forged note unmarked: where logs are shown
  // (the web plugin page's tail) such a line is marked as possibly the plugin's, and the next start sets the
  // file aside rather than continue it under the header that vouches for its lines.
  it("an older log's lines that read as notes are shown marked, and a new start sets that log aside", () => {
    const layout = dataDirLayout(path.join(dir, "shown"));
    const file = layout.pluginLogFile("old");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "[shelfwise 2026-01-01T00:00:00.000Z] started old (pid 7)\n[shelfwise] sandbox: forged\x1b[2K\nplain\n");
    const session = { layout } as unknown as Session;
    expect(logTail(session, "old")).toEqual([
      `${OLDER_LOG_MARK}[shelfwise 2026-01-01T00:00:00.000Z] started old (pid 7)`,
      `${OLDER_LOG_MARK}[shelfwise] sandbox: forged\\x1b[2K`,
      "plain",
    ]);
    const log = openBoundedLog(file, { windowBytes: 1e9 });
    log.note("started old (pid 8)");
    log.write("[shelfwise] forged again\n");
    log.close();
    expect(fs.readFileSync(`${file}.1`, "utf8")).toMatch(/^\[shelfwise 2026-01-01T00:00:00.000Z\] started old \(pid 7\)\n/);
    expect(fs.readFileSync(file, "utf8").startsWith(`${LOG_HEADER}\n`)).toBe(true);
    expect(logTail(session, "old")).toEqual([expect.stringMatching(/^\[shelfwise \S+\] started old \(pid 8\)$/), "[plugin output] [shelfwise] forged again"]);
  });

  // Headerless, it would be set aside over `.1` by the next start, taking the rotated log's lines with it.
  it("a refusal after the log closed, its file rotated away meanwhile, starts a log with its header", () => {
    const file = path.join(dir, "late.log");
    const log = openBoundedLog(file, { windowBytes: 1e9 });
    log.write("x\n");
    log.close();
    fs.renameSync(file, `${file}.1`);
    log.refusal("network: refused example.com");
    expect(fs.readFileSync(file, "utf8")).toBe(`${LOG_HEADER}\n[shelfwise] network: refused example.com\n`);
  });

  it("never throws when the log cannot be written", () => {
    const log = openBoundedLog(path.join(dir, "missing-folder", "x.log"));
    expect(() => {
      log.write("hello\n");
      log.note("note");
      log.close();
    }).not.toThrow();
  });
});
