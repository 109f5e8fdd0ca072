/**
 * The data-folder lock: one writer at a time, the second told who holds it,
 * and a lock that dies with its process (kill -9 leaves nothing stale).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { acquireDataLock, DataLockBusyError, holdsDataLock, tryAcquireDataLock } from "../../src/store/data-lock.js";
import { builtModuleUrl } from "../support/built.js";
import { makeTempDir } from "../support/temp-dir.js";

// The other process runs the build of this module (dist/): the same code, without tsx to start.
const MODULE = builtModuleUrl("store/data-lock.js");

let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children = [];
});

/** A second process that takes the lock and keeps it until killed. */
async function holdInChild(dataDir: string, command: string): Promise<ChildProcess> {
  const code = `
    const { tryAcquireDataLock } = await import(${JSON.stringify(MODULE)});
    const lock = tryAcquireDataLock(${JSON.stringify(dataDir)}, ${JSON.stringify(command)});
    process.stdout.write(lock ? "held\\n" : "busy\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  expect(chunk.toString().trim()).toBe("held");
  return child;
}

describe("data-folder lock", () => {
  it("a writer starting while `status` looks at the lock (its probe holds it a moment) waits the moment out: no notice of a wait for `status`, and no busy error with --wait 0; a probe that keeps it is busy", async () => {
    const dir = makeTempDir("lock");
    const child = await holdInChild(dir, "status");
    const onWait = vi.fn();
    setTimeout(() => child.kill("SIGKILL"), 30);
    const lock = await acquireDataLock(dir, { command: "apply", waitMs: 0, onWait });
    expect(onWait).not.toHaveBeenCalled();
    lock.release();
    await holdInChild(dir, "status");
    const error = await acquireDataLock(dir, { command: "apply", waitMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLockBusyError);
  });

  it("refuses a second writer, naming the holder, and is free again once the holder is killed with SIGKILL", async () => {
    const dir = makeTempDir("lock");
    const child = await holdInChild(dir, "process");
    expect(tryAcquireDataLock(dir, "scan")).toBeNull();
    const error = await acquireDataLock(dir, { command: "scan", waitMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLockBusyError);
    expect((error as DataLockBusyError).holder).toMatchObject({ pid: child.pid, command: "process" });
    expect((error as Error).message).toContain(`pid ${child.pid}`);

    child.kill("SIGKILL");
    await once(child, "exit");
    const lock = tryAcquireDataLock(dir, "scan");
    expect(lock).not.toBeNull();
    lock!.release();
  });

  it("a waiting writer gets the lock when the holder exits within the wait, and is told it waits", async () => {
    const dir = makeTempDir("lock");
    const child = await holdInChild(dir, "apply");
    let told = 0;
    const waiting = acquireDataLock(dir, { command: "undo", waitMs: 10_000, pollMs: 20, onWait: () => told++ });
    setTimeout(() => child.kill("SIGKILL"), 100);
    const lock = await waiting;
    expect(told).toBe(1);
    expect(lock.holder.command).toBe("undo");
    lock.release();
  });

  it("waits as long as asked whatever the wall clock does: a clock set back an hour mid-wait does not make it wait an hour", async () => {
    const dir = makeTempDir("lock");
    const child = await holdInChild(dir, "process");
    // The machine's clock cannot be set here (and must not be, beside other work): Date is what jumps.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const started = performance.now();
      const waiting = acquireDataLock(dir, { command: "scan", waitMs: 300, pollMs: 20, onWait: () => vi.setSystemTime(Date.now() - 3_600_000) });
      // Waiting by the wall clock set back would wait an hour.
      const outcome = await Promise.race([waiting.then(() => "taken", (e: unknown) => e), new Promise((resolve) => setTimeout(() => resolve("still waiting after 30 s"), 30_000))]);
      expect(outcome).toBeInstanceOf(DataLockBusyError);
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      vi.useRealTimers();
      child.kill("SIGKILL");
    }
  });

  it("a clock set forward an hour mid-wait does not end the wait early", async () => {
    const dir = makeTempDir("lock");
    const child = await holdInChild(dir, "process");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      let polls = 0;
      const waiting = acquireDataLock(dir, {
        command: "scan",
        waitMs: 10_000,
        pollMs: 20,
        onWait: () => {
          vi.setSystemTime(Date.now() + 3_600_000);
          polls++;
        },
      });
      // Freed only well after the jump: a wait judged by the wall clock has given up by then.
      setTimeout(() => child.kill("SIGKILL"), 300);
      const lock = await waiting;
      expect(polls).toBe(1);
      lock.release();
    } finally {
      vi.useRealTimers();
      child.kill("SIGKILL");
    }
  });

  it("is reentrant within one process and released with the last handle", () => {
    const dir = makeTempDir("lock");
    const outer = tryAcquireDataLock(dir, "serve")!;
    const inner = tryAcquireDataLock(dir, "apply")!;
    expect(inner).not.toBeNull();
    inner.release();
    expect(holdsDataLock(dir)).toBe(true);
    outer.release();
    outer.release();
    expect(holdsDataLock(dir)).toBe(false);
    expect(fs.existsSync(path.join(dir, "shelfwise.lock.json"))).toBe(false);
  });
});

describe("the busy message", () => {
  it("names since when the holder writes in local time with its offset, not bare UTC", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Kolkata";
    try {
      const error = new DataLockBusyError("/data", { pid: 42, command: "process", since: "2026-12-01T20:00:00.000Z" });
      expect(error.message).toContain("(pid 42, `process`, since 2026-12-02 01:30:00 +05:30)");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
