/**
 * The data folder's record of what ajv said yes to (manifest-schema.ts, SchemaVerdicts):
 * `cache/config-schema-verdicts.json`, a list of hashes. Read by every command that reads the plugin
 * folder, written only by one that records the plugins' states (not `status`, which writes nothing).
 * A cache in the strict sense: missing, unreadable, foreign or not writable, it is as if empty, and the
 * answer is asked of ajv again; a key is a hash of all the answer depends on, so an entry can only
 * repeat a yes ajv gave to exactly that schema and config.
 */
import fs from "node:fs";
import path from "node:path";
import { dataDirLayout } from "../../config/data-dir.js";
import type { SchemaVerdicts } from "./manifest-schema.js";

const FILE = "config-schema-verdicts.json";
/** Enough for every plugin's schema and a few configs of each; the oldest go first. */
const MOST = 256;

function verdictsFile(dataDir: string): string {
  return path.join(dataDirLayout(dataDir).cache, FILE);
}

export function readSchemaVerdicts(dataDir: string): SchemaVerdicts {
  let known: string[] = [];
  try {
    const parsed = JSON.parse(fs.readFileSync(verdictsFile(dataDir), "utf8")) as { yes?: unknown };
    if (Array.isArray(parsed.yes)) known = parsed.yes.filter((k): k is string => typeof k === "string" && /^[\w-]{43}$/.test(k));
  } catch {
    // none yet, or not ours to read: ajv is asked
  }
  return { known: new Set(known), learned: new Set() };
}

/** Adds what was learned; a data folder that cannot be written (read-only mount) only keeps ajv asked. */
export function saveSchemaVerdicts(dataDir: string, verdicts: SchemaVerdicts): void {
  if (verdicts.learned.size === 0) return;
  const yes = [...new Set([...verdicts.known, ...verdicts.learned])].slice(-MOST);
  const file = verdictsFile(dataDir);
  // Renamed into place whole, so a reader never sees half a list (two writers: the last one's list stays).
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // One left by a killed run with this pid (or a link planted there) is never written through.
    fs.rmSync(temporary, { force: true });
    fs.writeFileSync(temporary, JSON.stringify({ yes }) + "\n", { flag: "wx", mode: 0o644 });
    fs.renameSync(temporary, file);
  } catch {
    // A cache: not written is only slower.
    fs.rmSync(temporary, { force: true });
  }
}
