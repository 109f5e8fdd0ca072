/**
 * An option that takes one value, given twice with different values
 * (`--min-confidence 50 --min-confidence 90`, `--data-dir a books --data-dir b`):
 * commander keeps the last one without a word, so a script that appends an
 * option to a command line it did not read gets half of what it asked for.
 * Refused as bad input (exit 2) naming the option. The same value twice loses
 * nothing and is accepted; options documented as repeatable (`--set`,
 * `--unset`) take `repeatable` as their parser and collect every value.
 */
import type { Command, Option } from "commander";
import { EXIT } from "../app/exit-codes.js";
import { UserError } from "./errors.js";

export function refuseRepeatedOptions(root: Command): void {
  // By flag across the whole tree: `--data-dir` is both the program's and each command's option.
  const seen = new Map<string, string>();
  const visit = (command: Command) => {
    for (const option of command.options) {
      if (!takesOneValue(option)) continue;
      const flag = option.long ?? option.flags;
      command.on(`option:${option.name()}`, (value: unknown) => {
        const text = String(value);
        const first = seen.get(flag);
        if (first !== undefined && first !== text) {
          throw new UserError(`${flag} given twice ("${first}", then "${text}"): it takes one value, give it once`, EXIT.badInput);
        }
        seen.set(flag, text);
      });
    }
    for (const sub of command.commands) visit(sub);
  };
  visit(root);
}

/** The parser of an option that may be given many times: every value, in order (undefined when never given). */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function takesOneValue(option: Option): boolean {
  return (option.required || option.optional) && !option.variadic && option.parseArg !== repeatable;
}
