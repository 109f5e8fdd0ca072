// Bundles the node plugin runner (src/plugins/runner/node-runner.ts and the files it imports) into one
// CommonJS file, dist/plugins/runner/node-runner.cjs, the file every node plugin process starts with.
// Why CommonJS: started as tsc's ES modules, a runner first brought up node's ES module loader for its own
// five files and built an ES module facade for each built-in it imports (net, dns, http, https, dgram, tls...),
// ~15-20 ms of CPU at every plugin start before the plugin's own import. The plugin is still loaded with
// import(), so ES module plugins, CommonJS ones and TypeScript copies load as before. esbuild's CommonJS
// output of ES modules starts with "use strict": the runner stays as strict as the sources.
// In its own folder's file, beside tsc's output: the folder is what plugins may read of shelfwise's code
// (src/plugins/process/node-launcher.ts), so nothing more of dist/ becomes readable to them.
// Run by scripts/build.mjs after tsc; the plugin tests' harness runs it when a runner source is newer.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

await build({
  entryPoints: [path.join(root, "src", "plugins", "runner", "node-runner.ts")],
  outfile: path.join(root, "dist", "plugins", "runner", "node-runner.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: ["node20"],
  legalComments: "none",
  logLevel: "warning",
});
