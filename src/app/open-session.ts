/**
 * Opening a session, its interrupted moves settled: what the web server and
 * in-process callers use. (The CLI opens it in two steps, src/cli/session.ts.)
 */
import { recoverAtOpen } from "../organize/recovery.js";
import { rejudgeIfChanged } from "./rejudge.js";
import { openSessionUnsettled, rejudgeAtOpen, settleInterruptedMoves, type Session, type SessionOptions } from "./session.js";

export function openSession(dataDir: string, options: SessionOptions = {}): Session {
  const session = openSessionUnsettled(dataDir, options);
  // Moves a crash interrupted are finished or rolled back before anything reads the books.
  settleInterruptedMoves(session, recoverAtOpen);
  rejudgeAtOpen(session, rejudgeIfChanged);
  return session;
}
