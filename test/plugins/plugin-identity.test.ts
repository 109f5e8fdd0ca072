/**
 * A plugin's identity (the hash of its folder that decides whether it runs
 * again) reads the plugin author's files as untrusted: a symlink to a file
 * that never ends cannot hold `process`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const BUILT = fileURLToPath(new URL("../../dist/plugins/manager/plugin-identity.js", import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-identity-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function readable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

describe("pluginIdentity", () => {
  // /proc/kmsg looks like an empty regular file and never ends: read whole, it blocked for good (as root).
  it.runIf(readable("/proc/kmsg") && fs.existsSync(BUILT))("is computed at once for a folder holding a symlink to /proc/kmsg", () => {
    const folder = path.join(tmp, "kmsg");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "index.mjs"), "export default class {}");
    fs.symlinkSync("/proc/kmsg", path.join(folder, "notes.txt"));
    // In a child, with a bound: a read that blocks could not be interrupted in this process.
    const script = `const { pluginIdentity } = await import(${JSON.stringify(pathToFileURL(BUILT).href)}); console.log(pluginIdentity(process.argv[1], {}));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, folder], { encoding: "utf8", timeout: 15_000 });
    expect(run.signal, "pluginIdentity blocked reading /proc/kmsg").toBeNull();
    expect(run.stdout.trim()).toMatch(/^plugin:[0-9a-f]{32}$/);
  });
});
