/**
 * "Did you mean" for a JSONPath that found nothing in an answer: the path with its first step the answer lacks
 * replaced by the nearest key the answer has there (`$.itemz` → `$.items`, `$.volumeInfo.titel` →
 * `$.volumeInfo.title`). Only plain paths are read (`.name`, `['name']`, `[*]`, `[n]`, `.*`); a filter, a script
 * or a recursive step gives no hint, as does a step with no near key (another word, not a typo).
 */
import { closestName } from "../../domain/closest-name.js";

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(['"])((?:(?!\2).){1,200})\2\]|\.\*|\[\*\]|\[(\d{1,9})\])/;
/** The nodes and keys looked at per step: a hint is worth a glance at the answer, not a walk of all of it. */
const MAX_NODES = 200;

export function nearestPath(data: unknown, path: string): string | null {
  if (!path.startsWith("$")) return null;
  const steps: { text: string; name: string | null; index: number | null }[] = [];
  for (let rest = path.slice(1); rest !== ""; ) {
    const m = STEP.exec(rest);
    if (m === null) return null;
    steps.push({ text: m[0], name: m[1] ?? m[3] ?? null, index: m[4] === undefined ? null : Number(m[4]) });
    rest = rest.slice(m[0].length);
  }
  let nodes: unknown[] = [data];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const next: unknown[] = [];
    if (step.name !== null) {
      const objects = nodes.filter((node): node is Record<string, unknown> => node !== null && typeof node === "object" && !Array.isArray(node));
      for (const node of objects) if (Object.hasOwn(node, step.name)) next.push(node[step.name]);
      if (next.length === 0) {
        const keys = new Set<string>();
        for (const node of objects.slice(0, MAX_NODES)) for (const key of Object.keys(node).slice(0, MAX_NODES)) keys.add(key);
        const guess = closestName(step.name, keys);
        if (guess === null) return null;
        const shown = /^[A-Za-z_$][\w$-]*$/.test(guess) ? `.${guess}` : `[${JSON.stringify(guess).replace(/^"|"$/g, "'")}]`;
        return `$${steps.slice(0, i).map((s) => s.text).join("")}${shown}${steps.slice(i + 1).map((s) => s.text).join("")}`;
      }
    } else {
      for (const node of nodes.slice(0, MAX_NODES)) {
        if (node === null || typeof node !== "object") continue;
        if (step.index !== null) {
          if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
        } else next.push(...(Array.isArray(node) ? node : Object.values(node)).slice(0, MAX_NODES));
      }
    }
    nodes = next.slice(0, MAX_NODES);
  }
  return null;
}
