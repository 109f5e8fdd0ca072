/**
 * A tag-reader thread (tag-reader-pool.ts starts it): one file's tags per
 * message, its answer or its error back. Says `ready` once loaded, so the
 * pool can tell a thread that cannot start from one a file stopped.
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
  | { id: number; tags: Awaited<ReturnType<typeof readFileTags>> }
  | { id: number; error: string };

const port = parentPort;
if (port) {
  const failed = (id: number, error: unknown): TagWorkerMessage => ({ id, error: error instanceof Error ? error.message : String(error) });
  port.on("message", (job: TagJob) => {
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
  port.postMessage({ ready: true } satisfies TagWorkerMessage);
}
