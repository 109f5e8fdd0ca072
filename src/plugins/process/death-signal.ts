/**
 * Plugin processes die with shelfwise, even when shelfwise is killed with
 * SIGKILL and no exit hook runs. Node cannot set the Linux parent-death
 * signal itself. Where the helper native/build/sandbox-exec is built, its
 * --guard is the outermost link (sandbox/wall.ts): it sets the signal, checks
 * that shelfwise is still its parent, and kills every process of the plugin,
 * bwrap's sandbox included, when shelfwise goes. Without the helper, the
 * runner is started through util-linux `setpriv --pdeathsig KILL` and a shell
 * that checks its parent is still shelfwise (a signal set after the parent
 * died never comes: shelfwise killed right after the spawn) before it execs
 * the runtime (same pid, same process group); bwrap's sandbox pid 1 then still
 * sets its own signal late, unchecked. Where setpriv is missing (not Linux, a
 * minimal image) a plugin idle on its stdin still exits when shelfwise's end
 * of the pipe closes; only one busy in a loop would outlive a killed shelfwise.
 */
import { systemTool } from "./system-tool.js";

/** The setpriv binary to start runners through, or null when there is none. */
export const deathSignalLauncher = systemTool(["/usr/bin/setpriv", "/bin/setpriv"]);

/** $PPID is the shell's parent when it started, after setpriv set the signal: another pid means shelfwise is gone. */
const PARENT_CHECK = 'test "$PPID" = "$0" || exit 137; exec "$@"';

/** The command to spawn: the runtime itself, or the runtime behind setpriv and the parent check. */
export function withDeathSignal(file: string, args: string[]): { file: string; args: string[] } {
  const setpriv = deathSignalLauncher();
  if (!setpriv) return { file, args };
  return { file: setpriv, args: ["--pdeathsig", "KILL", "--", "/bin/sh", "-c", PARENT_CHECK, String(process.pid), file, ...args] };
}
