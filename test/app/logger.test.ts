/**
 * shelfwise's own log (src/app/logger.ts): a line is on disk when the call
 * returns (pino is loaded on the first line, synchronously), secrets are
 * blanked, and a log folder that cannot be written never stops a command.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { closeLogger, logWritable, openLogger } from "../../src/app/logger.js";

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

test("each line is written before the call returns, as one JSON object with the time, level and fields", () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-log-"));
  const log = openLogger(path.join(dir, "logs"));
  const file = path.join(dir, "logs", "shelfwise.log");
  log.info({ event: "scan", found: 3 }, "library scanned");
  expect(lines(file)).toMatchObject([{ level: 30, event: "scan", found: 3, msg: "library scanned", pid: process.pid }]);
  log.warn({ event: "plugin_not_loaded", plugin: "x" }, "bad manifest");
  log.error({ event: "command_failed" }, "boom");
  const written = lines(file);
  expect(written.map((l) => l.level)).toEqual([30, 40, 50]);
  expect(Date.parse(String(written[0]!.time))).not.toBeNaN();
  expect(logWritable(log)).toBe(true);
  closeLogger(log);
  log.info({ event: "late" }, "after close");
  expect(lines(file)).toHaveLength(3);
});

test("secrets are blanked if anything ever logs them", () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-log-"));
  const log = openLogger(dir);
  log.info({ event: "oops", secrets: { api_key: "hunter2" }, plugin: { secret: "s3cret" } }, "careless");
  closeLogger(log);
  const text = fs.readFileSync(path.join(dir, "shelfwise.log"), "utf8");
  expect(text).not.toMatch(/hunter2|s3cret/);
  expect(text).toContain("[redacted]");
});

test("a log folder that cannot be created drops lines and says so, without throwing", () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-log-"));
  const blocker = path.join(dir, "not-a-folder");
  fs.writeFileSync(blocker, "");
  const log = openLogger(path.join(blocker, "logs"));
  expect(() => log.info({ event: "scan" }, "library scanned")).not.toThrow();
  expect(logWritable(log)).toBe(false);
  closeLogger(log);
});
