/** Printing helpers: stable JSON for scripts, aligned tables for people. */

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function printTable(headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((row) => row.map((cell) => clean(cell)));
  const widths = headers.map((h, i) => Math.min(48, Math.max(h.length, ...cells.map((row) => row[i]!.length))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => fit(cell, widths[i]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(line(headers) + "\n" + line(widths.map((w) => "-".repeat(w))) + "\n");
  for (const row of cells) process.stdout.write(line(row) + "\n");
}

/** Folder names can hold newlines and control characters; never let them break a table. */
function clean(cell: string | number | null | undefined): string {
  if (cell === null || cell === undefined) return "";
  return String(cell).replace(/[\u0000-\u001f\u007f]/g, "?");
}

function fit(cell: string, width: number): string {
  if (cell.length > width) return cell.slice(0, width - 1) + "…";
  return cell.padEnd(width);
}
