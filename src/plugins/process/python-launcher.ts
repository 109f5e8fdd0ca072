/**
 * Starts python plugins: the interpreter, the runner script (python/shelfwise_runner.py)
 * and a minimal environment. The supervisor (supervisor.ts, child.ts) does the spawning.
 */
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "../../config/package-root.js";
import type { LaunchSpec } from "../plugin-types.js";
import { pluginEnv, type LaunchCommand, type RuntimeLauncher } from "./launch-command.js";

export const DEFAULT_PYTHON = "python3";

/** PATH inside the plugin process: system folders only, nothing from the host. */
export const PLUGIN_PATH = "/usr/local/bin:/usr/bin:/bin";

const RUNNER_FILE = "shelfwise_runner.py";

/** The package's python/ folder (next to src/ and dist/). */
export function pythonDir(): string {
  return path.join(packageRoot(), "python");
}

export function runnerPath(): string {
  return path.join(pythonDir(), RUNNER_FILE);
}

/**
 * Absolute path of the interpreter. A bare name is looked up on PLUGIN_PATH only,
 * not on the host's PATH: shims (pyenv, asdf) found there depend on HOME and on
 * variables the plugin does not get. Use python_path for a venv or another python.
 * A name found nowhere is returned unchanged and fails at spawn with ENOENT.
 */
export function resolvePython(pythonPath: string = DEFAULT_PYTHON): string {
  if (pythonPath.includes("/")) return pythonPath;
  for (const folder of PLUGIN_PATH.split(":")) {
    const candidate = path.join(folder, pythonPath);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return pythonPath;
}

/** The whole environment of a python plugin: no host variables (no tokens, no proxies). */
export function pythonEnv(spec: LaunchSpec): Record<string, string> {
  return {
    ...pluginEnv(spec),
    PATH: PLUGIN_PATH,
    LC_ALL: "C.UTF-8",
    PYTHONIOENCODING: "utf-8",
    PYTHONDONTWRITEBYTECODE: "1",
    // The user site-packages would be under HOME, the plugin's data folder: see pythonCommand. Also for
    // the python processes a plugin starts.
    PYTHONNOUSERSITE: "1",
    // glibc reserves a 64 MB malloc arena of address space per thread (up to 8 per core), and the memory
    // limit is RLIMIT_AS: a plugin could start 5 threads under the default 256 MB. In the environment, not
    // a mallopt in the runner: every program the plugin starts inherits the limit too, and start-up
    // imports no ctypes.
    MALLOC_ARENA_MAX: "2",
  };
}

export function pythonCommand(spec: LaunchSpec, runner: string = runnerPath()): LaunchCommand {
  return {
    file: resolvePython(spec.pythonPath || DEFAULT_PYTHON),
    // -u: unbuffered, so the log shows output up to a crash; -B: no .pyc in plugin folders.
    // -s: no user site-packages. They live under HOME, the plugin's writable data folder, so a
    // usercustomize.py or .pth file a plugin wrote there ran before the runner in each of its later
    // processes, a replaced (clean) version of the plugin included. Real packages are in the interpreter's
    // or venv's site-packages, which stay. Not -I: it would also drop the runner's folder from sys.path.
    args: ["-u", "-B", "-s", runner],
    env: pythonEnv(spec),
  };
}

export function createPythonLauncher(runner?: string): RuntimeLauncher {
  return { command: (spec) => pythonCommand(spec, runner) };
}

export const pythonLauncher: RuntimeLauncher = createPythonLauncher();
