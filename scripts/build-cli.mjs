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
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
  // Loaded from node_modules at run time: native addons, packages that start
  // worker threads or read their own files by path, the TypeScript compiler
  // (loaded only to stage a .ts plugin), the web server stack (only `serve`),
  // and our own package exports.
  external: ["better-sqlite3", "pino", "pino-*", "thread-stream", "typescript", "fastify", "@fastify/*", "shelfwise/*"],
  // Bundled CommonJS packages call require() for node's built-in modules.
  banner: { js: "import { createRequire as __shelfwiseRequire } from 'node:module'; const require = __shelfwiseRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
