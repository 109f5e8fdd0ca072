/**
 * `npm run demo`: builds a small messy library of real audio files under
 * ./demo, then scans and identifies it with the real CLI and prints the table.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeSampleLibrary } from "../fixtures/sample-library.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const demo = path.join(repo, "demo");
const library = path.join(demo, "library");
const dataDir = path.join(demo, "data");

fs.rmSync(demo, { recursive: true, force: true });
const written = writeSampleLibrary(library);
// The example plugins join the pipeline like any dropped-in plugin would.
const examples = path.join(repo, "examples", "plugins");
if (fs.existsSync(examples)) {
  for (const name of fs.readdirSync(examples)) {
    const from = path.join(examples, name);
    if (fs.existsSync(path.join(from, "manifest.json"))) {
      fs.cpSync(from, path.join(dataDir, "plugins", name), { recursive: true, filter: (src) => !src.includes("node_modules") });
    }
  }
}
console.log(`sample library: ${written.books} books, ${written.files} audio files in ${path.relative(process.cwd(), library)}\n`);

function shelfwise(...args: string[]): void {
  console.log(`$ shelfwise ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [path.join(repo, "bin", "shelfwise.js"), ...args, "--data-dir", dataDir], {
    stdio: "inherit",
  });
  // 3: `process` finished with layer errors (the sample library has a corrupt file on purpose).
  if (result.status !== 0 && !(args[0] === "process" && result.status === 3)) {
    console.error(`demo: \`shelfwise ${args[0]}\` exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
  console.log();
}

shelfwise("scan", library);
shelfwise("process");
shelfwise("books");
console.log(`Try: node bin/shelfwise.js book 1 --data-dir ${path.relative(process.cwd(), dataDir)}`);
