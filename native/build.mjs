// Builds the native helpers when a C compiler is present. Never fails the install: without them shelfwise
// still works, and says so where it matters.
//  - native/build/sandbox-exec: the Landlock helper; without it plugins run without Landlock.
//  - native/build/fs-batch.node: a Node-API addon (needs Node's headers) for `apply`'s per-book stat and
//    no-clobber rename; without it apply uses node:fs (an lstat before each rename), a little slower.
// When a build fails, the message says what failed: no compiler at all, or the compiler's own error.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.platform !== "linux") process.exit(0);
fs.mkdirSync(path.join(here, "build"), { recursive: true });
const candidates = [...new Set([process.env.CC, "cc", "gcc", "clang"].filter(Boolean))];
/** The compilers that run at all (`--version`); a compiler that is missing is not one that failed. */
const compilers = candidates.filter((cc) => {
  const probe = spawnSync(cc, ["--version"], { stdio: "ignore", timeout: 30_000 });
  return !probe.error && probe.status === 0;
});

/** Tries each compiler with each argument list; null on success, else what the last attempt of each said. */
function compile(attempts) {
  const failures = [];
  for (const cc of compilers) {
    let last = null;
    for (const args of attempts) {
      const result = spawnSync(cc, args, { encoding: "utf8", timeout: 300_000 });
      if (result.status === 0) return null;
      last = { cc, how: result.error ? result.error.message : result.signal ? `was killed by ${result.signal}` : `exited with code ${result.status}`, output: `${result.stderr ?? ""}${result.stdout ?? ""}` };
    }
    if (last) failures.push(last);
  }
  return failures;
}

/** What went wrong, for one line of the install's output (the compiler's own words, shortened). */
function describe(failures, what) {
  if (compilers.length === 0) return `no C compiler found (looked for ${candidates.join(", ")}; set CC to use another)`;
  return failures
    .map(({ cc, how, output }) => {
      const lines = output.trim().split("\n").filter((line) => line.trim() !== "");
      // The first error line says most; warnings before it are noise here.
      const first = lines.find((line) => /error|fatal|cannot|undefined reference|not found/i.test(line)) ?? lines[0];
      return `${cc} could not compile ${what} (${how}${first ? `: ${first.trim().slice(0, 300)}` : ""})`;
    })
    .join("; ");
}

const sandbox = path.join(here, "build", "sandbox-exec");
const sandboxSource = path.join(here, "sandbox-exec.c");
// Static linking needs libc.a; a dynamic helper is fine too (it runs where the system libraries are).
const sandboxFailures = compile([["-O2", "-Wall", "-static", "-o", sandbox, sandboxSource], ["-O2", "-Wall", "-o", sandbox, sandboxSource]]);
if (sandboxFailures) {
  console.warn(`shelfwise: ${describe(sandboxFailures, "native/sandbox-exec.c")}; plugins will run without the Landlock layer (see docs/plugins.md)`);
  process.exit(0);
}

// Node's headers: beside the binary (official builds, nvm, setup-node) or where distributions put them.
const includeDirs = [path.join(path.dirname(process.execPath), "..", "include", "node"), "/usr/include/node", "/usr/include/nodejs/src"];
const include = includeDirs.find((dir) => fs.existsSync(path.join(dir, "node_api.h")));
const addon = path.join(here, "build", "fs-batch.node");
const addonFailures = include ? compile([["-O2", "-Wall", "-shared", "-fPIC", "-pthread", "-I", include, "-o", addon, path.join(here, "fs-batch.c")]]) : null;
if (!include || addonFailures) {
  fs.rmSync(addon, { force: true });
  const why = include ? describe(addonFailures, "native/fs-batch.c") : `Node's headers (node_api.h) are not in ${includeDirs.join(", ")}`;
  console.warn(`shelfwise: native/build/fs-batch.node not built: ${why}; apply uses node:fs instead`);
}
