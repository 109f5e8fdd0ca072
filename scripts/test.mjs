// `npm test` after the build: the typecheck and the test suite at the same time.
// The typecheck (tsc) uses one core for ~15 s on a fresh clone; run before the
// suite it left the other core idle, beside the suite it fills the gaps the
// suite leaves. Its output is printed when it ends, not mixed into vitest's.
// Arguments go to vitest (`npm test -- --reporter=json ...`). Fails when either fails.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The two programs themselves, not `npm run typecheck` and `npx vitest`: each of those wrappers is a
// node process of its own that only finds the program (~0.5-0.7 CPU-s each on a small machine). The
// commands are package.json's `typecheck` script and `vitest run`.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TSC = path.join(root, "node_modules", "typescript", "bin", "tsc");
const VITEST = path.join(root, "node_modules", "vitest", "vitest.mjs");

function run(command, args, stdio) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const typecheck = run(process.execPath, [TSC, "-b", "tsconfig.typecheck.json"], ["ignore", "pipe", "pipe"]).then((result) => {
  process.stdout.write(result.code === 0 ? "typecheck: no errors\n" : `typecheck failed:\n${result.output}`);
  return result.code;
});
const suite = run(process.execPath, [VITEST, "run", ...process.argv.slice(2)], "inherit").then((result) => result.code);
const [checked, tested] = await Promise.all([typecheck, suite]);
process.exitCode = checked !== 0 ? checked : tested;
