/**
 * A tag-reader thread (tag-reader-pool.ts starts it): reads the files it is
 * given one at a time, in order, saying when it starts each (the pool's clock
 * runs for that file only) and sending its tags or its error back. Says
 * `ready` once loaded, so the pool can tell a thread that cannot start from
 * one a file stopped.
 */
import { parentPort } from "node:worker_threads";
import { readFileTags } from "./file-tags.js";

export interface TagJob {
  id: number;
  file: string;
  size?: number;
}

export type TagWorkerMessage =
  | { ready: true }
  | { started: number }
  | { id: number; tags: Awaited<ReturnType<typeof readFileTags>> }
  | { id: number; error: string };

const port = parentPort;
if (port) {
  const queue: TagJob[] = [];
  let busy = false;
  const failed = (id: number, error: unknown): TagWorkerMessage => ({ id, error: error instanceof Error ? error.message : String(error) });
  const next = async (): Promise<void> => {
    busy = true;
    for (let job = queue.shift(); job; job = queue.shift()) {
      port.postMessage({ started: job.id } satisfies TagWorkerMessage);
      try {
        const tags = await readFileTags(job.file, job.size);
        try {
          port.postMessage({ id: job.id, tags } satisfies TagWorkerMessage);
        } catch (error) {
          // A value the structured clone refuses: that file's tags cannot cross, the thread goes on.
          port.postMessage(failed(job.id, new Error(`cannot read tags of ${job.file}: ${(error as Error).message}`)));
        }
      } catch (error) {
        port.postMessage(failed(job.id, error));
      }
    }
    busy = false;
  };
  port.on("message", (job: TagJob) => {
    queue.push(job);
    if (!busy) void next();
  });
  port.postMessage({ ready: true } satisfies TagWorkerMessage);
}
