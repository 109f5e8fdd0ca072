/**
 * The line a runner writes on stderr as a call starts while none runs (python/shelfwise_runner_core.py writes
 * the same bytes). stderr is one stream for the process's life, read beside the protocol channel with no order
 * between the two: the host could not tell which call wrote what, and a crash's reason quoted a line an earlier
 * call (one that answered fine) had written. The host takes the mark out of the log and starts the tail that
 * exit reasons quote from it (process/call-marks.ts). Written by the runner, not the host, so that a call's
 * output still in the pipe when its answer arrived stays before the mark.
 */
export const CALL_MARK = "\x1e[shelfwise: call starts]\x1e\n";
