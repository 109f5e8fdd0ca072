/**
 * `config list|get|set|unset` and `secrets list|set|unset`: config.json changed only through its schema, every other
 * key kept, a refused change leaving the file as it was; secrets read from stdin or a prompt that does not echo,
 * never from the command line, and never printed. In this process where the process boundary is not what is
 * checked; stdin and the terminal in a real one.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigChangeView, ConfigEntryView, ConfigListView, SecretChangeView, SecretListView } from "../../src/app/views/index.js";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess as cli, runCliInProcessJson as json, runCliInProcessOk } from "../support/cli-in-process.js";
import { cliOnTerminal, hasScript } from "../support/terminal.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let data: string;
let configFile: string;
let secretsFile: string;

beforeAll(async () => {
  tmp = makeTempDir("settings-commands");
  data = path.join(tmp, "data");
  const lib = path.join(tmp, "library");
  fs.mkdirSync(path.join(lib, "Frank Herbert", "Dune"), { recursive: true });
  fs.writeFileSync(path.join(lib, "Frank Herbert", "Dune", "01.mp3"), "");
  await runCliInProcessOk(["init", lib], { dataDir: data });
  configFile = path.join(data, "config.json");
  secretsFile = path.join(data, "secrets.json");
});
afterAll(() => removeTempDir(tmp));

const at = { get dataDir() { return data; } };
const readConfig = () => JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>;

/** A refusal: exit 2, one `shelfwise:` line on stderr matching `words`, nothing on stdout, config.json byte for byte as it was. */
async function refused(args: string[], words: RegExp): Promise<void> {
  const before = fs.readFileSync(configFile);
  const result = await cli(args, at);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^shelfwise: /);
  expect(result.stderr).toMatch(words);
  expect(fs.readFileSync(configFile).equals(before)).toBe(true);
}

