/** The words a plugin author gets for a sandbox refusal, a syntax error and an import without extension (the CLI side is in test/cli/plugin-author.test.ts). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { importHint, withImportHint } from "../../src/plugins/process/import-hint.js";
import { sandboxHint, withSandboxHint } from "../../src/plugins/process/sandbox-hint.js";
import { locateSyntaxError, parseCheckOutput } from "../../src/plugins/process/syntax-locate.js";
import { ownClock } from "../support/own-time.js";

describe("sandbox hints", () => {
  test("a read refused by Node's permission model names the manifest permission and copying the file", () => {
    const hint = sandboxHint("Access to this API has been restricted (FileSystemRead: /home/user/data.csv)")!;
    expect(hint).toContain("/home/user/data.csv");
    expect(hint).toContain('"permissions": {"filesystem": "read"}');
    expect(hint).toContain("copy the file into the plugin folder");
    expect(sandboxHint("FileSystemRead: /home/user/data.csv")).toContain("filesystem");
  });

  test("writes, processes and threads say there is no permission for them", () => {
    expect(sandboxHint("Access to this API has been restricted (FileSystemWrite: /etc/x)")).toMatch(/only to its working folder/);
    expect(sandboxHint("Access to this API has been restricted (ChildProcess)")).toMatch(/may not run other programs/);
    expect(sandboxHint("Access to this API has been restricted (WorkerThreads)")).toMatch(/worker threads/);
  });

  test("the operating system's refusal (a walled runtime, Python) gets a conditional hint", () => {
    expect(sandboxHint("EACCES: permission denied, open '/home/user/data.csv'")).toMatch(/^if \/home\/user\/data\.csv is outside/);
    expect(sandboxHint("PermissionError: [Errno 13] Permission denied: '/srv/x.csv'")).toMatch(/^if \/srv\/x\.csv is outside/);
  });

  test("a plugin's error made to make the hint's search slow takes no time (it ran quadratic: minutes for 1 MiB)", () => {
    for (const text of ["EACCES ".repeat(150_000), "[Errno 13] ".repeat(100_000), `EACCES '${"x".repeat(1_000_000)}`]) {
      const elapsed = ownClock();
      withSandboxHint(text);
      // ~0.3 s on an idle machine; the quadratic scan took minutes on the first text. Synchronous: the
      // time less the waits for a core (test/support/own-time.ts).
      expect(elapsed()).toBeLessThan(10_000);
    }
    // The bounds keep every real message: a long path is still named.
    expect(sandboxHint(`EACCES: permission denied, open '/srv/${"a".repeat(300)}.csv'`)).toContain(`/srv/${"a".repeat(300)}.csv is outside`);
  });

  test("other errors are left alone, and a hint is added once", () => {
    expect(sandboxHint("TypeError: x is not a function")).toBeNull();
    const once = withSandboxHint("FileSystemRead: /a");
    expect(withSandboxHint(once)).toBe(once);
  });
});

describe("syntax error places", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  test("node --check output gives file, line and column", () => {
    const out = "/p/index.mjs:3\n    const x = [1, 2;\n                   ^\n\nSyntaxError: Unexpected token ';'\n";
    expect(parseCheckOutput(out, "/p/index.mjs")).toEqual({ where: "/p/index.mjs:3:20", message: "Unexpected token ';'" });
  });

  test("finds the file with the same error among the plugin's files, skipping node_modules", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-syntax-"));
    dir = root;
    fs.writeFileSync(path.join(root, "index.mjs"), `import "./lib/a.mjs";\nexport default class P { process() { return null; } }\n`);
    fs.mkdirSync(path.join(root, "lib"));
    fs.writeFileSync(path.join(root, "lib", "a.mjs"), `export const a = 1;\nexport const b = );\n`);
    fs.mkdirSync(path.join(root, "node_modules", "dep"), { recursive: true });
    fs.writeFileSync(path.join(root, "node_modules", "dep", "x.mjs"), `export const b = );\n`);
    // A budget no loaded machine runs out of: at a load average of 20 the default 3 s went on the first
    // file's `node --check`, and lib/a.mjs was never checked. The default is the supervisor's business.
    const ample = 120_000;
    expect(locateSyntaxError(root, "SyntaxError: Unexpected token ')'", undefined, ample)).toBe(`${path.join(root, "lib", "a.mjs")}:2:18`);
    // A different error message is not claimed.
    expect(locateSyntaxError(root, "SyntaxError: Unexpected token ')'", path.join(root, "index.mjs"), ample)).toBe(`${path.join(root, "lib", "a.mjs")}:2:18`);
    expect(locateSyntaxError(root, "SyntaxError: Unexpected identifier 'foo'")).toBeNull();
    // The search has a time budget (each check is a process shelfwise waits for): past it, the entry point alone.
    expect(locateSyntaxError(root, "SyntaxError: Unexpected token ')'", path.join(root, "index.mjs"), 0)).toBeNull();
  });

  test.runIf(process.platform === "linux")("a loaded host's slow checks do not use up the budget (their own CPU time counts); a hung check ends at the wall guard", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-syntax-slow-"));
    dir = root;
    fs.writeFileSync(path.join(root, "index.mjs"), `export const b = );\n`);
    // Each `node --check` waits asleep before it parses, as on a host at a load average of 20-38: wall
    // time without CPU time. A 3 s wall budget killed such a check, and the error had no place.
    const stall = (ms: number) => {
      const file = path.join(root, `stall-${ms}.cjs`);
      fs.writeFileSync(file, `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});\n`);
      return `--require ${file}`;
    };
    const saved = process.env.NODE_OPTIONS;
    try {
      process.env.NODE_OPTIONS = stall(1300);
      // A budget of 1 s, scaled down from the default 3 s as the stall is from 4.8 s.
      expect(locateSyntaxError(root, "SyntaxError: Unexpected token ')'", undefined, 1000)).toBe(`${path.join(root, "index.mjs")}:1:18`);
      process.env.NODE_OPTIONS = stall(60_000);
      const started = performance.now();
      expect(locateSyntaxError(root, "SyntaxError: Unexpected token ')'", undefined, 1000, 1000)).toBeNull();
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });
});

describe("relative imports without their extension", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  /** A plugin folder and its staged (transpiled) copy, as staging lays them out. */
  function staged(files: Record<string, string>, stagedFiles: Record<string, string>) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-import-hint-"));
    const folder = path.join(dir, "plugin");
    const copy = path.join(dir, "cache", "my-plugin", "0123abcd");
    for (const [root, set] of [[folder, files], [copy, stagedFiles]] as const) {
      for (const [name, text] of Object.entries({ "manifest.json": "{}", ...set })) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), text);
      }
    }
    return { folder, copy };
  }

  test("names the import to write and, for TypeScript, the author's file", () => {
    const { folder, copy } = staged({ "src/index.ts": "", "src/csv.ts": "" }, { "src/index.js": "", "src/csv.js": "" });
    const message = `Cannot find module '${copy}/src/csv' imported from ${copy}/src/index.js`;
    expect(importHint(message, `${copy}/src/index.js`, folder)).toBe(
      'Node needs the file extension in relative imports: write "./csv.js" (for src/csv.ts: TypeScript files are imported by their .js name)',
    );
    expect(withImportHint(message, `${copy}/src/index.js`, folder)).toMatch(/^Cannot find module .* — Node needs the file extension/);
  });

  test("a JavaScript plugin's folder import and a file URL importer", () => {
    const { folder, copy } = staged({ "index.mjs": "", "util/index.mjs": "" }, { "index.mjs": "", "util/index.mjs": "" });
    const message = `Directory import '${copy}/util' is not supported resolving ES modules imported from file://${copy}/index.mjs`;
    expect(importHint(message, `${copy}/index.mjs`, folder)).toBe('Node needs the file extension in relative imports: write "./util/index.mjs"');
  });

  test("stays silent when no file by that name exists, or for other errors", () => {
    const { folder, copy } = staged({ "index.js": "" }, { "index.js": "" });
    expect(importHint(`Cannot find module '${copy}/nowhere' imported from ${copy}/index.js`, `${copy}/index.js`, folder)).toBeNull();
    expect(importHint("Cannot find package 'left-pad' imported from /x/index.js", `${copy}/index.js`, folder)).toBeNull();
    expect(withImportHint("TypeError: nope", `${copy}/index.js`, folder)).toBe("TypeError: nope");
  });

  test("a module that is a symlink out of the plugin folder says so, in place and staged (Node only said it cannot find it)", () => {
    const { folder, copy } = staged({ "index.mjs": "" }, { "index.js": "" });
    const outside = path.join(dir!, "elsewhere.mjs");
    fs.writeFileSync(outside, "export const t = 1;");
    fs.symlinkSync(outside, path.join(folder, "helper.mjs"));
    fs.mkdirSync(path.join(folder, "lib"));
    fs.symlinkSync(dir!, path.join(folder, "lib", "shared"));
    const expected = `helper.mjs is a symlink to ${fs.realpathSync(outside)}, outside the plugin folder: a plugin may read only its own folder, so it cannot load it; copy the file into the plugin folder instead of linking it`;
    // In place: the runner loads the author's folder itself.
    expect(importHint(`Cannot find module '${folder}/helper.mjs' imported from ${folder}/index.mjs`, `${folder}/index.mjs`, folder)).toBe(expected);
    // Staged: the copy left the link out.
    expect(importHint(`Cannot find module '${copy}/helper.mjs' imported from ${copy}/index.js`, `${copy}/index.js`, folder)).toBe(expected);
    // A folder on the way that is the link.
    expect(importHint(`Cannot find module '${folder}/lib/shared/elsewhere.mjs' imported from ${folder}/index.mjs`, `${folder}/index.mjs`, folder)).toMatch(
      /^lib\/shared is a symlink to .*, outside the plugin folder/,
    );
  });
});
