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

/** `p` with a leading `~` or `~/` as the home folder, resolved against `base` (default: the current folder). */
export function userPath(p: string, base?: string): string {
  const home = /^~(?=$|[/\\])/.test(p) ? os.homedir() + p.slice(1) : p;
  return base === undefined ? path.resolve(home) : path.resolve(base, home);
}
