/**
 * Every command's help (`shelfwise COMMAND --help`), checked on the program
 * itself: every option says what it is for, and none shows commander's
 * `(default: [])` for a repeatable option.
 */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";

function commands(root: Command): Command[] {
  return [root, ...root.commands.flatMap(commands)];
}

const nameOf = (command: Command): string => (command.parent ? `${nameOf(command.parent)} ${command.name()}` : command.name());

describe("help texts", () => {
  it("every option of every command has a description, and no empty-list default is shown", () => {
    const all = commands(buildProgram());
    expect(all.length).toBeGreaterThan(20);
    for (const command of all) {
      const help = command.helpInformation();
      expect(help, nameOf(command)).not.toContain("(default: [])");
      for (const option of command.options) expect(option.description.trim(), `${nameOf(command)} ${option.flags}`).not.toBe("");
    }
  });
});
