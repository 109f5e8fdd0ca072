/**
 * Logs are best effort, and whatever sits at a log's name cannot stop or
 * hijack a command: a pipe nobody reads (opening it would block for ever), a
 * folder, or a symbolic link planted to make shelfwise (often run as root)
 * append to a file elsewhere. In-process, on real files.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeLogger, logWritable, openLogger } from "../../src/app/logger.js";
import { LOG_HEADER, openBoundedLog } from "../../src/plugins/process/bounded-log.js";
import { builtModuleUrl } from "../support/built.js";
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

describe("a plugin's log written by two processes at once", () => {
  // Each writer opens the log, says "ready", and writes its lines once told to: both hold the file when
  // either rotates it, as a `serve` and a `process` of the same plugin do.
  const WRITER = `
    import { openBoundedLog } from ${JSON.stringify(builtModuleUrl("plugins/process/bounded-log.js"))};
    const [file, tag, count, maxBytes] = process.argv.slice(1);
    const log = openBoundedLog(file, { maxBytes: Number(maxBytes), windowBytes: 1 << 30 });
    log.write(tag + " open\\n");
    process.stdout.write("ready\\n");
    process.stdin.once("data", () => {
      for (let i = 0; i < Number(count); i++) log.write(tag + " line " + String(i).padStart(6, "0") + " ......\\n");
      log.close();
      process.exit(0);
    });
  `;

  function writer(file: string, tag: string, count: number, maxBytes: number): { proc: ChildProcess; ready: Promise<void>; done: Promise<number | null> } {
    const proc = spawn(process.execPath, ["--input-type=module", "-e", WRITER, file, tag, String(count), String(maxBytes)], { stdio: ["pipe", "pipe", "inherit"] });
    const ready = new Promise<void>((resolve, reject) => {
      proc.stdout!.once("data", () => resolve());
      proc.once("exit", (code) => reject(new Error(`writer ${tag} exited (${code}) before it was ready`)));
    });
    const done = new Promise<number | null>((resolve) => proc.once("exit", resolve));
    return { proc, ready, done };
  }

  it("rotates by the file's real size: one rotation, no line lost or left behind in a file that was rotated away", async () => {
    const logs = path.join(tmp, `logs-${++counter}`);
    fs.mkdirSync(logs);
    const file = path.join(logs, "plug.log");
    const maxBytes = 20_000;
    // Half full already: each writer counting only its own lines rotated late, and the second rotation put
    // the first one's fresh file over `.1`, which held both writers' lines since the seed.
    fs.writeFileSync(file, `${LOG_HEADER}\n${"seed ......................................\n".repeat(220)}`);
    const count = 600; // 2 x 600 lines of 26 bytes: the seed and both fit in the log and its `.1`, after one rotation
    const writers = [writer(file, "A", count, maxBytes), writer(file, "B", count, maxBytes)];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.proc.stdin!.end("go\n");
    expect(await Promise.all(writers.map((w) => w.done))).toEqual([0, 0]);

    const current = fs.readFileSync(file, "utf8");
    const rotated = fs.readFileSync(file + ".1", "utf8");
    const lines = (current + rotated).split("\n");
    for (const tag of ["A", "B"]) {
      const seen = new Set(lines.filter((line) => line.startsWith(`${tag} line `)));
      expect(seen.size, `lines of writer ${tag} kept`).toBe(count);
    }
    expect(lines.filter((line) => line.startsWith("seed ")).length).toBe(220);
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(maxBytes);
    expect(fs.existsSync(file + ".rotating")).toBe(false);
  });
});

describe("a plugin's log opened by several processes at once", () => {
  // Each opener waits for a file name on stdin, opens that log at the same instant as the others (a start time
  // they spin to), writes one line and closes it: many rounds in the same processes make the race likely.
  const OPENER = `
    import { openBoundedLog } from ${JSON.stringify(builtModuleUrl("plugins/process/bounded-log.js"))};
    const tag = process.argv[1];
    let buffered = "";
    process.stdin.on("data", (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf("\\n")) >= 0) {
        const [file, at] = buffered.slice(0, end).split("\\t");
        buffered = buffered.slice(end + 1);
        while (performance.timeOrigin + performance.now() < Number(at));
        const log = openBoundedLog(file, { windowBytes: 1 << 30 });
        log.write(tag + " wrote\\n");
        log.close();
        process.stdout.write("done\\n");
      }
    });
    process.stdout.write("ready\\n");
  `;

  it("an older log is set aside once (its lines kept in .1), and a fresh log gets its header once", async () => {
    const logs = path.join(tmp, `logs-${++counter}`);
    fs.mkdirSync(logs);
    const tags = ["A", "B", "C", "D"];
    const openers = tags.map((tag) => spawn(process.execPath, ["--input-type=module", "-e", OPENER, tag], { stdio: ["pipe", "pipe", "inherit"] }));
    const answers = openers.map((proc) => {
      let pending: (() => void)[] = [];
      let count = 0;
      proc.stdout!.on("data", (chunk: Buffer) => {
        count += chunk.toString().split("\n").length - 1;
        while (count > 0 && pending.length > 0) {
          count--;
          pending.shift()!();
        }
      });
      return () => new Promise<void>((resolve) => {
        if (count > 0) {
          count--;
          resolve();
        } else pending.push(resolve);
      });
    });
    try {
      await Promise.all(answers.map((next) => next()));
      const rounds = 20;
      for (let round = 0; round < rounds; round++) {
        const file = path.join(logs, `p${round}.log`);
        const older = round % 2 === 0;
        if (older) fs.writeFileSync(file, `[shelfwise 2026-01-01T00:00:00.000Z] started p (pid 7)\nold line ${round}\n`);
        const at = Date.now() + 20;
        for (const proc of openers) proc.stdin!.write(`${file}\t${at}\n`);
        await Promise.all(answers.map((next) => next()));
        const current = fs.readFileSync(file, "utf8").split("\n");
        expect(current.filter((line) => line === LOG_HEADER), `header lines in round ${round}`).toHaveLength(1);
        expect(current[0]).toBe(LOG_HEADER);
        expect(current.filter((line) => / wrote$/.test(line)).sort(), `lines in round ${round}`).toEqual(tags.map((tag) => `${tag} wrote`));
        if (older) expect(fs.readFileSync(file + ".1", "utf8"), `older log of round ${round}`).toContain(`old line ${round}\n`);
        else expect(fs.existsSync(file + ".1")).toBe(false);
      }
      expect(fs.readdirSync(logs).filter((name) => !/^p\d+\.log(\.1)?$/.test(name))).toEqual([]);
    } finally {
      for (const proc of openers) proc.kill();
    }
  });
});

describe("a rotation claim left by a process killed mid-rotation, the clock set back since", () => {
  it("is taken over as stale at once, not after the clock catches up: the log stays bounded", () => {
    const logs = path.join(tmp, `logs-${++counter}`);
    fs.mkdirSync(logs);
    const file = path.join(logs, "plug.log");
    const maxBytes = 8_000;
    // The killed rotation had removed the log's name: its claim is the old log, a file of its own; a new log grew since.
    fs.writeFileSync(file + ".rotating", `${LOG_HEADER}\nthe rotated lines\n`);
    fs.writeFileSync(file, `${LOG_HEADER}\n${"before ..........................\n".repeat(200)}`);
    // An hour back (NTP correcting a clock that ran ahead): the claim was made "in the future". Waiting for its
    // age to pass 10 s waited that hour, the log growing past its bound all along.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3_600_000 });
    try {
      const log = openBoundedLog(file, { maxBytes });
      for (let i = 0; i < 300; i++) log.write(`line ${i} ..........................\n`);
      log.close();
    } finally {
      vi.useRealTimers();
    }
    expect(fs.statSync(file).size).toBeLessThanOrEqual(maxBytes);
    expect(fs.existsSync(file + ".rotating")).toBe(false);
    expect(fs.readFileSync(file, "utf8")).toContain("line 299 ");
  });
});

describe("a plugin's output limit per second, the clock set back mid-run", () => {
  it("the window still ends after its second: output after it is kept, not dropped until the clock catches up", () => {
    const logs = path.join(tmp, `logs-${++counter}`);
    fs.mkdirSync(logs);
    const file = path.join(logs, "plug.log");
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: Date.now() });
    try {
      const log = openBoundedLog(file, { windowMs: 1000, windowBytes: 1000 });
      log.write(`${"x".repeat(990)}\n`);
      log.write("over the limit\n");
      vi.setSystemTime(Date.now() - 3_600_000);
      vi.advanceTimersByTime(1_100);
      log.write("a second later\n");
      log.close();
    } finally {
      vi.useRealTimers();
    }
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("over the limit");
    expect(text).toContain("a second later");
  });
});
