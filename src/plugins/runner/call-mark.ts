/**
 * The line a runner writes on stderr as a call starts while none runs (python/shelfwise_runner_core.py writes
 * the same bytes). stderr is one stream for the process's life, read beside the protocol channel with no order
 * between the two: the host could not tell which call wrote what, and a crash's reason quoted a line an earlier
 * call (one that answered fine) had written. The host takes the mark out of the log and starts the tail that
 * exit reasons quote from it (process/call-marks.ts). Written by the runner, not the host, so that a call's
 * output still in the pipe when its answer arrived stays before the mark.
 *
 * `token` is random per process, sent in the init message (stdin, out of the plugin's reach): a fixed mark let
 * a plugin print it and cut its own earlier lines out of its crash's reason (or pass for idle, child.ts).
 */
export function callMark(token: string): string {
  return `\x1e[shelfwise: call starts ${token}]\x1e\n`;
}
