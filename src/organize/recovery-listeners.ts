/**
 * Who hears of moves settled at a database's opening (organize/recovery.ts).
 * A module of its own, importing nothing, so the CLI can listen from its
 * first line without loading the journal, the store and better-sqlite3 for
 * commands that never open a database (`--version`, `help`).
 */
import type { RecoveredMove } from "./types.js";

type Listener = (recovered: RecoveredMove[]) => void;
const listeners = new Set<Listener>();

/** Called whenever opening a database settled interrupted moves (the CLI prints them, the server logs them). */
export function onRecovery(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function tellRecovered(recovered: RecoveredMove[]): void {
  if (recovered.length > 0) for (const listener of listeners) listener(recovered);
}
