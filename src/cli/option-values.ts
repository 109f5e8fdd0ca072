/**
 * Option values commander would take without a word, refused as bad input
 * (exit 2) naming the option, before anything is done.
 *
 * An empty value (`--layer "$LAYER"` with LAYER unset): read as "not given",
 * `process --layer "" --rerun` cleared and reran every layer, `books
 * --status ""` listed every book and `serve --host ""` bound every address.
 * No option here means anything by an empty value, and no argument either:
 * `scan "$LIBRARY"` with LIBRARY unset scanned the current folder and
 * remembered it as a library folder.
 *
 * An option that takes one value, given twice with different values
 * (`--min-confidence 50 --min-confidence 90`, `--data-dir a books --data-dir b`):
 * commander keeps the last one without a word, so a script that appends an
 * option to a command line it did not read gets half of what it asked for.
 * Refused as bad input (exit 2) naming the option. The same value twice loses
 * nothing and is accepted; options documented as repeatable (`--set`,
 * `--unset`) take `repeatable` as their parser and collect every value.
 */
import type { Command, Option } from "commander";
import { userPath } from "../config/user-path.js";
import { decimalNumber } from "./numbers.js";
import { EXIT } from "../app/exit-codes.js";
import { UserError } from "./errors.js";
import { quotedInput } from "../domain/quoted-input.js";

export function checkOptionValues(root: Command): void {
  // By flag across the whole tree: `--data-dir` is both the program's and each command's option.
  const seen = new Map<string, string>();
  const visit = (command: Command) => {
    for (const option of command.options) {
      const flag = option.long ?? option.flags;
      if (option.parseArg === repeatable) command.on(`option:${option.name()}`, (value: unknown) => refuseEmpty(flag, value));
      if (!takesOneValue(option)) continue;
      command.on(`option:${option.name()}`, (value: unknown) => {
        const text = refuseEmpty(flag, value);
        const first = seen.get(flag);
        if (first !== undefined && !sameValue(flag, first, text)) {
          throw new UserError(`${flag} given twice (${quotedInput(first, 4096)}, then ${quotedInput(text, 4096)}): it takes one value, give it once`, EXIT.badInput);
        }
        seen.set(flag, text);
      });
    }
    for (const sub of command.commands) visit(sub);
  };
  visit(root);
}

/** Before a command runs: an empty argument (`scan ""`) is refused like an empty option value. */
export function refuseEmptyArguments(command: Command): void {
  const registered = command.registeredArguments;
  command.args.forEach((arg, i) => {
    if (arg.trim() !== "") return;
    const argument = registered[Math.min(i, registered.length - 1)];
    const name = argument?.name() ?? "argument";
    // "Leave it out" only where it may be left out: `plugins new ""` or `config set "" 1` left out is a missing argument.
    const fix = argument?.required ? "give one" : "give a value (or leave it out)";
    throw new UserError(`an empty ${name} was given to \`${commandName(command)}\`: ${fix}`, EXIT.badInput);
  });
}

function commandName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Options whose values are numbers: `--limit 5 --limit 05` asks for one thing twice. */
const NUMERIC = new Set(["--last", "--limit", "--min-confidence", "--port", "--scan-every", "--wait"]);

/** The same value, spelled alike or not: a number in another spelling, the data folder by another path. */
function sameValue(flag: string, a: string, b: string): boolean {
  if (a === b) return true;
  if (NUMERIC.has(flag)) {
    const [x, y] = [decimalNumber(a), decimalNumber(b)];
    return Number.isFinite(x) && x === y;
  }
  if (flag === "--data-dir") return userPath(a) === userPath(b);
  return false;
}

function refuseEmpty(flag: string, value: unknown): string {
  const text = String(value);
  if (text.trim() === "") throw new UserError(`${flag} is empty: give a value (or leave the option out)`, EXIT.badInput);
  return text;
}

/** The parser of an option that may be given many times: every value, in order (undefined when never given). */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function takesOneValue(option: Option): boolean {
  return (option.required || option.optional) && !option.variadic && option.parseArg !== repeatable;
}
