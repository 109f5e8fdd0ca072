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
//
// The worker remembers each path's answer with its folder's identity when it was asked (device, inode, change and
// modification times): a folder's entries change only with its times, so while they are the same, its books' answers
// hold and only the folder is asked (a dashboard opened again at 20,000 books asks ~5,000 author folders, not 20,000
// books). An identity is only remembered when the folder's times are older than DIR_TIME_SLACK_MS at the check: a
// file system that keeps times to the second (or two, FAT) would give a change made just after the check the same
// times. A folder whose times cannot be read is never trusted.
/** How much older than a check a folder's times must be for its answers to be remembered (FAT keeps 2 s). */
export const DIR_TIME_SLACK_MS = 3_000;
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
const KEPT = 400000;
let known = new Map();
function lstatThere(p) {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) ? 1 : 0;
  } catch {
    return 0;
  }
}
function folderIdentity(dir, started, slackMs) {
  let st;
  try {
    // Followed as the kernel follows it on the way to each book (a linked folder is its target).
    st = fs.statSync(dir, { throwIfNoEntry: false });
  } catch {
    return null;
  }
  if (!st) return null;
  const settled = st.ctimeMs < started - slackMs && st.mtimeMs < started - slackMs;
  return { dev: st.dev, ino: st.ino, ctime: st.ctimeMs, mtime: st.mtimeMs, settled };
}
function same(a, b) {
  return a === b || (a.dev === b.dev && a.ino === b.ino && a.ctime === b.ctime && a.mtime === b.mtime);
}
parentPort.on("message", ({ id, paths, remember, slackMs }) => {
  const list = paths.split("\\0");
  const there = new Uint8Array(list.length);
  if (!remember) {
    for (let i = 0; i < list.length; i++) there[i] = lstatThere(list[i]);
    parentPort.postMessage({ id, there }, [there.buffer]);
    return;
  }
  // The wall clock on purpose, not a monotonic one: it is compared with the folders' times, which the kernel stamps
  // from the wall clock. A clock set back only makes folders look changed "in the future" (not remembered: asked
  // again, never a stale answer); one set forward leaves a folder's next change a time of its own.
  const started = Date.now();
  const folders = new Map();
  let asked = 0;
  if (known.size > KEPT) known = new Map();
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    const dir = path.dirname(p);
    let folder = folders.get(dir);
    if (folder === undefined) folders.set(dir, (folder = folderIdentity(dir, started, slackMs)));
    const before = known.get(p);
    if (folder !== null && before !== undefined && same(before.folder, folder)) {
      there[i] = before.there;
      continue;
    }
    there[i] = lstatThere(p);
    asked++;
    if (folder !== null && folder.settled) known.set(p, { folder, there: there[i] });
    else known.delete(p);
  }
  parentPort.postMessage({ id, there, asked }, [there.buffer]);
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
  readonly #remember: boolean;
  readonly #slackMs: number;

  /**
   * `workerSource`: the thread's code (tests give one that dies, to check the answer still comes). `remember`: the
   * thread keeps its answers for the next checks, each while its folder is unchanged (a checker kept for many checks);
   * `slackMs`: DIR_TIME_SLACK_MS (tests give 0: a folder made a moment ago is remembered at once).
   */
  constructor(options: { workerSource?: string; remember?: boolean; slackMs?: number } = {}) {
    this.#source = options.workerSource ?? WORKER_SOURCE;
    this.#remember = options.remember === true;
    this.#slackMs = options.slackMs ?? DIR_TIME_SLACK_MS;
  }

  /** Paths the thread asked the disk about (not answered from what it remembered), since the checker was made. */
  asked = 0;

  /** The thread could not start or died: the checks are asked inline from now on. */
  get failed(): boolean {
    return this.#failed;
  }

  /** 1 for each path there, 0 for each one not (paths must hold no NUL: a book's path never does). */
  check(paths: string[]): Promise<Uint8Array> {
    const worker = this.#start();
    if (!worker) return Promise.resolve(inline(paths));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, { paths, resolve });
      worker.postMessage({ id, paths: paths.join("\0"), remember: this.#remember, slackMs: this.#slackMs });
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
      // A checker kept for the server's life must not keep the process alive on its own (a one-off check's answer
      // is awaited, and an unreferenced thread would let the process end before it came).
      if (this.#remember) worker.unref();
      worker.on("message", ({ id, there, asked }: { id: number; there: Uint8Array; asked?: number }) => {
        this.asked += asked ?? there.length;
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
