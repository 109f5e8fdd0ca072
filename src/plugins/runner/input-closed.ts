/**
 * The Node runner's exit status when the plugin closed the runner's input (stdin, the host's channel):
 * the runner can take no more calls, and the call the host sent meanwhile did nothing wrong. The host
 * (process/child.ts) then blames no call: the books still unanswered are sent again to a fresh process.
 * Only the runner exits with it: a plugin's own process.exit(86) (or exitCode 86) leaves with 1 (node-runner.ts).
 */
export const INPUT_CLOSED_STATUS = 86;

export const INPUT_CLOSED_ERROR = "the plugin closed its input (stdin), shelfwise's channel to it: a plugin must leave process.stdin and file descriptor 0 alone";
