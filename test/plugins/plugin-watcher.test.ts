/**
 * The plugin folder watch (`serve`) stays within the plugin folders: a
 * symlink inside a plugin that leads elsewhere (to a music archive, to /) is
 * not watched through, while a plugin folder that is itself a symlink is, and
 * so is a link to a file inside its own plugin folder (a linked manifest.json).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_WATCHED_PER_PLUGIN, watchPluginDir } from "../../src/plugins/manager/plugin-watcher.js";

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-watch-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** inotify watches this process holds (one per watched folder). */
function inotifyWatches(): number {
  let count = 0;
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      count += (fs.readFileSync(`/proc/self/fdinfo/${fd}`, "latin1").match(/^inotify wd:/gm) ?? []).length;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

describe("watchPluginDir", () => {
  it.runIf(process.platform === "linux")("does not watch through a symlink inside a plugin, and does watch a symlinked plugin folder", async () => {
    const pluginDir = path.join(tmp, "plugins");
    const outside = path.join(tmp, "archive");
    for (let i = 0; i < 300; i++) fs.mkdirSync(path.join(outside, `shelf-${i}`, "disc"), { recursive: true });
    fs.mkdirSync(path.join(pluginDir, "p"), { recursive: true });
    fs.writeFileSync(path.join(pluginDir, "p", "manifest.json"), "{}");
    fs.symlinkSync(outside, path.join(pluginDir, "p", "archive"));
    const linked = path.join(tmp, "work", "q");
    fs.mkdirSync(linked, { recursive: true });
    fs.writeFileSync(path.join(linked, "index.mjs"), "");
    fs.symlinkSync(linked, path.join(pluginDir, "q"));
    // A manifest linked into a folder of its plugin that is not watched (dot folder): followed, as discovery does.
    fs.mkdirSync(path.join(pluginDir, "r", ".shared"), { recursive: true });
    fs.writeFileSync(path.join(pluginDir, "r", ".shared", "manifest.json"), "{}");
    fs.symlinkSync(path.join(".shared", "manifest.json"), path.join(pluginDir, "r", "manifest.json"));
    // A code folder linked into a dot folder of its plugin (staged through the link): watched through it.
    fs.mkdirSync(path.join(pluginDir, "s", ".shared", "lib"), { recursive: true });
    fs.writeFileSync(path.join(pluginDir, "s", ".shared", "lib", "helper.mjs"), "");
    fs.symlinkSync(path.join(".shared", "lib"), path.join(pluginDir, "s", "lib"));
    // A link to the plugin folder itself (a loop) is not followed.
    fs.symlinkSync("..", path.join(pluginDir, "s", "lib", "up"));

    const before = inotifyWatches();
    let settled!: () => void;
    let changed = new Promise<void>((resolve) => (settled = resolve));
    const watcher = await watchPluginDir(pluginDir, () => settled(), { debounceMs: 50 });
    try {
      // The plugin folders and their own subfolders, not the 600 folders of the archive.
      expect(inotifyWatches() - before).toBeLessThan(50);
      fs.writeFileSync(path.join(linked, "index.mjs"), "export default class {}");
      await changed;
      changed = new Promise<void>((resolve) => (settled = resolve));
      fs.writeFileSync(path.join(pluginDir, "r", ".shared", "manifest.json"), '{"id": "r"}');
      await changed;
      changed = new Promise<void>((resolve) => (settled = resolve));
      fs.writeFileSync(path.join(pluginDir, "s", ".shared", "lib", "helper.mjs"), "export const x = 1;");
      await changed;
    } finally {
      await watcher.close();
    }
  });

  it.runIf(process.platform === "linux")("watches a bounded number of entries of a plugin folder linked to a large tree, its own files first", async () => {
    // A link to /usr took 94,000 watches and 82 s before `serve` answered.
    const pluginDir = path.join(tmp, "bounded");
    const tree = path.join(tmp, "large-tree");
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, "manifest.json"), "{}");
    for (let i = 0; i < 30; i++) for (let j = 0; j < 50; j++) fs.mkdirSync(path.join(tree, `a${i}`, `b${j}`), { recursive: true });
    fs.mkdirSync(path.join(pluginDir, "small"), { recursive: true });
    fs.writeFileSync(path.join(pluginDir, "small", "manifest.json"), "{}");
    fs.symlinkSync(tree, path.join(pluginDir, "big"));

    const before = inotifyWatches();
    const said: string[] = [];
    let settled!: () => void;
    let changed = new Promise<void>((resolve) => (settled = resolve));
    const watcher = await watchPluginDir(pluginDir, () => settled(), { debounceMs: 50, onError: (error) => said.push(error.message) });
    try {
      expect(inotifyWatches() - before).toBeLessThan(MAX_WATCHED_PER_PLUGIN + 50);
      expect(said).toEqual([`${path.join(pluginDir, "big")} holds more than ${MAX_WATCHED_PER_PLUGIN} files and folders: only the first ${MAX_WATCHED_PER_PLUGIN} are watched for changes`]);
      // Its own manifest is watched, and so is every other plugin.
      fs.writeFileSync(path.join(tree, "manifest.json"), '{"id": "big"}');
      await changed;
      changed = new Promise<void>((resolve) => (settled = resolve));
      fs.writeFileSync(path.join(pluginDir, "small", "manifest.json"), '{"id": "small"}');
      await changed;
    } finally {
      await watcher.close();
    }
  });
});
