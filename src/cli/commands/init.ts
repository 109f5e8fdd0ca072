import fs from "node:fs";
import path from "node:path";
import { updateConfig } from "../../config/config-file.js";
import { openSession } from "../../app/session.js";

export async function initCommand(dataDir: string, libraries: string[]): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  updateConfig(dataDir, (raw) => {
    const paths = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
    for (const lib of libraries.map((p) => path.resolve(p))) if (!paths.includes(lib)) paths.push(lib);
    raw.library_paths = paths;
  });
  const session = openSession(dataDir);
  fs.mkdirSync(session.pluginDir, { recursive: true });
  await session.close();
  process.stdout.write(`initialized ${dataDir}\n`);
}
