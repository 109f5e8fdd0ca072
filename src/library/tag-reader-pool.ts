/**
 * Reads files' tags in worker threads, a couple of files per thread at once,
 * and stops a thread whose file takes too long or too much memory.
 *
 * Why threads: music-metadata's parsers have loops a crafted file of a few
 * MB drives for minutes, and no bound on the input catches every one of
 * them. Measured on this 2-core machine (under load): an ID3v2 tag of 5
 * million tiny frames took 149 s and 1.5 GB, blocking the event loop
 * throughout (no progress line, no Ctrl-C); a FLAC comment block of 1.8
 * million entries 115 s and 2 GB; a 4 MB FLAC of a million empty padding
 * blocks 164 s; an 8 MB WAV of a million empty chunks 290 s. In a thread, a
 * file gets FILE_TIMEOUT_MS (of CPU time) and MEMORY_MB, then the thread is stopped and the
 * file is read once more, alone, with twice the time; stopped again, it is
 * reported as unreadable; the run and the other files go on. A
 * thread also keeps the parsing off the thread that writes the database, so
 * on two cores tags are read while results are stored.
 *
 * The clock is the thread's, not the main thread's: a file's time runs from
 * when the thread stamped that it took the file up, and before a file is
 * blamed the messages waiting from its thread are read. The main thread's
 * timers fire late, and before the messages a thread sent meanwhile are
 * delivered, whenever it is busy (a long synchronous step, a GC pause, a
 * loaded NAS): judged then, a healthy file whose answer sat in the queue was
 * blamed, and a rescan gave another answer. Where the kernel tells a
 * thread's CPU time and its wait for a CPU (Linux:
 * /proc/self/task/TID/schedstat), the limit is of the thread's CPU time: on
 * a loaded machine a thread starved of CPU is slow, not its file (its disk
 * reads, on libuv's threads, are starved too). A thread awake that long
 * without parsing, waiting on the disk (a dead network mount), is stopped at
 * AWAKE_LIMITS times the limit. Elsewhere the limit is of wall time. What is
 * left (a GC pause in the thread, a busy NAS elsewhere) is what the second,
 * longer try is for.
 *
 * If a thread cannot start at all (its module missing from a partial
 * install), files are read inline, as before threads: a run never loses its
 * tags to the pool.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileTags } from "./file-tags.js";
import { readFileTagsInline as readFileTags } from "./tags.js";
import type { TagJob, TagWorkerMessage } from "./tag-worker.js";

/** A thread silent this long is stuck (it beats every second: tag-worker.ts HEARTBEAT_MS). */
const STUCK_AFTER_MS = 3_000;

export interface TagReaderPoolOptions {
  /** Threads at most. */
  size: number;
  /** A file's read is stopped after this long (its thread with it), counted on the thread's clock. */
  fileTimeoutMs?: number;
  /** The limit of the second try of a file stopped at fileTimeoutMs (default twice that). */
  retryTimeoutMs?: number;
  /** Heap limit of each thread. */
  memoryMb?: number;
  /** An idle thread ends after this long (a server between runs keeps none). */
  idleMs?: number;
  /** The thread's code (tests give one that never starts, to check the inline fallback). */
  workerSource?: WorkerSource;
  /** A thread silent this long is stuck (default STUCK_AFTER_MS; tests with stand-in threads that never beat shorten it). */
  stuckAfterMs?: number;
}

export const FILE_TIMEOUT_MS = 30_000;
export const MEMORY_MB = 512;
const IDLE_MS = 10_000;

/** Ms since the epoch on a monotonic base: the same scale as a thread's stamps (tag-worker.ts). */
const now = (): number => performance.timeOrigin + performance.now();
const START_LIMIT_MS = 60_000;

interface Job extends TagJob {
  resolve(tags: FileTags): void;
  reject(error: Error): void;
  /** When its thread said it started the file (on the thread's clock, `now()`): its time runs from then. */
  startedAt?: number;
  timer?: NodeJS.Timeout;
  /** Its thread's CPU use and wait for a CPU when it started the file (undefined where not known). */
  schedAtStart?: Sched;
  /** The limit the first try was stopped at, in words (for the second try's message). */
  firstHit?: string;
  /** Stopped once at the first limit already: this read is the second try, alone, with the longer limit. */
  retried?: boolean;
  /**
   * Threads stopped while this file was one of several in hand, when which
   * one was to blame could not be told. A suspect is read alone next time,
   * where a stop names it for certain.
   */
  lost?: number;
}

