/**
 * A time as text shows it (the CLI, messages): this computer's local time with its
 * offset from UTC, "2026-12-01 15:02:11 +01:00". The database and `--json`
 * hold ISO-8601 in UTC ("2026-12-01T14:02:11.120Z"); cut to its first 19
 * characters that read as a local time with no zone, an hour or more off
 * for most people.
 */

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/** `iso` in local time with its UTC offset; anything that is not an ISO time comes back as it is. */
export function shownTime(iso: string): string {
  const date = new Date(iso);
  if (!ISO_TIME.test(iso) || Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}
