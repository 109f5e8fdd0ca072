/**
 * config.json and secrets.json are rewritten whole, so two processes each
 * reading and writing one back would lose what the other added. Every write
 * goes through app/settings-writes.ts, holding the data folder's lock, and
 * these are real processes racing for it: `serve` storing its access token
 * while another writer holds the lock, two `serve`s starting at once, and
 * child processes adding secrets at the same moment.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { changeSecrets } from "../../src/app/settings-writes.js";
import { tryAcquireDataLock } from "../../src/store/data-lock.js";
import { CLI_BIN } from "../support/cli.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const REPO = path.resolve(import.meta.dirname, "..", "..");
let tmp: string;
let counter = 0;
const children: ChildProcess[] = [];

beforeAll(() => {
  tmp = makeTempDir("settings-writers");
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => stop(child, "SIGKILL")));
});
afterAll(() => removeTempDir(tmp));

function dataDir(config: Record<string, unknown> = {}): string {
  const dir = path.join(tmp, `data-${++counter}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  return dir;
}

interface Served {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the output once it matches (rejects if the process exits first). */
  waitFor: (pattern: RegExp) => Promise<string>;
}

function serve(dir: string): Served {
  const child = spawn(process.execPath, [CLI_BIN, "serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SHELFWISE_DATA_DIR: "", NO_COLOR: "1" },
  });
  children.push(child);
  let text = "";
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  return {
    child,
    output: () => text,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => pattern.test(text) && resolve(text);
        waiters.push(check);
        check();
        child.once("exit", (code) => (pattern.test(text) ? resolve(text) : reject(new Error(`serve exited ${code} before ${pattern}:\n${text}`))));
      }),
  };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode);
    child.once("exit", (code, sig) => resolve(code ?? sig));
    child.kill(signal);
  });
}

