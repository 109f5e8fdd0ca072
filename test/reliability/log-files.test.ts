/**
 * Logs are best effort, and whatever sits at a log's name cannot stop or
 * hijack a command: a pipe nobody reads (opening it would block for ever), a
 * folder, or a symbolic link planted to make shelfwise (often run as root)
 * append to a file elsewhere. In-process, on real files.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeLogger, logWritable, openLogger } from "../../src/app/logger.js";
import { openBoundedLog } from "../../src/plugins/process/bounded-log.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let counter = 0;
beforeAll(() => {
  tmp = makeTempDir("log-files");
});
afterAll(() => removeTempDir(tmp));

type Planted = "pipe" | "folder" | "link";

/** A logs folder whose `name` is taken by `what`; returns the folder and the file a link points to. */
function planted(name: string, what: Planted): { logs: string; victim: string } {
  const logs = path.join(tmp, `logs-${++counter}`);
  fs.mkdirSync(logs);
  const victim = path.join(tmp, `victim-${counter}`);
  fs.writeFileSync(victim, "untouched\n");
  const at = path.join(logs, name);
  if (what === "pipe") execFileSync("mkfifo", [at]);
  else if (what === "folder") fs.mkdirSync(at);
  else fs.symlinkSync(victim, at);
  return { logs, victim };
}

describe.each<Planted>(["pipe", "folder", "link"])("a %s where a log file belongs", (what) => {
  it("shelfwise.log: the command goes on at once, its lines dropped, nothing written elsewhere", () => {
    const { logs, victim } = planted("shelfwise.log", what);
    const log = openLogger(logs);
    log.error({ event: "command_failed" }, "a line");
    expect(logWritable(log)).toBe(false);
    closeLogger(log);
    expect(fs.readFileSync(victim, "utf8")).toBe("untouched\n");
  });

  it("a plugin's log: its output is dropped, nothing written elsewhere", () => {
    const { logs, victim } = planted("plug.log", what);
    const log = openBoundedLog(path.join(logs, "plug.log"));
    log.write("plugin output\n");
    log.note("started");
    log.close();
    expect(fs.readFileSync(victim, "utf8")).toBe("untouched\n");
  });
});
