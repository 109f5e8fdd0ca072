/**
 * A count with its noun in the right number: "1 error", "2 errors",
 * "0 books". The one place every printed count gets its noun from, so that
 * no message says "1 errors" or "2 book".
 */

/** The noun for `n` things: `plural` defaults to `singular` + "s" (give it for "copies", "folders or files"). */
export function noun(n: number, singular: string, plural = `${singular}s`): string {
  return n === 1 ? singular : plural;
}

/** `n` and its noun: counted(1, "error") is "1 error", counted(3, "error") "3 errors". */
export function counted(n: number, singular: string, plural?: string): string {
  return `${n} ${noun(n, singular, plural)}`;
}
