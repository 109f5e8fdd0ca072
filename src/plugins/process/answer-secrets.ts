/**
 * An answer with the plugin's secrets kept out: masked in its error, and a
 * field whose name or value holds one dropped (with one warning) rather than
 * stored as evidence, shown in `book` and sent to pages. The warning names a
 * few of the dropped fields, each cut short: a plugin answering with 100,000
 * such keys, or one a megabyte long, is one short line.
 */
import type { SecretMask } from "../../domain/secret-mask.js";
import type { CallResult } from "./supervisor.js";

const MAX_NAMED = 5;
const MAX_NAME_CHARS = 40;

export function withoutSecrets(result: Omit<CallResult, "duration_ms">, secrets: SecretMask): Omit<CallResult, "duration_ms"> {
  if (secrets.forms.length === 0) return result;
  const out = { ...result };
  if (out.error !== undefined) out.error = secrets.text(out.error);
  const data = out.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return out;
  const record = data as Record<string, unknown>;
  const kept: [string, unknown][] = [];
  const dropped: string[] = [];
  // Object.keys, not Object.entries: on an answer of 100,000 keys, entries took V8 seconds (keys: milliseconds).
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (secrets.holds(key) || holdsSecret(value, secrets)) dropped.push(key);
    else kept.push([key, value]);
  }
  if (dropped.length === 0) return out;
  out.data = Object.fromEntries(kept);
  (out.warnings ??= []).push(droppedWarning(dropped, secrets));
  return out;
}

function droppedWarning(keys: string[], secrets: SecretMask): string {
  const named = keys.slice(0, MAX_NAMED).map((key) => {
    const shown = secrets.text(key);
    return JSON.stringify(shown.length > MAX_NAME_CHARS ? `${shown.slice(0, MAX_NAME_CHARS)}…` : shown);
  });
  const more = keys.length > MAX_NAMED ? ` and ${keys.length - MAX_NAMED} more` : "";
  const one = keys.length === 1;
  return `dropped field${one ? "" : "s"} ${named.join(", ")}${more}: ${one ? "its name or value holds" : "their names or values hold"} one of the plugin's secrets`;
}

function holdsSecret(value: unknown, secrets: SecretMask, depth = 0): boolean {
  if (typeof value === "string") return secrets.holds(value);
  if (depth > 4 || value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return Object.keys(record).some((key) => secrets.holds(key) || holdsSecret(record[key], secrets, depth + 1));
}
