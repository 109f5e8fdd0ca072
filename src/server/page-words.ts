/**
 * What the server sends says what to do on a page, not at the command line:
 * each piece of command advice in its prose (a reason, a message, an error)
 * is put in a page's words (domain/command-advice.ts, the one source of
 * both). Names and values (a title, a path, a plugin's own answer) are never
 * rewritten: only the fields below, which hold shelfwise's sentences.
 */
import { forPages, othersWordsForPages } from "../domain/command-advice.js";

const PROSE = new Set(["reason", "message", "error", "warning", "warnings", "note", "notes", "hint"]);

/**
 * Fields that hold what a layer said (a plugin's or a web service's error), or shelfwise's words about what a
 * plugin or source wrote (warnings naming its manifest's keys, its name, its answer's fields): shown as said, only
 * a sentence of shelfwise's in a page's words (domain/command-advice.ts othersWordsForPages). A plugin whose error
 * said "run `shelfwise scan`" read "use Scan library on the dashboard" on the Health page, words it never wrote.
 * Shelfwise's own advice about the layer is beside them, in fields of its own (`reason`) and the page's controls.
 */
function layerWords(key: string, object: Record<string, unknown>): boolean {
  // A plugin's health (and an HTTP source's): its last errors, each as it was recorded. Warnings: shelfwise's own
  // never give command advice but in a sentence, so only a name or key a plugin chose could be reworded there.
  if (key === "recent_errors" || key === "warnings") return true;
  // A plugin whose start failed: its reason is its error (`setup: setup() failed: ...`), the Plugins page's line.
  if (key === "reason" && object.state === "failed" && typeof object.folder === "string") return true;
  if (key !== "error" && key !== "top_errors") return false;
  // A layer's run of a book, a layer's summary of a run, a call in a plugin's log.
  return typeof object.layer_id === "string" || (typeof object.plugin_id === "string" && typeof object.outcome === "string");
}

/** `value` with each text in it as a layer said it (bar shelfwise's sentences); the same object when nothing changes. */
function asLayerSaid(value: unknown, depth: number): unknown {
  if (typeof value === "string") return othersWordsForPages(value);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const next = value.map((item) => asLayerSaid(item, depth + 1));
    return next.some((item, i) => item !== value[i]) ? next : value;
  }
  let out: Record<string, unknown> | null = null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    const next = asLayerSaid(item, depth + 1);
    if (next !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return out ?? value;
}

/** The objects above a prose field: their other fields hold the values its text may name (a path, a title). */
interface Above {
  object: Record<string, unknown>;
  up: Above | null;
}

/** Values beside and above a text that hold what reads as a command (a folder named `` `shelfwise scan` ``): kept as they are. */
function commandLikeValues(above: Above | null): string[] {
  const out: string[] = [];
  for (let at = above; at !== null; at = at.up) {
    for (const key in at.object) {
      const value = at.object[key];
      if (typeof value === "string" && !PROSE.has(key) && value.includes("`shelfwise ")) out.push(value);
    }
  }
  return out;
}

/** `payload` with its prose in a page's words; the same object when nothing changes (no copy of a large list). */
export function inPageWords<T>(payload: T, depth = 0, above: Above | null = null): T {
  if (depth > 64 || payload === null || typeof payload !== "object") return payload;
  if (Array.isArray(payload)) {
    let out: unknown[] | null = null;
    payload.forEach((item, i) => {
      const next = inPageWords(item, depth + 1, above);
      if (next !== item) (out ??= [...payload])[i] = next;
    });
    return (out ?? payload) as T;
  }
  let out: Record<string, unknown> | null = null;
  const object = payload as Record<string, unknown>;
  const here: Above = { object, up: above };
  // for...in, not Object.entries: no array per object (a plan of 100,000 entries is walked in ~20 ms, not ~65).
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const value = object[key];
    if (value === null || (typeof value !== "object" && !(typeof value === "string" && PROSE.has(key)))) continue;
    const next = layerWords(key, object) ? asLayerSaid(value, depth + 1) : PROSE.has(key) ? prose(value, here) : inPageWords(value, depth + 1, here);
    if (next !== value) (out ??= { ...(payload as Record<string, unknown>) })[key] = next;
  }
  return (out ?? payload) as T;
}

function prose(value: unknown, above: Above): unknown {
  const words = (text: string) => (text.includes("`shelfwise ") ? forPages(text, commandLikeValues(above)) : text);
  if (typeof value === "string") return words(value);
  if (Array.isArray(value)) {
    const next = value.map((item) => (typeof item === "string" ? words(item) : inPageWords(item, 1, above)));
    return next.some((item, i) => item !== value[i]) ? next : value;
  }
  return inPageWords(value, 1, above);
}
