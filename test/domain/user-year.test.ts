/** `book --set year=...` (and the web app's edit): a date that does not exist is a slip, refused saying why. */
import { describe, expect, it } from "vitest";
import { userValueProblem } from "../../src/domain/user-value.js";

describe("a year given as a date", () => {
  it("refuses a month or day that does not exist, and keeps every real date and a year-month", () => {
    expect(userValueProblem("year", "2019-13-45")).toBe('year "2019-13-45" is no date: there is no month 13; give the year in 4 digits (2019), or a whole date that exists (2019-05-01)');
    expect(userValueProblem("year", "2019-02-30")).toMatch(/is no date: month 2 has no day 30/);
    expect(userValueProblem("year", "1999-00")).toMatch(/is no date: there is no month 0/);
    expect(userValueProblem("year", "2019/04/31")).toMatch(/month 4 has no day 31/);
    for (const fine of ["2020-02-29", "2019-05", "2019-05-01", "1999", " 1999-12-31 "]) expect(userValueProblem("year", fine), fine).toBeNull();
  });
});
