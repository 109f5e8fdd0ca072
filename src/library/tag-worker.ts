/**
 * A tag-reader thread (tag-reader-pool.ts starts it): reads each file it is
 * given as it arrives (the pool hands a thread at most a couple at once, so
 * one file's reads overlap another's parsing), saying when it starts each
 * (the pool's clock runs from the time stamped on that message) and sending its tags or its error back.
 * Says `ready` once loaded, so the pool can tell a thread that cannot start
 * from one a file stopped, and beats every second while it can.
 */
import fs from "node:fs";
import { parentPort } from "node:worker_threads";
import { readFileTags } from "./file-tags.js";

export interface TagJob {
  id: number;
  file: string;
  size?: number;
}

export type TagWorkerMessage =
  | { ready: true; tid?: number; at?: number }
  | { alive: true; at?: number }
  | { started: number; at?: number }
  | { id: number; tags: Awaited<ReturnType<typeof readFileTags>> }
  | { id: number; error: string };

/** How often a thread says it is not stuck (tag-reader-pool.ts reads a silence of a few beats as stuck). */
export const HEARTBEAT_MS = 1000;

/**
 * The thread's own clock, in ms since the epoch (the pool's is on the same scale): a message stamped when
 * it was sent tells when the thread acted, however long it then waited for a busy main thread to read it.
 */
const now = (): number => performance.timeOrigin + performance.now();

/**
 * This thread's id in the kernel (Linux), for the pool to read how long it waited for a CPU
 * (/proc/self/task/TID/schedstat); elsewhere none, and the pool counts wall time alone.
 */
function threadId(): number | undefined {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

const port = parentPort;
if (port) {
  const failed = (id: number, error: unknown): TagWorkerMessage => ({ id, error: error instanceof Error ? error.message : String(error) });
  port.on("message", (job: TagJob) => {
    port.postMessage({ started: job.id, at: now() } satisfies TagWorkerMessage);
    readFileTags(job.file, job.size).then(
      (tags) => {
        try {
          port.postMessage({ id: job.id, tags } satisfies TagWorkerMessage);
        } catch (error) {
          // A value the structured clone refuses: that file's tags cannot cross, the thread goes on.
          port.postMessage(failed(job.id, new Error(`cannot read tags of ${job.file}: ${(error as Error).message}`)));
        }
      },
      (error: unknown) => port.postMessage(failed(job.id, error)),
    );
  });
  port.postMessage({ ready: true, tid: threadId(), at: now() } satisfies TagWorkerMessage);
  // While a file is read slowly the thread goes on beating; a parser spinning on one stops it.
  setInterval(() => port.postMessage({ alive: true, at: now() } satisfies TagWorkerMessage), HEARTBEAT_MS).unref();
}
