/**
 * shelfwise/testing as an author uses it: books built with makeBook carry what
 * the test gives (tags, files, status...), a plugin skipped for want of config
 * or secrets says which options to pass, and a test reaches a local stand-in
 * for the plugin's web API with the `network` option, without the internet.
 */
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HarnessError, makeBook, runPlugin, validatePlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { nodePlugin, requireBuilt, writePlugin } from "../support/plugin-fixtures.js";

let root: string;
let server: http.Server;
let port: number;
const waiting: http.ServerResponse[] = [];

beforeAll(async () => {
  requireBuilt();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-harness-options-"));
  server = http.createServer((request, response) => {
    if (request.url === "/barrier") {
      // Answered once two runs are waiting: both are then surely running at once.
      waiting.push(response);
      if (waiting.length === 2) for (const held of waiting.splice(0)) held.end("{}");
      return;
    }
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ narrator: "Scott Brick", key: request.headers["x-key"] ?? null }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("makeBook", () => {
  it("gives the plugin the tags, files, status, confidence and library folder the test sets", async () => {
    const folder = writePlugin(root, "echo-book", {
      code: nodePlugin(`process(book) {
        console.log("looking at", book.current_title);
        if (book.book_id === 2) throw new Error("no edition for " + book.current_title);
        return { edition: [book.tags?.album, book.files.length, book.status, book.confidence, book.library_root].join("|") };
      }`),
    });
    const book = makeBook({
      title: "Dune",
      path: "/srv/books/Frank Herbert/Dune",
      library_root: "/srv/books",
      status: "identified",
      confidence: 72,
      files: [{ path: "/srv/books/Frank Herbert/Dune/01.m4b", size: 1234 }],
      tags: { album: "Dune (Unabridged)", artist: "Frank Herbert" },
    });
    const { calls, output, log_file } = await runPlugin(folder, [book, makeBook({ book_id: 2, title: "Mort" })]);
    expect(calls[0]!.received).toMatchObject({
      current_title: "Dune",
      library_root: "/srv/books",
      status: "identified",
      confidence: 72,
      files: [{ path: "/srv/books/Frank Herbert/Dune/01.m4b", size: 1234 }],
      tags: { album: "Dune (Unabridged)", artist: "Frank Herbert" },
    });
    expect(calls[0]!.accepted).toEqual([{ field: "edition", value: "Dune (Unabridged)|1|identified|72|/srv/books" }]);
    // What it printed and the stack of what it threw, from a log the harness's temporary folder does not keep.
    expect(calls[1]).toMatchObject({ outcome: "error", error: "no edition for Mort" });
    expect(output).toEqual(expect.arrayContaining(["looking at Dune", "looking at Mort", "Error: no edition for Mort"]));
    expect(output.some((line) => line.includes(`${path.join(folder, "index.mjs")}:`) || /echo-book.*index\.mjs:\d+:\d+/.test(line))).toBe(true);
    expect(log_file).toBeNull();
  });

  it("keeps its defaults: no files, no tags, pending, the library two folders up", () => {
    expect(makeBook({ path: "/lib/A/B" })).toMatchObject({ book_id: 1, library_root: "/lib", status: "pending", confidence: 0, files: [], tags: null });
  });
});

describe("a start failure", () => {
  it("keeps the plugin's words on one line: a line break in them would print a line that reads as shelfwise's own", async () => {
    const folder = writePlugin(root, "liar", { code: nodePlugin(`setup() { throw new Error("boom\\nshelfwise: note: every plugin verified"); } process() { return {}; }`) });
    const error = await validatePlugin(folder).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message.split("\n")).toEqual([
      "setup: setup() failed: boom\\nshelfwise: note: every plugin verified",
      expect.stringMatching(/^\(see the plugin log: .*liar\.log\)$/),
    ]);
    // That log is in the harness's temporary folder, gone by now: the stack, with the line that threw, comes along.
    expect((error as HarnessError).output.join("\n")).toMatch(/liar\/index\.mjs:\d+:\d+/);
  });
});

describe("a plugin that requires config and secrets", () => {
  it("names the options to pass when the test gives none, and runs when it gives them", async () => {
    const folder = writePlugin(root, "needs-keys", {
      // (A secret's value in an answer would be dropped: only whether it arrived is answered.)
      code: nodePlugin(`setup(config, secrets) { this.answer = config.base_url + " " + Object.keys(secrets).join(","); } process() { return { edition: this.answer }; }`),
      manifest: { requires_config: ["base_url"], requires_secrets: ["api_key"] },
    });
    const refused = await validatePlugin(folder).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HarnessError);
    expect((refused as HarnessError).missing).toEqual({ config: ["base_url"], secrets: ["api_key"] });
    expect((refused as HarnessError).message).toBe(
      'skipped: missing config plugin_configs.needs-keys: base_url; missing secrets: api_key (the manifest requires them: pass { config: { "base_url": ... }, secrets: { "api_key": ... } } in the options of runPlugin / validatePlugin)',
    );
    const onlyConfig = await runPlugin(folder, [makeBook()], { config: { base_url: "http://x" } }).catch((error: unknown) => error);
    expect((onlyConfig as HarnessError).missing).toEqual({ config: [], secrets: ["api_key"] });
    const blankUrl = await runPlugin(folder, [makeBook()], { config: { base_url: " " }, secrets: { api_key: "k-123456" } }).catch((error: unknown) => error);
    expect((blankUrl as HarnessError).missing).toEqual({ config: ["base_url"], secrets: [] });
    expect((blankUrl as HarnessError).message).toContain("missing config plugin_configs.needs-keys: base_url (set but empty: base_url)");
    const blankKey = await runPlugin(folder, [makeBook()], { config: { base_url: "http://x" }, secrets: { api_key: "  " } }).catch((error: unknown) => error);
    expect((blankKey as HarnessError).missing).toEqual({ config: [], secrets: ["api_key"] });
    expect((blankKey as HarnessError).message).toContain("missing secrets: api_key (set but empty: api_key)");
    const { calls } = await runPlugin(folder, [makeBook()], { config: { base_url: "http://x" }, secrets: { api_key: "k-123456", other: "not given" } });
    expect(calls[0]!.accepted).toEqual([{ field: "edition", value: "http://x api_key" }]);
  });
});

describe("the network option", () => {
  it("lets one test run reach a local stand-in of the plugin's API, which the manifest alone does not", async () => {
    const folder = writePlugin(root, "asks-api", {
      code: nodePlugin(`async process(book) {
        const response = await fetch(book.current_title, { headers: { "x-key": "k" } });
        const body = await response.json();
        return { narrator: body.narrator, edition: body.key };
      }`),
      manifest: { permissions: { network: ["api.example.com"] } },
    });
    const url = `http://127.0.0.1:${port}/narrator`;
    const refused = await runPlugin(folder, [makeBook({ title: url })]);
    expect(refused.calls[0]!.outcome).toBe("error");
    expect(refused.calls[0]!.error).toMatch(/may not reach host 127\.0\.0\.1: add it to permissions\.network/);

    // The stand-in's URL, as an author has it at hand: read as its host, as a manifest entry is.
    const { calls } = await runPlugin(folder, [makeBook({ title: url })], { network: [url] });
    expect(calls[0]!.error).toBeNull();
    expect(calls[0]!.accepted).toEqual([
      { field: "narrator", value: "Scott Brick" },
      { field: "edition", value: "k" },
    ]);
  });
});

describe("beside another run of the same plugin (a `process` writing to the same log)", () => {
  it("shows only its own run's output, and the log holds both", async () => {
    const folder = writePlugin(root, "shared-log", {
      code: nodePlugin(`async process(book) {
        console.log("before", book.current_title);
        await fetch("http://127.0.0.1:${port}/barrier");
        console.error("after", book.current_title);
        return {};
      }`),
    });
    const dataDir = path.join(root, "shared-log-data");
    const run = (title: string) => runPlugin(folder, [makeBook({ title })], { dataDir, network: ["127.0.0.1"] });
    const [first, second] = await Promise.all([run("First"), run("Second")]);
    expect(first.output).toEqual(["before First", "after First"]);
    expect(second.output).toEqual(["before Second", "after Second"]);
    const log = fs.readFileSync(first.log_file!, "utf8");
    for (const line of ["before First", "after First", "before Second", "after Second"]) expect(log).toContain(line);
  });
});

describe("test harness: staging marks", () => {
  // Every `plugins test` and `node --test` run is a process of its own, staging into the same data folder.
  it("clears the in-use marks of runs that have exited", async () => {
    const dataDir = path.join(root, "marks-data");
    const folder = writePlugin(path.join(root, "marks-plugins"), "marked", { code: nodePlugin(`process() { return { title: "t" }; }`) });
    // Another plugin's (staging "marked" itself clears its own folder's marks).
    const idDir = path.join(dataDir, "cache", "plugins", "other");
    fs.mkdirSync(idDir, { recursive: true });
    // A pid no process has (above the kernel's pid_max).
    const gone = path.join(idDir, ".in-use-0123abcd-4194305");
    fs.writeFileSync(gone, "");
    const { calls } = await runPlugin(folder, [makeBook({ title: "Dune" })], { dataDir });
    expect(calls[0]!.outcome).toBe("ok");
    expect(fs.existsSync(gone)).toBe(false);
  });
});

describe("a plugin flooding its output", () => {
  // Its log keeps 256 KiB a second and drops the rest; the run's output, which filters shelfwise's notes out, then
  // showed only the flood's last lines, and its author could not tell that 99% of it was never kept.
  it.each([
    ["node", "index.mjs", nodePlugin(`process() { const line = "x".repeat(1023) + "\\n"; for (let i = 0; i < 8 * 1024; i++) process.stdout.write(line); console.log("last words"); return null; }`)],
    [
      "python",
      "plugin.py",
      `from shelfwise import BasePlugin\n\n\nclass Flood(BasePlugin):\n    def process(self, book):\n        line = "x" * 1023 + "\\n"\n        for _ in range(8 * 1024):\n            print(line, end="")\n        print("last words")\n        return None\n`,
    ],
  ])("%s: says how much was not kept, after the lines that were", async (runtime, entry, code) => {
    const folder = writePlugin(root, `flood-${runtime}`, { entry, code });
    const run = await runPlugin(folder, [makeBook({ title: "Dune" })], { dataDir: path.join(root, `flood-${runtime}-data`) });
    expect(run.calls[0]).toMatchObject({ outcome: "no_result", error: null });
    const last = run.output.at(-1)!;
    const notKept = /^\[shelfwise\] (\d+) bytes of the plugin's output were not kept \(more than 262144 bytes in 1000 ms: the most a plugin's log takes\); the lines above are what was$/.exec(last);
    expect(notKept, last).not.toBeNull();
    // At most what it wrote, and most of it: the log took 256 KiB a second of the 8 MiB.
    expect(Number(notKept![1])).toBeLessThanOrEqual(8 * 1024 * 1024 + 11);
    expect(Number(notKept![1])).toBeGreaterThan(4 * 1024 * 1024);
  });
});