describe("config", () => {
  it("sets a value as the key takes it, keeping every other key, unknown ones too", async () => {
    const withUnknown: Record<string, unknown> = { ...readConfig(), confidence_treshold: 80, plugin_x_enabled: false };
    fs.writeFileSync(configFile, JSON.stringify(withUnknown, null, 2));
    const set = await json<ConfigChangeView>(["config", "set", "confidence_threshold", "70"], at);
    expect(set).toMatchObject({ action: "set", key: "confidence_threshold", value: 70, previous: null, changed: true });
    await json(["config", "set", "path_enabled", "off"], at);
    await json(["config", "set", "sandbox_disable", "seccomp, landlock"], at);
    await json(["config", "set", "output_path", "null"], at);
    await json(["config", "set", "python_path", "3"], at);
    const after = readConfig();
    expect(after).toMatchObject({ confidence_threshold: 70, path_enabled: false, sandbox_disable: ["seccomp", "landlock"], output_path: null, python_path: "3" });
    expect(after).toMatchObject({ confidence_treshold: 80, plugin_x_enabled: false, library_paths: withUnknown.library_paths });
    // The same value again writes nothing.
    const again = await json<ConfigChangeView>(["config", "set", "confidence_threshold", "70"], at);
    expect(again.changed).toBe(false);

    const list = await json<ConfigListView>(["config", "list"], at);
    expect(list.find((e) => e.key === "confidence_threshold")).toEqual({ key: "confidence_threshold", value: 70, default: 60, set: true, known: true });
    expect(list.find((e) => e.key === "batch_size")).toEqual({ key: "batch_size", value: 50, default: 50, set: false, known: true });
    expect(list.find((e) => e.key === "confidence_treshold")).toMatchObject({ value: 80, set: true, known: false });
    expect((await json<ConfigEntryView>(["config", "get", "confidence_threshold"], at)).value).toBe(70);
    expect((await cli(["config", "get", "naming_template"], at)).stdout).toBe("{author}/{series}/{series_num} - {title}\n");

    // unset puts the default back, and removes a key shelfwise does not use.
    expect(await json<ConfigChangeView>(["config", "unset", "confidence_threshold"], at)).toMatchObject({ value: 60, previous: 70, changed: true });
    await json(["config", "unset", "confidence_treshold"], at);
    expect(readConfig()).not.toHaveProperty("confidence_threshold");
    expect(readConfig()).not.toHaveProperty("confidence_treshold");
    expect(readConfig()).toHaveProperty("plugin_x_enabled", false);
  });

  it("refuses a wrong type, a value out of range, an unknown key and keys with their own command: exit 2, the file untouched", async () => {
    await refused(["config", "set", "confidence_threshold", "700"], /"confidence_threshold" is 700: must be a number from 0 to 100/);
    await refused(["config", "set", "confidence_threshold", "high"], /"confidence_threshold" is "high": must be a number/);
    await refused(["config", "set", "batch_size", "2.5"], /must be a whole number from 1 to 10000/);
    await refused(["config", "set", "path_enabled", "maybe"], /"path_enabled" is "maybe": must be true or false/);
    await refused(["config", "set", "sandbox_disable", "seccomp,everything"], /sandbox_disable/);
    await refused(["config", "set", "confidence_treshold", "70"], /unknown config key "confidence_treshold": did you mean confidence_threshold\?/);
    await refused(["config", "set", "library_paths", "/tmp"], /library add PATH/);
    await refused(["config", "set", "http_sources", "[]"], /http_sources is not set with `config`/);
    await refused(["config", "set", "plugin_configs.audible.timeout", "9999"], /plugin_configs\.audible\.timeout is 9999: must be a number from 1 to 600/);
    await refused(["config", "get", "nope"], /unknown config key "nope"/);
    // Names every object has: through `plugin_configs[id]` they reached Object.prototype, not a key of the file.
    await refused(["config", "set", "plugin_configs.__proto__.polluted", "1"], /cannot be a key of config\.json/);
    await refused(["config", "set", "plugin_configs.audible.constructor", "1"], /cannot be a key of config\.json/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps secrets out of config.json", async () => {
    await refused(["config", "set", "plugin_configs.audible.api_key", "abc123456"], /secrets set api_key/);
    await refused(["config", "set", "openlibrary_url", "https://me:pw@ol.example"], /user name and password/);
    fs.writeFileSync(secretsFile, JSON.stringify({ ol_token: "tok-0123456789" }), { mode: 0o600 });
    await refused(["config", "set", "plugin_configs.audible.region", "tok-0123456789"], /holds the value of secret "ol_token"/);
    const result = await cli(["config", "set", "plugin_configs.audible.region", "tok-0123456789"], at);
    expect(result.stderr).not.toContain("tok-0123456789");
    fs.rmSync(secretsFile);
  });

  it("sets right the key at fault in an invalid config.json, and refuses to set another", async () => {
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), confidence_threshold: "70" }, null, 2));
    await refused(["config", "set", "batch_size", "20"], /"confidence_threshold" is "70": must be a number/);
    expect(await json<ConfigChangeView>(["config", "set", "confidence_threshold", "70"], at)).toMatchObject({ value: 70, previous: "70", changed: true });
    expect(readConfig().confidence_threshold).toBe(70);
  });

  it("`config get plugin_configs.ID` prints a plugin's whole settings, its secret settings only as set or not set", async () => {
    const good = fs.readFileSync(configFile, "utf8");
    const plugin = path.join(data, "plugins", "vault");
    fs.mkdirSync(plugin, { recursive: true });
    const config_schema = { type: "object", properties: { region: { type: "string" }, pin: { type: "string", writeOnly: true }, passphrase: { type: "string", format: "password" }, sig: { type: "string", secret: true } } };
    fs.writeFileSync(path.join(plugin, "manifest.json"), JSON.stringify({ id: "vault", name: "Vault", version: "1.0.0", runtime: "node", entry_point: "index.js", fields: ["title"], config_schema }));
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), plugin_configs: { vault: { region: "eu", timeout: 40, pin: "pin-4711-value", passphrase: "", api_key: "key-0815-value" } } }, null, 2));

    const entry = await json<ConfigEntryView>(["config", "get", "plugin_configs.vault"], at);
    expect(entry).toEqual({
      key: "plugin_configs.vault",
      value: { region: "eu", timeout: 40 },
      default: {},
      set: true,
      known: true,
      secret_settings: [{ name: "pin", set: true }, { name: "passphrase", set: false }, { name: "sig", set: false }, { name: "api_key", set: true }],
    });
    const text = await runCliInProcessOk(["config", "get", "plugin_configs.vault"], at);
    expect(text.stdout).toBe('{"region":"eu","timeout":40}\npin: set (a secret setting: its value is not shown)\npassphrase: not set (a secret setting: its value is not shown)\nsig: not set (a secret setting: its value is not shown)\napi_key: set (a secret setting: its value is not shown)\n');
    expect(JSON.stringify(entry) + text.stdout + text.stderr).not.toMatch(/4711|0815/);
    // Nor does listing every setting, or the whole of plugin_configs, print them.
    const list = await json<ConfigListView>(["config", "list"], at);
    expect(list.find((e) => e.key === "plugin_configs")?.value).toEqual({ vault: { region: "eu", timeout: 40 } });
    const all = await runCliInProcessOk(["config", "get", "plugin_configs"], at);
    expect(all.stdout).toBe('{"vault":{"region":"eu","timeout":40}}\n');
    expect((await runCliInProcessOk(["config", "list"], at)).stdout).not.toMatch(/4711|0815/);
    // Installed, nothing set yet: its defaults ({}); neither installed nor set: refused as an unknown key.
    fs.writeFileSync(configFile, good);
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.vault"], at)).toMatchObject({ value: {}, set: false, secret_settings: [{ name: "pin", set: false }, { name: "passphrase", set: false }, { name: "sig", set: false }] });
    // Where the web form and `secrets set` keep such a setting: secrets.json, as plugin_configs.<id>.<key>.
    const secretsBefore = fs.existsSync(secretsFile) ? fs.readFileSync(secretsFile, "utf8") : null;
    fs.writeFileSync(secretsFile, JSON.stringify({ ...(secretsBefore ? JSON.parse(secretsBefore) : {}), "plugin_configs.vault.sig": "sig-9042-value" }), { mode: 0o600 });
    const kept = await runCliInProcessOk(["config", "get", "plugin_configs.vault", "--json"], at);
    expect(JSON.parse(kept.stdout)).toMatchObject({ secret_settings: [{ name: "pin", set: false }, { name: "passphrase", set: false }, { name: "sig", set: true }] });
    expect(kept.stdout + kept.stderr).not.toContain("9042");
    if (secretsBefore === null) fs.rmSync(secretsFile);
    else fs.writeFileSync(secretsFile, secretsBefore, { mode: 0o600 });
    await refused(["config", "get", "plugin_configs.nobody"], /unknown config key "plugin_configs\.nobody".*plugins list/);
    fs.rmSync(plugin, { recursive: true });
  });

  it("a setting of a plugin that is not installed: its value is not printed (no manifest says it is no secret) unless --show-value asks; shelfwise's own are", async () => {
    const good = fs.readFileSync(configFile, "utf8");
    // Written by hand, a line break and a line separator in one of them.
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), plugin_configs: { gone: { endpoint: "https://me:pw-5150@host", timeout: 30, note: "line1\nline2\u2028line3" } } }, null, 2));
    const one = await runCliInProcessOk(["config", "get", "plugin_configs.gone.endpoint"], at);
    expect(one.stdout).toBe("plugin_configs.gone.endpoint: set in config.json; its value is not shown: plugin gone is not installed, so no manifest says whether it holds a secret; `shelfwise config get plugin_configs.gone.endpoint --show-value` prints it\n");
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.gone.endpoint"], at)).toEqual({ key: "plugin_configs.gone.endpoint", value: null, default: null, set: true, known: true, value_not_shown: "plugin_not_installed" });
    expect((await runCliInProcessOk(["config", "get", "plugin_configs.gone.timeout"], at)).stdout).toBe("30\n");
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.gone"], at)).toMatchObject({ value: { timeout: 30 }, unshown_settings: ["endpoint", "note"] });
    const whole = await runCliInProcessOk(["config", "get", "plugin_configs.gone"], at);
    expect(whole.stdout.split("\n")[0]).toBe('{"timeout":30}');
    const list = await runCliInProcessOk(["config", "list"], at);
    const listed = await json<ConfigListView>(["config", "list"], at);
    expect(listed.find((e) => e.key === "plugin_configs")?.value).toEqual({ gone: { timeout: 30 } });
    expect(list.stdout + JSON.stringify(listed) + whole.stdout).not.toMatch(/5150|line2/);
    // Asked for: printed, on one line (its line breaks shown as \n, never a line of their own).
    expect((await runCliInProcessOk(["config", "get", "plugin_configs.gone.endpoint", "--show-value"], at)).stdout).toBe("https://me:pw-5150@host\n");
    const note = await runCliInProcessOk(["config", "get", "plugin_configs.gone.note", "--show-value"], at);
    expect(note.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(note.stdout).toMatch(/^line1.+line2.+line3\n$/);
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.gone.note", "--show-value"], at)).toMatchObject({ value: "line1\nline2\u2028line3" });
    fs.writeFileSync(configFile, good);
  });

  it("a plugin's own setting named like a JavaScript object's member (toString, valueOf) is the plugin's, not shelfwise's: not printed for a plugin that is not installed", async () => {
    const good = fs.readFileSync(configFile, "utf8");
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), plugin_configs: { gone: { toString: "tok-8841-secret", valueOf: "tok-9931-secret", timeout: 30 } } }, null, 2));
    for (const name of ["toString", "valueOf"]) {
      expect(await json<ConfigEntryView>(["config", "get", `plugin_configs.gone.${name}`], at)).toMatchObject({ value: null, set: true, value_not_shown: "plugin_not_installed" });
    }
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.gone"], at)).toMatchObject({ value: { timeout: 30 }, unshown_settings: ["toString", "valueOf"] });
    const list = await runCliInProcessOk(["config", "list"], at);
    expect(list.stdout).not.toMatch(/8841|9931/);
    fs.writeFileSync(configFile, good);
  });

  it("refuses a line break or a control character in any text setting, from `config set` and from a config.json edited by hand", async () => {
    await refused(["config", "set", "python_path", "python3\nrm -rf ~"], /"python_path" is .*must be the Python 3 plugins run with.*on one line: character 8 is a line break \(U\+000A\)/);
    await refused(["config", "set", "python_path", "python3\r"], /line break \(U\+000D\)/);
    await refused(["config", "set", "openlibrary_url", "https://openlibrary.org\n"], /"openlibrary_url" is .*must be a URL.*line break/);
    await refused(["config", "set", "naming_template", "{author}/{title}\u0007"], /"naming_template" is .*must be a naming template.*control character \(U\+0007\)/);
    await refused(["config", "set", "pipeline_order", '["path", "\\u001b[31mtags"]'], /pipeline_order.*must be a layer or plugin id.*U\+001B/);
    // What a user can mean still goes: a space, any letter, an emoji.
    await json(["config", "set", "python_path", "/opt/Pÿthon 3/bin/python3"], at);
    await json(["config", "unset", "python_path"], at);

    const good = fs.readFileSync(configFile, "utf8");
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), python_path: "python3\nrm -rf ~", library_paths: ["/srv/a\u0000b"] }, null, 2));
    await refused(["config", "set", "batch_size", "20"], /library_paths\[0\].*a NUL \(U\+0000\), which no path can hold.*"python_path" is .*line break/);
    fs.writeFileSync(configFile, good);
  });

  it("refuses a line break or a control character in a plugin's own setting typed on the command line; extra_read_paths refuses only NUL, as every folder path", async () => {
    await refused(["config", "set", "plugin_configs.shelf.region", "eu\nrm -rf ~"], /plugin_configs\.shelf\.region: must be text, on one line: character 3 is a line break \(U\+000A\).*goes into config\.json by hand/);
    await refused(["config", "set", "plugin_configs.shelf.filters", '{"lang": ["en", "d\\u0007e"]}'], /plugin_configs\.shelf\.filters\.lang\[1\]: must be text, on one line: character 2 is a control character \(U\+0007\)/);
    await refused(["config", "set", "plugin_configs.shelf.extra_read_paths", '["/srv/a\\u0000b"]'], /plugin_configs\.shelf\.extra_read_paths is .*must be a list of folder paths/);
    // A folder's name is the user's: a line break in one is kept.
    expect(await json<ConfigChangeView>(["config", "set", "plugin_configs.shelf.extra_read_paths", '["/srv/My Books\\nTwo"]'], at)).toMatchObject({ value: ["/srv/My Books\nTwo"], changed: true });
    expect(await json<ConfigChangeView>(["config", "set", "plugin_configs.shelf.region", "Zürich 🏔"], at)).toMatchObject({ value: "Zürich 🏔", changed: true });
    await json(["config", "unset", "plugin_configs.shelf.region"], at);
    await json(["config", "unset", "plugin_configs.shelf.extra_read_paths"], at);
  });

  it("keeps a folder path holding a line break or a tab: a folder's name is the user's (only NUL, which no path can hold, is refused)", async () => {
    const good = fs.readFileSync(configFile, "utf8");
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), library_paths: [...(readConfig().library_paths as string[]), "/srv/My Books\nTwo"], plugin_dir: "/srv/plug\u2028ins\tx" }, null, 2));
    await json(["config", "set", "batch_size", "20"], at);
    expect(readConfig()).toMatchObject({ batch_size: 20, plugin_dir: "/srv/plug\u2028ins\tx" });
    expect(readConfig().library_paths).toContain("/srv/My Books\nTwo");
    fs.writeFileSync(configFile, good);
  });
});

