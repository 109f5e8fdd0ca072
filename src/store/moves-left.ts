/**
 * A run of moves (`apply`, `undo`) that stopped on an error after its first intents were journaled: books may have
 * been renamed already, and the moves under way are left at 'intent' for the next command's recovery. The error says
 * so by this mark, so its words (app/environment-words.ts) do not claim the step in progress "was rolled back": what
 * was renamed stays renamed, and is settled from the disk.
 */
const MOVES_LEFT = Symbol("shelfwise.movesLeftToRecovery");

/** Marks `error` (when an object) as having stopped a run of moves after some were journaled; returns it. */
export function markMovesLeft<T>(error: T): T {
  if (error !== null && typeof error === "object" && Object.isExtensible(error)) {
    Object.defineProperty(error, MOVES_LEFT, { value: true, enumerable: false });
  }
  return error;
}

/** Whether `error` (or one of its causes) stopped a run of moves after some were journaled. */
export function leftMoves(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as Record<symbol, unknown>)[MOVES_LEFT] === true) return true;
  }
  return false;
}
