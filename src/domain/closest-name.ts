/** "Did you mean": the known name closest to a mistyped one, if it is close enough to be the intended one. */
export function closestName(name: string, known: Iterable<string>): string | null {
  // A third of the name (at least 1, at most 3 edits): typos and swapped letters, not other words.
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    // Names whose lengths differ by more than the edits allowed are that many edits apart at least: not compared
    // (a 100 KB word given where a field name goes took 0.1 s of CPU per known name, a table of its length each).
    if (Math.abs(candidate.length - name.length) > allowed) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== null && bestDistance <= allowed ? best : null;
}

/** ` (did you mean "x"?)` for a mistyped word close to a known one, else "": the hint every refusal of a name adds. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const guess = closestName(name, known);
  return guess === null || guess === name ? "" : ` (did you mean ${JSON.stringify(guess)}?)`;
}

/** Damerau-Levenshtein distance (optimal string alignment): a swap of neighbours counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
