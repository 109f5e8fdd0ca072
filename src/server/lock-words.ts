/**
 * The data folder's lock held by another process, said on a page: who holds it in plain words. The message
 * commands print names the holder as it recorded itself, in backticks (`` `serve: apply` ``, `` `apply` ``), and
 * the page's pass over command advice read a holder recorded as "shelfwise apply …" as "Apply on the Review page",
 * a button of this very page, while a command in a terminal held the lock.
 */
import { shownTime } from "../domain/time-text.js";
import type { LockHolder } from "../store/data-lock.js";

/** What the holder does, as its lock names it: another web app's job ("serve: apply"), or a command's name. */
function holderWords(holder: LockHolder): string {
  if (holder.command === "serve") return `another shelfwise web app (process ${holder.pid})`;
  if (holder.command.startsWith("serve: ")) return `another shelfwise web app (process ${holder.pid}), doing: ${holder.command.slice("serve: ".length)}`;
  return `another shelfwise program (process ${holder.pid}), doing: ${holder.command.replace(/^shelfwise /, "")}`;
}

export function lockBusyForPages(dataDir: string, holder: LockHolder | null): string {
  const who = holder ? `${holderWords(holder)}, since ${shownTime(holder.since)}` : "another shelfwise program";
  return `the data folder ${dataDir} is being written by ${who}; nothing was changed here: wait for it to finish, or stop it, and try again`;
}
