/**
 * A path the user typed or wrote in config.json, made absolute. A leading `~`
 * is the home folder, as the shell would have made it: the shell leaves it
 * alone in `--data-dir=~/sw`, in a quoted `SHELFWISE_DATA_DIR="~/sw"` (a
 * systemd unit, a .env file) and in config.json, and a literal folder named
 * `~` in the current folder is never what was meant (and removing it with
 * `rm -rf ~` would be a disaster).
 */
import os from "node:os";
import path from "node:path";
import { ConfigError } from "./config-error.js";

/** `p` with a leading `~` or `~/` as the home folder, resolved against `base` (default: the current folder). */
export function userPath(p: string, base?: string): string {
  if (!/^~(?=$|[/\\])/.test(p)) return base === undefined ? path.resolve(p) : path.resolve(base, p);
  const home = homeFolder();
  if (home === null) {
    throw new ConfigError(`${p} starts with ~, but this user has no home folder (HOME is not set to a full path, and the system's user list names none): give the full path`);
  }
  return path.resolve(home + p.slice(1));
}

/**
 * The home folder: HOME when it is a full path, else the one the system's user list gives (what Node does with
 * HOME unset), else null. `HOME= shelfwise --data-dir ~/sw init` made `/sw` at the root of the file system (an
 * empty HOME read as the home folder ""), and a relative HOME would move with the current folder.
 */
export function homeFolder(): string | null {
  const home = os.homedir();
  if (path.isAbsolute(home)) return home;
  try {
    const listed = os.userInfo().homedir;
    if (path.isAbsolute(listed)) return listed;
  } catch {
    // No entry for this uid (a container's arbitrary user): no home folder at all.
  }
  return null;
}
