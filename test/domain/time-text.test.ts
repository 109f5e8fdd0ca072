/** Times in text output: local time with its UTC offset, whatever the zone. */
import { afterEach, describe, expect, it } from "vitest";
import { shownTime } from "../../src/domain/time-text.js";

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe("shownTime", () => {
  it.each([
    ["UTC", "2026-12-01T14:02:11.120Z", "2026-12-01 14:02:11 +00:00"],
    ["Asia/Kolkata", "2026-12-01T20:00:00.000Z", "2026-12-02 01:30:00 +05:30"],
    ["America/St_Johns", "2026-12-01T01:00:00Z", "2026-11-30 21:30:00 -03:30"],
    ["Europe/Berlin", "2026-07-01T12:00:00Z", "2026-07-01 14:00:00 +02:00"],
  ])("in %s, %s reads %s", (tz, iso, shown) => {
    process.env.TZ = tz;
    expect(shownTime(iso)).toBe(shown);
  });

  it("leaves what is not an ISO time as it is", () => {
    for (const value of ["", "never", "yesterday", "2026-13-45T99:99:99Z"]) expect(shownTime(value)).toBe(value);
  });
});
