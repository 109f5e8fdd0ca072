/**
 * A setup file of the shared project (vitest.config.ts): files there run one after another in a worker process,
 * so a variable a file sets in process.env and leaves behind is seen by every later file in that worker (a
 * TMPDIR, a sandbox switched off, a secret meant to be kept from plugins). A file may set variables while its
 * tests run; this fails the file whose tests left process.env other than they found it.
 */
import { afterAll, beforeAll } from "vitest";

let before: Record<string, string | undefined> = {};
beforeAll(() => {
  before = { ...process.env };
});
afterAll(() => {
  const changed = [...new Set([...Object.keys(before), ...Object.keys(process.env)])].filter((name) => before[name] !== process.env[name]).sort();
  if (changed.length > 0) {
    // Put back, so the next file in this worker starts from the same environment; then say which were left.
    for (const name of changed) {
      if (before[name] === undefined) delete process.env[name];
      else process.env[name] = before[name];
    }
    throw new Error(`this file left process.env changed (${changed.join(", ")}): a shared worker's next files would see it; save and restore what a test sets`);
  }
});