/** A job suspected this often without being cleared fails (a guard; reading alone settles it first). */
const MAX_LOST = 3;

/**
 * A thread and the jobs in hand, which it reads at once: one file's reads
 * overlap another's parsing (one at a time read ~30% fewer books per second),
 * and the next file is already there when one ends.
 */
interface Slot {
  worker: Worker;
  ready: boolean;
  jobs: Job[];
  /** Reading one suspect file, and nothing else, until it ends. */
  solo: boolean;
  /** When the thread last said anything (stamped by the thread when it can): a thread that speaks is not stuck. */
  lastMessage: number;
  /** The thread's id in the kernel, when it could tell (Linux). */
  tid?: number;
  /** Added to the thread's stamps, to put them on this thread's clock (at most the least delay seen). */
  skew?: number;
  startTimer?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
}

/** Files a thread has in hand at once. */
const DEPTH = 2;

export interface WorkerSource {
  code: string | URL;
  eval: boolean;
}

/**
 * The worker module beside this one: `.js` when built (dist/library, or the
 * CLI bundle, whose build makes tag-worker.js an entry of its own). Run from
 * the sources (tests, benchmarks), the worker's TypeScript is bundled once
 * per process with esbuild (a development dependency) into the package's
 * node_modules/.cache: a thread loading the sources through tsx cost seconds
 * of CPU each. Its packages are bundled in too, as the CLI bundle's are: a
 * thread importing music-metadata's hundred-odd modules from node_modules
 * took ~185 ms of CPU to start against ~115 ms for one file, and a test
 * process starts tens of threads (every stop starts another); bundling them
 * costs esbuild ~0.2 CPU-s once per process instead of ~0.03.
 */
export async function defaultWorkerSource(): Promise<WorkerSource> {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { code: new URL("./tag-worker.js", here), eval: false };
  // Once per process: every pool (each scan or process run in one test process) asked esbuild again.
  bundledFromSources ??= bundleFromSources(here).catch((error: unknown) => {
    bundledFromSources = undefined;
    throw error;
  });
  return bundledFromSources;
}

let bundledFromSources: Promise<WorkerSource> | undefined;

