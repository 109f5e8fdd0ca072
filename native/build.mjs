// Builds the native helpers when a C compiler is present. Never fails the install: without them shelfwise
// still works, and says so where it matters.
//  - native/build/sandbox-exec: the Landlock helper; without it plugins run without Landlock.
//  - native/build/fs-batch.node: a Node-API addon (needs Node's headers) for `apply`'s per-book stat and
//    no-clobber rename; without it apply uses node:fs (an lstat before each rename), a little slower.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.platform !== "linux") process.exit(0);
fs.mkdirSync(path.join(here, "build"), { recursive: true });
const compilers = [process.env.CC, "cc", "gcc", "clang"].filter(Boolean);

function compile(attempts) {
  for (const cc of compilers) {
    for (const args of attempts) {
      const result = spawnSync(cc, args, { stdio: "inherit" });
      if (result.status === 0) return true;
    }
  }
  return false;
}

const sandbox = path.join(here, "build", "sandbox-exec");
const sandboxSource = path.join(here, "sandbox-exec.c");
// Static linking needs libc.a; a dynamic helper is fine too (it runs where the system libraries are).
if (!compile([["-O2", "-Wall", "-static", "-o", sandbox, sandboxSource], ["-O2", "-Wall", "-o", sandbox, sandboxSource]])) {
  console.warn("shelfwise: no C compiler found; plugins will run without the Landlock layer (see docs/plugins.md)");
  process.exit(0);
}

// Node's headers: beside the binary (official builds, nvm, setup-node) or where distributions put them.
const includeDirs = [path.join(path.dirname(process.execPath), "..", "include", "node"), "/usr/include/node", "/usr/include/nodejs/src"];
const include = includeDirs.find((dir) => fs.existsSync(path.join(dir, "node_api.h")));
const addon = path.join(here, "build", "fs-batch.node");
if (!include || !compile([["-O2", "-Wall", "-shared", "-fPIC", "-pthread", "-I", include, "-o", addon, path.join(here, "fs-batch.c")]])) {
  fs.rmSync(addon, { force: true });
  console.warn("shelfwise: native/build/fs-batch.node not built (no Node headers or compiler); apply uses node:fs instead");
}
