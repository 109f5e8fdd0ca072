/**
 * The Node runner's exit status when the plugin closed the runner's input (stdin, the host's channel):
 * the runner can take no more calls, and the call the host sent meanwhile did nothing wrong. The host
 * (process/child.ts) then blames no call: the books still unanswered are sent again to a fresh process.
 * Only the runner exits with it: a plugin's own process.exit(86) (or exitCode 86) leaves with 1 (node-runner.ts).
 */
export const INPUT_CLOSED_STATUS = 86;

export const INPUT_CLOSED_ERROR = "the plugin closed its input (stdin), shelfwise's channel to it: a plugin must leave process.stdin and file descriptor 0 alone";

/** Why a batch's books left were not run: the plugin closed its input again (supervisor.ts), at every call, likely. */
export function inputClosedAgain(times: number): string {
  return `not run: ${INPUT_CLOSED_ERROR}; it did so in ${times} processes of this batch, so the batch's books left were not sent to another`;
}

/**
 * Why a book was not run: the plugin's last processes each closed their input after at most one call, across
 * batches (supervisor.ts). One-book batches (`batch_size: 1`, `serve` taking books as they come) cost a process
 * per book otherwise, without end: every answer was `ok`, so the failure count never reached auto-disable.
 */
export function inputClosedInARow(times: number): string {
  return `not run: ${INPUT_CLOSED_ERROR}; its last ${times} processes did so in a row, so no other is started for it until the plugin is loaded again (a new run, or in serve a change to the plugin or its re-enabling)`;
}

/** As inputClosedInARow, for processes that also ended between calls (exited after answering, wrote while idle). */
export function lostInARow(times: number, last: string): string {
  return `not run: the plugin's last ${times} processes in a row ended on their own with no call to blame (the last: ${last}), so no other is started for it until the plugin is loaded again (a new run, or in serve a change to the plugin or its re-enabling)`;
}

/**
 * The Python runner's exit status when plugin code closed one of the runner's own descriptors (its private
 * copies of the protocol pipes: `os.closerange(0, N)`, a daemonizing library): it can neither answer nor
 * log (stderr is usually closed with them), so the status says it. Blamed on the call running, as any crash.
 */
export const CHANNEL_CLOSED_STATUS = 87;

export const CHANNEL_CLOSED_ERROR =
  "the plugin closed shelfwise's channel to its runner (a file descriptor it did not open, as os.closerange() or a daemonizing library does): a plugin may close only the files it opened";
