import { createRequire } from "node:module";

let cached: string | null = null;

/** "shelfwise/<version>", sent to every web source so operators can tell who is asking. */
export function userAgent(): string {
  if (cached !== null) return cached;
  cached = "shelfwise/unknown";
  try {
    // src/pipeline/http and dist/pipeline/http are both three levels below package.json.
    const pkg = createRequire(import.meta.url)("../../../package.json") as { version?: unknown };
    if (typeof pkg.version === "string") cached = `shelfwise/${pkg.version}`;
  } catch {
    // a missing package.json must not stop identification
  }
  return cached;
}
