/**
 * A comma-separated list of book statuses (`identified,needs_attention`), as
 * `books`, `plan` and `apply --status` and the API's `status=` take it: one
 * rule, so the same words mean the same in the CLI and the web app. An empty
 * item (`identified,,new`, a trailing comma) is refused, not dropped: likely a
 * word lost while typing. Each caller words the refusal for its own users.
 */
export type StatusList =
  | { ok: true; statuses: string[] }
  | { ok: false; problem: "no_status" | "empty_item" }
  | { ok: false; problem: "unknown"; item: string };

export function readStatusList(text: string, valid: readonly string[]): StatusList {
  const items = text.split(",").map((s) => s.trim());
  if (items.every((s) => s === "")) return { ok: false, problem: "no_status" };
  if (items.includes("")) return { ok: false, problem: "empty_item" };
  const unknown = items.find((s) => !valid.includes(s));
  if (unknown !== undefined) return { ok: false, problem: "unknown", item: unknown };
  return { ok: true, statuses: [...new Set(items)] };
}
