import { describe, expect, it } from "vitest";
import { terminalSafe, terminalSafeLines } from "../../src/cli/output.js";
import { describeEnvironmentError } from "../../src/cli/error-report.js";
import { classifyFault, DatabaseTooNewError } from "../../src/store/store-error.js";

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("terminalSafe", () => {
  it.each([
    ["carriage return", "a\rb", "a\\rb"],
    ["line feed inside a value", "a\nb", "a\\nb"],
    ["tab", "a\tb", "a\\tb"],
    ["ANSI escape sequence", "\u001b[31mred\u001b[0m", "\\e[31mred\\e[0m"],
    ["OSC title + BEL", "\u001b]0;owned\u0007", "\\e]0;owned\\x07"],
    ["C1 CSI", "x\u009b2J", "x\\x9b2J"],
    ["DEL", "a\u007fb", "a\\x7fb"],
    ["NUL", "a\u0000b", "a\\x00b"],
    ["right-to-left override", "abc\u202edef", "abc\\u202edef"],
    ["isolates and marks", "\u2066x\u2069\u200f\u061c", "\\u2066x\\u2069\\u200f\\u061c"],
    ["line separator", "a\u2028b", "a\\u2028b"],
  ])("%s is shown as an escape", (_name, raw, shown) => {
    expect(terminalSafe(raw)).toBe(shown);
    expect(terminalSafe(raw)).not.toMatch(UNSAFE);
  });

  it("leaves ordinary text, accents, emoji and joiners alone; null prints as nothing", () => {
    for (const text of ["Brandon Sanderson", "Éric-Emmanuel Schmitt", "村上春樹", "👩‍👩‍👧", "می‌خواهم"]) expect(terminalSafe(text)).toBe(text);
    expect(terminalSafe(null)).toBe("");
    expect(terminalSafe(undefined)).toBe("");
    expect(terminalSafe(42)).toBe("42");
  });

  it("keeps a message's own line breaks but escapes everything else", () => {
    expect(terminalSafeLines("plugin x is not valid:\nbad \u001b[31mname\r")).toBe("plugin x is not valid:\nbad \\e[31mname\\r");
  });
});

describe("environment faults", () => {
  const sqlite = (code: string) => Object.assign(new Error(code), { code });
  const errno = (code: string, p: string) => Object.assign(new Error(code), { code, path: p });

  it.each([
    [sqlite("SQLITE_FULL"), "disk_full", /disk is full.*kept.*free some space/],
    [errno("ENOSPC", "/d/logs/x"), "disk_full", /disk is full \(writing \/d\/logs\/x\)/],
    [sqlite("SQLITE_READONLY"), "read_only", /\/d\/shelfwise\.db \(or its folder\) is read-only.*nothing was changed/],
    [sqlite("SQLITE_READONLY_DIRECTORY"), "read_only", /read-only/],
    [errno("EROFS", "/d/config.json"), "read_only", /\/d\/config\.json is on a read-only file system/],
    [errno("EACCES", "/d/shelfwise.lock"), "permission", /permission denied: \/d\/shelfwise\.lock/],
    [sqlite("SQLITE_CANTOPEN"), "permission", /permission denied/],
    [sqlite("SQLITE_BUSY"), "locked", /stayed locked by another program past the timeout/],
    [sqlite("SQLITE_BUSY_SNAPSHOT"), "locked", /locked/],
    [sqlite("SQLITE_CORRUPT"), "corrupt", /damaged/],
    [sqlite("SQLITE_IOERR_WRITE"), "io", /input\/output error/],
    [new DatabaseTooNewError("/d/shelfwise.db", 9, 4), "too_new", /schema version 9, newer.*left untouched; upgrade shelfwise/],
  ])("%s", (error, fault, message) => {
    expect(classifyFault(error)).toBe(fault);
    const line = describeEnvironmentError(error, "/d")!;
    expect(line).toMatch(message);
    expect(line).not.toContain("\n");
  });

  it("looks through wrapped causes, and ignores errors that are not the machine's", () => {
    expect(classifyFault(new Error("cannot open", { cause: sqlite("SQLITE_READONLY") }))).toBe("read_only");
    expect(classifyFault(new Error("boom"))).toBeNull();
    expect(classifyFault(sqlite("SQLITE_CONSTRAINT_UNIQUE"))).toBeNull();
    expect(describeEnvironmentError(new TypeError("x"), "/d")).toBeNull();
  });
});
