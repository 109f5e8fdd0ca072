// Compiles python/ (the Python plugin runner and the modules it provides) into python/__pycache__,
// with the python3 a plugin gets by default (the first on /usr/local/bin:/usr/bin:/bin, as
// src/plugins/process/python-launcher.ts looks it up). The runner starts with -B, which only stops
// Python writing compiled files: it still reads them, and compiling the runner's modules from source
// was ~20 ms of CPU at every Python plugin start. Each file records a hash of its source
// (checked-hash), not its time: a source edited since is compiled from source again, never run
// stale, and a copy whose times were reset (npm pack writes every file as of 1985) still matches;
// another interpreter version (a python_path venv) looks for its own file and compiles as before. No python3 here: nothing to do,
// the runner still works. Not a build failure either way.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const python = ["/usr/local/bin", "/usr/bin", "/bin"].map((dir) => path.join(dir, "python3")).find((file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
});
if (!python) {
  console.log("build-python: no python3 on /usr/local/bin:/usr/bin:/bin; the Python runner compiles at each start");
} else {
  // -q: quiet; the folder as a relative path, so the recorded file names do not carry this checkout's path.
  const result = spawnSync(python, ["-m", "compileall", "-q", "--invalidation-mode", "checked-hash", "python"], { cwd: root, stdio: "inherit", env: { PATH: "/usr/bin:/bin", LC_ALL: "C.UTF-8" } });
  if (result.status !== 0) console.log(`build-python: ${python} -m compileall failed (${result.error?.message ?? `exit ${result.status}`}); the Python runner compiles at each start`);
}
