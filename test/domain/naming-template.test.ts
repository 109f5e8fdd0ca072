import { describe, expect, it } from "vitest";
import type { FieldName } from "../../src/domain/fields.js";
import {
  DEFAULT_TEMPLATE,
  TemplateError,
  renderProposedPath,
  sanitizeComponent,
  validateTemplate,
} from "../../src/domain/naming-template.js";

type Fields = Partial<Record<FieldName, string | null>>;

const full: Fields = {
  author: "Jim Butcher",
  title: "Storm Front",
  series: "The Dresden Files",
  series_num: "1",
  narrator: "James Marsters",
  year: "2000",
  language: "en",
};

const long = "Ä".repeat(200); // 400 UTF-8 bytes

// [name, template, fields, expected path]
const rows: [string, string, Fields, string | null][] = [
  ["default, everything known", DEFAULT_TEMPLATE, full, "Jim Butcher/The Dresden Files/01 - Storm Front"],
  ["no series", DEFAULT_TEMPLATE, { ...full, series: null, series_num: null }, "Jim Butcher/Storm Front"],
  ["no series_num", DEFAULT_TEMPLATE, { ...full, series_num: null }, "Jim Butcher/The Dresden Files/Storm Front"],
  ["number without series is dropped", DEFAULT_TEMPLATE, { ...full, series: null }, "Jim Butcher/Storm Front"],
  ["empty-string series counts as missing", DEFAULT_TEMPLATE, { ...full, series: "  " }, "Jim Butcher/Storm Front"],
  ["decimal series_num", DEFAULT_TEMPLATE, { ...full, series_num: "2.5" }, "Jim Butcher/The Dresden Files/02.5 - Storm Front"],
  ["no author", DEFAULT_TEMPLATE, { ...full, author: null }, null],
  ["no title", DEFAULT_TEMPLATE, { ...full, title: undefined }, null],
  ["author sanitized to nothing", DEFAULT_TEMPLATE, { ...full, author: "???" }, null],
  ["year in parentheses", "{author}/({year}) {title}", full, "Jim Butcher/(2000) Storm Front"],
  ["missing year drops its parentheses", "{author}/({year}) {title}", { ...full, year: null }, "Jim Butcher/Storm Front"],
  ["trailing brackets", "{author}/{title} [{narrator}]", full, "Jim Butcher/Storm Front [James Marsters]"],
  ["trailing brackets dropped", "{author}/{title} [{narrator}]", { ...full, narrator: null }, "Jim Butcher/Storm Front"],
  ["middle of three dropped", "{author} - {series} - {title}", { ...full, series: null }, "Jim Butcher - Storm Front"],
  ["first of three dropped", "{series} - {series_num} - {title}", { ...full, series: null }, "Storm Front"],
  ["last bracket group dropped", "{title} ({year}) [{narrator}]", { ...full, narrator: null }, "Storm Front (2000)"],
  ["leading literal belongs to its placeholder", "{author}/Book {series_num} - {title}", { ...full, series: "S" }, "Jim Butcher/Book 01 - Storm Front"],
  ["leading literal dropped with it", "{author}/Book {series_num} - {title}", { ...full, series_num: null }, "Jim Butcher/Storm Front"],
  ["literal-only folder kept", "Audiobooks/{author}/{title}", full, "Audiobooks/Jim Butcher/Storm Front"],
  ["empty component vanishes", "{author}/{narrator}/{title}", { ...full, narrator: null }, "Jim Butcher/Storm Front"],
  ["backslash separates folders too", "{author}\\{title}", full, "Jim Butcher/Storm Front"],
  ["language and edition", "{author}/{title} [{language}] {edition}", { ...full, edition: "Unabridged" }, "Jim Butcher/Storm Front [en] Unabridged"],
  ["slash inside a value", DEFAULT_TEMPLATE, { author: "AC/DC", title: "Back\\In Black" }, "AC-DC/Back-In Black"],
  ["colon becomes a dash", DEFAULT_TEMPLATE, { author: "A", title: "Dune: Part One" }, "A/Dune - Part One"],
  ["reserved characters", DEFAULT_TEMPLATE, { author: "A", title: 'What? "Why" <Not> *Now* |Ok|' }, "A/What 'Why' Not Now -Ok-"],
  ["control characters", DEFAULT_TEMPLATE, { author: "A\u0000B", title: "T\u0007itle\n" }, "AB/Title"],
  ["a line break in a value is a space", DEFAULT_TEMPLATE, { author: "A", title: "Part One\nThe Beginning" }, "A/Part One The Beginning"],
  ["an invisible character never makes a second folder", DEFAULT_TEMPLATE, { author: "Jim\u200B Butcher\u200E", title: "Storm\u00ADFront" }, "Jim Butcher/StormFront"],
  ["trailing dots and spaces", DEFAULT_TEMPLATE, { author: "Martin Luther King Jr.", title: "Why We Can't Wait..." }, "Martin Luther King Jr/Why We Can't Wait"],
  ["leading dots never make a hidden or parent folder", DEFAULT_TEMPLATE, { author: "..", title: "...And Then There Were None" }, null],
  ["a title that sanitizes to nothing is no title (never the author folder as the book's)", "{author}/{title}", { author: "A", title: "\\..\\.." }, null],
  ["a title of dashes and tildes is no title", "{author}/{title}", { author: "A", title: "~ -" }, null],
  ["a series of dashes vanishes with its number", DEFAULT_TEMPLATE, { ...full, series: "--" }, "Jim Butcher/Storm Front"],
  ["leading dots stripped", DEFAULT_TEMPLATE, { author: ".hack", title: "...And Then There Were None" }, "hack/And Then There Were None"],
  ["Windows reserved author", DEFAULT_TEMPLATE, { author: "CON", title: "Nul" }, "CON_/Nul_"],
  ["Windows reserved with extension", DEFAULT_TEMPLATE, { author: "A", title: "com1.txt" }, "A/com1_.txt"],
  ["not reserved when longer", DEFAULT_TEMPLATE, { author: "Conan Doyle", title: "Auxiliary" }, "Conan Doyle/Auxiliary"],
  ["long title cut at 255 bytes", DEFAULT_TEMPLATE, { author: "A", title: long }, `A/${"Ä".repeat(127)}`],
  ["unicode composed to NFC", DEFAULT_TEMPLATE, { author: "Pe\u0301rez", title: "Cafe\u0301" }, "P\u00e9rez/Caf\u00e9"],
  ["CJK kept", DEFAULT_TEMPLATE, { author: "村上春樹", title: "1Q84", series: "1Q84", series_num: "3" }, "村上春樹/1Q84/03 - 1Q84"],
  ["series_num 12 unpadded", DEFAULT_TEMPLATE, { ...full, series_num: "12" }, "Jim Butcher/The Dresden Files/12 - Storm Front"],
  ["series_num 123 kept", DEFAULT_TEMPLATE, { ...full, series_num: "123" }, "Jim Butcher/The Dresden Files/123 - Storm Front"],
  ["series_num not a number kept", DEFAULT_TEMPLATE, { ...full, series_num: "Prequel" }, "Jim Butcher/The Dresden Files/Prequel - Storm Front"],
  ["author_lf", "{author_lf}/{title}", full, "Butcher, Jim/Storm Front"],
  ["author_lf with particle and initial", "{author_lf}/{title}", { ...full, author: "Ursula K. Le Guin" }, "Le Guin, Ursula K/Storm Front"],
  ["author_lf with von", "{author_lf}/{title}", { ...full, author: "Ludwig van Beethoven" }, "van Beethoven, Ludwig/Storm Front"],
  ["author_lf with suffix", "{author_lf}/{title}", { ...full, author: "Martin Luther King Jr." }, "King, Martin Luther Jr/Storm Front"],
  ["author_lf already last-first", "{author_lf}/{title}", { ...full, author: "Butcher, Jim" }, "Butcher, Jim/Storm Front"],
  ["author_lf with a suffix after a comma", "{author_lf}/{title}", { ...full, author: "Kurt Vonnegut, Jr." }, "Vonnegut, Kurt Jr/Storm Front"],
  ["author_last with a suffix after a comma", "{author_last}/{title}", { ...full, author: "Kurt Vonnegut, Jr." }, "Vonnegut/Storm Front"],
  ["author_lf with fils", "{author_lf}/{title}", { ...full, author: "Alexandre Dumas fils" }, "Dumas, Alexandre fils/Storm Front"],
  ["a series starting with dashes", DEFAULT_TEMPLATE, { ...full, series: "--x" }, "Jim Butcher/x/01 - Storm Front"],
  ["a title starting with a dash", DEFAULT_TEMPLATE, { author: "A", title: "-30-" }, "A/30-"],
  ["author_lf two authors", "{author_lf}/{title}", { ...full, author: "Terry Pratchett & Neil Gaiman" }, "Pratchett, Terry & Gaiman, Neil/Storm Front"],
  ["author_lf single name", "{author_lf}/{title}", { ...full, author: "Homer" }, "Homer/Storm Front"],
  ["author_last", "{author_last} - {title}", full, "Butcher - Storm Front"],
  ["narrator year language edition", "{author}/{title} ({year}) [{narrator}] {language} {edition}", { ...full, edition: "Unabridged" }, "Jim Butcher/Storm Front (2000) [James Marsters] en Unabridged"],
  ["NFD input gives the NFC folder", DEFAULT_TEMPLATE, { author: "Gabriel Garci\u0301a Ma\u0301rquez", title: "Cien an\u0303os" }, "Gabriel Garc\u00eda M\u00e1rquez/Cien a\u00f1os"],
  ["trailing space and dot inside a component", "{author}/{title}", { author: "Ann ", title: "Title. . ." }, "Ann/Title"],
  ["reserved name in a series", DEFAULT_TEMPLATE, { ...full, series: "aux" }, "Jim Butcher/aux_/01 - Storm Front"],
  // A bracketed group with several placeholders: its brackets show only around what is there.
  ["group of two, first missing", "{author}/{title} ({year}, {narrator})", { ...full, year: null }, "Jim Butcher/Storm Front (James Marsters)"],
  ["group of two, last missing", "{author}/{title} ({year}, {narrator})", { ...full, narrator: null }, "Jim Butcher/Storm Front (2000)"],
  ["group of two, both missing", "{author}/{title} ({year}, {narrator})", { ...full, year: null, narrator: null }, "Jim Butcher/Storm Front"],
  ["group of two, both there", "{author}/{title} ({year}, {narrator})", full, "Jim Butcher/Storm Front (2000, James Marsters)"],
  ["nested groups", "{author}/{title} [{series} #{series_num} ({year})]", { ...full, year: null }, "Jim Butcher/Storm Front [The Dresden Files #01]"],
  ["nested group, outer part missing", "{author}/{title} [{narrator} ({year})]", { ...full, narrator: null }, "Jim Butcher/Storm Front [(2000)]"],
  ["group with words inside", "{author}/{title} (read by {narrator})", { ...full, narrator: null }, "Jim Butcher/Storm Front"],
  ["group before the title", "{author}/[{year} {language}] {title}", { ...full, year: null }, "Jim Butcher/[en] Storm Front"],
  ["literal brackets without a placeholder stay", "{author}/{title} [Audiobook] ({year})", { ...full, year: null }, "Jim Butcher/Storm Front [Audiobook]"],
  ["literal brackets inside a group go with it", "{author}/{title} ({year} [Unabridged])", { ...full, year: null }, "Jim Butcher/Storm Front"],
  ["an unclosed bracket is text (going with the value after it)", "{author}/({year} {title}", full, "Jim Butcher/(2000 Storm Front"],
  ["an unclosed bracket goes with its value", "{author}/({year} {title}", { ...full, year: null }, "Jim Butcher/Storm Front"],
  ["an unmatched bracket is text", "{author}/{title} - {year})", full, "Jim Butcher/Storm Front - 2000)"],
];

