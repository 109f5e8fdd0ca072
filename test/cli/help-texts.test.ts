/**
 * Every command's help (`shelfwise COMMAND --help`), checked on the program
 * itself: every option says what it is for, and none shows commander's
 * `(default: [])` for a repeatable option.
 */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_DOCS } from "../../src/app/exit-codes.js";
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

  it("the program's help names every exit code and where global options go", () => {
    const program = buildProgram();
    let help = "";
    program.configureOutput({ writeOut: (text) => (help += text) });
    program.outputHelp();
    for (const { code } of EXIT_CODE_DOCS) expect(help).toMatch(new RegExp(`\\b${code} [a-z\`]`));
    expect(help).toContain("--data-dir and --json go before or after the command");
  });
});
