/**
 * A schema's problems in the words a person fixes them by, the same wherever a setting is refused: config.json at
 * load, a command that writes it, and the web form's `POST /api/sources` (zod's own words, "Invalid input:
 * expected string, received number", are a programmer's, and the form said them while the file said "must be a
 * text in double quotes").
 */
import type { z } from "zod";
import { plainIssueMessage } from "../domain/plain-issue.js";

/** `http_sources[0].url_template`, as a person points at it. */
export function keyName(at: readonly PropertyKey[]): string {
  return at.map((part, n) => (typeof part === "number" ? `[${String(part)}]` : `${n > 0 ? "." : ""}${String(part)}`)).join("");
}

export function valueAt(raw: unknown, at: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let value: unknown = raw;
  for (const part of at) {
    if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, part)) return { present: false, value: undefined };
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return { present: true, value };
}

const KIND_WORDS: Record<string, string> = {
  string: "a text in double quotes",
  number: "a number",
  int: "a whole number",
  boolean: "true or false (no quotes)",
  array: "a list ([ ... ])",
  object: "an object ({ ... })",
  record: "an object ({ ... })",
  null: "null",
};

/** What a value of this kind must be: "must be a text in double quotes". */
export function kindWords(expected: unknown): string {
  return `must be ${KIND_WORDS[String(expected)] ?? String(expected)}`;
}

/** One problem's words, without the key; `given` is the value refused (zod leaves it out of its issues). */
export function issueWords(issue: z.core.$ZodIssue, given: unknown): string {
  if (issue.code === "invalid_type") return chosenWords(issue) ?? kindWords(issue.expected);
  if (issue.code === "invalid_format" && issue.format === "url") return "must be a URL (https://...)";
  if (issue.code === "invalid_value" && typeof given !== "string") return `must be one of: ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
  return plainIssueMessage(issue as Parameters<typeof plainIssueMessage>[0], given);
}

/** A schema's own words for a wrong kind ("must name a key of secrets.json"), kept over "must be a text". */
export function chosenWords(issue: z.core.$ZodIssue): string | null {
  return /^Invalid input\b/.test(issue.message) ? null : issue.message;
}

/**
 * Each key's first problem, for a form to show beside its field: `field` is the key's path below `raw` ("" for
 * the object itself), `message` what to fix ("is not given: required (or use a preset)"). Values are never
 * quoted: a definition may hold a key pasted where its name belongs.
 */
export function fieldProblems(error: z.ZodError, raw: unknown): { field: string; message: string }[] {
  const seen = new Set<string>();
  const problems: { field: string; message: string }[] = [];
  for (const issue of error.issues) {
    const field = keyName(issue.path);
    if (seen.has(field)) continue;
    seen.add(field);
    const given = valueAt(raw, issue.path);
    const words = issueWords(issue, given.value);
    problems.push({ field, message: issue.path.length > 0 && !given.present ? `is not given: ${words.replace(/^is /, "")}` : words });
  }
  return problems;
}
