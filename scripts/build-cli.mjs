// Bundles the CLI and the server (the entry points that start a process) into
// dist/bundle: one file per entry plus shared, lazily loaded chunks, so a
// command loads a few files instead of ~250 modules (zod alone is ~100).
// Every command is a process start, and on a small machine module loading was
// most of a short command's time. Run by `npm run build` after tsc, which
// still emits dist/ for the package's library exports (plugin SDK, testing).
//
// esbuild puts modules in one chunk when the same entries reach them, and
// every dynamic import() is an entry: a lazy import splits what it reaches
// from the rest, and each file costs a start ~0.3 ms to resolve and link. So
// the CLI loads a command's code with one import() per command (src/cli/
// program.ts), and rare paths with one import() each (src/cli/main.ts: the
// error report); test/cli/start-up.test.ts checks what `--version` loads.
//
// One build for both entries: the CLI reaches the server through the package's
// `shelfwise/server` export, which points at dist/bundle/server.js, so the two
// share the same chunks and so the same module instances (error classes, the
// recovery notices, the data-folder lock) in one process.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import os from "node:os";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Parts of zod shelfwise never calls, parsed at every start all the same
 * because the `z` namespace re-exports them:
 * - every locale (about half of zod's code): shelfwise speaks English only,
 *   so `z.locales.en` stays and the others are absent;
 * - `z.compile` (zod's opt-in ahead-of-time parser compiler, 57 KB) and
 *   `z.fromJSONSchema` (25 KB): in the bundle they throw if ever called.
 * The tests run against zod itself, so a use of them would show there.
 */
const unused = (name) => `() => { throw new Error("zod's ${name} is left out of shelfwise's bundle (scripts/build-cli.mjs)"); }`;
const ZOD_STUBS = {
  "locales/index.js": 'export { default as en } from "./en.js";',
  "core/compile.js": [
    'export const INVALID = Symbol.for("zod.compile.invalid");',
    "export class ZodCompileAsyncError extends Error {}",
    "export class ZodCompileUnsupportedError extends Error {}",
    `export const compile = ${unused("compile")};`,
    `export const withParser = ${unused("withParser")};`,
    `export const compileFn = ${unused("compileFn")};`,
  ].join("\n"),
  "classic/from-json-schema.js": `export const fromJSONSchema = ${unused("fromJSONSchema")};`,
};
const zodTrimmed = {
  name: "zod-trimmed",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/](locales[\\/]index|core[\\/]compile|classic[\\/]from-json-schema)\.js$/ }, (args) => {
      const key = Object.keys(ZOD_STUBS).find((k) => args.path.replaceAll("\\", "/").endsWith(`/v4/${k}`));
      return key ? { contents: ZOD_STUBS[key], resolveDir: path.dirname(args.path), loader: "js" } : undefined;
    });
  },
};

/**
 * zod, compiled once rather than at every start. A start spends ~30 ms
 * parsing zod's 300 KB and more compiling the parts that build and run the
 * config schema, and node 20 keeps no compiled code for ES modules. So the
 * bundle gets zod as a CommonJS file of its own, `zod.cjs`, which the module
 * below compiles with V8's code cache (`zod.cjs.cache`, written by the build
 * from a real command's run: see writeZodCache). Node checks the cache against
 * its own version and flags and the file's source; a cache it rejects, or a
 * missing one, only costs the time it would have saved.
 */
