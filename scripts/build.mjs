// `npm run build`: tsc (dist/, the package's library exports), the CLI and server bundles
// (scripts/build-cli.mjs), the node plugin runner's one file (scripts/build-runner.mjs), the native helpers (native/build.mjs), the web pages
// (scripts/build-web.mjs) and the Python runner's compiled files (scripts/build-python.mjs,
// python/**/__pycache__), one after another; a failing step fails the build. At the end it
// records what it was built from and what it wrote (dist/.build-inputs.json).
//
// `node scripts/build.mjs --if-changed` (what `npm test` runs) builds only when that record does
// not match: any input file's content (src/, web/, python/'s sources, native/'s sources, the build scripts, the
// tsconfigs, package.json, package-lock.json and node_modules/.package-lock.json, which npm
// rewrites at every install), node's version and path, the C compiler found, or any output under
// dist/, native/build/ and python/'s __pycache__ folders added, removed or touched since (size and time). `npm ci` has just
// built everything through `prepare`; a second build redid tsc's up-to-date check, both bundles
// and the zod cache's command run, both C compilations and the web bundle, ~4-5 CPU-s and
// seconds of wall before the suite could start. The inputs are hashed before the build starts,
// so a file edited while it runs makes the next check build again; a stale build is never
// taken as current. Hand edits inside node_modules/ are not seen (npm's own record is): run
// `npm run build` after them. `--check` only says whether the build is up to date (exit 0) or not (1).
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = path.join(root, "dist", ".build-inputs.json");
const INPUT_TREES = ["src", "web", "python"];
// Python's compiled files (scripts/build-python.mjs) are outputs inside an input tree.
const isPyCache = (rel) => rel.split("/").includes("__pycache__");
const INPUT_FILES = [
  "native/build.mjs",
  "native/sandbox-exec.c",
  "native/fs-batch.c",
  "scripts/build.mjs",
  "scripts/build-cli.mjs",
  "scripts/build-runner.mjs",
  "scripts/build-web.mjs",
  "scripts/build-python.mjs",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
  "node_modules/.package-lock.json",
];
const OUTPUT_TREES = ["dist", "native/build"];

const STEPS = [
  [process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "tsconfig.build.json"]],
  [process.execPath, ["scripts/build-cli.mjs"]],
  [process.execPath, ["scripts/build-runner.mjs"]],
  [process.execPath, ["native/build.mjs"]],
  [process.execPath, ["scripts/build-web.mjs"]],
  [process.execPath, ["scripts/build-python.mjs"]],
];

/** Every file under `dir` (relative to the root), sorted; none when it is missing. */
function walk(dir) {
  const files = [];
  const visit = (rel) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch (error) {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return;
      throw error;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else files.push(child);
    }
  };
  visit(dir);
  return files.sort();
}

/** The compiler native/build.mjs would try first, as found on PATH now (its path, size and time). */
function compiler() {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const name of [process.env.CC, "cc", "gcc", "clang"].filter(Boolean)) {
    for (const dir of name.includes("/") ? [""] : dirs) {
      const file = path.resolve(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        const real = fs.realpathSync(file);
        const stat = fs.statSync(real);
        return `${name} ${real} ${stat.size} ${stat.mtimeMs}`;
      } catch {
        // not here
      }
    }
  }
  return "none";
}

/** A hash of everything the build reads, as it is now. */
function inputs() {
  const hash = crypto.createHash("sha256");
  hash.update(JSON.stringify([process.version, process.execPath, process.arch, process.platform, process.env.CC ?? "", compiler()]));
  const files = [...INPUT_TREES.flatMap(walk).filter((rel) => !isPyCache(rel)), ...INPUT_FILES];
  for (const rel of files) {
    hash.update(`\0${rel}\0`);
    try {
      hash.update(fs.readFileSync(path.join(root, rel)));
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
      hash.update("\0missing");
    }
  }
  return hash.digest("hex");
}

/** Each output file with its size and modification time, the record itself left out. */
function outputs() {
  return [...OUTPUT_TREES.flatMap(walk), ...walk("python").filter(isPyCache)]
    .filter((rel) => path.join(root, rel) !== STAMP)
    .map((rel) => {
      const stat = fs.lstatSync(path.join(root, rel));
      return `${rel} ${stat.size} ${stat.mtimeMs}`;
    });
}

function upToDate(current) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    return false;
  }
  if (recorded?.inputs !== current || !Array.isArray(recorded.outputs) || recorded.outputs.length === 0) return false;
  const now = outputs();
  return now.length === recorded.outputs.length && now.every((line, i) => line === recorded.outputs[i]);
}

const ifChanged = process.argv.includes("--if-changed");
const current = inputs();
// `--check`: builds nothing, says whether `--if-changed` would build (exit 1) or not (exit 0).
if (process.argv.includes("--check")) {
  const fresh = upToDate(current);
  console.log(fresh ? "build: up to date" : "build: out of date (npm test would build)");
  process.exit(fresh ? 0 : 1);
}
if (ifChanged && upToDate(current)) {
  console.log("build: dist/ and native/build/ are up to date with their inputs (dist/.build-inputs.json); not rebuilt");
  process.exit(0);
}
fs.rmSync(STAMP, { force: true });
for (const [file, args] of STEPS) {
  const step = spawnSync(file, args, { cwd: root, stdio: "inherit" });
  if (step.status !== 0) {
    console.error(`build: ${args.join(" ")} ${step.error ? `failed: ${step.error.message}` : step.signal ? `was killed by ${step.signal}` : `exited with code ${step.status}`}`);
    process.exit(step.status || 1);
  }
}
fs.writeFileSync(STAMP, `${JSON.stringify({ inputs: current, outputs: outputs() }, null, 1)}\n`);