describe("renderProposedPath", () => {
  it.each(rows)("%s", (_name, template, fields, expected) => {
    expect(renderProposedPath(template, fields)).toBe(expected);
  });

  it("has at least 30 rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it("pads series_num per series_num_padding, decimals kept", () => {
    const at = (num: string, padding: number) => renderProposedPath("{author}/{series_num} {title}", { ...full, series_num: num }, { seriesNumPadding: padding });
    expect(at("2", 3)).toBe("Jim Butcher/002 Storm Front");
    expect(at("2.5", 3)).toBe("Jim Butcher/002.5 Storm Front");
    expect(at("02", 0)).toBe("Jim Butcher/2 Storm Front");
    expect(at("7", 1)).toBe("Jim Butcher/7 Storm Front");
    expect(at("10", 3)).toBe("Jim Butcher/010 Storm Front");
    expect(at("0", 2)).toBe("Jim Butcher/00 Storm Front");
    expect(at("007", 2)).toBe("Jim Butcher/07 Storm Front");
    expect(at(" 3 ", 2)).toBe("Jim Butcher/03 Storm Front");
    expect(at("1234", 2)).toBe("Jim Butcher/1234 Storm Front");
    expect(at("3", 12)).toBe("Jim Butcher/0000000003 Storm Front");
  });

  it("one title in NFC and NFD gives one folder", () => {
    const nfc = renderProposedPath(DEFAULT_TEMPLATE, { author: "Zoë", title: "Café" });
    const nfd = renderProposedPath(DEFAULT_TEMPLATE, { author: "Zoë".normalize("NFD"), title: "Café".normalize("NFD") });
    expect(nfd).toBe(nfc);
    expect(Buffer.from(nfd!).equals(Buffer.from(nfc!))).toBe(true);
  });

  it("keeps the whole path within its byte limit, cutting the longest component", () => {
    const p = renderProposedPath(DEFAULT_TEMPLATE, { ...full, series: "S".repeat(250), title: "T".repeat(250) }, { maxPathBytes: 300 })!;
    expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(300);
    expect(p.startsWith("Jim Butcher/")).toBe(true);
    expect(p.split("/")).toHaveLength(3);
    expect(renderProposedPath(DEFAULT_TEMPLATE, full, { maxPathBytes: 20 })).toBeNull();
  });

  it("keeps every component within 255 UTF-8 bytes", () => {
    const path = renderProposedPath(DEFAULT_TEMPLATE, { author: "作".repeat(400), title: "x".repeat(600) })!;
    for (const part of path.split("/")) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(255);
  });
});

