/**
 * A switch given a value (`--json=false`, `--quiet=0`, `apply --yes=no`): commander reads it as an unknown option,
 * and the refusal then listed the known options, the very one typed among them. It says the switch takes no value.
 */
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli-in-process.js";

describe("a switch given a value", () => {
  it.each([
    [["books", "--quiet=false"], "--quiet"],
    [["books", "--json=true"], "--json"],
    [["--json=1", "books"], "--json"],
    [["apply", "--yes=no"], "--yes"],
    [["plan", "--wide=0"], "--wide"],
    [["status", "--no-color=1"], "--no-color"],
  ])("%j is refused (exit 2) saying the switch takes no value", async (args, option) => {
    const result = await runCliInProcess([...args, "--data-dir", "/nonexistent/shelfwise-data"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`shelfwise: ${option} takes no value (got "${args.find((a) => a.includes("="))}"): give ${option} alone to switch it on, or leave it out; run with --help for usage\n`);
  });

  it("an unknown option with a value is still named as unknown", async () => {
    const result = await runCliInProcess(["books", "--bogus=1", "--data-dir", "/nonexistent/shelfwise-data"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^shelfwise: unknown option '--bogus=1' \(books takes /);
  });
});

describe("an empty required argument", () => {
  it.each([
    [["plugins", "new", ""], "an empty id was given to `plugins new`: give one"],
    [["config", "set", "", "1"], "an empty key was given to `config set`: give one"],
    [["book", " "], "an empty id was given to `book`: give one"],
  ])("%j is refused saying to give one, not to leave it out (left out, it is missing)", async (args, words) => {
    const result = await runCliInProcess([...args, "--data-dir", "/nonexistent/shelfwise-data"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`shelfwise: ${words}\n`);
  });
});
