/**
 * `shelfwise help plugins list` and `shelfwise plugins help list`: help for
 * the command the words name, however deep. Commander's own help command
 * takes one word only (it showed `plugins`' help for `help plugins list`) and
 * answers a word that names no command with the whole program's help on
 * stderr, without saying which word was wrong.
 */
import type { Command } from "commander";
import { closestName } from "../domain/closest-name.js";
import { EXIT } from "../app/exit-codes.js";
import { UserError } from "./errors.js";

/**
 * The command whose help `argv` asks for with a `help` word, or null when
 * argv is no such request (commander handles `--help` and everything else).
 * Throws a UserError (exit 2) for a word that names no command.
 */
export function helpRequest(program: Command, argv: readonly string[]): Command | null {
  let command = program;
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") return null;
    if (word.startsWith("-")) {
      // An option's value is not a command word: `--data-dir help help` is a folder named help.
      const option = command.options.find((o) => o.long === word || o.short === word);
      if (option && (option.required || option.optional)) i++;
      continue;
    }
    if (word === "help") break;
    const sub = findCommand(command, word);
    // A command without subcommands takes its own arguments (`book help` is a book id).
    if (!sub || sub.commands.length === 0) return null;
    command = sub;
  }
  if (i >= argv.length) return null;
  const rest = argv.slice(i + 1);
  for (let j = 0; j < rest.length; j++) {
    const word = rest[j]!;
    if (word.startsWith("-")) {
      // `help apply --data-dir DIR`: the folder is the option's value, not a command word.
      if (takesValue(command, word)) j++;
      continue;
    }
    const sub = findCommand(command, word);
    if (!sub && command !== program && command.commands.length === 0) {
      // `help books extra`: books has no subcommands, so "`shelfwise books --help` lists the commands" sent the
      // user to a help that lists none.
      throw new UserError(`\`shelfwise ${commandPath(command)}\` takes no subcommand ('${word}'); \`shelfwise help ${commandPath(command)}\` shows its help`, EXIT.badInput);
    }
    if (!sub) {
      const names = command.commands.map((c) => c.name()).filter((n) => n !== "help");
      const close = closestName(word, names);
      const where = command === program ? "" : ` ${commandPath(command)}`;
      throw new UserError(
        `unknown command '${word}'${close ? ` (did you mean ${close}?)` : ""}; \`shelfwise${where} --help\` lists the commands`,
        EXIT.badInput,
      );
    }
    command = sub;
  }
  return command;
}

/** Whether `word` is an option (of `command`, a command above it, or every command's --data-dir) given its value in the next word. */
function takesValue(command: Command, word: string): boolean {
  if (word.includes("=")) return false;
  if (word === "--data-dir") return true;
  for (let c: Command | null = command; c; c = c.parent) {
    const option = c.options.find((o) => o.long === word || o.short === word);
    if (option) return option.required || option.optional;
  }
  return false;
}

function findCommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * The program or command group `argv` names without a subcommand (bare
 * `shelfwise`, `shelfwise plugins`), or null. Such a call did nothing, so it
 * exits 2 (a script whose subcommand went missing must not pass), but what the
 * person sees is the help they were after, on stdout as `--help` prints it, so
 * `shelfwise | less` works (git does the same for a bare `git`). Anything else
 * on the line (an unknown option, `--help`, `--version`) is left to commander.
 */
export function bareGroup(program: Command, argv: readonly string[]): Command | null {
  let command = program;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") return null;
    if (word.startsWith("-")) {
      const name = word.split("=")[0]!;
      let option;
      for (let c: Command | null = command; c && !option; c = c.parent) option = c.options.find((o) => o.long === name || o.short === name);
      if (!option || option.long === "--help" || option.long === "--version") return null;
      if ((option.required || option.optional) && !word.includes("=")) i++;
      continue;
    }
    const sub = findCommand(command, word);
    if (!sub || sub.commands.length === 0) return null;
    command = sub;
  }
  return command.commands.length > 0 ? command : null;
}

/**
 * `--help` and `--version` end the run before commander counts the arguments, so `shelfwise --version extra`
 * printed the version and `shelfwise --help extra` the whole help, exit 0, where `shelfwise status extra` and
 * `shelfwise help extra` are refused: a word that names no command, or one more than the command takes, is
 * refused (exit 2) beside them too, in the words `help` uses. Words after `--` are the command's arguments.
 */
export function refuseExtraWords(program: Command, argv: readonly string[]): void {
  let command = program;
  let asked = false;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith("-") && word !== "-") {
      const name = word.split("=")[0]!;
      if (name === "--help" || name === "-h" || name === "--version" || name === "-V") asked = true;
      else if (takesValue(command, word)) i++;
      continue;
    }
    const sub = words.length === 0 ? findCommand(command, word) : undefined;
    if (sub) command = sub;
    else words.push(word);
  }
  if (!asked || words.length === 0) return;
  const word = words[0]!;
  if (command.commands.length > 0) {
    const names = command.commands.map((c) => c.name()).filter((n) => n !== "help");
    const close = closestName(word, names);
    const where = command === program ? "" : ` ${commandPath(command)}`;
    throw new UserError(`unknown command '${word}'${close ? ` (did you mean ${close}?)` : ""}; \`shelfwise${where} --help\` lists the commands`, EXIT.badInput);
  }
  const takes = command.registeredArguments;
  if (takes.some((argument) => argument.variadic) || words.length <= takes.length) return;
  const extra = words[takes.length]!;
  const what = takes.length === 0 ? "no arguments" : `${takes.length} argument${takes.length === 1 ? "" : "s"} (${takes.map((a) => a.name()).join(", ")})`;
  throw new UserError(`\`shelfwise ${commandPath(command)}\` takes ${what}: '${extra}' is one too many; \`shelfwise help ${commandPath(command)}\` shows its help`, EXIT.badInput);
}
