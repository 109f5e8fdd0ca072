import fs from "node:fs";
import path from "node:path";
import { updateConfig } from "../../config/config-file.js";
import { openSession } from "../../app/session.js";
import { terminalSafe } from "../output.js";
import { withWriteLock } from "../write-lock.js";

export async function initCommand(dataDir: string, libraries: string[], options: { wait?: string } = {}): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  return withWriteLock(dataDir, "init", options.wait, () => initLocked(dataDir, libraries));
}

async function initLocked(dataDir: string, libraries: string[]): Promise<void> {
  updateConfig(dataDir, (raw) => {
    const paths = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
    for (const lib of libraries.map((p) => path.resolve(p))) if (!paths.includes(lib)) paths.push(lib);
    raw.library_paths = paths;
  });
  const session = openSession(dataDir);
  fs.mkdirSync(session.pluginDir, { recursive: true });
  await session.close();
  process.stdout.write(`initialized ${terminalSafe(dataDir)}\n`);
}
