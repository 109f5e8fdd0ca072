#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/bundle/ (built by `npm install` through the prepare script;
// scripts/build-cli.mjs says why it is a bundle).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/bundle/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("shelfwise: dist/ is missing; run `npm install` (or `npm run build`) in the shelfwise folder first\n");
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
