/**
 * A Node plugin that closes shelfwise's channel to its runner (descriptors 3 and up, as a daemonizing
 * library or a "close every descriptor" loop does). Node's own libuv asserted on the closed descriptors and
 * the call read "killed by SIGABRT", with no word of what the plugin did; the Python runner said it.
 */
import { expect, it } from "vitest";
import { createPluginProcess } from "../../src/plugins/process/supervisor.js";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { NODE_ABORT_HINT, SELF_EXIT_HINT } from "../../src/plugins/process/child.js";
import { CHANNEL_CLOSED_ERROR } from "../../src/plugins/runner/input-closed.js";
import { layoutPerFile, pluginSpec, testBook } from "./sandbox-fixture.js";

const CLOSER = String.raw`
import fs from "node:fs";
import net from "node:net";
export class Closer {
  async process(book) {
    const how = book.current_title;
    if (how === "close-3-9") for (let fd = 3; fd <= 9; fd++) { try { fs.closeSync(fd); } catch {} }
    if (how === "close-3-9-reuse") {
      for (let fd = 3; fd <= 9; fd++) { try { fs.closeSync(fd); } catch {} }
      for (let i = 0; i < 4; i++) fs.openSync(process.env.HOME + "/f" + i, "w");
    }
    // Closed through a socket on it, not fs.close: seen at the answer.
    if (how === "socket-3") new net.Socket({ fd: 3 }).destroy();
    if (how === "close-all") for (let fd = 0; fd <= 64; fd++) { try { fs.closeSync(fd); } catch {} }
    return { title: "answered " + how };
  }
}`;

const file = layoutPerFile();

it("fails only the call that closed the runner's channel, saying what the plugin did, and answers the next book", async () => {
  const spec = pluginSpec(file.layout, "channel-closer", "node", { "index.mjs": CLOSER }, { class_name: "Closer", timeoutSeconds: 20 });
  const plugin = createPluginProcess(spec, createNodeLauncher(), {});
  file.running.push(plugin);
  const results = await plugin.runBatch(["close-3-9", "a", "close-3-9-reuse", "b", "socket-3", "c"].map((title) => testBook(title, "x")));
  expect(results.map((r) => (r?.outcome === "ok" ? (r.data as { title: string }).title : `${r?.outcome}: ${r?.error}`))).toEqual([
    `crash: ${CHANNEL_CLOSED_ERROR}`,
    "answered a",
    `crash: ${CHANNEL_CLOSED_ERROR}`,
    "answered b",
    `crash: ${CHANNEL_CLOSED_ERROR}`,
    "answered c",
  ]);
  expect(Math.max(...results.map((r) => r!.duration_ms))).toBeLessThan(10_000);
});

it("names what to look for when Node aborts with nothing on stderr", async () => {
  const spec = pluginSpec(file.layout, "node-abort", "node", { "index.mjs": "import fs from \"node:fs\"; export class Closer { process() { fs.closeSync(2); process.abort(); } }" }, { class_name: "Closer", timeoutSeconds: 20 });
  const plugin = createPluginProcess(spec, createNodeLauncher(), {});
  file.running.push(plugin);
  const [result] = await plugin.runBatch([testBook("a", "x")]);
  // Its stderr closed first, as a loop over every descriptor does. Was "plugin process was killed by SIGABRT" and no more.
  expect(result).toMatchObject({ outcome: "crash", error: `plugin process was killed by SIGABRT: ${NODE_ABORT_HINT}` });
});

it("takes a plugin's own exit with the channel-closed status for a crash of its call, not a closed channel", async () => {
  const spec = pluginSpec(file.layout, "exit-87", "node", { "index.mjs": "export class Closer { process() { process.exit(87); } }" }, { class_name: "Closer", timeoutSeconds: 20 });
  const plugin = createPluginProcess(spec, createNodeLauncher(), {});
  file.running.push(plugin);
  const [result] = await plugin.runBatch([testBook("a", "x")]);
  expect(result).toMatchObject({ outcome: "crash", error: `plugin process exited with code 1: ${SELF_EXIT_HINT.node}` });
});
