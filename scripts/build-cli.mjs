// Bundles the CLI and the server (the entry points that start a process) into
// dist/bundle: one file per entry plus shared, lazily loaded chunks, so a
// command loads a few files instead of ~250 modules (zod alone is ~100).
// Every command is a process start, and on a small machine module loading was
// most of a short command's time. Run by `npm run build` after tsc, which
// still emits dist/ for the package's library exports (plugin SDK, testing).
//
// One build for both entries: the CLI reaches the server through the package's
// `shelfwise/server` export, which points at dist/bundle/server.js, so the two
// share the same chunks and so the same module instances (error classes, the
// recovery notices, the data-folder lock) in one process.
import { build } from "esbuild";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "bundle");
fs.rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { cli: path.join(root, "src", "cli", "main.ts"), server: path.join(root, "src", "server", "serve.ts") },
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
  external: ["typescript", "fastify", "@fastify/*", "shelfwise/*"],
  plugins: [zodTrimmed],
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
for (const [file, contents] of Object.entries(onFirstUse)) {
  await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    outfile: path.join(out, file),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: ["node20"],
    legalComments: "none",
    logLevel: "warning",
  });
}
