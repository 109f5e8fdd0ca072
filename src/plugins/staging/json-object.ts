import fs from "node:fs";

/** A JSON object from text or a file; null for anything else (missing file, bad JSON, array, scalar). */
export function parseJsonObject(content: string | Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content.toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function readJsonObject(file: string): Record<string, unknown> | null {
  try {
    return parseJsonObject(fs.readFileSync(file));
  } catch {
    return null;
  }
}
