/**
 * RLIMIT_FSIZE (plugin_configs.<id>.max_file_mb) where the helper native/build/sandbox-exec does not set
 * it: the helper is not built, predates --fsize, or is not in the chain because Landlock and the syscall
 * filter are both off. Node cannot set a resource limit on itself or on a child it spawns, so the runtime
 * is started through util-linux `prlimit`, which sets the limit (soft and hard: raising the hard one needs
 * CAP_SYS_RESOURCE) on itself and execs the command: same pid, same process group, and the limit is
 * inherited by everything the plugin starts, bwrap's sandbox included. The Python runner also sets it
 * itself (shelfwise_runner.py), so Python keeps the bound without prlimit; a Node plugin without either
 * has none, and its report says so.
 */
import { systemTool } from "../process/system-tool.js";

/** The prlimit binary, or null when there is none (not Linux, a minimal image). */
export const prlimitPath = systemTool(["/usr/bin/prlimit", "/bin/prlimit"]);

/** The command behind prlimit with RLIMIT_FSIZE at `mb` MB, or unchanged when prlimit is missing. */
export function withFileSizeLimit(file: string, args: string[], mb: number): { file: string; args: string[]; limited: boolean } {
  const prlimit = prlimitPath();
  if (!prlimit) return { file, args, limited: false };
  const bytes = mb * 1024 * 1024;
  return { file: prlimit, args: [`--fsize=${bytes}:${bytes}`, "--", file, ...args], limited: true };
}
