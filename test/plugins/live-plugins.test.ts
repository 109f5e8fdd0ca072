/**
 * Hot reload of the plugin folder, as `shelfwise serve` runs it: a real data
 * dir and session, real plugin folders written while the watcher runs, real
 * plugin processes. Plugins are driven through the layer the registry holds,
 * as the orchestrator would.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createLivePlugins, type LiveChange, type LivePlugins, type LivePluginsOptions } from "../../src/app/live-plugins.js";
import { openSession } from "../../src/app/open-session.js";
import type { Session } from "../../src/app/session.js";
import type { LayerOutcome } from "../../src/pipeline/layer.js";
import type { PluginLayer } from "../../src/plugins/manager/plugin-layer.js";
import { watchPluginDir } from "../../src/plugins/manager/plugin-watcher.js";
import { createHome, leftoverRunners, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";
import { groupGone, makeBook } from "./runner-harness.js";

const answers = (value: string, delayMs = 0) =>
  nodePlugin(`
  async process(book) {
    ${delayMs > 0 ? `await new Promise((resolve) => setTimeout(resolve, ${delayMs}));` : ""}
    return { narrator: ${JSON.stringify(value)} };
  }`);

const NO_SIGNAL = new AbortController().signal;

let home: TestHome;
let session: Session;
let live: LivePlugins | null;
let changes: LiveChange[];
/** Woken on every change (changeAfter's waits). */
let changed: () => void;

beforeAll(requireBuilt);
beforeEach(() => {
  home = createHome();
  session = openSession(home.dataDir);
  live = null;
  changes = [];
  changed = () => {};
});
afterEach(async () => {
  await live?.stop();
  await session.close();
  expect(leftoverRunners(home.dataDir)).toEqual([]);
  home.cleanup();
});

async function begin(options: LivePluginsOptions = {}): Promise<void> {
  live = createLivePlugins(session, {
    ...options,
    onChange: (change) => {
      changes.push(change);
      changed();
    },
  });
  await live.start();
}

function layer(id: string): PluginLayer | undefined {
  return session.registry.get(id) as PluginLayer | undefined;
}

async function run(target: PluginLayer, ...ids: number[]): Promise<LayerOutcome[]> {
  return target.processBatch(
    ids.map((id) => makeBook(id)),
    { signal: NO_SIGNAL },
  );
}

/**
 * Starts a batch and resolves `started` once the plugin has been handed its first book, `answered`
 * once it has answered it.
 */
function runStarted(target: PluginLayer, ...ids: number[]): { batch: Promise<LayerOutcome[]>; started: Promise<void>; answered: Promise<void> } {
  let onStart!: () => void;
  let onEnd!: () => void;
  const started = new Promise<void>((resolve) => (onStart = resolve));
  const answered = new Promise<void>((resolve) => (onEnd = resolve));
  const batch = target.processBatch(
    ids.map((id) => makeBook(id)),
    { signal: NO_SIGNAL, onBook: (event) => (event.phase === "start" ? onStart() : onEnd()) },
  );
  return { batch, started, answered };
}

const narrators = (outcomes: LayerOutcome[]) => outcomes.map((o) => ("claims" in o ? o.claims[0]?.value : JSON.stringify(o)));

