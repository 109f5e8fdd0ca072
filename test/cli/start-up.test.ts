/**
 * What every command's start relies on from the build (scripts/build-cli.mjs):
 * the bundle's zod is compiled from the V8 code cache the build wrote, not
 * parsed and compiled again (~15 ms of each command's CPU).
 */
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI_BIN } from "../support/cli.js";

const BUNDLE = pathToFileURL(CLI_BIN.replace(/bin[\\/]shelfwise\.js$/, "dist/bundle/cli.js")).href;

describe("command start-up", () => {
  it("compiles zod from the build's code cache", () => {
    const script = `const { main } = await import(${JSON.stringify(BUNDLE)});
      await main(["--version"]);
      console.log("zod cache: " + globalThis.__SHELFWISE_ZOD_CACHE__);`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(out).toMatch(/^\d+\.\d+\.\d+/);
    expect(out).toContain("zod cache: used");
  });
});
