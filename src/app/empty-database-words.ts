/**
 * The warning about a shelfwise.db found empty (0 bytes) and made a new database in (app/session.ts), in one place
 * for the CLI and the web app: the same sentence, but a page's user acts on the running server, not before "any
 * other command", and the restore README describes needs that server stopped (it holds the database open).
 */
export function emptyDatabaseWarning(database: string, words: "cli" | "page"): string {
  const before = words === "cli" ? "before any other command" : "before anything else: stop this server (Ctrl-C where it runs), put the file back, then start it again";
  return `${database} was empty (0 bytes), so a new, empty database was made in it. A first command killed before it wrote anything leaves that, and then nothing is lost; but if this data folder already held your books, corrections and move history, something emptied the file: restore shelfwise.db from a backup (README: "Backing up and restoring the database") ${before}`;
}
