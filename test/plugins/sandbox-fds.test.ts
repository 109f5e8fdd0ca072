/**
 * A descriptor shelfwise inherited from its own parent without close-on-exec
 * (a wrapper script's `exec 5>>file`, a service manager's socket) never
 * reaches a plugin: the wall checks paths when files are opened, not
 * descriptors already open, so an inherited one would be a way out.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, ensureBuilt } from "./sandbox-fixture.js";

const PY = String.raw`
import os
INHERITED = 40
class Probe:
    def process(self, book):
        try:
            os.write(INHERITED, b"written by the plugin\n")
            return {"title": "ok:wrote to the inherited fd -> " + os.readlink("/proc/self/fd/%d" % INHERITED)}
        except OSError as e:
            return {"title": "denied:%s" % e}
`;
const JS = String.raw`
import fs from "node:fs";
const INHERITED = 40;
export class Probe {
  process() {
    try {
      fs.writeSync(INHERITED, "written by the plugin\n");
      return { title: "ok:wrote to the inherited fd" };
    } catch (e) {
      return { title: "denied:" + e.message };
    }
  }
}
`;

/** High, like a wrapper script's descriptor: low numbers are reused by the spawn itself. */
const INHERITED = 40;

let root: string;
beforeAll(() => {
  ensureBuilt();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-fds-")));
  fs.mkdirSync(path.join(root, "library", "Author", "Book"), { recursive: true });
  fs.writeFileSync(path.join(root, "library", "Author", "Book", "01.mp3"), Buffer.alloc(4000));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each([
  ["python", "layer.py", PY, "nothing"],
  ["node", "index.mjs", JS, "nothing"],
  ["python", "layer.py", PY, "landlock,namespace,seccomp"],
  ["node", "index.mjs", JS, "landlock,namespace,seccomp"],
] as const)("a %s plugin (off: %s)", (runtime, entry, code, off) => {
  it("does not get a descriptor shelfwise inherited", () => {
    const id = `fd-probe-${runtime}-${off === "nothing" ? "wall" : "bare"}`;
    const folder = path.join(root, "data", "plugins", id);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, entry), code);
    fs.writeFileSync(
      path.join(folder, "manifest.json"),
      JSON.stringify({ id, name: id, version: "1.0.0", entry_point: entry, class_name: "Probe", default_order: 50, api_version: 1 }),
    );
    const target = path.join(root, `outside-${runtime}.txt`);
    fs.writeFileSync(target, "");
    const fd = fs.openSync(target, "a");
    try {
      const run = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, "bin", "shelfwise.js"), "--data-dir", path.join(root, "data"), "plugins", "test", folder, "--book", path.join(root, "library", "Author", "Book"), "--json"],
        {
          stdio: ["ignore", "pipe", "pipe", ...new Array(INHERITED - 3).fill("ignore"), fd],
          encoding: "utf8",
          timeout: 30_000,
          env: off === "nothing" ? process.env : { ...process.env, SHELFWISE_SANDBOX_DISABLE: off },
        },
      );
      expect(run.stderr).toBe("");
      const returned = JSON.stringify(JSON.parse(run.stdout));
      // Closed (EBADF), or /dev/null in its place: either way nothing reaches the file.
      expect(returned).toMatch(/"title":"(denied:.*(Bad file descriptor|EBADF)|ok:wrote to the inherited fd( -> \/dev\/null)?)"/);
      expect(fs.readFileSync(target, "utf8")).toBe("");
    } finally {
      fs.closeSync(fd);
    }
  });
});
