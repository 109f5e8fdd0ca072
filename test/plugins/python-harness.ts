/**
 * Drives python/shelfwise_runner.py directly over real pipes (stdin for host
 * messages, fd 3 for runner messages), validating every message it sends with
 * the protocol's zod schema. Used by the python-*.test.ts files.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { RunnerMessage, type HostMessage, type InitMessage, type PluginBook } from "../../src/plugins/protocol/protocol.js";
import type { LaunchSpec } from "../../src/plugins/plugin-types.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { initMessage } from "../../src/plugins/process/supervisor.js";

const tempDirs: string[] = [];
const runners: RunnerHandle[] = [];

/** Writes a plugin (relative path -> content) into a fresh temp folder. */
export function writePlugin(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-pyplugin-"));
  tempDirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** Kills leftover runners and removes temp folders; call from afterEach. */
export function cleanupRunners(): void {
  for (const runner of runners.splice(0)) runner.kill();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function makeBook(bookId: number, over: Partial<PluginBook> = {}): PluginBook {
  return {
    book_id: bookId,
    path: `/library/Author ${bookId}/Title ${bookId}`,
    library_root: "/library",
    current_author: `Author ${bookId}`,
    current_title: `Title ${bookId}`,
    current_narrator: null,
    current_series: null,
    current_series_num: null,
    current_year: null,
    current_language: null,
    status: "pending",
    reason: "not identified yet: new, or changed since it was last identified",
    confidence: 0,
    profile: {},
    files: [{ path: `/library/Author ${bookId}/Title ${bookId}/01.mp3`, size: 1234 }],
    tags: null,
    verification_layer: 0,
    ...over,
  };
}

export function launchSpec(folder: string, over: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    plugin_id: "py-test",
    runtime: "python",
    folder,
    entry: path.join(folder, "layer.py"),
    class_name: null,
    config: {},
    secrets: {},
    allowed_hosts: [],
    readPaths: [],
    dataDir: folder,
    logFile: path.join(folder, "plugin.log"),
    memoryMb: 0,
    timeoutSeconds: 30,
    setupTimeoutSeconds: 30,
    ...over,
  };
}

export interface RunnerHandle {
  child: ChildProcess;
  send(message: HostMessage): void;
  /** Next fd-3 message (schema-validated); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<RunnerMessage>;
  /** Resolves with the next message or null if none arrives within `ms`. */
  silentFor(ms: number): Promise<RunnerMessage | null>;
  /** Sends init built from the spec, with optional overrides. */
  init(over?: Partial<InitMessage>): void;
  batch(books: PluginBook[], firstSeq?: number): void;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function startRunner(spec: LaunchSpec): RunnerHandle {
  const { file, args, env } = pythonLauncher.command(spec);
  const child = spawn(file, args, { env, cwd: spec.dataDir, stdio: ["pipe", "pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stdout!.on("data", (d) => (stderr += `[stdout!] ${d}`));
  child.stderr!.on("data", (d) => (stderr += d));
  const queue: RunnerMessage[] = [];
  const waiters: ((m: RunnerMessage) => void)[] = [];
  let buffered = "";
  const channel = child.stdio[3] as Readable;
  channel.setEncoding("utf8");
  channel.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      // Every message must satisfy the protocol schema, or the test fails here.
      const message = RunnerMessage.parse(JSON.parse(line));
      // A call's start, which the host's process layer takes for itself (child.ts): no test here waits on one.
      if (message.type === "started") continue;
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // "close", not "exit": by then stderr is fully read.
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const stdin = child.stdin as Writable;
  stdin.on("error", () => {}); // the runner may exit before reading everything
  const take = (ms: number): Promise<RunnerMessage | null> => {
    const ready = queue.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const waiter = (m: RunnerMessage) => {
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        resolve(null);
      }, ms);
      waiters.push(waiter);
    });
  };
  const handle: RunnerHandle = {
    child,
    send: (message) => stdin.write(JSON.stringify(message) + "\n"),
    async next(timeoutMs = 60_000) {
      const message = await take(timeoutMs);
      if (!message) throw new Error(`no runner message within ${timeoutMs} ms; stderr:\n${stderr}`);
      return message;
    },
    silentFor: (ms) => take(ms),
    init(over = {}) {
      handle.send({ ...initMessage(spec), ...over });
    },
    batch(books, firstSeq = 1) {
      handle.send({ type: "batch", books: books.map((book, i) => ({ seq: firstSeq + i, book })) });
    },
    stderr: () => stderr,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  runners.push(handle);
  return handle;
}

/** Polls until `check` holds (output on separate pipes arrives in any order); throws after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts a runner for a plugin folder and waits for `ready`. */
export async function startReady(folder: string, over: Partial<LaunchSpec> = {}): Promise<RunnerHandle> {
  const runner = startRunner(launchSpec(folder, over));
  runner.init();
  const first = await runner.next();
  if (first.type !== "ready") throw new Error(`expected ready, got ${JSON.stringify(first)}\n${runner.stderr()}`);
  return runner;
}

/** Library Manager style layer.py from a class body (indented 4 spaces). */
export function lmPlugin(body: string, header = ""): string {
  return `from library_manager.plugin_loader import BasePlugin\n${header}\n\nclass TestPlugin(BasePlugin):\n    name = "Test"\n${body}\n`;
}
