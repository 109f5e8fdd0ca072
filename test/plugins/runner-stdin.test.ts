/**
 * A Node plugin and the runner's input (stdin, the host's channel): a plugin that destroys
 * process.stdin or closes descriptor 0 must not take the next book down with it. The runner left
 * alone exited with 0 once nothing held it, and the host blamed that crash on the book it had just
 * sent, which never ran.
 */
import fs from "node:fs";
import { expect, it } from "vitest";
import { createPluginProcess, type PluginProcess } from "../../src/plugins/process/supervisor.js";
import { SELF_EXIT_HINT } from "../../src/plugins/process/child.js";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { INPUT_CLOSED_ERROR, inputClosedAgain, inputClosedInARow, lostInARow } from "../../src/plugins/runner/input-closed.js";
import { layoutPerFile, pluginSpec, processesWith, testBook } from "./sandbox-fixture.js";

const CLOSER = String.raw`
import fs from "node:fs";
export class Closer {
  async process(book) {
    const how = book.current_title;
    if (how === "destroy") process.stdin.destroy();
    if (how === "read") process.stdin.on("data", () => {});
    if (how === "title") process.title = "shelfwise serve --port 8080";
    if (how === "exit-as-closed") process.exit(86);
    if (how === "exit-code-as-closed") { process.exitCode = 86; process.exit(); }
    if (how === "fd" || how === "fd-then-wait") fs.closeSync(0);
    // Answers, then ends its own process before the next call: no call to blame.
    if (how === "exit-after") setTimeout(() => process.exit(0), 20);
    // Still running when the runner sees its input go: this call is the one blamed.
    if (how === "fd-then-wait") await new Promise((resolve) => setTimeout(resolve, 2000));
    // Innocent, but slower than the runner's poll for its input: it ran right after the call that closed it.
    if (how === "slow") await new Promise((resolve) => setTimeout(resolve, 400));
    return { title: "ok:" + how + ":" + process.pid };
  }
}`;

const file = layoutPerFile();
const running = file.running;

const book = (title: string) => testBook(title, "a");

function closer(id: string, ended: string[] = []): { plugin: PluginProcess; log: () => string; one: (title: string) => Promise<string> } {
  const spec = pluginSpec(file.layout, id, "node", { "index.mjs": CLOSER }, { class_name: "Closer", timeoutSeconds: 10 });
  const plugin = createPluginProcess(spec, createNodeLauncher(), { onProcessEnded: (error) => ended.push(error) });
  running.push(plugin);
  // One book per batch: the next is sent only once the previous one is answered, as a slow library does.
  const one = async (title: string) => {
    const [result] = await plugin.runBatch([book(title)]);
    return result?.outcome === "ok" ? String((result.data as { title?: unknown }).title).replace(/:\d+$/, "") : `${result?.outcome}: ${result?.error}`;
  };
  return { plugin, log: () => fs.readFileSync(spec.logFile, "utf8"), one };
}

it("keeps process.stdin from the plugin: destroying or reading it changes nothing", async () => {
  const { plugin, one } = closer("stdin-destroy");
  expect(await one("destroy")).toBe("ok:destroy");
  const pid = plugin.pid();
  expect(await one("read")).toBe("ok:read");
  expect(await one("next")).toBe("ok:next");
  expect(plugin.pid()).toBe(pid);
});

it("blames no book for a descriptor 0 closed by a call that answered, and runs the next one on a fresh process", async () => {
  const { one, log } = closer("stdin-fd");
  expect(await one("fd")).toBe("ok:fd");
  expect(await one("next")).toBe("ok:next");
  expect(await one("third")).toBe("ok:third");
  expect(log()).toContain(`ended: ${INPUT_CLOSED_ERROR}`);
});

it("starts no queued call after the one that closed descriptor 0, and tells the owner, who has no call's error to show", async () => {
  // As the pipeline sends them: a batch of books queued in the runner at once. The one after the closer
  // ran within the poll's tenth of a second and was failed with the closer's error.
  const ended: string[] = [];
  const { plugin } = closer("stdin-queued", ended);
  const results = await plugin.runBatch(["fd", "slow", "next"].map(book));
  expect(results.map((r) => `${r?.outcome}: ${r?.error ?? String((r?.data as { title?: unknown }).title).replace(/:\d+$/, "")}`)).toEqual([
    "ok: ok:fd",
    "ok: ok:slow",
    "ok: ok:next",
  ]);
  // The Health page's only trace of it (plugin-layer.ts records it in the call log).
  expect(ended).toEqual([INPUT_CLOSED_ERROR]);
});

