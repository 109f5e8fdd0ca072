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
// Loading the bundle takes a few tenths of a second, before the CLI's own stop handlers exist: a Ctrl-C, SIGTERM or
// hang-up then killed it by the signal (exit 129 for SIGHUP, no word). Nothing has been read or written yet.
const early = (signal) => {
  process.stderr.write(`shelfwise: interrupted (${signal}) while starting: nothing was done\n`);
  process.exit(130);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, early);
const { main: run } = await import(main.href);
// main() installs its handlers before its first await: no signal can come in between.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.off(signal, early);
process.exitCode = await run(process.argv.slice(2));
