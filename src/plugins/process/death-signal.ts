/**
 * Plugin processes die with shelfwise, even when shelfwise is killed with
 * SIGKILL and no exit hook runs. Node cannot set the Linux parent-death
 * signal itself, so the runner is started through util-linux `setpriv
 * --pdeathsig KILL`, which sets it and then execs the runtime (same pid, same
 * process group). Where setpriv is missing (not Linux, a minimal image) a
 * plugin idle on its stdin still exits when shelfwise's end of the pipe
 * closes; only one busy in a loop would outlive a killed shelfwise.
 */
import fs from "node:fs";

const CANDIDATES = ["/usr/bin/setpriv", "/bin/setpriv"];

let cached: string | null | undefined;

/** The setpriv binary to start runners through, or null when there is none. */
export function deathSignalLauncher(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.platform !== "linux") return cached;
  for (const candidate of CANDIDATES) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      cached = candidate;
      break;
    } catch {
      // not here
    }
  }
  return cached;
}

/** The command to spawn: the runtime itself, or the runtime behind setpriv. */
export function withDeathSignal(file: string, args: string[]): { file: string; args: string[] } {
  const setpriv = deathSignalLauncher();
  return setpriv ? { file: setpriv, args: ["--pdeathsig", "KILL", "--", file, ...args] } : { file, args };
}