const ZOD_LOADER = `
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
const file = fileURLToPath(new URL("./zod.cjs", import.meta.url));
const cacheFile = file + ".cache";
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script("(function (exports, require, module, __filename, __dirname) {" + fs.readFileSync(file, "utf8") + "\\n})", { filename: file, cachedData });
const loaded = { exports: {} };
script.runInThisContext().call(loaded.exports, loaded.exports, createRequire(file), loaded, file, path.dirname(file));
// For test/cli/start-up.test.ts, which checks that starts use the cache.
globalThis.__SHELFWISE_ZOD_CACHE__ = cachedData === undefined ? "missing" : script.cachedDataRejected ? "rejected" : "used";
if (globalThis.__SHELFWISE_WRITE_ZOD_CACHE__) process.once("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()));
export const z = loaded.exports.z;
`;
const zodCached = {
  name: "zod-cached",
  setup(b) {
    // Our modules' `import { z } from "zod"`; zod's own files resolve as usual (for zod.cjs).
    b.onResolve({ filter: /^zod$/ }, (args) => (args.importer.includes(`${path.sep}node_modules${path.sep}`) ? undefined : { path: "zod", namespace: "zod-cached" }));
    b.onLoad({ filter: /.*/, namespace: "zod-cached" }, () => ({ contents: ZOD_LOADER, loader: "js", resolveDir: root }));
  },
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "bundle");
fs.rmSync(out, { recursive: true, force: true });
await build({
  // tag-worker: the thread src/library/tag-reader-pool.ts starts, found beside the bundle's chunks.
  entryPoints: {
    cli: path.join(root, "src", "cli", "main.ts"),
    server: path.join(root, "src", "server", "serve.ts"),
    "tag-worker": path.join(root, "src", "library", "tag-worker.ts"),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: ["node20"],
  // Loaded from node_modules at run time: packages that start worker threads
  // or read their own files by path, the TypeScript compiler (loaded only to
  // stage a .ts plugin), the web server stack (only `serve`), and our own
  // package exports. better-sqlite3's JavaScript is bundled; its compiled addon
  // is loaded by path (src/store/sqlite.ts).
  // esbuild: only for the tag-reader thread run from the sources (src/library/tag-reader-pool.ts), never in the bundle.
  external: ["typescript", "fastify", "@fastify/*", "shelfwise/*", "esbuild"],
  plugins: [zodCached],
  // Bundled CommonJS packages call require() for node's built-in modules.
  banner: { js: "import { createRequire as __shelfwiseRequire } from 'node:module'; const require = __shelfwiseRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
  // Packages in files of their own, required on first use (src/app/logger.ts, src/plugins/manifest/manifest-schema.ts say why).
  define: { __SHELFWISE_PINO__: JSON.stringify("./pino.cjs"), __SHELFWISE_AJV__: JSON.stringify("./ajv.cjs") },
});
const resolve = createRequire(import.meta.url).resolve;
const onFirstUse = {
  "pino.cjs": `module.exports = require(${JSON.stringify(resolve("pino"))});`,
  "ajv.cjs": ["Ajv:ajv", "Ajv2019:ajv/dist/2019.js", "Ajv2020:ajv/dist/2020.js"]
    .map((pair) => pair.split(":"))
    .map(([name, module]) => `exports.${name} = require(${JSON.stringify(resolve(module))}).${name};`)
    .join("\n"),
};
for (const [file, contents] of Object.entries({ ...onFirstUse, "zod.cjs": 'export { z } from "zod";' })) {
  await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    outfile: path.join(out, file),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: ["node20"],
    legalComments: "none",
    logLevel: "warning",
    plugins: [zodTrimmed],
  });
}
writeZodCache();

/**
 * zod.cjs.cache: V8's code for zod as a command's start compiles it (loading
 * zod, building the config schema, reading a config), from a `books` run on
 * an empty data folder in a child process of this node. Without it (a failed
 * run) commands start as before, only slower; the build goes on.
 */
function writeZodCache() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-zod-cache-"));
  try {
    const warm = `globalThis.__SHELFWISE_WRITE_ZOD_CACHE__ = true;
      const { main } = await import(${JSON.stringify(pathToFileURL(path.join(out, "cli.js")).href)});
      process.exitCode = await main(["books", "--json", "--data-dir", ${JSON.stringify(dataDir)}]);`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", warm], { encoding: "utf8", env: { ...process.env, SHELFWISE_DATA_DIR: "" } });
    if (run.status !== 0 || !fs.existsSync(path.join(out, "zod.cjs.cache"))) {
      console.warn(`build-cli: no zod.cjs.cache (commands start ~30 ms slower): ${(run.stderr || run.error?.message || "").trim().slice(0, 500)}`);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
