/**
 * Every command's help (`shelfwise COMMAND --help`), checked on the program
 * itself: every option says what it is for, and none shows commander's
 * `(default: [])` for a repeatable option.
 */
import fs from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_DOCS } from "../../src/app/exit-codes.js";
import { refuseExtraWords } from "../../src/cli/help-request.js";
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
    expect(help).toContain("--data-dir, --json, --quiet and --no-color go before or after the command");
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
    // undo --last sets aside a book moved away by hand and settles one moved back (output-path test): it said both were refused.
    const undo = help("undo").replace(/\s+/g, " ");
    expect(undo).toContain("set aside once (`set aside:`");
    expect(undo).toContain("`settled:`");
    expect(undo).not.toMatch(/is refused with the reason but not counted|by hand is refused/);
    // status names the layers waiting (plugins, built-in layers, HTTP sources); its help named only the disk check.
    expect(help("status").replace(/\s+/g, " ")).toContain("plugin_layers_waiting, layers_waiting");
    expect(help("plugins list").replace(/\s+/g, " ")).toMatch(/secrets \(granted, or whose they are\) and its manifest warnings/);
    expect(help("plugins logs").replace(/\s+/g, " ")).toContain("ID.log.1");
    expect(help("history")).toContain("`shelfwise undo MOVE_ID`");
    // The NOTE column holds left_behind's words and the errors (history.ts); --offset's last line names the range.
    expect(help("history").replace(/\s+/g, " ")).toMatch(/which files it left at the old place\. With --offset the last line says which moves are shown \(moves 11-20 of 57\)/);
    // apply and undo stop between chunks on Ctrl-C, and a move that left files behind says so (README); their help said neither.
    const apply = help("apply").replace(/\s+/g, " ");
    expect(apply).toContain("Ctrl-C stops between two chunks of moves: the books moved stay moved and are listed, the rest are not started (exit 130)");
    expect(apply).toMatch(/left files at the old place .*left_behind in --json/);
    expect(undo).toContain("Ctrl-C stops between two chunks: the books moved back stay so and are listed, the rest are not started (exit 130)");
    // plugins test shows what the plugin printed and exits 1 on a failed call (docs/plugins.md); its help had no word beyond its options.
    const pluginTest = help("plugins test").replace(/\s+/g, " ");
    expect(pluginTest).toContain("what it printed during the run");
    expect(pluginTest).toContain("Exit 1 when the call failed");
    expect(help("plugins validate").replace(/\s+/g, " ")).toContain("Exit 1 when it is not valid or cannot start");
    // Every field's limit, as enforced (domain/user-value.ts).
    const book = help("book").replace(/\s+/g, " ");
    for (const [field, limit] of Object.entries(USER_VALUE_LIMITS)) expect(book).toMatch(new RegExp(`\\b${field}\\b[^;]* ${limit}\\b`));
  });
});

describe("commander's own errors", () => {
  // README: errors, commander's own included, are one `shelfwise: ...` line; its hints were lines of their own.
  it.each([
    [["bokks"], "shelfwise: unknown command 'bokks' (did you mean books?); run with --help for usage\n"],
    [["plan", "--jsn"], "shelfwise: unknown option '--jsn' (did you mean --json?); run with --help for usage\n"],
    [["book"], "shelfwise: missing required argument 'id'; run with --help for usage\n"],
    // Commander checks required options before arguments: these named --title and --book, then the missing ID.
    [["sources", "test"], "shelfwise: missing required argument 'id'; run with --help for usage\n"],
    [["plugins", "test"], "shelfwise: missing required argument 'dir'; run with --help for usage\n"],
    [["sources", "test", "x"], "shelfwise: required option '--title <title>' not specified; run with --help for usage\n"],
    [["sources", "test", "x", "--titel", "T"], "shelfwise: unknown option '--titel' (did you mean --title?); run with --help for usage\n"],
  ])("%j is one line on stderr", async (argv, line) => {
    const program = buildProgram();
    let stderr = "";
    for (const command of commands(program)) command.configureOutput({ ...command.configureOutput(), writeErr: (text) => (stderr += text) });
    await expect(program.parseAsync(argv, { from: "user" })).rejects.toThrow();
    expect(stderr).toBe(line);
  });
});

describe("the README's command table", () => {
  // Both sides drift silently: a new option or command ships undocumented, or the table keeps one that was removed.
  const rows = readmeCommandRows();
  const program = buildProgram();
  const leaves = commands(program).filter((c) => c !== program && c.commands.length === 0 && c.name() !== "help");
  const GLOBAL = new Set(["--data-dir", "--help", "--version"]);

  it("has a row for every command, naming each of its options", () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const command of leaves) {
      const name = nameOf(command).replace(/^shelfwise /, "");
      const row = rows.filter((r) => r.names.includes(name));
      expect(row.length, `README command table: no row for \`${name}\``).toBeGreaterThan(0);
      const documented = row.flatMap((r) => r.options);
      for (const option of command.options) {
        if (option.long && !GLOBAL.has(option.long)) expect(documented, `README row of \`${name}\``).toContain(option.long);
      }
    }
  });

  it("names no command or option the program does not have", () => {
    const byName = new Map(leaves.map((c) => [nameOf(c).replace(/^shelfwise /, ""), c]));
    for (const row of rows) {
      for (const name of row.names) {
        const command = byName.get(name);
        expect(command, `README command table names \`${name}\``).toBeDefined();
      }
      const known = new Set(row.names.flatMap((name) => byName.get(name)!.options.map((o) => o.long)));
      for (const option of row.options) expect(known, `README row of \`${row.names.join(" / ")}\``).toContain(option);
    }
  });
});

