/**
 * Whether each of many paths is there (lstat: a link counts as itself, as `status` asks), asked on a worker thread
 * so the caller's thread stays free: the web server answers its other requests and its event stream while the
 * dashboard checks 100,000 books' places. Paths go a batch at a time, one string each (cloning a string is a copy,
 * cloning an array a walk). A worker that cannot start or dies leaves its batches to be asked here, inline: the
 * answer is never lost, only slower to come.
 */
import fs from "node:fs";
import { Worker } from "node:worker_threads";

// Plain JS evaluated in the worker: no module file to locate from src/ or dist/.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
parentPort.on("message", ({ id, paths }) => {
  const list = paths.split("\\0");
  const there = new Uint8Array(list.length);
  for (let i = 0; i < list.length; i++) {
    try {
      there[i] = fs.lstatSync(list[i], { throwIfNoEntry: false }) ? 1 : 0;
    } catch {
      there[i] = 0;
    }
  }
  parentPort.postMessage({ id, there }, [there.buffer]);
});`;

/** Whether `p` is there, asked here: any error (gone, a folder on the way gone, no permission) is "not there". */
export function isThere(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

export class ExistenceChecker {
  #worker: Worker | undefined;
  #failed = false;
  #nextId = 1;
  readonly #waiting = new Map<number, { paths: string[]; resolve: (there: Uint8Array) => void }>();
  readonly #source: string;

  /** `workerSource`: the thread's code (tests give one that dies, to check the answer still comes). */
  constructor(options: { workerSource?: string } = {}) {
    this.#source = options.workerSource ?? WORKER_SOURCE;
  }

  /** 1 for each path there, 0 for each one not (paths must hold no NUL: a book's path never does). */
  check(paths: string[]): Promise<Uint8Array> {
    const worker = this.#start();
    if (!worker) return Promise.resolve(inline(paths));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, { paths, resolve });
      worker.postMessage({ id, paths: paths.join("\0") });
    });
  }

  /** Ends the thread; batches still asked are answered here. */
  close(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failed = true;
    this.#settleInline();
    void worker?.terminate();
  }

  #start(): Worker | undefined {
    if (this.#failed) return undefined;
    if (this.#worker) return this.#worker;
    try {
      const worker = new Worker(this.#source, { eval: true });
      worker.on("message", ({ id, there }: { id: number; there: Uint8Array }) => {
        const job = this.#waiting.get(id);
        this.#waiting.delete(id);
        job?.resolve(there);
      });
      const gone = () => {
        if (this.#worker !== worker) return;
        this.#worker = undefined;
        this.#failed = true;
        this.#settleInline();
      };
      worker.on("error", gone);
      worker.on("exit", gone);
      this.#worker = worker;
      return worker;
    } catch {
      this.#failed = true;
      return undefined;
    }
  }

  #settleInline(): void {
    for (const [id, job] of [...this.#waiting]) {
      this.#waiting.delete(id);
      job.resolve(inline(job.paths));
    }
  }
}

function inline(paths: string[]): Uint8Array {
  const there = new Uint8Array(paths.length);
  for (let i = 0; i < paths.length; i++) there[i] = isThere(paths[i]!) ? 1 : 0;
  return there;
}
