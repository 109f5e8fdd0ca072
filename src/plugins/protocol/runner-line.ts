/**
 * One line from a runner, as the host reads it: untrusted, so it is checked
 * before it costs anything. A line nested hundreds of thousands of levels deep
 * (`[[[[...]]]]`, within the 1 MiB cap) took JSON.parse seconds of the host's
 * event loop; it is refused by a linear scan first. Strings a runner sends
 * (errors, tracebacks) are clipped as the runners clip their own.
 */
import { RunnerMessage } from "./protocol.js";
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from "../../domain/json-depth.js";

/** Deeper than this, a line is not a message worth parsing: a result is a flat object. */
export const MAX_MESSAGE_DEPTH = MAX_JSON_DEPTH;
/** Lines shorter than this cannot cost much, however they nest. */
const DEPTH_SCAN_FROM = 4096;

export type RunnerLine =
  | { kind: "message"; message: RunnerMessage }
  /** A line that answers a call but cannot be used (too large, too deep); `seq` when its start names the call. */
  | { kind: "unusable"; seq: number | null; error: string }
  | { kind: "violation"; error: string };

/** Both runners start a result line with `{"type":"result","seq":N`: an unusable answer is still attributed. */
export function seqOf(head: string): number | null {
  const match = /^\{"type":\s*"result",\s*"seq":\s*(\d+)/.exec(head);
  return match ? Number(match[1]) : null;
}

export function parseRunnerLine(line: string): RunnerLine {
  if (line.length >= DEPTH_SCAN_FROM && jsonNestedDeeperThan(line, MAX_MESSAGE_DEPTH)) {
    return { kind: "unusable", seq: seqOf(line.slice(0, 64)), error: `result nested more than ${MAX_MESSAGE_DEPTH} levels deep` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { kind: "violation", error: `not JSON: ${line.slice(0, 80)}` };
  }
  const parsed = RunnerMessage.safeParse(raw);
  if (!parsed.success) return { kind: "violation", error: `malformed message: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  return { kind: "message", message: parsed.data };
}