describe("sanitizeComponent", () => {
  it.each([
    ["plain", "plain"],
    [".", ""],
    ["..", ""],
    ["  spaced  ", "spaced"],
    ["aux", "aux_"],
    ["LPT9", "LPT9_"],
    ["COM0", "COM0_"],
    ["con.tar.gz", "con_.tar.gz"],
    ["a/b\\c", "a-b-c"],
    ["tab\there", "tab here"],
    ["line\r\nbreak\u2028here", "line break here"],
    ["NUL .txt", "NUL_ .txt"],
    ["Com1 .tar.gz", "Com1_ .tar.gz"],
    ["zero\u200Bwidth\u00ADsoft", "zerowidthsoft"],
    ["rtl \u202Egnp.exe", "rtl gnp.exe"],
    ["\u2066isolated\u2069 \u200Fmark", "isolated mark"],
    ["family 👩\u200D👩\u200D👧, ZWNJ می\u200Cخواهم", "family 👩\u200D👩\u200D👧, ZWNJ می\u200Cخواهم"],
    ["emoji 😀", "emoji 😀"],
    // A leading "-" reads as an option to every command given the name (rm *, tar, mv).
    ["-rf", "rf"],
    ["--help", "help"],
    ["- .hidden", "hidden"],
    ["a-b -c", "a-b -c"],
    // A leading "~" is a home folder to the shell: `rm -rf ~` typed to remove a folder named "~".
    ["~", ""],
    ["~root", "root"],
    ["-~-x", "x"],
    ["a~b ~c", "a~b ~c"],
    // Plain ASCII names (a shorter way through): a trailing dot still goes, a long one is still cut, and a dot the
    // cut leaves at the end goes too.
    ["Jr.", "Jr"],
    ["x".repeat(300), "x".repeat(255)],
    ["a".repeat(254) + ".b", "a".repeat(254)],
    ["prn", "prn_"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeComponent(input)).toBe(expected);
  });

  it("cuts between characters, never inside an emoji", () => {
    const cut = sanitizeComponent("a" + "👩‍👩‍👧".repeat(20));
    expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(255);
    expect(cut.endsWith("👩‍👩‍👧")).toBe(true);
  });
});