async function bundleFromSources(here: string): Promise<WorkerSource> {
  const { build } = (await import("esbuild")) as typeof import("esbuild");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./tag-worker.ts", here))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Bundled CommonJS packages call require() for node's built-in modules (as in scripts/build-cli.mjs).
    banner: { js: "import { createRequire as __shelfwiseRequire } from 'node:module'; const require = __shelfwiseRequire(import.meta.url);" },
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  // Only ever run from src/library: the package's node_modules is two folders up.
  const dir = fileURLToPath(new URL("../../node_modules/.cache/shelfwise/", here));
  const file = path.join(dir, `tag-worker-${crypto.createHash("sha1").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    // Written whole, then renamed: test processes running at once may make the same file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, file);
  }
  return { code: pathToFileURL(file), eval: false };
}

export class TagReaderPool {
  readonly #size: number;
  readonly #timeoutMs: number;
  readonly #retryTimeoutMs: number;
  readonly #memoryMb: number;
  readonly #idleMs: number;
  readonly #stuckAfterMs: number;
  #source?: WorkerSource;
  #sourceReady?: Promise<void>;
  readonly #givenSource?: WorkerSource;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  /** Set when a thread could not start: every read is inline from then on. */
  #inline = false;
  #closed = false;

  constructor(options: TagReaderPoolOptions) {
    this.#size = Math.max(1, options.size);
    this.#timeoutMs = options.fileTimeoutMs ?? FILE_TIMEOUT_MS;
    this.#retryTimeoutMs = options.retryTimeoutMs ?? 2 * this.#timeoutMs;
    this.#memoryMb = options.memoryMb ?? MEMORY_MB;
    this.#idleMs = options.idleMs ?? IDLE_MS;
    this.#stuckAfterMs = options.stuckAfterMs ?? STUCK_AFTER_MS;
    this.#givenSource = options.workerSource;
  }

  /** Whether reads run inline because no thread could start. */
  get inline(): boolean {
    return this.#inline;
  }

  async read(file: string, size?: number): Promise<FileTags> {
    if (this.#closed) throw new Error("tag reader pool is closed");
    if (!this.#source && !this.#inline) await this.#resolveSource();
    if (this.#inline) return readFileTags(file, size);
    return new Promise<FileTags>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, file, size, resolve, reject });
      this.#pump();
    });
  }

  /** Finds the thread's code once; when there is none to be had, reads are inline. */
  #resolveSource(): Promise<void> {
    this.#sourceReady ??= (this.#givenSource ? Promise.resolve(this.#givenSource) : defaultWorkerSource()).then(
      (source) => {
        this.#source = source;
      },
      () => {
        this.#inline = true;
      },
    );
    return this.#sourceReady;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error("tag reader pool is closed"));
    await Promise.all(this.#slots.splice(0).map((slot) => this.#stop(slot)));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue[0];
      const idle = this.#slots.find((s) => s.jobs.length === 0);
      let slot: Slot | undefined;
      if (job.lost || job.retried) {
        // A suspect is read alone, by a thread with nothing else in hand.
        slot = idle ?? (this.#slots.length < this.#size ? this.#start() : undefined);
        if (!slot) return;
        slot.solo = true;
      } else {
        // A thread with room before a new thread: a thread's start (its own V8 heap, the parsers
        // loaded and compiled again) costs ~100-300 ms of CPU, far more than a few small files
        // take, so a run of a book or two (most commands, most tests) starts one. Once every
        // thread holds DEPTH files the next one starts, so a real scan still gets all of them.
        slot = idle ?? this.#slots.filter((s) => !s.solo && s.jobs.length < DEPTH).sort((a, b) => a.jobs.length - b.jobs.length)[0];
        slot ??= this.#slots.length < this.#size ? this.#start() : undefined;
        if (!slot) return;
      }
      this.#assign(slot, this.#queue.shift()!);
    }
  }

  #start(): Slot {
    const source = this.#source!;
    const worker = new Worker(source.code, {
      eval: source.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.#memoryMb },
    });
    const slot: Slot = { worker, ready: false, jobs: [], solo: false, lastMessage: now() };
    worker.unref();
    // A thread that never loads (nor fails) must not hold its files forever: it counts as one that cannot start.
    slot.startTimer = setTimeout(() => {
      if (!slot.ready) this.#onGone(slot, new Error("the tag reader thread did not start"));
    }, START_LIMIT_MS);
    worker.on("message", (message: TagWorkerMessage) => this.#onMessage(slot, message));
    worker.on("error", (error: Error & { code?: string }) => this.#onGone(slot, error));
    worker.on("exit", (code) => this.#onGone(slot, new Error(`the tag reader thread exited (code ${code})`)));
    this.#slots.push(slot);
    return slot;
  }

  #assign(slot: Slot, job: Job): void {
    slot.jobs.push(job);
    clearTimeout(slot.idle);
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, file: job.file, size: job.size } satisfies TagJob);
  }

  #onMessage(slot: Slot, message: TagWorkerMessage): void {
    const at = now();
    // The thread's stamp when it gives one: a message read late (the main thread was busy) still tells when it was
    // sent. Each thread's time origin is the wall clock when it started: a clock stepped in between shifts its
    // stamps, by what the least delay seen so far tells (a message is never read before it is sent).
    if ("at" in message && typeof message.at === "number") {
      slot.skew = Math.min(slot.skew ?? Infinity, at - message.at);
      slot.lastMessage = message.at + slot.skew;
    } else slot.lastMessage = at;
    if ("ready" in message) {
      slot.ready = true;
      if (typeof message.tid === "number") slot.tid = message.tid;
      clearTimeout(slot.startTimer);
      return;
    }
    if ("alive" in message) return;
    if ("started" in message) {
      // The limit measures the file, from when the thread takes it up (not while the thread starts).
      const job = slot.jobs.find((j) => j.id === message.started);
      if (job) {
        job.startedAt = slot.lastMessage;
        // Read now, not when the thread started: a wait meanwhile is counted, never more than there was.
        job.schedAtStart = threadSched(slot.tid);
        job.timer = setTimeout(() => this.#onTimer(slot, job), Math.max(0, job.startedAt + this.#limit(job) - at));
      }
      return;
    }
    const index = slot.jobs.findIndex((j) => j.id === message.id);
    if (index < 0) return;
    const [job] = slot.jobs.splice(index, 1);
    clearTimeout(job.timer);
    if (slot.jobs.length === 0) {
      slot.solo = false;
      this.#idleAfter(slot);
    }
    if ("error" in message) job.reject(new Error(message.error));
    else job.resolve(message.tags);
    this.#pump();
  }

  /** Nothing left for the thread: it waits for more, and ends if none comes. */
  #idleAfter(slot: Slot): void {
    slot.worker.unref();
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.jobs.length > 0 || !this.#remove(slot)) return;
      void this.#stop(slot);
    }, this.#idleMs);
    slot.idle.unref();
  }

  #limit(job: Job): number {
    return job.retried ? this.#retryTimeoutMs : this.#timeoutMs;
  }

  /**
   * A file's timer fired. Timers run before the messages that came in
   * meanwhile are delivered: after a main thread busy past the deadline, the
   * thread's answer (or its beats) may be waiting. setImmediate runs once
   * they have been read (after the event loop's I/O phase), and the verdict
   * waits for that.
   */
  #onTimer(slot: Slot, job: Job): void {
    setImmediate(() => this.#onTimeout(slot, job));
  }

  /**
   * A file's time ran out on its thread's clock, and no answer is waiting.
   * Its thread is stopped either way; the file is to blame when it was read
   * alone, was the only one started, or the thread still beats (the file is
   * slow, the thread not stuck). Blamed the first time, it is read once more,
   * alone, with the longer limit (a thread starved of CPU on a loaded machine
   * is not a bad file); blamed on that try, it fails, the message naming the
   * limits. Otherwise a file spinning the thread may be another one in hand:
   * every started file becomes a suspect, to be read alone.
   */
  #onTimeout(slot: Slot, job: Job): void {
    if (!this.#slots.includes(slot) || !slot.jobs.includes(job) || job.startedAt === undefined) return; // answered, or moved on
    const limit = this.#limit(job);
    // Whole seconds (the limits users meet are 30 and 60 s); a limit under a second (tests use them: each
    // crafted file's spin is CPU taken from the work beside it) in tenths, not rounded to "0 s" or up to "1 s".
    const seconds = (ms: number) => `${ms < 1000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;
    const wall = now() - job.startedAt;
    const sched = job.schedAtStart && threadSched(slot.tid);
    let hit: string;
    if (job.schedAtStart && sched) {
      // The thread's own time: its CPU time counts against the limit; its time awake (not waiting for a CPU:
      // parsing, or waiting on the disk, whose reads are starved on a loaded machine too) against a few limits.
      const cpu = sched.cpuMs - job.schedAtStart.cpuMs;
      const awake = wall - (sched.waitMs - job.schedAtStart.waitMs);
      const left = Math.min(limit - cpu, AWAKE_LIMITS * limit - awake);
      if (left > 0) {
        job.timer = setTimeout(() => this.#onTimer(slot, job), Math.max(left, 10));
        return;
      }
      hit = cpu >= limit ? `over ${seconds(limit)} of processor time` : `over ${seconds(AWAKE_LIMITS * limit)} (most of it waiting to read the file, not parsing)`;
    } else {
      if (wall < limit) {
        job.timer = setTimeout(() => this.#onTimer(slot, job), Math.max(limit - wall, 10));
        return;
      }
      hit = `over ${seconds(limit)}`;
    }
    this.#remove(slot);
    void this.#stop(slot);
    const started = slot.jobs.filter((j) => j.startedAt !== undefined);
    const beating = now() - slot.lastMessage < this.#stuckAfterMs;
    const certain = slot.solo || started.length === 1 || beating;
    const timeout = (j: Job) => {
      const took = j === job ? hit : `over ${seconds(this.#limit(j))}`;
      return new Error(
        j.firstHit
          ? `cannot read tags of ${j.file}: reading was stopped twice: after ${j.firstHit}, then, read alone, after ${took} (a damaged or crafted file?)`
          : `cannot read tags of ${j.file}: reading took ${took} and was stopped (a damaged or crafted file?)`,
      );
    };
    if (certain && !job.retried) {
      job.retried = true;
      job.firstHit = hit;
      this.#settleStopped(slot, undefined, timeout, job);
    } else this.#settleStopped(slot, certain ? job : undefined, timeout);
  }

  /** The thread failed to start, crashed, ran out of memory or exited. */
  #onGone(slot: Slot, error: Error & { code?: string }): void {
    if (!this.#remove(slot)) return;
    clearTimeout(slot.startTimer);
    clearTimeout(slot.idle);
    for (const j of slot.jobs) clearTimeout(j.timer);
    if (!slot.ready) {
      // It never loaded: no thread will. Read inline from now on, its jobs included.
      this.#inline = true;
      void slot.worker.terminate();
      const waiting = [...slot.jobs, ...this.#queue.splice(0)];
      for (const w of waiting) readFileTags(w.file, w.size).then(w.resolve, w.reject);
      return;
    }
    const started = slot.jobs.filter((j) => j.startedAt !== undefined);
    const culprit = slot.solo || started.length === 1 ? started[0] : undefined;
    const why =
      error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? `reading it needed over ${this.#memoryMb} MB of memory and was stopped (a damaged or crafted file?)`
        : `the tag reader stopped (${error.message})`;
    this.#settleStopped(slot, culprit, (j) => new Error(`cannot read tags of ${j.file}: ${why}`));
  }

  /**
   * After a stopped thread: the culprit (when known) fails with `reason`; the
   * other files it had started become suspects (the guard fails one suspected
   * too often); files it had not started go back as they were. All go to the
   * front of the queue, in order. A file to `retry` goes first (read alone), the others unsuspected.
   */
  #settleStopped(slot: Slot, culprit: Job | undefined, reason: (job: Job) => Error, retry?: Job): void {
    const back: Job[] = [];
    // Without a culprit, the started files are the suspects; when none had started (the thread died on
    // receiving them), every file it held is.
    const anyStarted = slot.jobs.some((j) => j.startedAt !== undefined);
    for (const j of slot.jobs) {
      clearTimeout(j.timer);
      if (j === culprit) continue;
      if (culprit === undefined && retry === undefined && (j.startedAt !== undefined || !anyStarted)) j.lost = (j.lost ?? 0) + 1;
      j.startedAt = undefined;
      if ((j.lost ?? 0) >= MAX_LOST) j.reject(reason(j));
      else back.push(j);
    }
    slot.jobs = [];
    if (retry) back.sort((a, b) => Number(b === retry) - Number(a === retry));
    this.#queue.unshift(...back);
    if (culprit) culprit.reject(reason(culprit));
    this.#pump();
  }

  /** Takes the slot out of the pool; false when it was out already (its thread is being stopped). */
  #remove(slot: Slot): boolean {
    const at = this.#slots.indexOf(slot);
    if (at < 0) return false;
    this.#slots.splice(at, 1);
    return true;
  }

  async #stop(slot: Slot): Promise<void> {
    clearTimeout(slot.startTimer);
    clearTimeout(slot.idle);
    for (const j of slot.jobs) clearTimeout(j.timer);
    slot.worker.removeAllListeners("exit");
    await slot.worker.terminate();
  }
}

/** A file stopped at the limit when its thread was awake (not waiting for a CPU) this many limits, whatever its CPU time. */
const AWAKE_LIMITS = 3;

interface Sched {
  /** CPU time the thread has used (ms). */
  cpuMs: number;
  /** Time the thread has waited, runnable, for a CPU (ms). */
  waitMs: number;
}

/**
 * A thread of this process's CPU time and wait for a CPU: the first two fields of
 * /proc/self/task/TID/schedstat, in ns (Linux); undefined elsewhere, or when the kernel keeps no waits.
 */
function threadSched(tid: number | undefined): Sched | undefined {
  if (tid === undefined) return undefined;
  try {
    const [cpu, wait] = fs.readFileSync(`/proc/self/task/${tid}/schedstat`, "latin1").split(" ").map(Number);
    return Number.isFinite(cpu) && Number.isFinite(wait) && cpu > 0 ? { cpuMs: cpu / 1e6, waitMs: wait / 1e6 } : undefined;
  } catch {
    return undefined;
  }
}

let shared: TagReaderPool | undefined;

/**
 * The process's pool, made on first use: layers made again and again (a
 * server's runs, tests) share its threads, which end by themselves when
 * idle, so nothing has to close it.
 */
export function sharedTagReaderPool(size: number): TagReaderPool {
  shared ??= new TagReaderPool({ size });
  return shared;
}
