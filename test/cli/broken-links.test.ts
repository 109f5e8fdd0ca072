/**
 * A folder given through a symbolic link that leads nowhere (a link to a drive not mounted, a link to itself):
 * the link is what to fix, not a typo. `init --data-dir LINK` said the data folder was "gone (removed or renamed
 * while shelfwise ran?)", exit 1; `scan LINK` and `library add LINK` said it "does not exist".
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess, runCliInProcessOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let data: string;
let loop: string;
let dangling: string;

beforeAll(async () => {
  tmp = makeTempDir("broken-links");
  data = path.join(tmp, "data");
  fs.mkdirSync(path.join(tmp, "library", "Ann Author", "Book"), { recursive: true });
  fs.writeFileSync(path.join(tmp, "library", "Ann Author", "Book", "01.mp3"), "x");
  await runCliInProcessOk(["init", path.join(tmp, "library")], { dataDir: data });
  loop = path.join(tmp, "loop");
  fs.symlinkSync(loop, loop);
  dangling = path.join(tmp, "usb");
  fs.symlinkSync(path.join(tmp, "not-mounted"), dangling);
});
afterAll(() => removeTempDir(tmp));

describe("a library folder given through a broken link", () => {
  it.each([
    ["scan", () => ["scan", loop], () => `library folder ${loop} is a symbolic link that leads back to itself (a link loop)`],
    ["scan", () => ["scan", dangling], () => `library folder ${dangling} is a symbolic link to ${path.join(tmp, "not-mounted")}, which does not exist (a drive not mounted?`],
    ["scan", () => ["scan", path.join(dangling, "Audiobooks")], () => `lies below ${dangling}, a symbolic link to ${path.join(tmp, "not-mounted")}, which does not exist`],
    ["library add", () => ["library", "add", dangling], () => `${dangling} is a symbolic link to ${path.join(tmp, "not-mounted")}, which does not exist`],
    ["library add", () => ["library", "add", path.join(loop, "x")], () => `lies below a symbolic link that leads back to itself (a link loop)`],
  ])("%s names the link and where it leads (exit 2, nothing remembered)", async (_name, args, words) => {
    const before = fs.readFileSync(path.join(data, "config.json"), "utf8");
    const result = await runCliInProcess(args(), { dataDir: data });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(words());
    expect(result.stderr).not.toMatch(/does not exist; give|is not an existing folder/);
    expect(fs.readFileSync(path.join(data, "config.json"), "utf8")).toBe(before);
  });
});

describe("a data folder given through a broken link", () => {
  it.each([
    [["init"], () => loop, "is a symbolic link that leads back to itself (a link loop)"],
    [["init"], () => dangling, "is a symbolic link to"],
    [["init"], () => path.join(dangling, "shelfwise"), `lies below`],
    [["status"], () => dangling, "is a symbolic link to"],
    [["scan", "LIB"], () => loop, "is a symbolic link that leads back to itself"],
  ])("%j refuses it as bad input naming the link (not a folder gone while it ran)", async (args, dir, words) => {
    const argv = args.map((a) => (a === "LIB" ? path.join(tmp, "library") : a));
    const result = await runCliInProcess(argv, { dataDir: dir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^shelfwise: the data folder .* \(given with --data-dir\) /);
    expect(result.stderr).toContain(words);
    expect(result.stderr).not.toContain("gone");
    expect(fs.existsSync(path.join(tmp, "not-mounted"))).toBe(false);
  });
});

describe("plugin_dir through a link loop", () => {
  it("names the link, not Node's 'too many symbolic links encountered'", async () => {
    const configFile = path.join(data, "config.json");
    const before = fs.readFileSync(configFile, "utf8");
    fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(before), plugin_dir: loop }));
    try {
      const result = await runCliInProcess(["plugins", "list"], { dataDir: data });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the plugin folder ${loop} is a symbolic link that leads back to itself (a link loop)`);
      expect(result.stderr).not.toContain("too many symbolic links");
    } finally {
      fs.writeFileSync(configFile, before);
    }
  });
});