describe("validateTemplate", () => {
  it.each([DEFAULT_TEMPLATE, "{title}", "{author}/{year} - {title} [{narrator}]", "{author}/{series}/{series_num}. {title} ({variant})"])(
    "accepts %j",
    (template) => {
      expect(() => validateTemplate(template)).not.toThrow();
    },
  );

  it.each([
    ["{autor}/{title}", /unknown placeholder \{autor\}/],
    ["{author}/{Title}", /unknown placeholder \{Title\}/],
    ["{author}/{}{title}", /unknown placeholder \{\}/],
    ["{author/{title}", /unbalanced '\{' at position 1/],
    ["{author}/{title", /unbalanced '\{' at position 10/],
    ["{author}}/{title}", /unbalanced '\}' at position 9/],
    ["{author}/{{title}}", /unbalanced '\{'/],
    ["", /empty/],
    ["{author}/{series}", /must contain \{title\}/],
    ["{author_first}/{title}", /unknown placeholder \{author_first\}/],
    ["{author}/../{title}", /must not contain a '\.\.' folder/],
  ])("rejects %j", (template, message) => {
    expect(() => validateTemplate(template)).toThrow(TemplateError);
    expect(() => validateTemplate(template)).toThrow(message);
  });

  it("renderProposedPath refuses an invalid template rather than guessing", () => {
    expect(() => renderProposedPath("{auther}/{title}", full)).toThrow(/\{auther\}/);
  });
});