it("stops a batch at the second process that closed descriptor 0, saying so, instead of spending its restarts on it", async () => {
  // One book per process, every restart of the batch (with its backoff) spent on it, and the books left a
  // "gave up after 3 restarts" that named the cause only as the last failure.
  const ended: string[] = [];
  const { plugin } = closer("stdin-every-call", ended);
  const results = await plugin.runBatch(["fd", "fd", "fd", "fd"].map(book));
  expect(results.map((r) => `${r?.outcome}: ${r?.error ?? String((r?.data as { title?: unknown }).title).replace(/:\d+$/, "")}`)).toEqual([
    "ok: ok:fd",
    "ok: ok:fd",
    // Not run: the two processes it cost are counted (onProcessEnded), not the books after them.
    ...Array(2).fill(`not_run: ${inputClosedAgain(2)}`),
  ]);
  expect(inputClosedAgain(2)).toContain(INPUT_CLOSED_ERROR);
  // Each process it cost is in the plugin's health too (plugin-layer.ts).
  expect(ended).toEqual([INPUT_CLOSED_ERROR, INPUT_CLOSED_ERROR]);
});

it("starts no third process after two in a row closed descriptor 0, also with one book per batch; a process that answers twice ends the streak", async () => {
  // batch_size 1, or serve taking books as they come: the per-batch rule never fired, every answer was ok (so no
  // auto-disable), and a plugin closing its input at every book cost a process per book for ever.
  const ended: string[] = [];
  const { plugin, one } = closer("stdin-one-book", ended);
  const pids = new Set<number | null>();
  const seen: string[] = [];
  for (const title of ["fd", "next", "next", "fd", "fd", "next", "next"]) {
    seen.push(await one(title));
    pids.add(plugin.pid());
  }
  expect(seen).toEqual(["ok:fd", "ok:next", "ok:next", "ok:fd", "ok:fd", ...Array(2).fill(`not_run: ${inputClosedInARow(2)}`)]);
  // The first process, the one that answered "next" twice (the streak ended there), and one more.
  expect(new Set([...pids].filter((pid) => pid !== null)).size).toBeLessThanOrEqual(3);
  expect(ended).toEqual([INPUT_CLOSED_ERROR, INPUT_CLOSED_ERROR, INPUT_CLOSED_ERROR]);
});

it("counts a process that ended on its own between calls the same way, and tells the owner each time", async () => {
  const ended: string[] = [];
  const { one } = closer("exit-between", ended);
  const seen: string[] = [];
  // Each answer is sent before the process ends: the next book waits for the end to be seen, as a slow library's would.
  for (const title of ["exit-after", "exit-after", "next"]) {
    seen.push(await one(title));
    await expect.poll(() => ended.length, { timeout: 5000 }).toBe(Math.min(seen.length, 2));
  }
  const lost = `plugin process ended between calls: plugin process exited with code 0: ${SELF_EXIT_HINT.node}`;
  expect(seen).toEqual(["ok:exit-after", "ok:exit-after", `not_run: ${lostInARow(2, lost)}`]);
  expect(ended).toEqual([lost, lost]);
});

it("blames the call that was running when descriptor 0 was closed", async () => {
  const { one } = closer("stdin-fd-wait");
  expect(await one("fd-then-wait")).toBe(`error: ${INPUT_CLOSED_ERROR}`);
  expect(await one("next")).toBe("ok:next");
});

it("takes a plugin's own exit with the closed-input status for a crash of its call, not a closed input", async () => {
  // It escaped blame: its book went to every restart, and then every book left, the innocent next one
  // too, was a crash "closed its input".
  const ended: string[] = [];
  const { plugin } = closer("stdin-fake", ended);
  const results = await plugin.runBatch(["exit-as-closed", "exit-code-as-closed", "next"].map(book));
  expect(results.map((r) => `${r?.outcome}: ${r?.error ?? String((r?.data as { title?: unknown }).title).replace(/:\d+$/, "")}`)).toEqual([
    `crash: plugin process exited with code 1: ${SELF_EXIT_HINT.node}`,
    `crash: plugin process exited with code 1: ${SELF_EXIT_HINT.node}`,
    "ok: ok:next",
  ]);
  expect(ended).toEqual([]);
});

// Not stdin, but the same runner guarding what the plugin may change about itself.
it("keeps a plugin from renaming its process to pass for shelfwise in ps", async () => {
  const { one } = closer("retitled");
  expect(await one("title")).toBe("ok:title");
  expect(processesWith("shelfwise serve --port 8080")).toEqual([]);
});
