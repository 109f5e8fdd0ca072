/**
 * What shelfwise's egress proxy sends on a refused silent tunnel before closing
 * it: this mark, the reason, a newline. Shared by the proxy and the node runner
 * (which may load only files next to it). No server starts its answer with a
 * NUL, this name and a NUL.
 */
export const SILENT_REFUSAL_MARK = "\0shelfwise-refused\0";
