/**
 * Reads files' tags in worker threads, one file per thread at a time, and
 * stops a thread whose file takes too long or too much memory.
 *
 * Why threads: music-metadata's parsers have loops a crafted file of a few
 * MB drives for minutes, and no bound on the input catches every one of
 * them. Measured on this 2-core machine (under load): an ID3v2 tag of 5
 * million tiny frames took 149 s and 1.5 GB, blocking the event loop
 * throughout (no progress line, no Ctrl-C); a FLAC comment block of 1.8
 * million entries 115 s and 2 GB; a 4 MB FLAC of a million empty padding
 * blocks 164 s; an 8 MB WAV of a million empty chunks 290 s. In a thread, a
 * file gets FILE_TIMEOUT_MS and MEMORY_MB, then the thread is stopped and the
 * file is reported as unreadable; the run and the other files go on. A
 * thread also keeps the parsing off the thread that writes the database, so
 * on two cores tags are read while results are stored.
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
import { readFileTags, type FileTags } from "./file-tags.js";
import type { TagJob, TagWorkerMessage } from "./tag-worker.js";

export interface TagReaderPoolOptions {
  /** Threads at most. */
  size: number;
  /** A file's read is stopped after this long (its thread with it). */
  fileTimeoutMs?: number;
  /** Heap limit of each thread. */
  memoryMb?: number;
  /** An idle thread ends after this long (a server between runs keeps none). */
  idleMs?: number;
  /** The thread's code (tests give one that never starts, to check the inline fallback). */
  workerSource?: WorkerSource;
}

export const FILE_TIMEOUT_MS = 30_000;
export const MEMORY_MB = 512;
const IDLE_MS = 10_000;
const START_LIMIT_MS = 60_000;

interface Job extends TagJob {
  resolve(tags: FileTags): void;
  reject(error: Error): void;
  /** Threads that stopped while holding this job before it said which file it was on. */
  lost?: number;
}

/** A job in hand when threads stopped this often, without one naming its file, is the likely cause: it fails. */
const MAX_LOST = 2;

/**
 * A thread and the jobs handed to it, in order. It reads them one at a time
 * and says when it starts each, so the clock runs for exactly one file, and
 * the next file is already there when one ends (no round trip between them).
 */
interface Slot {
  worker: Worker;
  ready: boolean;
  jobs: Job[];
  /** The job the thread said it started, whose clock is running. */
  current?: Job;
  timer?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
}

/** Jobs handed to one thread ahead: enough that it never waits for the next, few enough to re-queue cheaply. */
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
 * node_modules/.cache, so its packages resolve: a thread loading the sources
 * through tsx cost seconds of CPU each.
 */
export async function defaultWorkerSource(): Promise<WorkerSource> {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { code: new URL("./tag-worker.js", here), eval: false };
  const { build } = (await import("esbuild")) as typeof import("esbuild");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./tag-worker.ts", here))],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
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
  readonly #memoryMb: number;
  readonly #idleMs: number;
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
    this.#memoryMb = options.memoryMb ?? MEMORY_MB;
    this.#idleMs = options.idleMs ?? IDLE_MS;
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
      // A new thread before a second job for a busy one: parsing is CPU work, spread it.
      let slot = this.#slots.find((s) => s.jobs.length === 0);
      if (!slot && this.#slots.length < this.#size) slot = this.#start();
      slot ??= this.#slots.filter((s) => s.jobs.length < DEPTH).sort((a, b) => a.jobs.length - b.jobs.length)[0];
      if (!slot) return;
      this.#assign(slot, this.#queue.shift()!);
    }
  }

  #start(): Slot {
    const source = this.#source!;
    const worker = new Worker(source.code, {
      eval: source.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.#memoryMb },
    });
    const slot: Slot = { worker, ready: false, jobs: [] };
    worker.unref();
    // A thread that never loads (nor fails) must not hold its files forever: it counts as one that cannot start.
    slot.timer = setTimeout(() => {
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
    if ("ready" in message) {
      slot.ready = true;
      clearTimeout(slot.timer);
      return;
    }
    if ("started" in message) {
      // The limit measures the file, from when the thread takes it up (not while it waits, or the thread starts).
      slot.current = slot.jobs.find((j) => j.id === message.started);
      clearTimeout(slot.timer);
      slot.timer = setTimeout(() => this.#onTimeout(slot), this.#timeoutMs);
      return;
    }
    const at = slot.jobs.findIndex((j) => j.id === message.id);
    if (at < 0) return;
    const [job] = slot.jobs.splice(at, 1);
    if (slot.current === job) {
      slot.current = undefined;
      clearTimeout(slot.timer);
    }
    if (slot.jobs.length === 0) this.#idleAfter(slot);
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

  #onTimeout(slot: Slot): void {
    const job = slot.current;
    if (!job || !this.#remove(slot)) return;
    void this.#stop(slot);
    this.#requeue(slot, job);
    job.reject(new Error(`cannot read tags of ${job.file}: reading took over ${Math.round(this.#timeoutMs / 1000)} s and was stopped (a damaged or crafted file?)`));
    this.#pump();
  }

  /** The thread failed to start, crashed, ran out of memory or exited. */
  #onGone(slot: Slot, error: Error & { code?: string }): void {
    if (!this.#remove(slot)) return;
    clearTimeout(slot.timer);
    clearTimeout(slot.idle);
    if (!slot.ready) {
      // It never loaded: no thread will. Read inline from now on, its jobs included.
      this.#inline = true;
      void slot.worker.terminate();
      const waiting = [...slot.jobs, ...this.#queue.splice(0)];
      for (const w of waiting) readFileTags(w.file, w.size).then(w.resolve, w.reject);
      return;
    }
    const job = slot.current;
    if (!job) {
      // Stopped between files, or before its last words arrived: none of its jobs is known to be the cause, so
      // each goes back, but one that keeps going down with its threads is not handed out for ever.
      for (const held of slot.jobs) held.lost = (held.lost ?? 0) + 1;
      const doomed = slot.jobs.filter((held) => held.lost! >= MAX_LOST);
      slot.jobs = slot.jobs.filter((held) => held.lost! < MAX_LOST);
      for (const held of doomed) held.reject(new Error(`cannot read tags of ${held.file}: the tag reader stopped while reading it (${error.message})`));
    }
    this.#requeue(slot, job);
    if (job) {
      const why =
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `reading it needed over ${this.#memoryMb} MB of memory and was stopped (a damaged or crafted file?)`
          : `the tag reader stopped (${error.message})`;
      job.reject(new Error(`cannot read tags of ${job.file}: ${why}`));
    }
    this.#pump();
  }

  /** The jobs a stopped thread had not started go back to the front of the queue, in order. */
  #requeue(slot: Slot, except: Job | undefined): void {
    const rest = slot.jobs.filter((j) => j !== except);
    slot.jobs = [];
    this.#queue.unshift(...rest);
  }

  /** Takes the slot out of the pool; false when it was out already (its thread is being stopped). */
  #remove(slot: Slot): boolean {
    const at = this.#slots.indexOf(slot);
    if (at < 0) return false;
    this.#slots.splice(at, 1);
    return true;
  }

  async #stop(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    clearTimeout(slot.idle);
    slot.worker.removeAllListeners("exit");
    await slot.worker.terminate();
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