/** The change that follows the `seen`-th one, waiting for it. */
async function changeAfter(seen: number, timeoutMs = 60_000): Promise<LiveChange> {
  if (changes.length > seen) return changes[seen]!;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no plugin change within ${timeoutMs} ms (seen: ${JSON.stringify(changes)})`)), timeoutMs);
    changed = () => {
      if (changes.length <= seen) return;
      clearTimeout(timer);
      changed = () => {};
      resolve();
    };
  });
  return changes[seen]!;
}

/**
 * Drops in a plugin of its own and waits for the change that adds it: file
 * events are reported in order and reloads run one at a time, so once it is
 * in, every change the writes before it could cause has been reported.
 */
async function marker(seen: number): Promise<LiveChange> {
  home.plugin("marker", { code: answers("marker") });
  return changeAfter(seen);
}

const MARKER_ADDED: LiveChange = { added: ["marker"], reloaded: [], removed: [], failed: [] };

/** How editors save: write a hidden temp file, rename it over the original. */
function atomicWrite(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

describe("hot reload of the plugin folder", () => {
  test("a plugin dropped in is registered, running, and answers for a book", async () => {
    await begin();
    expect(layer("p")).toBeUndefined();
    home.plugin("p", { code: answers("v1") });
    expect(await changeAfter(0)).toEqual({ added: ["p"], reloaded: [], removed: [], failed: [] });
    expect(layer("p")!.pid()).toEqual(expect.any(Number));
    expect(narrators(await run(layer("p")!, 1))).toEqual(["v1"]);
    expect(live!.entries().map((e) => [e.id, e.state])).toEqual([["p", "active"]]);
  });

  test("changing its code reloads it: new behaviour, old process gone, other plugins keep theirs", async () => {
    const folder = home.plugin("p", { code: answers("v1") });
    home.plugin("other", { code: answers("other") });
    await begin();
    const oldPid = layer("p")!.pid()!;
    const otherPid = layer("other")!.pid()!;
    expect(narrators(await run(layer("p")!, 1))).toEqual(["v1"]);

    atomicWrite(path.join(folder, "index.mjs"), answers("v2"));
    expect(await changeAfter(0)).toEqual({ added: [], reloaded: ["p"], removed: [], failed: [] });
    expect(narrators(await run(layer("p")!, 1))).toEqual(["v2"]);
    expect(layer("p")!.pid()).not.toBe(oldPid);
    expect(groupGone(oldPid)).toBe(true);
    expect(layer("other")!.pid()).toBe(otherPid);
  });

  test("breaking its manifest unloads it with the reason; fixing it loads it again", async () => {
    const folder = home.plugin("p", { code: answers("v1") });
    await begin();
    const pid = layer("p")!.pid()!;
    const manifest = fs.readFileSync(path.join(folder, "manifest.json"), "utf8");

    fs.writeFileSync(path.join(folder, "manifest.json"), manifest.slice(0, -3));
    const broken = await changeAfter(0);
    expect(broken).toMatchObject({ added: [], reloaded: [], removed: [] });
    expect(broken.failed).toEqual([{ id: "p", reason: expect.stringMatching(/^invalid: .*manifest\.json: invalid JSON/) }]);
    expect(layer("p")).toBeUndefined();
    expect(groupGone(pid)).toBe(true);
    expect(live!.entries()[0]).toMatchObject({ state: "invalid" });

    fs.writeFileSync(path.join(folder, "manifest.json"), manifest);
    expect(await changeAfter(1)).toEqual({ added: ["p"], reloaded: [], removed: [], failed: [] });
    expect(narrators(await run(layer("p")!, 1))).toEqual(["v1"]);
  });

  test("a plugin whose new code cannot load is unloaded, reported as failed", async () => {
    const folder = home.plugin("p", { code: answers("v1") });
    await begin();
    fs.writeFileSync(path.join(folder, "index.mjs"), "export default class {\n  process( {\n");
    const change = await changeAfter(0);
    expect(change).toMatchObject({ added: [], reloaded: [], removed: [] });
    expect(change.failed).toEqual([{ id: "p", reason: expect.stringMatching(/^failed: load: /) }]);
    expect(layer("p")).toBeUndefined();
  });

  test("removing its folder unregisters it and ends its process", async () => {
    const folder = home.plugin("p", { code: answers("v1") });
    await begin();
    const pid = layer("p")!.pid()!;
    fs.rmSync(folder, { recursive: true });
    expect(await changeAfter(0)).toEqual({ added: [], reloaded: [], removed: ["p"], failed: [] });
    expect(layer("p")).toBeUndefined();
    expect(groupGone(pid)).toBe(true);
    expect(live!.entries()).toEqual([]);
  });

  test("a burst of writes gives one reload, running the last version", async () => {
    const folder = home.plugin("p", { code: answers("v0") });
    // A quiet time a loaded machine's 40 ms pauses cannot outlast (the default 300 ms is 7 of them).
    await begin({ debounceMs: 2000 });
    for (let i = 1; i <= 10; i++) {
      fs.writeFileSync(path.join(folder, "index.mjs"), answers(`v${i}`));
      // A burst spread over time (each write its own file event), well inside the quiet time.
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(await changeAfter(0)).toEqual({ added: [], reloaded: ["p"], removed: [], failed: [] });
    // A second reload of p would come before the marker's change, or with it.
    expect(await marker(1)).toEqual(MARKER_ADDED);
    expect(changes).toHaveLength(2);
    expect(narrators(await run(layer("p")!, 1))).toEqual(["v10"]);
  });

  test("files nothing runs from (node_modules, hidden, editor backups) reload nothing", async () => {
    const folder = home.plugin("p", { code: answers("v1") });
    await begin();
    const pid = layer("p")!.pid()!;
    fs.mkdirSync(path.join(folder, "node_modules", "dep"), { recursive: true });
    fs.writeFileSync(path.join(folder, "node_modules", "dep", "index.js"), "x");
    fs.writeFileSync(path.join(folder, ".index.mjs.swp"), "x");
    fs.writeFileSync(path.join(folder, "index.mjs~"), "x");
    // A reload of p would come before the marker's change, or with it.
    expect(await marker(0)).toEqual(MARKER_ADDED);
    expect(changes).toEqual([MARKER_ADDED]);
    expect(layer("p")!.pid()).toBe(pid);
  });

  test("a folder copied in file by file is reported while incomplete and added once complete", async () => {
    await begin();
    const folder = path.join(home.pluginDir, "slow");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ id: "slow", name: "slow", entry_point: "index.mjs" }));
    const partial = await changeAfter(0);
    expect(partial.failed).toEqual([{ id: "slow", reason: expect.stringMatching(/entry_point: file not found/) }]);
    fs.writeFileSync(path.join(folder, "index.mjs"), answers("complete"));
    expect(await changeAfter(1)).toEqual({ added: ["slow"], reloaded: [], removed: [], failed: [] });
    expect(narrators(await run(layer("slow")!, 1))).toEqual(["complete"]);
  });

  test("stop() ends every plugin process and unregisters the plugin layers", async () => {
    home.plugin("a", { code: answers("a") });
    home.plugin("b", { code: answers("b") });
    await begin();
    const pids = [layer("a")!.pid()!, layer("b")!.pid()!];
    await live!.stop();
    expect(pids.map(groupGone)).toEqual([true, true]);
    expect(session.registry.all().map((l) => l.info.kind)).not.toContain("plugin");
    // Stopped means stopped: a change now reloads nothing. A watcher of our own, settling later than
    // the live one would (300 ms), says when that one would have reloaded; any reload it started
    // would be reported before refresh() (queued behind it) resolves.
    let settled!: () => void;
    const seen = new Promise<void>((resolve) => (settled = resolve));
    const control = await watchPluginDir(home.pluginDir, () => settled(), { debounceMs: 600 });
    try {
      home.plugin("c", { code: answers("c") });
      await seen;
    } finally {
      await control.close();
    }
    expect(await live!.refresh()).toEqual({ added: [], reloaded: [], removed: [], failed: [] });
    expect(changes).toEqual([]);
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});

describe("a run in progress while its plugin reloads", () => {
  test("the batch in progress finishes on the old version within drainMs; later batches on the old layer return nothing", async () => {
    const folder = home.plugin("p", { code: answers("old", 250) });
    await begin({ drainMs: 15_000 });
    const old = layer("p")!;
    const oldPid = old.pid()!;
    const { batch, started } = runStarted(old, 1, 2, 3, 4);
    await started;
    fs.writeFileSync(path.join(folder, "index.mjs"), answers("new"));
    expect(narrators(await batch)).toEqual(["old", "old", "old", "old"]);
    expect(await changeAfter(0)).toMatchObject({ reloaded: ["p"] });
    expect(await run(old, 5)).toEqual([]);
    expect(groupGone(oldPid)).toBe(true);
    expect(narrators(await run(layer("p")!, 5))).toEqual(["new"]);
  });

  test("a batch outlasting drainMs is interrupted: answered books keep their results, the others get none (not a crash)", async () => {
    const folder = home.plugin("p", { code: answers("old", 400) });
    await begin({ drainMs: 200 });
    const old = layer("p")!;
    const oldPid = old.pid()!;
    const { batch, answered } = runStarted(old, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    // Once a book is answered (on a loaded machine the first 400 ms answer could outlast the quiet time
    // and drainMs together), with 3.6 s of the batch still to go.
    await answered;
    fs.writeFileSync(path.join(folder, "index.mjs"), answers("new"));
    const outcomes = await batch;
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.length).toBeLessThan(10);
    expect(narrators(outcomes)).toEqual(outcomes.map(() => "old"));
    expect(outcomes.map((o) => o.book_id)).toEqual(outcomes.map((_, i) => i + 1));
    expect(await changeAfter(0)).toMatchObject({ reloaded: ["p"] });
    expect(groupGone(oldPid)).toBe(true);
    expect(narrators(await run(layer("p")!, 1))).toEqual(["new"]);
  });
});