const readSecrets = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8")) as Record<string, string>;
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const SERVING = /at http:\/\/\S+\/ \(Ctrl-C/;

describe("serve stores its access token as every writer writes", () => {
  it("waits while another process holds the data folder's lock, then keeps the secret that process saved", async () => {
    const dir = dataDir({ lock_wait_seconds: 60 });
    fs.writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ api_key: "first-secret-value" }), { mode: 0o600 });
    const before = fs.readFileSync(path.join(dir, "secrets.json"));
    const lock = tryAcquireDataLock(dir, "test writer")!;
    expect(lock).not.toBeNull();
    let released = false;
    try {
      const server = serve(dir);
      const text = await server.waitFor(new RegExp(`waiting up to 60 s for \`test writer\` \\(pid ${process.pid}|${SERVING.source}`));
      // Before the fix, serve wrote secrets.json at once, lock or not, from what it had read.
      expect(text).toMatch(/waiting up to 60 s for `test writer`.*to store the access token/);
      expect(fs.readFileSync(path.join(dir, "secrets.json"))).toEqual(before);
      // The holder saves a secret of its own meanwhile, then lets go.
      changeSecrets(dir, (secrets) => {
        secrets.other_key = "saved-while-serve-waited";
      });
      lock.release();
      released = true;
      await server.waitFor(SERVING);
      const token = /access token .*: (\S+)/.exec(server.output())![1]!;
      expect(readSecrets(dir)).toEqual({ api_key: "first-secret-value", other_key: "saved-while-serve-waited", web_token: token });
      expect(modeOf(path.join(dir, "secrets.json"))).toBe(0o600);
      expect(await stop(server.child, "SIGTERM")).toBe(0);
    } finally {
      if (!released) lock.release();
    }
  });

  it("gives up naming the holder when the lock stays taken past lock_wait_seconds; secrets.json untouched", async () => {
    const dir = dataDir({ lock_wait_seconds: 0 });
    fs.writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ api_key: "kept" }), { mode: 0o600 });
    const lock = tryAcquireDataLock(dir, "test writer")!;
    try {
      const server = serve(dir);
      // 'close', not 'exit': at 'exit' the server's output (checked below) may not all be read yet.
      const exited = new Promise<number | null>((resolve) => server.child.once("close", resolve));
      // Serving instead (before the fix: the token written under the holder's nose) fails at once.
      const outcome = await Promise.race([exited, server.waitFor(SERVING).then(() => "serving", () => "exited")]);
      expect(outcome, server.output()).toBe(1);
      expect(server.output()).toMatch(new RegExp(`another shelfwise command is writing to .*\\(pid ${process.pid}, \`test writer\``));
      expect(server.output()).not.toMatch(/\n\s+at /);
      expect(readSecrets(dir)).toEqual({ api_key: "kept" });
    } finally {
      lock.release();
    }
  });

  it("two serves started at once store one token, and both accept it", async () => {
    const dir = dataDir({ lock_wait_seconds: 60 });
    const servers = [serve(dir), serve(dir)];
    const texts = await Promise.all(servers.map((s) => s.waitFor(SERVING)));
    const printed = texts.flatMap((text) => [.../access token .*: (\S+)/.exec(text)?.slice(1) ?? []]);
    const stored = readSecrets(dir).web_token!;
    // One of them made it and showed it once; the other found it stored.
    expect(printed).toEqual([stored]);
    for (const text of texts) {
      const url = SERVING.exec(text)![0].replace(/^at /, "").replace(/\/ \(Ctrl-C$/, "").replace("0.0.0.0", "127.0.0.1");
      const answer = await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${stored}` } });
      expect(answer.status).toBe(200);
    }
    await Promise.all(servers.map((s) => stop(s.child, "SIGTERM")));
  });
});

describe("concurrent writers of secrets.json", () => {
  it("child processes adding secrets at the same moment lose none, and the file stays private", async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ user_secret: "typed-by-hand" }), { mode: 0o644 });
    const script = `
      import { changeSecrets } from ${JSON.stringify(path.join(REPO, "dist", "app", "settings-writes.js"))};
      import { DataLockBusyError } from ${JSON.stringify(path.join(REPO, "dist", "store", "data-lock.js"))};
      const [dir, who] = process.argv.slice(1);
      for (let i = 0; i < 10; i++) {
        for (;;) {
          try {
            changeSecrets(dir, (s) => { s[who + "_" + i] = "v" + i; });
            break;
          } catch (error) {
            if (!(error instanceof DataLockBusyError)) throw error;
            await new Promise((r) => setTimeout(r, 1));
          }
        }
      }`;
    const writers = ["a", "b", "c", "d"].map((who) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script, dir, who], { stdio: ["ignore", "ignore", "pipe"] });
      children.push(child);
      let stderr = "";
      child.stderr!.on("data", (chunk) => (stderr += chunk));
      return new Promise<void>((resolve, reject) => child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${who} exited ${code}: ${stderr}`)))));
    });
    await Promise.all(writers);
    const secrets = readSecrets(dir);
    expect(Object.keys(secrets)).toHaveLength(1 + 4 * 10);
    expect(secrets.user_secret).toBe("typed-by-hand");
    for (const who of ["a", "b", "c", "d"]) for (let i = 0; i < 10; i++) expect(secrets[`${who}_${i}`]).toBe(`v${i}`);
    expect(modeOf(path.join(dir, "secrets.json"))).toBe(0o600);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("two threads of one process writing config.json at once", () => {
  it("each write is whole and none fails: their temporary files never share a name (one pid, two copies of the writer)", async () => {
    const { Worker } = await import("node:worker_threads");
    const { builtModuleUrl } = await import("../support/built.js");
    const dir = dataDir();
    const file = path.join(dir, "config.json");
    const WRITES = 150;
    // Each worker loads its own copy of the module (a copy per thread, as a bundle beside a plugin's import is one
    // more), and both start on the same signal so that their writes overlap.
    const start = new Int32Array(new SharedArrayBuffer(4));
    const source = `
      const { workerData, parentPort } = require("node:worker_threads");
      import(workerData.module).then(({ writeJsonAtomic }) => {
        parentPort.postMessage("ready");
        Atomics.wait(workerData.start, 0, 0);
        const errors = [];
        for (let n = 0; n < workerData.writes; n++) {
          try { writeJsonAtomic(workerData.file, { writer: workerData.writer, n, pad: "x".repeat(4096) }); }
          catch (error) { errors.push(String(error && error.message)); }
        }
        parentPort.postMessage(errors);
      });`;
    const workers = [0, 1].map((writer) => new Worker(source, { eval: true, workerData: { module: builtModuleUrl("config/config-file.js"), file, writer, writes: WRITES, start } }));
    const messages = workers.map((worker) => {
      const queue: unknown[] = [];
      const waiting: ((value: unknown) => void)[] = [];
      worker.on("message", (message) => (waiting.length ? waiting.shift()!(message) : queue.push(message)));
      worker.once("error", (error) => waiting.shift()?.(error));
      return () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
    });
    // Each says "ready" once it has loaded the module, then waits for the start (already given: it goes at once).
    expect(await Promise.all(messages.map((next) => next()))).toEqual(["ready", "ready"]);
    Atomics.store(start, 0, 1);
    Atomics.notify(start, 0);
    const errors = ((await Promise.all(messages.map((next) => next()))) as string[][]).flat();
    await Promise.all(workers.map((worker) => worker.terminate()));
    expect(errors).toEqual([]);
    const last = JSON.parse(fs.readFileSync(file, "utf8")) as { writer: number; n: number };
    expect(last.n).toBe(WRITES - 1);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