describe("secrets", () => {
  /** The CLI as a real process with `input` on its stdin. */
  function withStdin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [CLI_BIN, ...args, "--data-dir", data], { env: { ...process.env, NO_COLOR: "1", SHELFWISE_DATA_DIR: "" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin.end(input);
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  }

  it("refuses a value on the command line, writing nothing", async () => {
    const result = await cli(["secrets", "set", "isbndb_key", "abc-123-secret"], at);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/never given on the command line/);
    expect(result.stderr).not.toContain("abc-123-secret");
    expect(fs.existsSync(secretsFile)).toBe(false);
  });

  it("a secret setting written into config.json by hand: `config get` never prints it, says where it is, and the commands that list settings say to move it; `secrets set` moves it", async () => {
    const good = fs.readFileSync(configFile, "utf8");
    const plugin = path.join(data, "plugins", "locker");
    fs.mkdirSync(plugin, { recursive: true });
    const config_schema = { type: "object", properties: { region: { type: "string" }, pin: { type: "string", writeOnly: true }, sig: { type: "string", secret: true } } };
    fs.writeFileSync(path.join(plugin, "manifest.json"), JSON.stringify({ id: "locker", name: "Locker", version: "1.0.0", runtime: "node", entry_point: "index.js", fields: ["title"], config_schema }));
    fs.writeFileSync(plugin + "/index.js", "export default { async identify() { return null; } };\n");
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), plugin_configs: { locker: { region: "eu", pin: "pin-7331-value" } } }, null, 2));

    const one = await json<ConfigEntryView>(["config", "get", "plugin_configs.locker.pin"], at);
    expect(one).toMatchObject({ key: "plugin_configs.locker.pin", value: null, set: true, secret_setting: { set: true, kept_in: "config.json", also_in_config: false } });
    const text = await runCliInProcessOk(["config", "get", "plugin_configs.locker.pin"], at);
    expect(text.stdout).toMatch(/^plugin_configs\.locker\.pin: set in config\.json, written there by hand .*not shown.*`shelfwise secrets set plugin_configs\.locker\.pin`/);
    expect((await runCliInProcessOk(["config", "get", "plugin_configs.locker.sig"], at)).stdout).toMatch(/^plugin_configs\.locker\.sig: not set/);
    // A setting that is not secret still prints its value.
    expect((await runCliInProcessOk(["config", "get", "plugin_configs.locker.region"], at)).stdout).toBe("eu\n");
    const advice = /warning: config\.json holds plugin_configs\.locker\.pin, a secret setting, by hand .*`shelfwise secrets set plugin_configs\.locker\.pin`/;
    for (const args of [["config", "list"], ["plugins", "list"], ["status"]]) {
      const run = await cli(args, at);
      expect(run.stderr, args.join(" ")).toMatch(advice);
      expect(run.stdout + run.stderr).not.toContain("7331");
    }
    // Moved: secrets.json holds it, config.json's copy is gone, every other setting stays.
    const moved = await withStdin(["secrets", "set", "plugin_configs.locker.pin", "--json"], "pin-7331-value\n");
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ name: "plugin_configs.locker.pin", changed: true, removed_from_config: configFile });
    expect(JSON.parse(fs.readFileSync(secretsFile, "utf8"))).toMatchObject({ "plugin_configs.locker.pin": "pin-7331-value" });
    expect(readConfig().plugin_configs).toEqual({ locker: { region: "eu" } });
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.locker.pin"], at)).toMatchObject({ value: null, secret_setting: { set: true, kept_in: "secrets.json", also_in_config: false } });
    expect((await cli(["config", "list"], at)).stderr).not.toMatch(/locker/);
    // A copy hand-written again beside secrets.json's: not used, and said so.
    fs.writeFileSync(configFile, JSON.stringify({ ...readConfig(), plugin_configs: { locker: { region: "eu", pin: "old-pin-value" } } }, null, 2));
    expect((await cli(["config", "list"], at)).stderr).toMatch(/secrets\.json's value is the one used: remove config\.json's copy with `shelfwise config unset plugin_configs\.locker\.pin`/);
    expect(await json<ConfigEntryView>(["config", "get", "plugin_configs.locker.pin"], at)).toMatchObject({ secret_setting: { kept_in: "secrets.json", also_in_config: true } });
    // Removed with `config unset`: what it removes is not shown either.
    const unset = await cli(["config", "unset", "plugin_configs.locker.pin", "--json"], at);
    expect(unset.code, unset.stderr).toBe(0);
    expect(JSON.parse(unset.stdout)).toMatchObject({ changed: true, previous: "(a secret setting: its value is not shown)" });
    expect(unset.stdout + unset.stderr).not.toContain("old-pin-value");
    expect(readConfig().plugin_configs).toEqual({ locker: { region: "eu" } });
    fs.writeFileSync(configFile, good);
    fs.rmSync(secretsFile);
    fs.rmSync(plugin, { recursive: true });
  });

  it("sets every secret name a manifest may declare (a space, any letter: quoted), and a manifest marking secret a setting no command could name is invalid, saying what to rename", async () => {
    const plugin = path.join(data, "plugins", "spaced");
    fs.mkdirSync(plugin, { recursive: true });
    const manifest = (properties: Record<string, unknown>) =>
      fs.writeFileSync(path.join(plugin, "manifest.json"), JSON.stringify({ id: "spaced", name: "Spaced", version: "1.0.0", runtime: "node", entry_point: "index.js", fields: ["title"], requires_secrets: ["Shop Key (EU)"], config_schema: { type: "object", properties } }));
    manifest({ "API Key": { type: "string", writeOnly: true }, "clé.privée": { type: "string", secret: true } });
    fs.writeFileSync(path.join(plugin, "index.js"), "export default { async identify() { return null; } };\n");
    for (const name of ["Shop Key (EU)", "plugin_configs.spaced.API Key", "plugin_configs.spaced.clé.privée"]) {
      const set = await withStdin(["secrets", "set", name, "--json"], "value-for-it\n");
      expect(set.code, `${name}: ${set.stderr}`).toBe(0);
      expect(JSON.parse(set.stdout)).toMatchObject({ name, changed: true, used_by: [{ kind: "plugin", id: "spaced" }] });
    }
    expect(JSON.parse(fs.readFileSync(secretsFile, "utf8"))).toEqual({ "Shop Key (EU)": "value-for-it", "plugin_configs.spaced.API Key": "value-for-it", "plugin_configs.spaced.clé.privée": "value-for-it" });
    expect((await json<SecretChangeView>(["secrets", "unset", "plugin_configs.spaced.API Key"], at)).changed).toBe(true);
    // Advice names it as one shell word.
    expect((await runCliInProcessOk(["config", "get", "plugin_configs.spaced.API Key"], at)).stdout).toContain("`shelfwise secrets set 'plugin_configs.spaced.API Key'` sets it");
    // Still refused: what no one can type as one word, or a key past what `config` can address.
    const refusedName = async (name: string, words: RegExp) => {
      const run = await cli(["secrets", "unset", name], at);
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(words);
    };
    await refusedName("plugin_configs.spaced.a\nb", /is not a secret name: its KEY \(after plugin_configs\.spaced\.\) has a control character or a line break \(U\+000A\)/);
    await refusedName(`plugin_configs.spaced.${"k".repeat(129)}`, /its KEY .* is 129 characters long, over 128/);
    await refusedName("plugin_configs.no id.key", /plugin_configs\.ID\.KEY, ID a plugin id/);
    await refusedName("x".repeat(201), /1 to 200 characters \(got 201\)/);
    // The manifest side of the same rule.
    for (const [key, words] of [
      ["line\nbreak", /properties\["line\\nbreak"\] is marked secret, and a secret setting's name has a control character or a line break \(U\+000A\) at character 5: rename it/],
      ["k".repeat(129), /is marked secret, and a secret setting's name is 129 characters long, over 128: rename it/],
    ] as const) {
      manifest({ [key]: { type: "string", format: "password" } });
      const checked = await cli(["plugins", "validate", plugin], at);
      expect(checked.code, checked.stdout + checked.stderr).not.toBe(0);
      expect(checked.stdout + checked.stderr).toMatch(words);
    }
    // Not marked secret: any name a JSON Schema takes, as before.
    manifest({ ["k".repeat(129)]: { type: "string" } });
    const plain = await cli(["plugins", "validate", plugin], at);
    expect(plain.stdout + plain.stderr).not.toMatch(/marked secret|manifest/);
    fs.rmSync(plugin, { recursive: true });
    fs.rmSync(secretsFile);
  });

  it("reads the value from stdin, writes secrets.json 0600, never prints it, and lists who uses each name", async () => {
    const config = readConfig();
    fs.writeFileSync(configFile, JSON.stringify({ ...config, http_sources: [{ id: "cat", url_template: "https://api.example/s?q={{title}}", response_mapping: { title: "$.title" }, auth: { type: "bearer", credential: "cat_key" } }] }, null, 2));
    const plugin = path.join(data, "plugins", "shelf");
    fs.mkdirSync(plugin, { recursive: true });
    fs.writeFileSync(path.join(plugin, "manifest.json"), JSON.stringify({ id: "shelf", name: "Shelf", version: "1.0.0", runtime: "node", entry_point: "index.js", requires_secrets: ["shelf_token"], fields: ["title"] }));

    const set = await withStdin(["secrets", "set", "cat_key", "--json"], "s3cret-cat-value\n");
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ action: "set", name: "cat_key", changed: true, secrets_file: secretsFile, used_by: [{ kind: "http_source", id: "cat" }] } satisfies SecretChangeView);
    expect(set.stdout + set.stderr).not.toContain("s3cret-cat-value");
    expect(JSON.parse(fs.readFileSync(secretsFile, "utf8"))).toEqual({ cat_key: "s3cret-cat-value" });
    expect(fs.statSync(secretsFile).mode & 0o777).toBe(0o600);

    const empty = await withStdin(["secrets", "set", "shelf_token"], "\n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no value for secret "shelf_token"/);

    const list = await json<SecretListView>(["secrets", "list"], at);
    expect(list).toEqual([
      { name: "cat_key", state: "set", used_by: [{ kind: "http_source", id: "cat" }] },
      { name: "shelf_token", state: "not_set", used_by: [{ kind: "plugin", id: "shelf" }] },
    ]);
    const text = await cli(["secrets", "list"], at);
    expect(text.stdout).toMatch(/shelf_token\s+not set\s+plugin shelf/);
    expect(text.stdout).not.toContain("s3cret");

    expect(await json<SecretChangeView>(["secrets", "unset", "cat_key"], at)).toMatchObject({ changed: true });
    expect(JSON.parse(fs.readFileSync(secretsFile, "utf8"))).toEqual({});
    expect(await json<SecretChangeView>(["secrets", "unset", "cat_key"], at)).toMatchObject({ changed: false });
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  });

  it.skipIf(!hasScript)("asks on a terminal without echoing what is typed", async () => {
    const run = cliOnTerminal(["secrets", "set", "typed_key", "--data-dir", data]);
    await run.sees(/not shown; Enter ends it\): $/);
    run.type("typed-s3cret\r");
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/secret typed_key set in/);
    expect(run.output()).not.toContain("typed-s3cret");
    expect(JSON.parse(fs.readFileSync(secretsFile, "utf8"))).toMatchObject({ typed_key: "typed-s3cret" });

    // Ctrl-C at the prompt (raw mode: no SIGINT) stops, changing nothing.
    const before = fs.readFileSync(secretsFile, "utf8");
    const stopped = cliOnTerminal(["secrets", "set", "typed_key", "--data-dir", data]);
    await stopped.sees(/not shown; Enter ends it\): $/);
    stopped.type("half\x03");
    await stopped.sees(/interrupted at the prompt: nothing was changed/);
    expect(await stopped.exited).toBe(130);
    expect(fs.readFileSync(secretsFile, "utf8")).toBe(before);
  });
});
