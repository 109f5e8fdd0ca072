/**
 * The most common errors of a run, as `process` names them. Messages that
 * differ only in the book they name (its folder, or a file in it: "cannot
 * read tags of <book>/01.mp3: ...") are one error, shown by the first of
 * them; counted as written, a thousand books failing the same way read as a
 * thousand errors seen once each.
 */
export class ErrorTally {
  readonly #groups = new Map<string, { error: string; count: number }>();

  add(error: string | null | undefined, bookPath = ""): void {
    const message = error ?? "unknown error";
    const key = withoutBookPath(message, bookPath);
    const group = this.#groups.get(key);
    if (group) group.count++;
    else this.#groups.set(key, { error: message, count: 1 });
  }

  /** Up to `limit`, most frequent first (ties by message). */
  top(limit: number): { error: string; count: number }[] {
    return [...this.#groups.values()].sort((a, b) => b.count - a.count || (a.error < b.error ? -1 : a.error > b.error ? 1 : 0)).slice(0, limit).map((g) => ({ ...g }));
  }
}

/** `message` with the book's path, and the rest of a path under it (up to a colon), taken out. */
function withoutBookPath(message: string, bookPath: string): string {
  if (bookPath === "" || !message.includes(bookPath)) return message;
  return message
    .split(bookPath)
    .map((part, i) => (i === 0 ? part : part.replace(/^\/[^:]*/, "")))
    .join("\u0000");
}
