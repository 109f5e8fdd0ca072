/**
 * A module of the build (dist/, which `npm test` builds first) for a child
 * process to import. A child that loaded the TypeScript sources through tsx
 * spent ~0.3 CPU-s on tsx alone before it ran a line of ours, and seconds
 * more transforming the sources when tsx's cache was off.
 */
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The file URL (for `import()`) of dist/<rel>, e.g. "store/data-lock.js". */
export function builtModuleUrl(rel: string): string {
  const file = fileURLToPath(new URL(`../../dist/${rel}`, import.meta.url));
  if (!fs.existsSync(file)) throw new Error(`dist/${rel} is missing: run \`npm run build\` before these tests`);
  return pathToFileURL(file).href;
}
