import { packageVersion } from "../../config/package-root.js";

let cached: string | null = null;

/** "shelfwise/<version>", sent to every web source so operators can tell who is asking. */
export function userAgent(): string {
  if (cached !== null) return cached;
  try {
    cached = `shelfwise/${packageVersion()}`;
  } catch {
    // a missing package.json must not stop identification
    cached = "shelfwise/unknown";
  }
  return cached;
}
