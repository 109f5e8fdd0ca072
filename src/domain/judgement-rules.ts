/**
 * Bump whenever a change to the status rule (book-status.ts), to the confidence math (confidence.ts) or to how a
 * profile resolves (profile.ts) changes what a book with the same evidence shows: every stored book is then judged
 * again from its stored evidence at the next open (app/rejudge.ts), as a built-in layer's REVISIONS rerun it.
 * 2: a missing author or title counts at 0 and a book without an author is 0. A module of its own: every command
 * compares it at open, and book-status.ts loads the name parsing.
 * 3: a path author that another source names as the reader, beside another writer, counts as reader evidence
 * (profile.ts readerShelved: "Ray Porter/Project Hail Mary"), and then its reader claim that a source names as the
 * writer counts for the writer ("Kate Reading/Robert Jordan/Title").
 */
export const JUDGEMENT_RULES_REVISION = "judgement-3";
