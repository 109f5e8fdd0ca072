/**
 * The suite's file order (test/support/sequencer.ts): vitest keeps a shared
 * worker process for the next file only when the next file in its queue
 * shares workers too, so the files that share come after all the others:
 * mixed by duration alone, the shared files started a new worker (and loaded
 * their modules again) almost every other file.
 */
import { expect, it } from "vitest";
import { slowestFirst } from "./support/file-order.js";

it("puts every isolated file before every shared one, each group slowest first, unknown durations first", () => {
  const files = [
    { name: "shared-slow", seconds: 60, shared: true },
    { name: "isolated-fast", seconds: 1, shared: false },
    { name: "shared-fast", seconds: 0.1, shared: true },
    { name: "isolated-new", seconds: Infinity, shared: false },
    { name: "isolated-slow", seconds: 30, shared: false },
    { name: "shared-new", seconds: Infinity, shared: true },
  ];
  expect(slowestFirst(files).map((f) => f.name)).toEqual([
    "isolated-new",
    "isolated-slow",
    "isolated-fast",
    "shared-new",
    "shared-slow",
    "shared-fast",
  ]);
});
