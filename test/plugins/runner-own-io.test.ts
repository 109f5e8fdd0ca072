/**
 * A Node plugin shares its runner's realm: what it patches there (fs.writeSync, JSON.stringify, TextEncoder and
 * Buffer methods, Object.prototype.toJSON, getters on Object.prototype) must not reach the runner's own messages
 * to shelfwise (`started`, answers, the call mark on stderr). Each mode below is installed by one call and
 * judged by the next ones.
 */
import { expect, it } from "vitest";
import { createPluginProcess } from "../../src/plugins/process/supervisor.js";
import { STOPPED_ERROR } from "../../src/plugins/process/child.js";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { layoutPerFile, pluginSpec, testBook } from "./sandbox-fixture.js";

const PATCHER = String.raw`
import fs from "node:fs";
const patches = {
  // Drops the runner's word that a call began ("started" on the channel, the mark on stderr): a stop during a
  // later call then read as one between calls, and no book was blamed.
  "write-sync"() {
    const write = fs.writeSync;
    fs.writeSync = function (fd, data, ...rest) {
      const text = typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
      if (text.includes('"started"') || text.includes("call starts")) return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength - (rest[0] ?? 0);
      return write.call(this, fd, data, ...rest);
    };
  },
  // Every encode of the runner's text goes through the plugin's function.
  "encoders"() {
    const encode = TextEncoder.prototype.encode;
    TextEncoder.prototype.encode = function (text) { return encode.call(this, String(text).replace('"started"', '"ready"')); };
    const utf8Write = Buffer.prototype.utf8Write;
    Buffer.prototype.utf8Write = function (text, ...rest) { return utf8Write.call(this, String(text).replace('"started"', '"ready"'), ...rest); };
  },
  "stringify"() {
    const stringify = JSON.stringify;
    JSON.stringify = (value, ...rest) => {
      const text = stringify(value, ...rest);
      return text === '{"type":"started"}' ? '{"type":"result","seq":0,"outcome":"ok","data":{"title":"forged"}}' : text;
    };
  },
  "to-json"() {
    Object.defineProperty(Object.prototype, "toJSON", {
      configurable: true,
      writable: true,
      value() { return this.type === "started" ? { type: "ready" } : this; },
    });
    Object.defineProperty(Array.prototype, "toJSON", { configurable: true, writable: true, value() { return ["forged"]; } });
  },
  "getters"() {
    for (const name of ["error", "detail", "type", "size", "field"]) {
      Object.defineProperty(Object.prototype, name, { configurable: true, get() { return "forged " + name; } });
    }
  },
};

export default class Patcher {
  process(book) {
    const mode = book.current_title;
    if (book.current_author === "install") {
      patches[mode]();
      globalThis.patched = true;
    }
    if (book.current_author === "stop" && globalThis.patched) process.kill(process.pid, "SIGSTOP");
    return { title: "ok:" + mode };
  }
}`;

const file = layoutPerFile();

it("blames the call for its stop when the plugin's fs.writeSync drops the runner's word that the call began", async () => {
  const spec = pluginSpec(file.layout, "own-io-stop", "node", { "index.mjs": PATCHER }, { timeoutSeconds: 20 });
  const plugin = createPluginProcess(spec, createNodeLauncher(), { maxRestartsPerBatch: 0 });
  file.running.push(plugin);
  const outcomes: string[] = [];
  // The stopping book, were it not blamed, would be sent again to a fresh process, where nothing is patched: `ok`.
  for (const author of ["install", "after", "stop"]) {
    const [result] = await plugin.runBatch([testBook("write-sync", author)]);
    outcomes.push(result?.outcome === "ok" ? String((result.data as { title?: unknown }).title) : `${result?.outcome}: ${result?.error}`);
  }
  expect(outcomes).toEqual(["ok:write-sync", "ok:write-sync", `crash: ${STOPPED_ERROR}`]);
});

it.each(["encoders", "stringify", "to-json", "getters"])("keeps the runner's messages its own when a plugin patches %s", async (mode) => {
  const spec = pluginSpec(file.layout, `own-io-${mode}`, "node", { "index.mjs": PATCHER }, { timeoutSeconds: 5 });
  const plugin = createPluginProcess(spec, createNodeLauncher(), { maxRestartsPerBatch: 0 });
  file.running.push(plugin);
  // One book per batch: each answer arrives before the next call starts, as the host's timing relies on.
  const outcomes: string[] = [];
  for (const author of ["install", "after", "after"]) {
    const [result] = await plugin.runBatch([testBook(mode, author)]);
    outcomes.push(result?.outcome === "ok" ? String((result.data as { title?: unknown }).title) : `${result?.outcome}: ${result?.error}`);
  }
  expect(outcomes).toEqual([`ok:${mode}`, `ok:${mode}`, `ok:${mode}`]);
});
