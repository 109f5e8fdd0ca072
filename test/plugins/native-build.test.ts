/**
 * native/build.mjs says what really failed: no compiler at all, or the
 * compiler's own error. Run on a copy of the native folder, with a PATH that
 * holds only what each case needs (the real build is left alone).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const NATIVE = fileURLToPath(new URL("../../native/", import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-native-build-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function buildWith(name: string, tools: Record<string, string>): { status: number | null; stderr: string; built: string[] } {
  const native = path.join(tmp, name, "native");
  const bin = path.join(tmp, name, "bin");
  fs.mkdirSync(native, { recursive: true });
  fs.mkdirSync(bin);
  for (const file of ["build.mjs", "sandbox-exec.c", "fs-batch.c"]) fs.copyFileSync(path.join(NATIVE, file), path.join(native, file));
  for (const [tool, script] of Object.entries(tools)) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  const env: Record<string, string> = { PATH: bin, HOME: tmp };
  const run = spawnSync(process.execPath, [path.join(native, "build.mjs")], { env, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr, built: fs.readdirSync(path.join(native, "build")) };
}

describe("native/build.mjs", () => {
  it("says no C compiler was found only when none runs, and still lets the install go on", () => {
    const run = buildWith("none", {});
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("shelfwise: no C compiler found (looked for cc, gcc, clang; set CC to use another)");
    expect(run.built).toEqual([]);
  });

  it("gives the compiler's own error when a compiler is there and fails", () => {
    // A compiler that answers --version but cannot compile (its back end missing, as on a half-installed gcc).
    const broken = `[ "$1" = --version ] && { echo "cc (fake) 1.0"; exit 0; }\necho "sandbox-exec.c:1: warning: something harmless" >&2\necho "cc: fatal error: cannot execute 'cc1': execvp: No such file or directory" >&2\nexit 4`;
    const run = buildWith("broken", { cc: broken });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain("no C compiler found");
    expect(run.stderr).toContain(
      "shelfwise: cc could not compile native/sandbox-exec.c (exited with code 4: cc: fatal error: cannot execute 'cc1': execvp: No such file or directory); plugins will run without the Landlock layer",
    );
  });
});
