/**
 * Every command's help (`shelfwise COMMAND --help`), checked on the program
 * itself: every option says what it is for, and none shows commander's
 * `(default: [])` for a repeatable option.
 */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_DOCS } from "../../src/app/exit-codes.js";
import { buildProgram } from "../../src/cli/program.js";
import { USER_VALUE_LIMITS } from "../../src/domain/user-value.js";

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

  it("each command of the flow says what it does beyond its options: what comes next, its exit codes, Ctrl-C as it really is", () => {
    const program = buildProgram();
    const help = (name: string) => fullHelp(program, name);
    expect(help("scan")).toMatch(/Exit 1 when no library folder can be read, 3 when/);
    expect(help("scan")).toContain("Next: `shelfwise process`");
    // The first Ctrl-C drops the calls in flight (test/cli/interrupt.test.ts); it said the batch finished.
    expect(help("process")).toMatch(/calls in flight to plugins and web\s+sources are dropped and their books stay pending; answers already in are kept/);
    expect(help("process")).not.toMatch(/batch in flight/);
    expect(help("plan")).toContain("`shelfwise apply --dry-run`");
    expect(help("apply")).toMatch(/Without --yes it asks once on a terminal and refuses \(exit 2\)/);
    expect(help("undo")).toContain("`shelfwise book ID --unlock`");
    expect(help("history")).toContain("`shelfwise undo MOVE_ID`");
    // Every field's limit, as enforced (domain/user-value.ts).
    const book = help("book").replace(/\s+/g, " ");
    for (const [field, limit] of Object.entries(USER_VALUE_LIMITS)) expect(book).toMatch(new RegExp(`\\b${field}\\b[^;]* ${limit}\\b`));
  });
});

/** A command's help as printed: with the text after its options (commander keeps that in an event listener). */
function fullHelp(program: Command, name: string): string {
  const command = program.commands.find((c) => c.name() === name)!;
  let text = "";
  command.configureOutput({ writeOut: (t) => (text += t) });
  command.outputHelp();
  return text;
}
