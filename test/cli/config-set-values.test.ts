/**
 * `config set` values the key's schema let through or described wrongly: an `openlibrary_url` that is a URL but
 * not http(s) (`file:///etc/passwd`, `javascript:...`) was written, then stopped `process` and `layers` with an
 * unexpected error (exit 1); a list with one unknown item (`sandbox_disable all,bogus`) was refused as "must be a
 * list" although it is one.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess, runCliInProcessOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let data: string;
let configFile: string;

beforeAll(async () => {
  tmp = makeTempDir("config-set-values");
  data = path.join(tmp, "data");
  await runCliInProcessOk(["init"], { dataDir: data });
  configFile = path.join(data, "config.json");
});
afterAll(() => removeTempDir(tmp));

describe("openlibrary_url", () => {
  it.each(["file:///etc/passwd", "javascript:alert(1)", "ftp://openlibrary.org", "data:text/plain,x"])("refuses %s: an http(s) URL is what the layer calls (exit 2, config.json kept)", async (url) => {
    const before = fs.readFileSync(configFile, "utf8");
    const result = await runCliInProcess(["config", "set", "openlibrary_url", url], { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`"openlibrary_url" is "${url}": must be an http:// or https:// URL`);
    expect(fs.readFileSync(configFile, "utf8")).toBe(before);
  });

  it("takes an http(s) one", async () => {
    await runCliInProcessOk(["config", "set", "openlibrary_url", "http://127.0.0.1:9/ol"], { dataDir: data });
    await runCliInProcessOk(["config", "unset", "openlibrary_url"], { dataDir: data });
  });

  it("written by hand, is a config error naming the key (exit 2), not an unexpected error of `layers` or `process`", async () => {
    const before = fs.readFileSync(configFile, "utf8");
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(before), openlibrary_enabled: true, openlibrary_url: "file:///etc/passwd" }, null, 2));
    try {
      for (const args of [["layers"], ["process"]]) {
        const result = await runCliInProcess(args, { dataDir: data });
        expect(result.code, args[0]).toBe(2);
        expect(result.stderr).toMatch(/"openlibrary_url" is "file:\/\/\/etc\/passwd": must be an http:\/\/ or https:\/\/ URL/);
        expect(result.stderr).not.toContain("unexpected");
      }
    } finally {
      fs.writeFileSync(configFile, before);
    }
  });
});

describe("a list key given an unknown item", () => {
  it.each([
    ["all,bogus", `"sandbox_disable[1]" is "bogus": unknown value "bogus"; use one of: namespace, landlock, seccomp, permission, all`],
    ["bogus", `"sandbox_disable[0]" is "bogus": unknown value "bogus"; use one of:`],
  ])("%s names the item and the values it takes, not 'must be a list'", async (value, words) => {
    const result = await runCliInProcess(["config", "set", "sandbox_disable", value], { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(words);
    expect(result.stderr).not.toContain("must be a list");
  });
});

describe("a comma list with an empty item", () => {
  // `a,,b` was written as ["a","b"]: the slip went unseen, and the list written was not the one typed.
  it.each([
    ["pipeline_order", "path,,tags", `"pipeline_order[1]" is empty: item 2 of "path,,tags" has nothing in it`],
    ["pipeline_order", "path,tags,", `"pipeline_order[2]" is empty: item 3 of "path,tags," has nothing in it`],
    ["sandbox_disable", ",seccomp", `"sandbox_disable[0]" is empty: item 1 of ",seccomp" has nothing in it`],
    ["pipeline_order", '["path"," "]', `"pipeline_order[1]" is empty: item 2 of "[\\"path\\",\\" \\"]" has nothing in it`],
  ])("%s %s is refused naming the empty item (exit 2, config.json kept)", async (key, value, words) => {
    const before = fs.readFileSync(configFile, "utf8");
    const result = await runCliInProcess(["config", "set", key, value], { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(words);
    expect(fs.readFileSync(configFile, "utf8")).toBe(before);
  });

  it("spaces around items are still trimmed", async () => {
    await runCliInProcessOk(["config", "set", "pipeline_order", "path, tags"], { dataDir: data });
    expect(JSON.parse(fs.readFileSync(configFile, "utf8")).pipeline_order).toEqual(["path", "tags"]);
    await runCliInProcessOk(["config", "unset", "pipeline_order"], { dataDir: data });
  });
});

describe("a number key", () => {
  // `config set lock_wait_seconds 1e3` wrote 1000 while `--wait 1e3` was refused: one rule for a number typed, decimal digits.
  it.each([
    ["lock_wait_seconds", "1e3", "1000"],
    ["confidence_threshold", "7E1", "70"],
    ["openlibrary_rate_per_sec", "1e-1", "0.1"],
  ])("%s %s is refused as --wait refuses it (exit 2, config.json kept)", async (key, value, digits) => {
    const before = fs.readFileSync(configFile, "utf8");
    const result = await runCliInProcess(["config", "set", key, value], { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`"${key}" is "${value}": must be a number in decimal digits (${digits}, not ${value})`);
    expect(fs.readFileSync(configFile, "utf8")).toBe(before);
    const wait = await runCliInProcess(["config", "unset", key, "--wait", value], { dataDir: data });
    expect(wait.code).toBe(2);
    expect(wait.stderr).toContain("--wait must be a number of seconds");
  });

  it("takes decimal digits as --wait does, a leading zero too", async () => {
    await runCliInProcessOk(["config", "set", "lock_wait_seconds", "1000"], { dataDir: data });
    expect(JSON.parse(fs.readFileSync(configFile, "utf8")).lock_wait_seconds).toBe(1000);
    await runCliInProcessOk(["config", "set", "lock_wait_seconds", "07.5"], { dataDir: data });
    expect(JSON.parse(fs.readFileSync(configFile, "utf8")).lock_wait_seconds).toBe(7.5);
    await runCliInProcessOk(["config", "unset", "lock_wait_seconds"], { dataDir: data });
  });
});

describe("a folder path key given a line break or control character", () => {
  // `config set output_path "$(pbpaste)"` with a trailing line break was written, and apply made a folder named so.
  it.each([
    ["output_path", "sorted\nbooks", "character 7 is a line break (U+000A)"],
    ["output_path", "sorted\u001b[31m", "character 7 is a control character (U+001B)"],
    ["plugin_dir", "plugins\t", "character 8 is a tab (U+0009)"],
  ])("%s %j naming no folder is refused naming the character (exit 2, config.json kept)", async (key, value, words) => {
    const before = fs.readFileSync(configFile, "utf8");
    const result = await runCliInProcess(["config", "set", key, value], { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`"${key}" is ${JSON.stringify(value)}: must be a folder path, on one line: ${words}`);
    expect(fs.readFileSync(configFile, "utf8")).toBe(before);
  });

  it("a folder that exists under such a name is the user's own name: taken, as library add takes it", async () => {
    const odd = path.join(tmp, "sorted\nbooks");
    fs.mkdirSync(odd);
    await runCliInProcessOk(["config", "set", "output_path", odd], { dataDir: data });
    expect(JSON.parse(fs.readFileSync(configFile, "utf8")).output_path).toBe(odd);
    await runCliInProcessOk(["config", "unset", "output_path"], { dataDir: data });
  });
});
