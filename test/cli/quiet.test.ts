/**
 * `--quiet` on the commands that print the most besides their result: `init` (its "next:" advice) and `serve`
 * (waiting, stopping, stopped). What was done, the address served and warnings are still printed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;

beforeAll(() => {
  tmp = makeTempDir("quiet");
  lib = path.join(tmp, "library");
  fs.mkdirSync(path.join(lib, "Ann Author", "A Book"), { recursive: true });
  fs.writeFileSync(path.join(lib, "Ann Author", "A Book", "01.mp3"), "ID3");
});
afterAll(() => removeTempDir(tmp));

describe("--quiet", () => {
  it("init and library add say what they did and leave the next step out; without --quiet it names it", async () => {
    const [quiet, loud] = await Promise.all([
      runCliInProcess(["init", lib, "--quiet"], { dataDir: path.join(tmp, "q") }),
      runCliInProcess(["-q", "init"], { dataDir: path.join(tmp, "q2") }),
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe(`initialized ${path.join(tmp, "q")} (library folder ${lib})\n`);
    expect(loud.stdout).not.toContain("next:");
    const plain = await runCliInProcess(["init"], { dataDir: path.join(tmp, "p") });
    expect(plain.stdout).toContain("next: `shelfwise scan LIBRARY`");
    // The same advice after `library add`.
    const added = await runCliInProcess(["library", "add", lib, "--quiet"], { dataDir: path.join(tmp, "q2") });
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added library folder .*\n$/);
  });

  it("serve prints the address it serves, not the stopping and stopped lines (a real process: the signal is what stops it)", async () => {
    const data = path.join(tmp, "q");
    const child = spawnCli(["serve", "--port", "0", "--quiet"], { dataDir: data });
    let stderr = "";
    const serving = new Promise<void>((resolve) =>
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        if (stderr.includes("shelfwise is serving")) resolve();
      }),
    );
    // 'close', not 'exit': at 'exit' the child's stderr may still hold lines not yet read.
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    await Promise.race([serving, exited]);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/^shelfwise is serving .* at http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C stops it\)\n$/);
  });
});
