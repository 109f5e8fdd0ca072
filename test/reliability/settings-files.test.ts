/**
 * config.json and secrets.json as a careless editor or a hostile disk leaves
 * them: every mistake is named with the line and column an editor shows, in
 * one line that quotes nothing of secrets.json; nothing the user wrote is
 * dropped by a rewrite; a file the user made read-only is not replaced.
 * In-process: the files are what is tested, not the CLI.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadSecrets, updateConfig, writeJsonAtomic } from "../../src/config/config-file.js";
import { describeEnvironmentError } from "../../src/app/environment-words.js";
import { requireBuilt } from "../support/plugin-fixtures.js";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let counter = 0;
beforeAll(() => {
  tmp = makeTempDir("settings-files");
});
afterAll(() => removeTempDir(tmp));

function dataDirWith(files: { config?: string | Buffer; secrets?: string | Buffer }): string {
  const dir = path.join(tmp, `data-${++counter}`);
  fs.mkdirSync(dir);
  if (files.config !== undefined) fs.writeFileSync(path.join(dir, "config.json"), files.config);
  if (files.secrets !== undefined) fs.writeFileSync(path.join(dir, "secrets.json"), files.secrets);
  return dir;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("a JSON mistake is named where an editor shows it, in one line", () => {
  it.each<[string, string, string, RegExp]>([
    ["an unquoted value", '{\n  "batch_size": x,\n  "library_paths": []\n}\n', "line 2, column 17", /expected a value.*found "x"/],
    ["a trailing comma", '{\n  "batch_size": 5,\n}\n', "line 3, column 1", /comma before "}"/],
    ["single quotes", "{\n  'batch_size': 5\n}\n", "line 2, column 3", /double quotes/],
    ["a missing comma", '{\n  "batch_size": 5\n  "library_paths": []\n}', "line 3, column 3", /expected "," or "}"/],
    ["a cut-off file", '{\n  "library_paths": ["/mus', "line 2, column 21", /string is not closed/],
    ["binary junk", "\u0000\u0001\u0002", "line 1, column 1", /U\+0000/],
    ["CRLF line ends and a bad value", '{\r\n  "batch_size": tru\r\n}\r\n', "line 2, column 17", /expected a value/],
  ])("%s", (_what, text, where, reason) => {
    const dir = dataDirWith({ config: text });
    const error = configError(() => loadConfig(dir));
    expect(error.message).toContain(`config.json: not valid JSON: ${where}: `);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain("\n");
    expect(error.exitCode).toBe(2);
  });

  it("an empty or cut-short file is said to be cut short, with how to recover and that the library is not lost", () => {
    for (const text of ["", "  \n"]) {
      const error = configError(() => loadConfig(dataDirWith({ config: text })));
      expect(error.message).toMatch(/config\.json: is empty.*cut short.*remove it to start from the defaults.*shelfwise library add PATH.*shelfwise\.db.*not lost/);
      expect(error.message).not.toMatch(/found the end of the file|\n/);
      expect(error.exitCode).toBe(2);
    }
    const cut = configError(() => loadConfig(dataDirWith({ config: '{\n  "library_paths": ["/music"]' })));
    expect(cut.message).toMatch(/line 2, column 30: .*found the end of the file; it ends too early: was it cut short/);
    // A complete copy a killed write left (renamed only once whole) is the newest version: it is offered first.
    const dir = dataDirWith({ config: "" });
    const copy = path.join(dir, "config.json.4000000.tmp");
    fs.writeFileSync(copy, '{ "library_paths": ["/music"] }');
    fs.writeFileSync(path.join(dir, "config.json.4000001.tmp"), '{ "library_paths": ["/mu');
    const offered = configError(() => loadConfig(dir)).message;
    expect(offered).toContain(`a complete copy shelfwise was writing is at ${copy}: check it, then \`mv "${copy}" "${path.join(dir, "config.json")}"\``);
    expect(offered).not.toContain("4000001");
  });

  it("a value the schema refuses is named by line, key, the value found and what is allowed, in the file's order, never in zod's words", () => {
    const text = '{\n  "library_paths": ["/music"],\n  "output_path": 5,\n  "batch_size": 0,\n  "sandbox_disable": ["landlok"],\n  "http_sources": [{ "id": "a" }]\n}\n';
    const message = configError(() => loadConfig(dataDirWith({ config: text }))).message;
    expect(message).toContain(
      'config.json: line 3, column 18: "output_path" is 5: must be a text in double quotes, or null; ' +
        'line 4, column 17: "batch_size" is 0: must be a whole number from 1 to 10000; ' +
        'line 5, column 23: "sandbox_disable[0]" is "landlok": unknown value "landlok" (did you mean "landlock"?); use one of: namespace, landlock, seccomp, permission, all; ' +
        'line 6, column 20: "http_sources[0].url_template" is not given: required (or use a preset)',
    );
    expect(message).not.toMatch(/Invalid input|Too small|expected string|received|>=/);
    // A value in an HTTP source's or a plugin's settings may be a key pasted in the wrong place: never echoed.
    const pasted = configError(() => loadConfig(dataDirWith({ config: '{ "http_sources": [{ "id": "s1", "url_template": "https://x/?q={title}", "response_mapping": { "title": "$.t" }, "timeout": "sk-SECRET-123" }] }' }))).message;
    expect(pasted).toMatch(/"http_sources\[0\]\.timeout": /);
    expect(pasted).not.toContain("sk-SECRET");
    const enable = configError(() => loadConfig(dataDirWith({ config: '{\n  "path_enabled": "yes"\n}' }))).message;
    expect(enable).toContain('line 2, column 19: "path_enabled" is "yes": must be true or false (no quotes)');
  });

  it("secrets.json: the place is named, not one character of its content", () => {
    const dir = dataDirWith({ secrets: '{\n  "api_key": s3cr3t-value\n}' });
    const error = configError(() => loadSecrets(dir));
    expect(error.message).toContain("secrets.json: not valid JSON: line 2, column 14: ");
    expect(error.message).not.toMatch(/s3cr3t|"s"/);
  });

  it("a config.json that is a folder, a pipe or far too big is refused without reading it", () => {
    const folder = dataDirWith({});
    fs.mkdirSync(path.join(folder, "config.json"));
    expect(configError(() => loadConfig(folder)).message).toMatch(/config\.json: is a folder, not a file/);
    const pipe = dataDirWith({});
    execFileSync("mkfifo", [path.join(pipe, "config.json")]);
    // Reading a pipe nobody writes would hang the command for ever.
    expect(configError(() => loadConfig(pipe)).message).toMatch(/config\.json: is not a regular file/);
    const huge = dataDirWith({});
    fs.writeFileSync(path.join(huge, "config.json"), "");
    fs.truncateSync(path.join(huge, "config.json"), 64 * 1024 * 1024);
    expect(configError(() => loadConfig(huge)).message).toMatch(/config\.json: is 67108864 bytes, not a settings file/);
  });
});

describe("what an editor may leave in a valid file", () => {
  it("a byte order mark (Windows Notepad) is read past, and dropped when shelfwise rewrites the file", () => {
    const dir = dataDirWith({ config: '\uFEFF{\r\n  "batch_size": 7\r\n}\r\n' });
    expect(loadConfig(dir).config.batch_size).toBe(7);
    updateConfig(dir, (raw) => void (raw.confidence_threshold = 70));
    expect(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"))).toEqual({ batch_size: 7, confidence_threshold: 70 });
    const secrets = dataDirWith({ secrets: '\uFEFF{"k": "v"}' });
    expect(loadSecrets(secrets)).toEqual({ k: "v" });
  });

  it("a key given twice is refused, naming both lines, and the file is left as it was (a rewrite would drop one value)", () => {
    const text = '{\n  "library_paths": ["/books/a"],\n  "batch_size": 5,\n  "library_paths": ["/books/b"]\n}\n';
    const dir = dataDirWith({ config: text });
    const error = configError(() => updateConfig(dir, (raw) => void (raw.batch_size = 9)));
    expect(error.message).toMatch(/config\.json: line 4, column 3: key "library_paths" is given twice in one object \(first on line 2\)/);
    expect(fs.readFileSync(path.join(dir, "config.json"), "utf8")).toBe(text);
    const nested = dataDirWith({ config: '{"http_sources": [{"id": "a", "id": "b"}]}' });
    expect(configError(() => loadConfig(nested)).message).toMatch(/key "id" is given twice/);
    const secrets = dataDirWith({ secrets: '{"token": "one", "token": "two"}' });
    expect(configError(() => loadSecrets(secrets)).message).toMatch(/key "token" is given twice/);
  });
});

describe("a settings file the user protected", () => {
  it("a read-only config.json is not replaced (not even by root): permission denied, the bytes unchanged", () => {
    const text = '{\n  "library_paths": []\n}\n';
    const dir = dataDirWith({ config: text });
    const file = path.join(dir, "config.json");
    fs.chmodSync(file, 0o444);
    let error: NodeJS.ErrnoException | null = null;
    try {
      updateConfig(dir, (raw) => void (raw.library_paths = ["/elsewhere"]));
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    }
    expect(error?.code).toBe("EACCES");
    expect(error?.path).toBe(file);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(fs.readdirSync(dir)).toEqual(["config.json"]);
  });

  it("secrets.json readable by others is warned about at every command; shelfwise's own writes make it private", () => {
    const dir = dataDirWith({ secrets: '{"k": "v"}' });
    const file = path.join(dir, "secrets.json");
    fs.chmodSync(file, 0o644);
    expect(loadConfig(dir).warnings.join("\n")).toMatch(/secrets\.json: other users of this machine may read it \(mode 0644\); make it private with `chmod 600 /);
    writeJsonAtomic(file, { ...loadSecrets(dir), other: "w" }, 0o600);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig(dir).warnings).toEqual([]);
  });

  it("a temporary file left by a killed rewrite (or a link planted in its place) is never written through", () => {
    const dir = dataDirWith({ secrets: '{"k": "v"}' });
    const file = path.join(dir, "secrets.json");
    fs.chmodSync(file, 0o600);
    const elsewhere = path.join(dir, "elsewhere.txt");
    fs.writeFileSync(elsewhere, "untouched");
    fs.symlinkSync(elsewhere, `${file}.${process.pid}.tmp`);
    writeJsonAtomic(file, { k: "w" }, 0o600);
    expect(fs.readFileSync(elsewhere, "utf8")).toBe("untouched");
    expect(loadSecrets(dir)).toEqual({ k: "w" });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("a data folder where no new file may be made", () => {
  const isRoot = process.getuid?.() === 0;
  const NOBODY = 65534;

  it.skipIf(!isRoot)("read-only for this user: the folder is named, and that it is read-only, never the temporary config.json.<pid>.tmp", () => {
    requireBuilt();
    const text = '{\n  "library_paths": []\n}\n';
    const dir = dataDirWith({ config: text });
    fs.chmodSync(path.dirname(dir), 0o755);
    fs.chmodSync(tmp, 0o755);
    fs.chmodSync(path.join(dir, "config.json"), 0o666);
    fs.chownSync(dir, NOBODY, NOBODY);
    fs.chmodSync(dir, 0o555);
    // Another user, as a folder's mode means nothing to root; the built modules, since this process is root.
    const dist = path.resolve("dist");
    const script = `
      const { updateConfig, updateSecrets } = await import(${JSON.stringify(`${dist}/config/config-file.js`)});
      const { describeEnvironmentError } = await import(${JSON.stringify(`${dist}/app/environment-words.js`)});
      const dir = process.argv[1];
      for (const write of [() => updateConfig(dir, (raw) => void (raw.batch_size = 40)), () => updateSecrets(dir, (s) => void (s.k = "s3cret"))]) {
        try { write(); console.log("written"); } catch (error) { console.log(describeEnvironmentError(error, dir)); console.log(describeEnvironmentError(error, dir, "server")); }
      }`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, dir], { encoding: "utf8", uid: NOBODY, gid: NOBODY });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      `the folder ${dir} is read-only for this user, so config.json cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: config.json is as it was; give this user write permission on that folder (or use another --data-dir) and run the command again`,
      `the folder ${dir} is read-only for this user, so config.json cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: config.json is as it was; give this user write permission on that folder (or restart the shelfwise server with another --data-dir) and try again`,
      `the folder ${dir} is read-only for this user, so secrets.json cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: secrets.json was not created; give this user write permission on that folder (or use another --data-dir) and run the command again`,
      `the folder ${dir} is read-only for this user, so secrets.json cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: secrets.json was not created; give this user write permission on that folder (or restart the shelfwise server with another --data-dir) and try again`,
    ]);
    fs.chmodSync(dir, 0o755);
    expect(fs.readFileSync(path.join(dir, "config.json"), "utf8")).toBe(text);
    expect(fs.readdirSync(dir)).toEqual(["config.json"]);
  });

  it.skipIf(!isRoot)("config set / secrets set in a data folder read-only for this user: the folder is named and the settings said unchanged (not the database's words)", async () => {
    requireBuilt();
    const dir = path.join(tmp, `data-${++counter}`);
    expect((await runCliInProcess(["init"], { dataDir: dir })).code).toBe(0);
    const text = fs.readFileSync(path.join(dir, "config.json"), "utf8");
    fs.chmodSync(tmp, 0o755);
    // Every file the user may read and write: only the folder refuses (no new file may be made in it).
    for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), fs.statSync(path.join(dir, name)).isDirectory() ? 0o777 : 0o666);
    fs.chownSync(dir, NOBODY, NOBODY);
    fs.chmodSync(dir, 0o555);
    const before = fs.readdirSync(dir).sort();
    const run = (args: string[], input = "") =>
      spawnSync(process.execPath, [CLI_BIN, ...args, "--data-dir", dir], { encoding: "utf8", input, cwd: tmp, uid: NOBODY, gid: NOBODY, env: { ...process.env, NO_COLOR: "1" } });
    const set = run(["config", "set", "batch_size", "4"]);
    expect(set.status, set.stderr).toBe(1);
    expect(set.stderr).toBe(
      `shelfwise: the folder ${dir} is read-only for this user, so config.json cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: config.json is as it was; give this user write permission on that folder (or use another --data-dir) and run the command again\n`,
    );
    const secret = run(["secrets", "set", "TOKEN"], "s3cret\n");
    expect(secret.status, secret.stderr).toBe(1);
    expect(secret.stderr).toBe(
      `shelfwise: the folder ${dir} is read-only for this user, so secrets.json cannot be saved (shelfwise replaces it by a new copy written beside it); nothing was changed: secrets.json was not created; give this user write permission on that folder (or use another --data-dir) and run the command again\n`,
    );
    expect(secret.stderr).not.toContain("s3cret");
    fs.chmodSync(dir, 0o755);
    expect(fs.readFileSync(path.join(dir, "config.json"), "utf8")).toBe(text);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it.skipIf(!isRoot)("on a read-only mount: the folder is named as on a read-only file system (not 'permission denied' on config.json), the file unchanged", (ctx) => {
    const text = '{\n  "library_paths": []\n}\n';
    const dir = dataDirWith({ config: text });
    try {
      execFileSync("mount", ["--bind", dir, dir], { stdio: "ignore" });
    } catch {
      return ctx.skip();
    }
    try {
      execFileSync("mount", ["-o", "remount,bind,ro", dir], { stdio: "ignore" });
      for (const [write, name, kept] of [
        [() => updateConfig(dir, (raw) => void (raw.batch_size = 40)), "config.json", "config.json is as it was"],
        [() => writeJsonAtomic(path.join(dir, "secrets.json"), { k: "s3cret" }, 0o600), "secrets.json", "secrets.json was not created"],
      ] as const) {
        let error: unknown = null;
        try {
          write();
        } catch (e) {
          error = e;
        }
        expect(describeEnvironmentError(error, dir)).toBe(
          `the folder ${dir} is on a read-only file system, so ${name} cannot be saved; nothing was changed: ${kept}; remount it read-write (or use a writable --data-dir), then run the command again`,
        );
      }
      expect(fs.readFileSync(path.join(dir, "config.json"), "utf8")).toBe(text);
    } finally {
      execFileSync("umount", ["-l", dir], { stdio: "ignore" });
    }
  });
});

describe("the web app saving settings to a file the user protected", () => {
  it("a read-only config.json: a 503 with the CLI's one line in the web app's words, not 'internal error'; the bytes unchanged", async () => {
    const { ShelfService } = await import("../../src/server/service.js");
    const { buildServer } = await import("../../src/server/server.js");
    const text = '{\n  "library_paths": []\n}\n';
    const dir = dataDirWith({ config: text });
    const file = path.join(dir, "config.json");
    const service = await ShelfService.open(dir, { autoRun: false, watch: false });
    const app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    try {
      fs.chmodSync(file, 0o444);
      const response = await app.inject({ method: "PUT", url: "/api/settings", headers: { host: "127.0.0.1:8790", "content-type": "application/json" }, payload: JSON.stringify({ values: { batch_size: 9 } }) });
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json().error).toBe(`permission denied: ${file}; nothing was changed there; give this user read and write access to it (or restart the shelfwise server with another --data-dir) and try again`);
      expect(fs.readFileSync(file, "utf8")).toBe(text);
    } finally {
      await app.close();
      await service.close();
    }
  });

  it("a config.json edited into invalid JSON while serve runs: a 400 naming the line, not 'internal error'; the bytes unchanged", async () => {
    const { ShelfService } = await import("../../src/server/service.js");
    const { buildServer } = await import("../../src/server/server.js");
    const dir = dataDirWith({ config: '{\n  "library_paths": []\n}\n' });
    const file = path.join(dir, "config.json");
    const service = await ShelfService.open(dir, { autoRun: false, watch: false });
    const app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    try {
      const broken = '{\n  "library_paths": [],\n  "batch_size": 5,\n}\n';
      fs.writeFileSync(file, broken);
      const response = await app.inject({ method: "POST", url: "/api/layers/path/enabled", headers: { host: "127.0.0.1:8790", "content-type": "application/json" }, payload: JSON.stringify({ enabled: false }) });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error).toBe(`${file}: not valid JSON: line 4, column 1: a comma before "}" (JSON allows no trailing comma)`);
      expect(fs.readFileSync(file, "utf8")).toBe(broken);
    } finally {
      await app.close();
      await service.close();
    }
  });
});

describe("a rewrite keeps the file's line endings", () => {
  it("CRLF (a Windows hand edit) stays CRLF, with or without a BOM (which is dropped, as above), LF stays LF; each still loads", () => {
    const cases = [
      { text: '\uFEFF{\r\n  "library_paths": [],\r\n  "batch_size": 10\r\n}\r\n', crlf: true },
      { text: '{\r\n  "library_paths": [],\r\n  "batch_size": 10\r\n}', crlf: true },
      { text: '\uFEFF{\n  "library_paths": [],\r\n  "batch_size": 10\n}\n', crlf: false },
    ];
    for (const { text, crlf } of cases) {
      const dir = dataDirWith({ config: text, secrets: text.replace('"library_paths": []', '"a": "x\\r\\ny"').replace('"batch_size": 10', '"b": "2"') });
      updateConfig(dir, (raw) => {
        raw.batch_size = 20;
        raw.naming_template = "{author}/{title}";
      });
      writeJsonAtomic(path.join(dir, "secrets.json"), { ...loadSecrets(dir), c: "3" }, 0o600);
      for (const name of ["config.json", "secrets.json"]) {
        const written = fs.readFileSync(path.join(dir, name), "utf8");
        expect(written.startsWith("\uFEFF"), name).toBe(false);
        const breaks = written.match(/\r?\n/g) ?? [];
        expect(breaks.length).toBeGreaterThan(2);
        expect(breaks.every((b) => b === (crlf ? "\r\n" : "\n")), `${name}: ${JSON.stringify(written)}`).toBe(true);
        // Plain JSON for any reader, not only shelfwise's.
        expect(() => JSON.parse(written)).not.toThrow();
      }
      expect(loadConfig(dir).config.batch_size).toBe(20);
      // A line break inside a value is escaped, never turned into a CRLF of the layout.
      expect(loadSecrets(dir)).toEqual({ a: "x\r\ny", b: "2", c: "3" });
    }
  });
});
