/**
 * `npm test` builds only what changed since the last build (scripts/build.mjs --if-changed): a build whose
 * inputs and outputs are as the last build left them is not redone, and anything else is built again. Run on
 * a copy of the script in a folder of its own, whose build steps are stand-ins that log their runs and
 * write an output each (the real build is left alone: the suite runs against it).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../scripts/build.mjs", import.meta.url));
let root: string;

/** A stand-in step: logs its name, writes its output, fails while `fail-NAME` exists. */
function step(name: string, output: string): string {
  return `import fs from "node:fs";
fs.appendFileSync("steps.log", ${JSON.stringify(`${name}\n`)});
if (fs.existsSync(${JSON.stringify(`fail-${name}`)})) process.exit(4);
fs.mkdirSync(${JSON.stringify(path.dirname(output))}, { recursive: true });
fs.writeFileSync(${JSON.stringify(output)}, fs.readFileSync("src/main.ts", "utf8") + ${JSON.stringify(name)});
`;
}

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** One run of the script; the steps that ran in it. */
function build(...args: string[]): { status: number | null; stdout: string; steps: string[] } {
  const log = path.join(root, "steps.log");
  fs.rmSync(log, { force: true });
  const run = spawnSync(process.execPath, ["scripts/build.mjs", ...args], { cwd: root, encoding: "utf8" });
  const steps = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  return { status: run.status, stdout: run.stdout + run.stderr, steps };
}

const ALL = ["tsc", "cli", "runner", "native", "web", "python"];

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-build-skip-")));
});
afterAll(() => root && fs.rmSync(root, { recursive: true, force: true }));

it("skips a build whose inputs and outputs are unchanged, and builds again after any change or a failed step", () => {
  write("scripts/build.mjs", fs.readFileSync(SCRIPT, "utf8"));
  write("node_modules/typescript/bin/tsc", step("tsc", "dist/main.js"));
  write("scripts/build-cli.mjs", step("cli", "dist/bundle/cli.js"));
  write("scripts/build-runner.mjs", step("runner", "dist/plugins/runner/node-runner.cjs"));
  write("native/build.mjs", step("native", "native/build/helper"));
  write("scripts/build-web.mjs", step("web", "dist/web/app.js"));
  write("scripts/build-python.mjs", step("python", "python/__pycache__/runner.cpython-311.pyc"));
  write("python/runner.py", "x = 1\n");
  write("src/main.ts", "export const a = 1;\n");
  write("web/index.html", "<html></html>\n");
  write("package.json", "{}\n");
  write("node_modules/.package-lock.json", "{}\n");

  // Nothing recorded yet: built. Then nothing changed: not built again.
  expect(build("--if-changed").steps).toEqual(ALL);
  const again = build("--if-changed");
  expect(again).toMatchObject({ status: 0, steps: [] });
  expect(again.stdout).toContain("up to date");
  // `--check` says what `--if-changed` would do, building nothing (exit 1: it would build).
  // A source's time alone is no change (git checkouts touch files); its content is, until put back.
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, "src/main.ts"), later, later);
  expect(build("--check")).toMatchObject({ status: 0, steps: [] });
  write("src/main.ts", "export const a = 2;\n");
  expect(build("--check")).toMatchObject({ status: 1, steps: [] });
  write("src/main.ts", "export const a = 1;\n");
  expect(build("--check")).toMatchObject({ status: 0, steps: [] });
  // python/ is an input tree, its compiled files outputs inside it: a source edit is a change, the compiled
  // file the build wrote is not an input (else every build would leave the next one out of date), and a
  // compiled file gone since is out of date.
  write("python/runner.py", "x = 2\n");
  expect(build("--check")).toMatchObject({ status: 1, steps: [] });
  write("python/runner.py", "x = 1\n");
  expect(build("--check")).toMatchObject({ status: 0, steps: [] });
  const compiled = path.join(root, "python/__pycache__/runner.cpython-311.pyc");
  fs.rmSync(compiled);
  expect(build("--check")).toMatchObject({ status: 1, steps: [] });
  expect(build("--if-changed").steps).toEqual(ALL);
  expect(build("--if-changed")).toMatchObject({ status: 0, steps: [] });
  // An output changed or removed since the build (an edit in dist/, a deleted helper): out of date.
  const helper = fs.readFileSync(path.join(root, "native/build/helper"));
  fs.rmSync(path.join(root, "native/build/helper"));
  expect(build("--check")).toMatchObject({ status: 1, steps: [] });
  fs.writeFileSync(path.join(root, "native/build/helper"), helper);
  // A failing step fails the build and leaves nothing recorded: out of date even with the inputs put back.
  write("fail-tsc", "");
  write("src/main.ts", "export const a = 3;\n");
  const failed = build("--if-changed");
  expect(failed.status).toBe(4);
  expect(failed.steps).toEqual(["tsc"]);
  fs.rmSync(path.join(root, "fail-tsc"));
  write("src/main.ts", "export const a = 1;\n");
  expect(build("--check")).toMatchObject({ status: 1, steps: [] });
});
