import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkPython, versionVerdict } from "../../src/plugins/process/python-check.js";
import { PLUGIN_PATH, pythonLauncher, runnerPath } from "../../src/plugins/process/python-launcher.js";
import { launchSpec } from "./python-harness.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-pycheck-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fake interpreter: a shell script standing in for python. */
function fakePython(name: string, script: string, mode = 0o755): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode });
  return file;
}

const FIX = "set python_path in config.json";

describe("checkPython", () => {
  it("accepts the system python3 and reports its version", async () => {
    expect(await checkPython("python3")).toEqual({ ok: true, version: expect.stringMatching(/^3\.\d+\.\d+$/) });
  });

  it.each([
    ["a bare name that is not installed", () => "python3.99", `python interpreter 'python3.99' not found: ${FIX}`],
    ["a path that does not exist", () => "/nowhere/bin/python", `python interpreter '/nowhere/bin/python' not found: ${FIX}`],
    ["a file that is not executable", () => fakePython("noexec", "echo 3.11.0", 0o644), "is not executable: " + FIX],
    ["python 2", () => fakePython("py2", "printf 2.7.18"), `python 2.7.18 at '${tmp}/py2' is not supported (python 3.8 or newer 3.x is needed): ${FIX}`],
    ["an interpreter that fails", () => fakePython("broken", "echo 'Fatal Python error: init failed' >&2; exit 1"), `failed to start (Fatal Python error: init failed): ${FIX}`],
    ["something that is not python", () => fakePython("notpy", "echo hello"), `does not look like a python interpreter (it printed 'hello'): ${FIX}`],
  ])("gives a clear reason for %s", async (_name, makePath, reason) => {
    const result = await checkPython(makePath());
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toContain(reason);
  });
});

describe("versionVerdict", () => {
  it.each([
    ["3.8.0", true],
    ["3.11.7", true],
    ["3.13.1", true],
    ["3.7.17", false],
    ["2.7.18", false],
    ["4.0.0", false],
    ["3.11", false],
  ])("%s -> ok %s", (printed, ok) => {
    expect(versionVerdict("python3", printed).ok).toBe(ok);
  });
});

describe("pythonLauncher", () => {
  const spec = launchSpec("/plugins/demo", { plugin_id: "demo", dataDir: "/data/plugin-data/demo" });

  it("runs the package's runner unbuffered with a minimal environment", () => {
    const repoPython = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../python");
    const command = pythonLauncher.command(spec);
    expect(command.args).toEqual(["-u", "-B", "-s", path.join(repoPython, "shelfwise_runner.py")]);
    expect(fs.existsSync(runnerPath())).toBe(true);
    expect(path.isAbsolute(command.file)).toBe(true);
    expect(path.basename(command.file)).toBe("python3");
    expect(command.env).toEqual({
      PATH: PLUGIN_PATH,
      LANG: "C.UTF-8",
      TZ: "UTC",
      LC_ALL: "C.UTF-8",
      PYTHONIOENCODING: "utf-8",
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONNOUSERSITE: "1",
      MALLOC_ARENA_MAX: "2",
      HOME: "/data/plugin-data/demo",
      SHELFWISE_PLUGIN_ID: "demo",
    });
  });

  it.each([
    ["/opt/venv/bin/python", "/opt/venv/bin/python"],
    ["python3.99", "python3.99"],
    [undefined, expect.stringMatching(/^\/.*\/python3$/)],
  ])("uses python_path %s as %s", (pythonPath, expected) => {
    expect(pythonLauncher.command({ ...spec, pythonPath }).file).toEqual(expected);
  });
});
