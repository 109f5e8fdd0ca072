/** Shared by the example plugin tests: where the examples live, temp folders. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples", "plugins");

export function exampleFolder(id: string): string {
  return path.join(EXAMPLES_DIR, id);
}

const temporary: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shelfwise-${prefix}-`));
  temporary.push(dir);
  return dir;
}

/** Call from afterAll/afterEach. */
export function removeTempDirs(): void {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
