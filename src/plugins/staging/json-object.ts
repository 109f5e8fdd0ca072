import { readFileCapped } from "../read-capped.js";

/** A JSON object from text or a file; null for anything else (missing file, bad JSON, array, scalar). */
export function parseJsonObject(content: string | Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content.toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A package.json is small; anything over this is not one worth reading. */
const MAX_JSON_BYTES = 1024 * 1024;

export function readJsonObject(file: string): Record<string, unknown> | null {
  try {
    return parseJsonObject(readFileCapped(file, MAX_JSON_BYTES));
  } catch {
    return null;
  }
}
