/**
 * Is the configured python interpreter usable? Asked once before python plugins
 * start, so a missing interpreter skips those plugins with a clear reason and
 * never affects node plugins. Never throws.
 */
import { execFile, type ExecFileException } from "node:child_process";
import fs from "node:fs";
import { DEFAULT_PYTHON, PLUGIN_PATH, resolvePython, runnerPath } from "./python-launcher.js";

export type PythonCheck = { ok: true; version: string } | { ok: false; reason: string };

export const MIN_PYTHON: readonly [number, number] = [3, 8];
const CHECK_TIMEOUT_MS = 15_000;
const FIX = "set python_path in config.json";

const PROBE = "import sys; sys.stdout.write('%d.%d.%d' % tuple(sys.version_info[:3]))";

export function checkPython(pythonPath: string = DEFAULT_PYTHON): Promise<PythonCheck> {
  const shown = pythonPath || DEFAULT_PYTHON;
  try {
    if (!fs.existsSync(runnerPath())) return Promise.resolve({ ok: false, reason: `python runner missing: ${runnerPath()}` });
  } catch (err) {
    return Promise.resolve({ ok: false, reason: (err as Error).message });
  }
  const file = resolvePython(shown);
  return new Promise((resolve) => {
    execFile(
      file,
      ["-E", "-s", "-c", PROBE],
      { env: { PATH: PLUGIN_PATH, LANG: "C.UTF-8" }, timeout: CHECK_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 64 * 1024 },
      (err, stdout, stderr) => {
        if (err) return resolve({ ok: false, reason: failureReason(shown, err, String(stderr)) });
        resolve(versionVerdict(shown, String(stdout).trim()));
      },
    );
  });
}

function failureReason(shown: string, err: ExecFileException, stderr: string): string {
  if (err.code === "ENOENT") return `python interpreter '${shown}' not found: ${FIX}`;
  if (err.code === "EACCES") return `python interpreter '${shown}' is not executable: ${FIX}`;
  if (err.killed) return `python interpreter '${shown}' did not answer within ${CHECK_TIMEOUT_MS / 1000} s: ${FIX}`;
  const last = stderr.trim().split("\n").pop() || err.message;
  return `python interpreter '${shown}' failed to start (${last}): ${FIX}`;
}

/** Exported for tests: the verdict on what the interpreter printed. */
export function versionVerdict(shown: string, printed: string): PythonCheck {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(printed);
  if (!match) return { ok: false, reason: `'${shown}' does not look like a python interpreter (it printed '${printed.slice(0, 80)}'): ${FIX}` };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major !== MIN_PYTHON[0] || minor < MIN_PYTHON[1]) {
    return { ok: false, reason: `python ${printed} at '${shown}' is not supported (python ${MIN_PYTHON.join(".")} or newer 3.x is needed): ${FIX}` };
  }
  return { ok: true, version: printed };
}
