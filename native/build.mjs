// Builds native/sandbox-exec (the Landlock helper) when a C compiler is present.
// Never fails the install: without the helper shelfwise runs plugins without Landlock and says so.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, "sandbox-exec.c");
const output = path.join(here, "build", "sandbox-exec");
if (process.platform !== "linux") process.exit(0);
fs.mkdirSync(path.dirname(output), { recursive: true });
for (const cc of [process.env.CC, "cc", "gcc", "clang"].filter(Boolean)) {
  const result = spawnSync(cc, ["-O2", "-Wall", "-static", "-o", output, source], { stdio: "inherit" });
  if (result.status === 0) process.exit(0);
  // Static linking needs libc.a; a dynamic helper is fine too (it runs where the system libraries are).
  const dynamic = spawnSync(cc, ["-O2", "-Wall", "-o", output, source], { stdio: "inherit" });
  if (dynamic.status === 0) process.exit(0);
}
console.warn("shelfwise: no C compiler found; plugins will run without the Landlock layer (see docs/plugins.md)");