describe("commands written in the README and docs/", () => {
  // A renamed or removed option keeps living in the prose (`process --rerun --layer X`) unless something reads it.
  it("give each command only options it has", () => {
    const program = buildProgram();
    const names = program.commands.map((c) => c.name());
    const docs = new URL("../../docs/", import.meta.url);
    const files = [new URL("../../README.md", import.meta.url), ...fs.readdirSync(docs).filter((f) => f.endsWith(".md")).map((f) => new URL(f, docs))];
    const wrong: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const match of fs.readFileSync(file, "utf8").matchAll(/`(?:shelfwise )?([a-z]+(?: [^`]*)?)`/g)) {
        const words = match[1]!.split(/\s+/);
        if (!names.includes(words[0]!)) continue;
        let command: Command = program;
        let i = 0;
        for (let sub; (sub = command.commands.find((c) => c.name() === words[i])); i++) command = sub;
        const known = new Set([...command.options, ...program.options].map((o) => o.long));
        for (const word of words.slice(i)) {
          const option = /^\[?(--[a-z][a-z-]*)/.exec(word)?.[1];
          if (option === undefined) continue;
          checked++;
          if (!known.has(option)) wrong.push(`${file.pathname.slice(new URL("../../", import.meta.url).pathname.length)}: \`${match[1]}\`: ${option}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });
});

/** The rows of the README's `| command | what it does |` table: the commands each names and the options in its first cell. */
function readmeCommandRows(): { names: string[]; options: string[] }[] {
  const lines = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8").split("\n");
  const start = lines.indexOf("| command | what it does |");
  const rows: { names: string[]; options: string[] }[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("| `")) break;
    const cell = line.slice(2, line.indexOf("` |") + 1);
    const spans = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const first = spans[0]!.split(" ").filter((w) => /^[a-z]+$/.test(w));
    const group = first.length > 1 && ["plugins", "sources", "library", "config", "secrets"].includes(first[0]!) ? first[0]! : null;
    const names = spans.filter((span) => /^[a-z]/.test(span)).map((span) => {
      const word = span.split(" ")[0]!;
      if (group && word !== group) return `${group} ${word}`;
      return group ? `${group} ${span.split(" ")[1]}` : word;
    });
    rows.push({ names, options: [...cell.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]) });
  }
  return rows;
}

/** A command's help as printed: with the text after its options (commander keeps that in an event listener). */
function fullHelp(program: Command, name: string): string {
  let command: Command = program;
  for (const part of name.split(" ")) command = command.commands.find((c) => c.name() === part)!;
  let text = "";
  command.configureOutput({ writeOut: (t) => (text += t) });
  command.outputHelp();
  return text;
}

describe("--help and --version beside words they do not take", () => {
  // They printed the help or the version and exited 0, ignoring the word: `status extra` and `help extra` are refused.
  const refusal = (argv: string[]): string | null => {
    try {
      refuseExtraWords(buildProgram(), argv);
      return null;
    } catch (error) {
      return (error as Error & { exitCode: number }).exitCode === 2 ? (error as Error).message : `exit ${String((error as { exitCode?: number }).exitCode)}`;
    }
  };
  it("a word that names no command, or one argument too many, is refused (exit 2); arguments the command takes are not", () => {
    for (const argv of [["--version", "extra"], ["-V", "extra"], ["extra", "--version"], ["--help", "extra"], ["-h", "extra"], ["--version", "--", "x"]]) {
      expect(refusal(argv), argv.join(" ")).toMatch(/^unknown command '(extra|x)'; `shelfwise --help` lists the commands$/);
    }
    expect(refusal(["plugins", "--help", "lst"])).toBe("unknown command 'lst' (did you mean list?); `shelfwise plugins --help` lists the commands");
    expect(refusal(["status", "--help", "extra"])).toBe("`shelfwise status` takes no arguments: 'extra' is one too many; `shelfwise help status` shows its help");
    expect(refusal(["book", "--help", "12", "13"])).toMatch(/^`shelfwise book` takes 1 argument \(id\): '13' is one too many/);
    for (const argv of [["--version"], ["--help"], ["status", "--version"], ["book", "--help", "12"], ["apply", "1", "2", "--help"], ["--data-dir", "x", "--version"], ["help", "book", "--data-dir", "d"], ["scan", "a", "b"]]) {
      expect(refusal(argv), argv.join(" ")).toBeNull();
    }
  });
});
