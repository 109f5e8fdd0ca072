import { expect, it } from "vitest";
import { outputCollector } from "../../src/plugins/authoring/plugin-output.js";

it("starts the window of a plugin's output on a character: its first line began with U+FFFD", () => {
  const collector = outputCollector();
  // One long line of three-byte characters, then a shorter one: 64 KiB from the end falls inside a character.
  for (let i = 0; i < 3; i++) collector.copy(Buffer.from("€".repeat(30_000) + "\n", "utf8").toString("latin1"));
  collector.copy(Buffer.from("done 😀".repeat(100) + "\n", "utf8").toString("latin1"));
  const lines = collector.lines();
  expect(lines.join("\n")).not.toContain("\ufffd");
  expect(lines[0]).toMatch(/^€+\.\.\.$/);
  // A line cut for length never ends in half an emoji.
  expect(lines.at(-1)).not.toMatch(/[\ud800-\udbff]\.\.\.$/);
});
