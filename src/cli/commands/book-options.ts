/**
 * Book ids and `--status` as books, plan and apply read them; apart from
 * organize-common.ts so `books` does not load the organizer (plans, moves).
 */
import { readStatusList } from "../../domain/status-list.js";
import { PLANNABLE_STATUSES } from "../../organize/types.js";
import { UserError } from "../errors.js";
import { quotedInput } from "../../domain/quoted-input.js";
import { didYouMean } from "../../domain/closest-name.js";

export function unknownBookMessage(ids: readonly number[]): string {
  return `no book with id ${ids.join(", ")}; \`shelfwise books\` lists them`;
}

/**
 * `--status a,b`: one parser for books, plan and apply, so the same words mean
 * the same there. `valid` is what the command can use (a plan never moves a
 * missing book); `forWhat` says why a status valid elsewhere is refused here.
 */
export function parseStatuses(text: string | undefined, valid: readonly string[] = PLANNABLE_STATUSES, forWhat = " for a plan"): string[] | undefined {
  if (text === undefined) return undefined;
  const list = readStatusList(text, valid);
  if (list.ok) return list.statuses;
  // `--status ,` (or " , "): no status at all would list or plan nothing and say so, a lie.
  if (list.problem !== "unknown") {
    const what = list.problem === "no_status" ? "names no status" : "has an empty item";
    throw new UserError(`--status ${what} (got ${quotedInput(text)}); give one or more of: ${valid.join(", ")}, comma-separated`, 2);
  }
  // "locked" reads as a status in the web app's lists and in `status`, but it is a mark beside one: the way on is to unlock.
  if (list.item.toLowerCase() === "locked") {
    throw new UserError(
      `"locked" is no status${forWhat}: a locked book (\`book ID --lock\`, or moved back by \`undo\`) keeps its status, and plans leave it out (\`shelfwise plan\` names them in its last line); \`shelfwise book ID --unlock\` lets plans propose it again; statuses are: ${valid.join(", ")}`,
      2,
    );
  }
  throw new UserError(`unknown status ${quotedInput(list.item)}${forWhat}${didYouMean(list.item, valid)}; use one of: ${valid.join(", ")}`, 2);
}
