/**
 * Runs once in vitest's main process, before any test file's worker starts:
 * points TMPDIR (which os.tmpdir() reads, in the workers and in every CLI and
 * plugin process they start) at the suite's temp root, and removes that root
 * at the end.
 */
import { spawnSync } from "node:child_process";
import { suiteTmpdir } from "./test-tmpdir.js";

export default function setup(): () => void {
  const { dir, created } = suiteTmpdir();
  process.env.TMPDIR = dir;
  return () => {
    if (created) {
      spawnSync("chmod", ["-R", "u+rwx", dir]);
      spawnSync("rm", ["-rf", dir]);
    }
  };
}
