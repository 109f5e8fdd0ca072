import { describe, expect, it } from "vitest";
import { validatePluginOutput } from "../../src/plugins/protocol/output-validation.js";

const long = "x".repeat(501);
const emoji500 = "😀".repeat(500); // 1000 UTF-16 units, 500 characters

describe("validatePluginOutput", () => {
  it.each<[string, unknown, unknown]>([
    ["null is no result", null, { ok: true, values: {}, warnings: [], notes: [] }],
    ["{} is no result", {}, { ok: true, values: {}, warnings: [], notes: [] }],
    ["strings are kept, trimmed", { author: "  Terry Pratchett ", title: "Mort" }, { ok: true, values: { author: "Terry Pratchett", title: "Mort" }, warnings: [], notes: [] }],
    ["numbers become strings", { year: 1987, series_num: 4.5 }, { ok: true, values: { year: "1987", series_num: "4.5" }, warnings: [], notes: [] }],
    ["null and empty fields are no opinion", { narrator: null, title: "  " }, { ok: true, values: {}, warnings: [], notes: [] }],
    ["unknown keys are ignored with a warning", { title: "Mort", rating: 5 }, { ok: true, values: { title: "Mort" }, warnings: ['ignored unknown field "rating"'], notes: [] }],
    [
      "a misspelt or camelCase field is named with the one meant",
      { langauge: "en", seriesNum: "2", Title: "Mort", rating: 5 },
      { ok: true, values: {}, warnings: ['ignored unknown fields "langauge" (did you mean "language"?), "seriesNum" (did you mean "series_num"?), "Title" (did you mean "title"?), "rating"'], notes: [] },
    ],
    [
      "a list of people says how to write them",
      { narrator: ["Scott Brick", "Tim Gerard Reynolds"] },
      { ok: false, error: 'field "narrator" must be a string or a number, got an array (several people go in one text: "Scott Brick & Tim Gerard Reynolds")' },
    ],
    ["many unknown keys are summarized", { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 }, { ok: true, values: {}, warnings: ['ignored unknown fields "a", "b", "c", "d", "e" and 2 more'], notes: [] }],
    ["control characters drop the field", { title: "Mort\u0000", author: "Terry" }, { ok: true, values: { author: "Terry" }, warnings: ['ignored field "title": it contains control characters'], notes: ['ignored field "title": it contains control characters'] }],
    ["a lone high surrogate drops the field", { title: "Caf\ud83d", author: "Terry" }, { ok: true, values: { author: "Terry" }, warnings: ['ignored field "title": it is not valid Unicode (a lone surrogate, e.g. from bytes that are not UTF-8)'], notes: ['ignored field "title": it is not valid Unicode (a lone surrogate, e.g. from bytes that are not UTF-8)'] }],
    ["a lone low surrogate drops the field", { author: "Jos\udce9" }, { ok: true, values: {}, warnings: ['ignored field "author": it is not valid Unicode (a lone surrogate, e.g. from bytes that are not UTF-8)'], notes: ['ignored field "author": it is not valid Unicode (a lone surrogate, e.g. from bytes that are not UTF-8)'] }],
    [
      "the replacement character drops the field: letters were lost decoding it",
      { author: "Jos\ufffd Saramago", title: "Blindness" },
      {
        ok: true,
        values: { title: "Blindness" },
        warnings: ['ignored field "author": it holds U+FFFD, the mark of bytes that could not be decoded (letters were lost: decode the text in its own charset, e.g. Windows-1252, not with errors="replace")'],
        notes: ['ignored field "author": it holds U+FFFD, the mark of bytes that could not be decoded (letters were lost: decode the text in its own charset, e.g. Windows-1252, not with errors="replace")'],
      },
    ],
    // 12345678901234567890123 (a Python int, an ISBN as a number) arrives as 1.2345678901234568e+22: it was the author.
    [
      "a number past 2^53 or written with an exponent drops the field",
      { author: 12345678901234567890123, series_num: 1e-7, year: 2 ** 53, title: 9007199254740991 },
      {
        ok: true,
        values: { title: "9007199254740991" },
        warnings: [
          'ignored field "author": the number 1.2345678901234568e+22 is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string',
          'ignored field "series_num": the number 1e-7 is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string',
          'ignored field "year": the number 9007199254740992 is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string',
        ],
        notes: [
          'ignored field "author": the number 1.2345678901234568e+22 is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string',
          'ignored field "series_num": the number 1e-7 is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string',
          'ignored field "year": the number 9007199254740992 is not exact (past 2^53, or written with an exponent, JSON numbers lose digits): return it as a string',
        ],
      },
    ],
    ["500 characters are fine even in surrogate pairs", { title: emoji500 }, { ok: true, values: { title: emoji500 }, warnings: [], notes: [] }],
    ["an array", [{ title: "x" }], { ok: false, error: "process() must return an object or null, got an array" }],
    ["a string", "Mort", { ok: false, error: "process() must return an object or null, got a string" }],
    ["a number", 42, { ok: false, error: "process() must return an object or null, got a number" }],
    ["a boolean", true, { ok: false, error: "process() must return an object or null, got a boolean" }],
    ["a class instance", new Date(0), { ok: false, error: "process() must return an object or null, got an object" }],
    ["a nested object", { author: { name: "x" } }, { ok: false, error: 'field "author" must be a string or a number, got an object' }],
    ["an array value", { narrator: ["a", "b"] }, { ok: false, error: 'field "narrator" must be a string or a number, got an array (several people go in one text: "a & b")' }],
    ["an array value of a field that holds no people", { title: ["a", "b"] }, { ok: false, error: 'field "title" must be a string or a number, got an array' }],
    ["a boolean value", { year: true }, { ok: false, error: 'field "year" must be a string or a number, got a boolean' }],
    // Library Manager ignores every falsy value; its plugins return them (`data.get("series", [])`, `x or False`).
    [
      "false and empty lists and objects are no opinion, with a warning (no note: nothing the plugin gave was left out); 0 is a value",
      { title: "Mort", series: [], narrator: false, year: {}, series_num: 0 },
      { ok: true, values: { title: "Mort", series_num: "0" }, warnings: ['ignored field "series": an empty list is no value', 'ignored field "narrator": false is no value', 'ignored field "year": an empty object is no value'], notes: [] },
    ],
    ["a NaN value", { year: NaN }, { ok: false, error: 'field "year" must be a string or a number, got NaN' }],
    ["a too long value", { title: long }, { ok: false, error: 'field "title" is longer than 500 characters' }],
  ])("%s", (_name, input, expected) => {
    const result = validatePluginOutput(input);
    expect({ ...result, ...("values" in result ? { values: { ...result.values } } : {}) }).toEqual(expected);
  });

  it("never lets __proto__ or constructor keys pollute anything", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "title": "Mort"}');
    const result = validatePluginOutput(hostile);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.values)).toBeNull();
    expect(Object.keys(result.values)).toEqual(["title"]);
    expect(result.warnings).toEqual(['ignored unknown fields "__proto__", "constructor"']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports a getter that throws instead of throwing", () => {
    const result = validatePluginOutput({
      get title(): string {
        throw new Error("no title today");
      },
    });
    expect(result).toEqual({ ok: false, error: "reading the result failed: no title today" });
  });
});
